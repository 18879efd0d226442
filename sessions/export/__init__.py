"""A Letterboxd export (the ZIP or its loose CSVs), read into one record per film.

Pure Python, no ORM: the service stores what parsing.parse_export returns. sources.py
chooses the files, reading.py reads them within the upload's limits, rows.py validates
each row and merging.py merges the rows into films. Limits are enforced while reading,
so a hostile upload is refused before it can grow memory. The format facts this relies
on are in DESIGN.md §2; the ones that bite are noted where they matter.
"""
