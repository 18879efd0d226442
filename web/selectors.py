"""Reads the pages need beyond the API's answers (the calendar's diary days are the API's too)."""

from movies.selectors import diary_days

__all__ = ["diary_days"]
