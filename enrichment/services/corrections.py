"""Corrections of a movie's match, by its user (API), settled or undone by staff (admin).

A correction re-enriches that one movie from TMDB's details (no search), moves it between the
session's counters and bumps the session (which invalidates its cached analytics): the
corrector's own session changes at once. The caches every session shares (the Letterboxd URI
link, else the (title, year) lookup) learn from it only when it is corroborated:

- CORROBORATING_SESSIONS independent sessions chose the same film (or "not on TMDB"), more
  than chose any other; or
- it picks a film the search had already ranked among the candidates while the shared match
  was unsure (below the review threshold); or
- staff settle the link in the admin.

Otherwise the shared link stays and is marked ``disputed``; every session's movie of that film
is listed for review with the choices made and how many sessions made each (no identities).
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.errors import Conflict
from enrichment.matching.resolving import (
    EVIDENCE_FIELDS,
    FILM_TTL,
    NOT_ON_TMDB_REASON,
    Resolution,
    evidence_of,
    remember_lookup,
)
from enrichment.matching.rules import CONFIDENCE, REVIEW_BELOW
from enrichment.matching.searching import fetch_film
from enrichment.models import LetterboxdLink, MatchCorrection
from enrichment.selectors import correction_choices
from enrichment.services.cached import COUNTER_OF, TMDB_FIELDS
from enrichment.tmdb.client import TmdbClient
from movies.models import MatchMethod, Movie
from sessions.models import Session

Status = Movie.EnrichmentStatus
CORRECTION_WAIT_FOR_SLOT_SECONDS = 10
CORROBORATING_SESSIONS = 2


class CorrectionRefused(Exception):
    """The correction cannot be made as asked (the message says why); nothing was changed."""


class MovieStillEnriching(Conflict):
    """The movie is still being looked up: a correction now would race the worker."""


def correct_match(movie, tmdb_id, *, client=None):
    """Set ``movie``'s film to TMDB film ``tmdb_id`` (None: "not on TMDB"); returns the MatchCorrection.

    Raises MovieStillEnriching for a movie still being enriched, CorrectionRefused for a film TMDB
    does not have;
    TMDB errors (transient, key refused) propagate.
    """
    if movie.enrichment_status == Status.PENDING:
        raise MovieStillEnriching("This movie is still being enriched; correct it once it has finished.")
    resolution = _resolution_for(tmdb_id, movie, client)
    with transaction.atomic():
        locked = Movie.objects.select_for_update().get(pk=movie.pk)
        link = (
            LetterboxdLink.objects.filter(uri=locked.letterboxd_uri).first()
            if locked.letterboxd_uri
            else None
        )
        correction = MatchCorrection.objects.create(
            movie=locked,
            letterboxd_uri=locked.letterboxd_uri,
            previous_status=locked.enrichment_status,
            previous_tmdb_id=locked.tmdb_id,
            previous_evidence=evidence_of(locked),
            previous_link=None
            if link is None
            else {"film_id": link.film_id, "method": link.method, "confidence": link.confidence},
            tmdb_id=tmdb_id,
        )
        _store(locked, resolution)
        _teach(locked, resolution, link)
    return correction


def undo_correction(correction, user=None, *, client=None):
    """Put the movie and the caches back as they were before ``correction``; False if already undone."""
    if correction.undone_at is not None:
        return False
    movie = correction.movie
    previous = correction.previous_evidence or {}
    if correction.previous_status == Status.ENRICHED and correction.previous_tmdb_id:
        resolution = _resolution_for(correction.previous_tmdb_id, movie, client)
        resolution.evidence = {**resolution.evidence, **previous}
    else:
        resolution = Resolution(correction.previous_status, evidence=previous)
    with transaction.atomic():
        locked = Movie.objects.select_for_update().get(pk=movie.pk)
        _store(locked, resolution)
        if correction.letterboxd_uri:
            _restore_link(correction.letterboxd_uri, correction.previous_link)
        MatchCorrection.objects.filter(pk=correction.pk).update(undone_at=timezone.now(), undone_by=user)
    return True


def _resolution_for(tmdb_id, movie, client):
    if tmdb_id is None:
        return Resolution(
            Status.NOT_FOUND,
            evidence=_hand_evidence(movie, reason=NOT_ON_TMDB_REASON),
        )
    client = client or TmdbClient(max_wait_for_slot=CORRECTION_WAIT_FOR_SLOT_SECONDS)
    film = fetch_film(client, tmdb_id, fresh_after=timezone.now() - FILM_TTL)
    if film is None:
        raise CorrectionRefused(f"TMDB has no film with id {tmdb_id}.")
    return Resolution(Status.ENRICHED, film, _hand_evidence(movie))


def _hand_evidence(movie, reason=""):
    # The candidates the matcher saw stay: they say what the correction overruled.
    return {
        "match_method": MatchMethod.HAND,
        "match_confidence": CONFIDENCE[MatchMethod.HAND],
        "match_candidates": movie.match_candidates,
        "match_reason": reason,
        "tmdb_tv_id": None,
    }


def _store(movie, resolution):
    """Write the resolution on the (locked) movie and move it between its session's counters."""
    film = resolution.film
    fields = {name: Movie._meta.get_field(name).get_default() for name in TMDB_FIELDS}
    fields.update(
        {
            name: resolution.evidence.get(name, Movie._meta.get_field(name).get_default())
            for name in EVIDENCE_FIELDS
        }
    )
    if film is not None:
        fields.update({name: getattr(film, name) for name in TMDB_FIELDS})
    now = timezone.now()
    fields.update(
        enrichment_status=resolution.status,
        tmdb_id=film.tmdb_id if film is not None else None,
        enriched_at=now if film is not None else None,
        enrichment_error="",
    )
    Movie.objects.filter(pk=movie.pk).update(**fields)
    changes = {}
    if movie.enrichment_status != resolution.status:
        old, new = COUNTER_OF[movie.enrichment_status], COUNTER_OF[resolution.status]
        changes = {old: F(old) - 1, new: F(new) + 1}
    # updated_at is part of the analytics cache key: the session's statistics are computed anew.
    Session.objects.filter(pk=movie.session_id).update(**changes, updated_at=now)


def _agreed(choices, film_id):
    """Whether enough sessions chose ``film_id``, and more than chose anything else."""
    chosen = choices[film_id]
    return chosen >= CORROBORATING_SESSIONS and all(
        count < chosen for other, count in choices.items() if other != film_id
    )


def _teach(movie, resolution, link):
    """Let the shared caches learn the correction of the (locked, pre-correction) ``movie`` when
    it is corroborated (see the module's rule); else mark the shared link disputed."""
    film_id = resolution.film.tmdb_id if resolution.film is not None else None
    ranked = film_id is not None and film_id in {c.get("tmdb_id") for c in movie.match_candidates or []}
    if not movie.letterboxd_uri:
        if ranked and (movie.match_confidence or 0) < REVIEW_BELOW:
            remember_lookup(movie.title, movie.year, resolution)
        return
    choices = correction_choices(movie.letterboxd_uri)
    unsure = link is None or link.confidence < REVIEW_BELOW
    if _agreed(choices, film_id) or (ranked and unsure):
        settle_link(movie.letterboxd_uri, film_id, disputed=len(choices) > 1)
    elif link is not None and link.film_id != film_id:
        LetterboxdLink.objects.filter(pk=link.pk).update(disputed=True)


def settle_link(uri, film_id, *, disputed=False):
    """Set the shared link of ``uri`` to ``film_id`` (None: not on TMDB), as a correction does."""
    LetterboxdLink.objects.update_or_create(
        uri=uri,
        defaults={
            "film_id": film_id,
            "method": MatchMethod.HAND,
            "confidence": CONFIDENCE[MatchMethod.HAND],
            "disputed": disputed,
            "updated_at": timezone.now(),
        },
    )


def _restore_link(uri, previous_link):
    if previous_link is None:
        LetterboxdLink.objects.filter(uri=uri).delete()
        return
    LetterboxdLink.objects.update_or_create(uri=uri, defaults={**previous_link, "updated_at": timezone.now()})


def settle_disputes(links, *, take_most_chosen):
    """Staff's word on disputed links: keep each one's film, or take the choice most sessions
    made; returns how many were settled."""
    settled = 0
    for link in links:
        film_id = link.film_id
        if take_most_chosen:
            ranked = correction_choices(link.uri).most_common(1)
            film_id = ranked[0][0] if ranked else link.film_id
        settle_link(link.uri, film_id)
        settled += 1
    return settled
