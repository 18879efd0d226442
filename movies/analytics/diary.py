"""What the member wrote down besides the films: diary tags, and the watchlist."""

from movies.analytics.scope import rows
from movies.models import WatchlistEntry

OLDEST_WATCHLIST_ENTRIES = 10


def tags(scope):
    """Viewings per diary tag in scope, most used first."""
    return rows(
        scope,
        """
        SELECT tag, count(*) AS viewings FROM viewings CROSS JOIN LATERAL unnest(tags) AS tag
        GROUP BY tag ORDER BY viewings DESC, tag
        """,
    )


def watchlist(scope):
    """The watchlist as it is now (the same for every year): its size and the longest-waiting films."""
    found = rows(
        scope,
        f"""
        SELECT count(*) OVER () AS size, title, year, letterboxd_uri, added_on
        FROM {WatchlistEntry._meta.db_table} WHERE session_id = %(session)s
        ORDER BY added_on NULLS LAST, id LIMIT %(limit)s
        """,
        {"limit": OLDEST_WATCHLIST_ENTRIES},
    )
    return {
        "size": found[0]["size"] if found else 0,
        "oldest": [
            {key: row[key] for key in ("title", "year", "letterboxd_uri", "added_on")} for row in found
        ],
    }
