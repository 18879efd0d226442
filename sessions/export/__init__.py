"""A Letterboxd export (the ZIP or its loose CSVs), read into one record per film by parsing.parse_export."""
