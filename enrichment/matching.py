"""Which TMDB search hit is the film a Letterboxd row names? Pure functions, no I/O.

TMDB ranks hits by popularity, so ``results[0]`` is often a remake or a famous namesake from
another decade. A hit is acceptable only when its folded title (or original title) equals the
row's and its year is within one of the row's; among acceptable hits the exact year wins.
"""

import re
import unicodedata

YEAR_TOLERANCE = 1
_NOT_WORD = re.compile(r"[\W_]+")


def fold_title(title):
    """Case, accents, dashes, no-break spaces and punctuation folded away.

    "Amélie – Part 2" becomes "amelie part 2".
    """
    decomposed = unicodedata.normalize("NFKD", title or "")
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", without_marks.casefold()).strip()


def search_years(year):
    """The `year` parameters to search with, in order: the year, one either side, then none."""
    if year is None:
        return [None]
    return [year, year - 1, year + 1, None]


def best_hit(hits, title, year):
    """The acceptable hit closest to ``year`` (TMDB's order breaks ties), or None."""
    wanted = fold_title(title)
    acceptable = [
        hit
        for hit in hits
        if wanted in (fold_title(hit.title), fold_title(hit.original_title))
        and (year is None or (hit.year is not None and abs(hit.year - year) <= YEAR_TOLERANCE))
    ]
    if not acceptable:
        return None
    if year is None:
        return acceptable[0]
    return min(acceptable, key=lambda hit: abs(hit.year - year))
