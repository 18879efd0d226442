"""The searches that find one Letterboxd row on TMDB, in the order that costs fewest requests.

1. ``search/movie`` without a year: every year's films of that title in one request, which is
   the evidence ties need (votes of the exact year against a year off). Most titles fit on its
   first page; a found film then costs this search and its details: 2 requests.
2. Only when that page is incomplete (a common title with more pages): ``year`` = the row's
   year, then the year before and after (``year`` matches any release date in that year).
3. When no film fits: ``search/tv`` with ``first_air_date_year`` (a miniseries), then the show of
   a "Show: Episode" title. An absent film costs 2 requests, not 4.

No row costs more than MAX_REQUESTS (today's worst case: four searches and the details).
"""

from dataclasses import dataclass, field

from django.utils import timezone

from enrichment.matching.rules import confirms_title, decide, decide_tv
from enrichment.matching.titles import show_of_episode
from enrichment.tmdb.client import TmdbNotFound, film_fields
from movies.models import Film, MatchMethod

MAX_REQUESTS = 5


@dataclass
class Match:
    """What the searches found: a stored Film, a TV hit, or neither (with the reason)."""

    film: Film | None = None
    tv: object = None
    method: str = ""
    confidence: float | None = None
    candidates: list = field(default_factory=list)
    reason: str = ""


class _Budget:
    def __init__(self, client):
        self.client, self.spent = client, 0

    @property
    def left(self):
        return MAX_REQUESTS - self.spent

    def search_movie(self, title, year=None):
        self.spent += 1
        return self.client.search_movie(title, year)

    def search_tv(self, title, year=None):
        self.spent += 1
        return self.client.search_tv(title, year)

    def movie_details_with_titles(self, tmdb_id):
        self.spent += 1
        return self.client.movie_details_with_titles(tmdb_id)


def store_film(fields):
    """Cache a film's fields (tmdb.film_fields) for every session; returns the Film."""
    fields = dict(fields)
    film, _ = Film.objects.update_or_create(
        tmdb_id=fields.pop("tmdb_id"), defaults={**fields, "fetched_at": timezone.now()}
    )
    return film


def fetch_film(client, tmdb_id, *, fresh_after, title_to_confirm=None):
    """The Film ``tmdb_id`` from the cache when fresh, else from TMDB (None if TMDB lost it).

    With ``title_to_confirm``, only a film whose alternative titles include it is returned.
    """
    if title_to_confirm is None:
        film = Film.objects.filter(pk=tmdb_id, fetched_at__gt=fresh_after).first()
        if film is not None:
            return film
    try:
        details, alternatives = client.movie_details_with_titles(tmdb_id)
    except TmdbNotFound:
        return None  # removed from TMDB since the search
    film = store_film(film_fields(details))
    if title_to_confirm is not None and not confirms_title(title_to_confirm, alternatives):
        return None
    return film


def find_match(client, title, year, *, fresh_after):
    """Search TMDB for a row (films, then TV) and return the Match, its film stored."""
    budget = _Budget(client)
    answer = budget.search_movie(title)
    hits = list(answer.hits)
    decision = decide(hits, title, year)
    if year is not None and not answer.complete:
        for search_year in (year, year - 1, year + 1):
            if decision.hit is not None and decision.method == MatchMethod.EXACT_YEAR:
                break
            hits += budget.search_movie(title, search_year).hits
            decision = decide(hits, title, year)
    if decision.hit is not None and budget.left:
        film = fetch_film(
            budget,
            decision.hit.tmdb_id,
            fresh_after=fresh_after,
            title_to_confirm=title if decision.needs_title_check else None,
        )
        if film is not None:
            return Match(
                film=film,
                method=decision.method,
                confidence=decision.confidence,
                candidates=decision.candidates,
            )
    film_candidates = decision.candidates
    tv = _find_tv(budget, title, year)
    if tv is not None:
        return tv
    return Match(candidates=film_candidates, reason=not_found_reason(title, year, film_candidates))


def _find_tv(budget, title, year):
    attempts = [(title, year, False)]
    show = show_of_episode(title)
    if show:
        attempts.append((show, None, True))
    for query, query_year, episode in attempts:
        if not budget.left:
            return None
        decision = decide_tv(budget.search_tv(query, query_year).hits, query, year, episode=episode)
        if decision.hit is not None:
            return Match(
                tv=decision.hit,
                method=MatchMethod.TV,
                confidence=decision.confidence,
                candidates=decision.candidates,
            )
    return None


def not_found_reason(title, year, candidates):
    """A short sentence saying why nothing was matched, naming the nearest candidates."""
    when = f" within a year of {year}" if year else ""
    reason = f"No TMDB film or TV entry titled “{title}”{when}."
    if candidates:
        nearest = ", ".join(f"“{c['title']}” ({c['year'] or 'no date'})" for c in candidates[:3])
        reason += f" Closest: {nearest}."
    return reason[:300]
