"""Resolve one Letterboxd row to a TMDB film with its evidence: URI cache, title cache, then search.

What a search finds is remembered twice: by normalized (title, year) with its evidence
(FilmLookup), and by the row's Letterboxd URI (LetterboxdLink), which also carries corrections.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from enrichment.matching.rules import fold_title
from enrichment.matching.searching import fetch_film, find_match
from enrichment.models import LetterboxdLink
from movies.models import Film, FilmLookup, MatchMethod, Movie

Status = Movie.EnrichmentStatus
FOUND_LOOKUP_TTL = timedelta(days=30)
# TMDB grows every day: a title it did not know is asked again sooner.
NO_MATCH_LOOKUP_TTL = timedelta(days=7)
FILM_TTL = timedelta(days=30)
EVIDENCE_FIELDS = ("match_method", "match_confidence", "match_candidates", "match_reason", "tmdb_tv_id")
NOT_ON_TMDB_REASON = "Marked “not on TMDB” by a correction."


@dataclass
class Resolution:
    """A row's outcome: the terminal status, the Film when enriched, and the evidence fields."""

    status: str
    film: Film | None = None
    evidence: dict = field(default_factory=dict)


def evidence_of(source):
    """The evidence fields of a Movie or FilmLookup, as a dict."""
    return {name: getattr(source, name) for name in EVIDENCE_FIELDS}


def _evidence(method="", confidence=None, candidates=(), reason="", tmdb_tv_id=None):
    return {
        "match_method": method,
        "match_confidence": confidence,
        "match_candidates": list(candidates),
        "match_reason": reason,
        "tmdb_tv_id": tmdb_tv_id,
    }


def resolve(title, year, uri, client, *, now=None):
    """The Resolution of one row: by its URI, by its cached (title, year), else by searching TMDB."""
    now = now or timezone.now()
    fresh_after = now - FILM_TTL
    link = LetterboxdLink.objects.filter(uri=uri).first() if uri else None
    if link is not None:
        if link.film_id is None:
            return Resolution(
                Status.NOT_FOUND, evidence=_evidence(MatchMethod.HAND, 1.0, reason=NOT_ON_TMDB_REASON)
            )
        film = fetch_film(client, link.film_id, fresh_after=fresh_after)
        if film is not None:
            method = MatchMethod.HAND if link.by_hand else MatchMethod.CACHE
            return Resolution(Status.ENRICHED, film, _evidence(method, link.confidence))
    lookup = (
        FilmLookup.objects.select_related("film")
        .filter(normalized_title=fold_title(title), year=year, expires_at__gt=now)
        .first()
    )
    if lookup is not None and (lookup.film is None or lookup.film.fetched_at > fresh_after):
        resolution = _from_lookup(lookup)
    else:
        sent_before = client.requests_sent
        match = find_match(client, title, year, fresh_after=fresh_after)
        resolution = _from_match(match)
        remember_lookup(title, year, resolution, now=now, requests=client.requests_sent - sent_before)
    if resolution.film is not None and uri:
        learn_link(uri, resolution.film.pk, resolution.evidence, now=now)
    return resolution


def _from_lookup(lookup, *, film=None):
    evidence = evidence_of(lookup)
    if lookup.film_id is not None:
        return Resolution(Status.ENRICHED, film or lookup.film, evidence)
    return Resolution(Status.TV if lookup.tmdb_tv_id else Status.NOT_FOUND, evidence=evidence)


def _from_match(match):
    if match.film is not None:
        return Resolution(
            Status.ENRICHED, match.film, _evidence(match.method, match.confidence, match.candidates)
        )
    if match.tv is not None:
        reason = f"TMDB knows it as TV: “{match.tv.title}” ({match.tv.year or 'no date'})."
        evidence = _evidence(match.method, match.confidence, match.candidates, reason, match.tv.tmdb_id)
        return Resolution(Status.TV, evidence=evidence)
    return Resolution(Status.NOT_FOUND, evidence=_evidence(candidates=match.candidates, reason=match.reason))


def remember_lookup(title, year, resolution, *, now=None, requests=None):
    """Cache a search's Resolution for (title, year), evidence included; "no match" expires sooner.

    ``requests``: what the search cost, when it was one (a correction is not).
    """
    now = now or timezone.now()
    found = resolution.status != Status.NOT_FOUND
    FilmLookup.objects.update_or_create(
        normalized_title=fold_title(title),
        year=year,
        defaults={
            "film": resolution.film,
            **resolution.evidence,
            "resolved_at": now,
            "expires_at": now + (FOUND_LOOKUP_TTL if found else NO_MATCH_LOOKUP_TTL),
            "requests": requests,
        },
    )


def learn_link(uri, tmdb_id, evidence, *, now=None):
    """Remember a search's film for a Letterboxd URI, unless a correction already says otherwise."""
    if LetterboxdLink.objects.filter(uri=uri, method=MatchMethod.HAND).exists():
        return
    method = evidence.get("match_method")
    LetterboxdLink.objects.update_or_create(
        uri=uri,
        defaults={
            "film_id": tmdb_id,
            # A link found from a link keeps what it was learned from.
            "method": method if method and method != MatchMethod.CACHE else MatchMethod.EXACT_YEAR,
            "confidence": evidence.get("match_confidence") or 0.0,
            "updated_at": now or timezone.now(),
        },
    )


def cached_resolutions(rows, now):
    """Resolve, from the caches only, those ``rows`` (id, title, year, uri) they know.

    Returns {movie id: Resolution} whose films are bare (only their tmdb id); films whose
    cached details are stale are left out, for a task to fetch again.
    """
    fresh_after = now - FILM_TTL
    links = {
        uri: (film_id, method, confidence)
        for uri, film_id, method, confidence in LetterboxdLink.objects.filter(
            Q(film__isnull=True, method=MatchMethod.HAND) | Q(film__fetched_at__gt=fresh_after),
            uri__in={uri for _, _, _, uri in rows if uri},
        ).values_list("uri", "film_id", "method", "confidence")
    }
    lookups = {
        (lookup.normalized_title, lookup.year): lookup
        for lookup in FilmLookup.objects.filter(
            Q(film__isnull=True) | Q(film__fetched_at__gt=fresh_after),
            normalized_title__in={fold_title(title) for _, title, _, _ in rows},
            expires_at__gt=now,
        )
    }
    resolved = {}
    for movie_id, title, year, uri in rows:
        if uri in links:
            film_id, method, confidence = links[uri]
            if film_id is None:
                evidence = _evidence(MatchMethod.HAND, 1.0, reason=NOT_ON_TMDB_REASON)
                resolved[movie_id] = Resolution(Status.NOT_FOUND, evidence=evidence)
            else:
                method = MatchMethod.HAND if method == MatchMethod.HAND else MatchMethod.CACHE
                resolved[movie_id] = Resolution(
                    Status.ENRICHED, Film(pk=film_id), _evidence(method, confidence)
                )
            continue
        lookup = lookups.get((fold_title(title), year))
        if lookup is not None:
            resolved[movie_id] = _from_lookup(
                lookup, film=Film(pk=lookup.film_id) if lookup.film_id else None
            )
    return resolved
