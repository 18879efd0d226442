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


# Letterboxd's importer (letterboxd.com/import): it matches a row by tmdbID first, so a match
# corrected here is re-imported as corrected. The other columns are the importer's own names.
LETTERBOXD_COLUMNS = ["tmdbID", "Title", "Year", "WatchedDate", "Rating", "Rewatch", "Tags", "Review"]


def letterboxd_csv(movies):
    """CSV text in Letterboxd's import format: one row per diary entry, and one undated row (the
    film's current rating, its review) for each film watched without one.

    Films only liked are left out (the importer would mark them watched); so are the diary entries
    still naming two films (Letterboxd could not tell them apart either). Cells are written as they
    are, not escaped for spreadsheets: the importer would keep an added apostrophe in the title.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LETTERBOXD_COLUMNS)
    for movie in movies:
        viewings = movie.get("viewings", [])
        if movie["liked"] and not (viewings or movie["rating"] or movie["marked_watched_on"]):
            continue
        film = [movie["tmdb_id"] or "", movie["title"], movie["year"] or ""]
        if not viewings:
            writer.writerow([*film, "", movie["rating"] or "", "", "", movie["review"]])
        for viewing in viewings:
            writer.writerow(
                [
                    *film,
                    viewing["watched_date"] or "",
                    viewing["rating"] or "",
                    "true" if viewing["rewatch"] else "false",
                    LIST_SEPARATOR.join(viewing["tags"]),
                    viewing["review"],
                ]
            )
    return buffer.getvalue()
