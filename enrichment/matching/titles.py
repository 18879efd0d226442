"""Titles as Letterboxd and TMDB write them, compared without typography. No Django here: the
TMDB stand-in uses it in processes that never set Django up."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
# "Show: Episode", "Show – Episode": the show is what comes before the first separator.
_SHOW_SEPARATOR = re.compile(r"\s*(?::|\s[–—-]\s)\s*")


def fold_title(title):
    """Case, accents, dashes, no-break spaces and punctuation folded away.

    "Amélie – Part 2" becomes "amelie part 2".
    """
    decomposed = unicodedata.normalize("NFKD", title or "")
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", without_marks.casefold()).strip()


def show_of_episode(title):
    """The show's name in "Show: Episode", or None for a title without such a separator."""
    parts = _SHOW_SEPARATOR.split(title or "", maxsplit=1)
    return parts[0].strip() if len(parts) == 2 and parts[0].strip() and parts[1].strip() else None
