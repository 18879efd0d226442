"""Taste side by side: for genres, decades, countries, directors and actors, each member's films,
share of their films and average rating, and how alike the two spreads are."""

import math
from collections import defaultdict

DIMENSIONS = {
    "genres": lambda film: film["genres"],
    "decades": lambda film: [f"{film['year'] // 10 * 10}s"] if film["year"] else [],
    "countries": lambda film: film["production_countries"],
    "directors": lambda film: film["directors"],
    "actors": lambda film: film["cast"],
}
TOP = 10


def tally(films, names_of):
    """name -> [films, sum of ratings, ratings]; and how many films had any name (the share's base)."""
    counts = defaultdict(lambda: [0, 0.0, 0])
    based_on = 0
    for film in films:
        names = names_of(film)
        based_on += bool(names)
        for name in set(names):
            entry = counts[name]
            entry[0] += 1
            if film["rating"] is not None:
                entry[1] += film["rating"]
                entry[2] += 1
    return counts, based_on


def cosine(a, b):
    """How alike two spreads are: 1 the same proportions, 0 nothing in common."""
    dot = sum(a[name][0] * b[name][0] for name in a.keys() & b.keys())
    norm = math.sqrt(sum(v[0] ** 2 for v in a.values())) * math.sqrt(sum(v[0] ** 2 for v in b.values()))
    return round(dot / norm, 4) if norm else 0.0


def side(counts, based_on, name):
    films, total, rated = counts.get(name, (0, 0.0, 0))
    return {
        "films": films,
        "share": round(films / based_on, 4) if based_on else 0.0,
        "average_rating": round(total / rated, 2) if rated else None,
    }


def side_by_side(your_films, friend_films):
    result = {}
    for dimension, names_of in DIMENSIONS.items():
        yours, your_base = tally(your_films, names_of)
        theirs, their_base = tally(friend_films, names_of)
        top = sorted(yours, key=lambda n: (-yours[n][0], n))[:TOP]
        top += [n for n in sorted(theirs, key=lambda n: (-theirs[n][0], n))[:TOP] if n not in top]
        result[dimension] = {
            "similarity": cosine(yours, theirs),
            "based_on": {"you": your_base, "friend": their_base},
            "rows": [
                {"name": name, "you": side(yours, your_base, name), "friend": side(theirs, their_base, name)}
                for name in top
            ],
        }
    return result
