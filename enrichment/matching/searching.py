"""The searches that find one Letterboxd row on TMDB, in the order that costs fewest requests.

1. ``search/movie`` without a year: every year's films of that title in one request, which is
   the evidence ties need (votes of the exact year against a year off). Most titles fit on its
   first page; a found film then costs this search and its details: 2 requests.
2. Only when that page is incomplete (a common title with more pages): ``year`` = the row's
   year, then the year before and after (``year`` matches any release date in that year).
3. A year-off candidate's details (with ``release_dates``, in the same request) are read before
   it is chosen: refuted, the exact-year film's details follow (3 requests, rare).
4. A film matched only by a partial or other title (``alt_title``) is checked against
   ``search/tv`` first: an exact TV title in its first-air year (a miniseries whose title a
   documentary about it begins with) wins. When no film fits: ``search/tv`` with
   ``first_air_date_year`` (a miniseries), then the show of a "Show: Episode" title. An absent
   film costs 2 requests, not 4.

No row costs more than MAX_REQUESTS (the worst case: four searches and the details).
"""

from dataclasses import dataclass, field

from django.utils import timezone

from enrichment.matching.rules import CONFIRMED_TITLE_CONFIDENCE, confirms_title, decide, decide_tv
from enrichment.matching.titles import show_of_episode
from enrichment.tmdb.client import TmdbNotFound, earliest_release_year, film_fields
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


def fetch_film(client, tmdb_id, *, fresh_after):
    """The Film ``tmdb_id`` from the cache when fresh, else from TMDB (None if TMDB lost it)."""
    film = Film.objects.filter(pk=tmdb_id, fetched_at__gt=fresh_after).first()
    if film is not None:
        return film
    try:
        details, _ = client.movie_details_with_titles(tmdb_id)
    except TmdbNotFound:
        return None  # removed from TMDB since the search
    return store_film(film_fields(details))


def _details(budget, tmdb_id):
    """(Film, alternative titles, earliest release year) asked of TMDB, or None if TMDB lost it."""
    try:
        details, alternatives = budget.movie_details_with_titles(tmdb_id)
    except TmdbNotFound:
        return None
    return store_film(film_fields(details)), alternatives, earliest_release_year(details)


def _decide_with_release_dates(budget, hits, title, year, read):
    """decide(), reading (into ``read``) the release dates of the year-off hits it asks about."""
    release_years = {}
    decision = decide(hits, title, year)
    while decision.needs_year_check:
        tmdb_id = decision.hit.tmdb_id
        read[tmdb_id] = _details(budget, tmdb_id) if budget.left else None
        if read[tmdb_id] is None:  # gone from TMDB, or no request left for evidence
            hits = [hit for hit in hits if hit.tmdb_id != tmdb_id] if budget.left else hits
            release_years[tmdb_id] = None
        else:
            release_years[tmdb_id] = read[tmdb_id][2]
        decision = decide(hits, title, year, release_years)
    return decision


def find_match(client, title, year, *, fresh_after):
    """Search TMDB for a row (films, then TV) and return the Match, its film stored."""
    budget = _Budget(client)
    answer = budget.search_movie(title)
    hits = list(answer.hits)
    decision = decide(hits, title, year)
    if year is not None and not answer.complete:
        for search_year in (year, year - 1, year + 1):
            # A year-off hit to check stops too: its details are the evidence, and the budget
            # must keep room for the exact-year film's should they refute it.
            if decision.hit is not None and (
                decision.method == MatchMethod.EXACT_YEAR or decision.needs_year_check
            ):
                break
            hits += budget.search_movie(title, search_year).hits
            decision = decide(hits, title, year)
    read = {}  # tmdb id -> (Film, alternative titles, earliest release year) read during this search
    decision = _decide_with_release_dates(budget, hits, title, year, read)
    tv_asked = False
    if decision.method == MatchMethod.ALTERNATIVE_TITLE and budget.left >= 2:
        # A partial title is weaker evidence than a TV entry of exactly that name in that year.
        tv_asked = True
        tv = _find_tv(budget, [(title, year, False)], year)
        if tv is not None:
            return tv
    if decision.hit is not None:
        match = _film_match(budget, decision, title, read, fresh_after)
        if match is not None:
            return match
    film_candidates = decision.candidates
    tv = _find_tv(budget, _tv_attempts(title, year)[1 if tv_asked else 0 :], year)
    if tv is not None:
        return tv
    return Match(candidates=film_candidates, reason=not_found_reason(title, year, film_candidates))


def _film_match(budget, decision, title, read, fresh_after):
    """The Match of a decided hit, its details read (or reused), or None when refused or lost."""
    confidence = decision.confidence
    if decision.method == MatchMethod.ALTERNATIVE_TITLE:
        got = read.get(decision.hit.tmdb_id)
        if got is None and budget.left:
            got = _details(budget, decision.hit.tmdb_id)
        if got is None:
            return None
        film, alternatives, _ = got
        if confirms_title(title, alternatives):
            confidence = max(confidence, CONFIRMED_TITLE_CONFIDENCE)
        elif decision.needs_title_check:
            return None
    elif read.get(decision.hit.tmdb_id):
        film = read[decision.hit.tmdb_id][0]
    elif budget.left:
        film = fetch_film(budget, decision.hit.tmdb_id, fresh_after=fresh_after)
    else:
        return None
    if film is None:
        return None
    return Match(film=film, method=decision.method, confidence=confidence, candidates=decision.candidates)


def _tv_attempts(title, year):
    attempts = [(title, year, False)]
    show = show_of_episode(title)
    if show:
        attempts.append((show, None, True))
    return attempts


def _find_tv(budget, attempts, year):
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
