"""A session's movies as CSV, one row per film; pure Python, no ORM.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return,
which some of them skip first) as a formula, so such cells get a leading
apostrophe: a title like "=HYPERLINK(...)" stays text.
"""

import csv
import io

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ", "


def escape_cell(value):
    """The cell's text, made inert for spreadsheets."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def movies_csv(movies, fields):
    """CSV text of exported movies (dicts as the JSON export writes them, viewings included).

    One column per field, then the number of viewings and their dates.
    """
    columns = [*fields, "viewings", "viewing_dates"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for movie in movies:
        viewings = movie.get("viewings", [])
        row = {
            **movie,
            "viewings": len(viewings),
            "viewing_dates": [viewing["watched_date"] for viewing in viewings if viewing["watched_date"]],
        }
        writer.writerow([escape_cell(row.get(column)) for column in columns])
    return buffer.getvalue()
