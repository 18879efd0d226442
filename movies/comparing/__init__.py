"""Comparing two members' sessions (movies/comparing/compare.py) and their taste side by side (taste.py)."""
