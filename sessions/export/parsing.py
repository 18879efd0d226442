"""The one entry point, parse_export: choose the files, read and validate their rows, merge the films."""

from collections import Counter
from datetime import date

from sessions.export.lists import is_list_path, read_list
from sessions.export.merging import FilmMerger, ParsedExport
from sessions.export.reading import DIARY, LIKES, RATINGS, REVIEWS, WATCHED, WATCHLIST, ExportReader
from sessions.export.rows import YEARS_AHEAD, BadRow, parse_row
from sessions.export.sources import collect_sources

# The skipped rows listed one by one (file, row, title, reason); past this many, counted only.
SKIPPED_LISTED = 200


def parse_export(uploads, limits, today=None):
    """Read uploaded files (objects with .name, .size and a file interface) into a ParsedExport.

    Raises UploadError (UploadTooLarge past a limit) naming the problem; bad rows are skipped
    and counted in the metadata instead.
    """
    max_year = (today or date.today()).year + YEARS_AHEAD
    metadata = {"ignored_files": []}
    sources = collect_sources(uploads, limits, metadata)
    reader = ExportReader(limits)
    skipped = Counter()
    skipped_rows = []
    merger = FilmMerger()
    watchlist = []
    # Films first, so that diary and review rows find the films they join by (Name, Year).
    handlers = {
        WATCHED: merger.add_watched,
        RATINGS: merger.add_rating,
        LIKES: merger.add_like,
        WATCHLIST: None,
        DIARY: merger.add_diary_entry,
        REVIEWS: merger.add_review,
    }
    for path, handler in handlers.items():
        source = sources.get(path)
        if source is None:
            continue
        # Row 1 is the header, as a spreadsheet numbers it.
        for number, values in enumerate(reader.rows(source), start=2):
            try:
                row = parse_row(values, max_year)
            except BadRow as bad:
                skipped[bad.reason] += 1
                if len(skipped_rows) < SKIPPED_LISTED:
                    title = values.get("name", "")[:200]
                    skipped_rows.append(
                        {"file": source.name, "row": number, "title": title, "reason": bad.reason}
                    )
                continue
            if handler is None:
                watchlist.append(row)
            else:
                handler(row, source.name)
    film_lists = _read_lists(sources, reader, skipped, skipped_rows, metadata)
    films = list(merger.films.values())
    metadata.update(
        {
            "files": reader.files,
            "total_rows": reader.total_rows,
            "skipped_rows": {
                "total": sum(skipped.values()),
                "by_reason": dict(skipped),
                "rows": skipped_rows,
            },
            "watchlist_count": len(watchlist),
            "ambiguous_rows": merger.ambiguous,
            "lists": len(film_lists),
            "films": len(films),
            "viewings": sum(len(film.viewings) for film in films),
        }
    )
    return ParsedExport(
        films=films, metadata=metadata, watchlist=watchlist, unplaced=merger.unplaced, lists=film_lists
    )


def _read_lists(sources, reader, skipped, skipped_rows, metadata):
    """The lists/*.csv files as FilmLists; a file not shaped like a list is ignored (and named)."""
    film_lists = []
    for path, source in sorted(sources.items()):
        if not is_list_path(path):
            continue
        film_list, bad_rows = read_list(reader.records(source))
        if film_list is None:
            metadata["ignored_files"].append(path)
            continue
        film_lists.append(film_list)
        for number, title, reason in bad_rows:
            skipped[reason] += 1
            if len(skipped_rows) < SKIPPED_LISTED:
                skipped_rows.append({"file": path, "row": number, "title": title[:200], "reason": reason})
    return film_lists
