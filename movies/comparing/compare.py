"""Two members compared: a compatibility score, films in common, both loved, disagreements, each
one's favourites the other has not seen, taste side by side and what to watch together.

"you" is the session whose id opened the comparison, "friend" the session of the share link. The
score (README, "Compare with a friend"):

    r        = Pearson correlation of the two ratings over the films both rated (0 when fewer than 2
               such films, or when either gave them all the same rating)
    r_shrunk = r * n / (n + SHRINK_FILMS)         n = films both rated: few films, little confidence
    agreement = (r_shrunk + 1) / 2                 0..1, 0.5 neutral
    overlap  = films in common / min(films of you, films of friend)       0..1
    score    = round(100 * (RATING_WEIGHT * agreement + (1 - RATING_WEIGHT) * overlap))
"""

import math

from movies.comparing import taste
from movies.comparing.films import find, load, watchlist_index

SHRINK_FILMS = 10
RATING_WEIGHT = 0.75
LOVED = 4.0  # stars: "rated highly" and "loved"
DISAGREE_BY = 1.5  # stars apart, at least, to count as a disagreement
LIST_LIMIT = 50
FORMULA = (
    "score = round(100 × (0.75 × agreement + 0.25 × overlap)); agreement = (r × n / (n + 10) + 1) / 2, "
    "r the Pearson correlation of both ratings over the n films both rated (0 under 2 films or without "
    "spread); overlap = films in common / the smaller of the two film counts"
)


def pearson(pairs):
    """The correlation of the pairs' two values; 0 when it is undefined (under 2 pairs, no spread)."""
    if len(pairs) < 2:
        return 0.0
    mean_a = sum(a for a, _ in pairs) / len(pairs)
    mean_b = sum(b for _, b in pairs) / len(pairs)
    cov = sum((a - mean_a) * (b - mean_b) for a, b in pairs)
    var_a = sum((a - mean_a) ** 2 for a, _ in pairs)
    var_b = sum((b - mean_b) ** 2 for _, b in pairs)
    if not var_a or not var_b:
        return 0.0
    return cov / math.sqrt(var_a * var_b)


def compatibility(pairs, in_common, films_you, films_friend):
    n = len(pairs)
    r = pearson(pairs)
    shrunk = r * n / (n + SHRINK_FILMS)
    agreement = (shrunk + 1) / 2
    smaller = min(films_you, films_friend)
    overlap = in_common / smaller if smaller else 0.0
    return {
        "score": round(100 * (RATING_WEIGHT * agreement + (1 - RATING_WEIGHT) * overlap)),
        "formula": FORMULA,
        "rated_in_common": n,
        "films_in_common": in_common,
        "rating_correlation": round(r, 4),
        "shrunk_correlation": round(shrunk, 4),
        "agreement": round(agreement, 4),
        "overlap": round(overlap, 4),
    }


def film_entry(film, **ratings):
    return {
        "title": film["title"],
        "year": film["year"],
        "tmdb_id": film.get("tmdb_id"),
        "letterboxd_uri": film.get("letterboxd_uri", ""),
        "poster_path": film.get("poster_path", ""),
        "vote_average": film.get("vote_average"),
        **ratings,
    }


def favourites_unseen(by, other, other_watchlist):
    """`by`'s highly rated films that `other` has not seen, best first; flagged when on other's watchlist."""
    picks = [
        film for film in by.films if film["rating"] is not None and film["rating"] >= LOVED
        and find(other.index, film) is None
    ]  # fmt: skip
    picks.sort(key=lambda film: (-film["rating"], -(film["vote_average"] or 0), film["title"]))
    return [
        film_entry(film, rating=film["rating"], on_watchlist=find(other_watchlist, film) is not None)
        for film in picks[:LIST_LIMIT]
    ]


def watchlist_loved_by(wanting, rater):
    """Films on `wanting`'s watchlist that `rater` rated highly, the best rated first."""
    picks = []
    for entry in wanting.watchlist:
        film = find(rater.index, entry)
        if film is not None and film["rating"] is not None and film["rating"] >= LOVED:
            picks.append(film_entry(film, rating=film["rating"], added_on=entry["added_on"]))
    picks.sort(key=lambda pick: (-pick["rating"], pick["title"]))
    return picks[:LIST_LIMIT]


def watch_together(you, friend, friend_watchlist):
    both = [
        {"title": entry["title"], "year": entry["year"], "letterboxd_uri": entry["letterboxd_uri"]}
        for entry in you.watchlist
        if find(friend_watchlist, entry) is not None
    ]
    return {
        "both_watchlists": both[:LIST_LIMIT],
        "both_watchlists_count": len(both),
        "yours_friend_loved": watchlist_loved_by(you, friend),
        "friends_you_loved": watchlist_loved_by(friend, you),
    }


def compare_sessions(session, friend_session):
    you, friend = load(session), load(friend_session)
    common = []
    for film in you.films:
        other = find(friend.index, film)
        if other is not None:
            common.append((film, other))
    pairs = [
        (a["rating"], b["rating"]) for a, b in common if a["rating"] is not None and b["rating"] is not None
    ]
    rated = [(a, b) for a, b in common if a["rating"] is not None and b["rating"] is not None]

    def pair_entry(a, b):
        return film_entry(a, your_rating=a["rating"], friend_rating=b["rating"])

    by_both = sorted(
        common, key=lambda ab: (-((ab[0]["rating"] or 0) + (ab[1]["rating"] or 0)), ab[0]["title"])
    )
    # Both rated it highly, or both liked it (the heart): the rated first.
    loved = [(a, b) for a, b in by_both if min(a["rating"] or 0, b["rating"] or 0) >= LOVED]
    loved += [
        (a, b)
        for a, b in by_both
        if a["liked"] and b["liked"] and min(a["rating"] or 0, b["rating"] or 0) < LOVED
    ]
    apart = sorted(
        (ab for ab in rated if abs(ab[0]["rating"] - ab[1]["rating"]) >= DISAGREE_BY),
        key=lambda ab: (-abs(ab[0]["rating"] - ab[1]["rating"]), ab[0]["title"]),
    )
    your_watchlist, friend_watchlist = watchlist_index(you.watchlist), watchlist_index(friend.watchlist)
    return {
        "compatibility": compatibility(pairs, len(common), len(you.films), len(friend.films)),
        "you": {"films": len(you.films), "rated": sum(f["rating"] is not None for f in you.films)},
        "friend": {"films": len(friend.films), "rated": sum(f["rating"] is not None for f in friend.films)},
        "in_common": [pair_entry(a, b) for a, b in by_both[:LIST_LIMIT]],
        "both_loved": [pair_entry(a, b) for a, b in loved[:LIST_LIMIT]],
        "both_loved_count": len(loved),
        "disagreements": [pair_entry(a, b) for a, b in apart[:LIST_LIMIT]],
        "for_you": favourites_unseen(friend, you, your_watchlist),
        "for_friend": favourites_unseen(you, friend, friend_watchlist),
        "taste": taste.side_by_side(session, friend_session),
        "watch_together": watch_together(you, friend, friend_watchlist),
    }
