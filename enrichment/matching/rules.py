"""Which TMDB search hit is the film a Letterboxd row names? Pure functions, no I/O.

TMDB ranks hits by popularity, so ``results[0]`` is often a remake or a famous namesake from
another decade. The rule (README, "How films are matched"):

- A hit is a *candidate* when its folded title (or original title) equals the row's and its
  year is within one of the row's (any year when the row has none).
- Exact-year candidates come first. A year off needs evidence: Letterboxd shows the year of a
  film's *earliest* release (festival premieres included), TMDB's ``release_date`` is its primary
  one. So a one-year-off candidate with at least OVERRULE_FACTOR times the votes of every
  exact-year one (and OVERRULE_MIN_VOTES) wins only when its release dates (fetched with the
  details, ``release_years``) put its earliest release in the row's year: *Split* premiered at a
  festival in 2016, TMDB dates it 2017. Votes alone cannot tell it from a short of year Y and
  the feature made from it in Y + 1. Refuted, the exact-year film wins; TMDB listing no release
  dates leaves the exact-year film chosen but flagged. With only off-year candidates the best
  is chosen, confident only when its release dates confirm the row's year.
- Within the chosen year group the candidate with the most votes wins. It is confident only
  when it *dominates* the runner-up (DOMINANCE times its votes and at least DOMINANT_MIN_VOTES);
  otherwise it is still chosen but marked ambiguous (low confidence), never silently.
- With no candidate, a *renamed* title is accepted only in the exact year and only when it is
  the single hit there whose title starts with the row's ("Glass Onion" → "Glass Onion: A
  Knives Out Mystery") or the single near-spelled hit (else the single hit of that year) to
  check against TMDB's alternative titles ("Three Colours: Blue" → "Three Colors: Blue").
  Such a match is checked against ``search/tv`` first (searching.py), and stays below
  REVIEW_BELOW unless an alternative title is the row's.
"""

import difflib
from dataclasses import dataclass, field

from enrichment.matching.titles import fold_title
from movies.models import MatchMethod

YEAR_TOLERANCE = 1
DOMINANCE = 3
DOMINANT_MIN_VOTES = 20
OVERRULE_FACTOR = 10
OVERRULE_MIN_VOTES = 500
CANDIDATES_KEPT = 5
# A spelling this close to the row's title is worth checking against TMDB's alternative titles.
NEAR_SPELLING = 0.8
RENAMED_MIN_WORDS = 2

CONFIDENCE = {
    MatchMethod.EXACT_YEAR: 0.95,
    MatchMethod.YEAR_OFF: 0.85,
    MatchMethod.NO_YEAR: 0.8,
    MatchMethod.ALTERNATIVE_TITLE: 0.6,
    MatchMethod.TV: 0.85,
    MatchMethod.HAND: 1.0,
}
# A year or title overruled is below REVIEW_BELOW unless release dates or alternative titles confirm it.
CONFIRMED_YEAR_OFF_CONFIDENCE = 0.9
UNCONFIRMED_YEAR_OFF_CONFIDENCE = 0.6
CONFIRMED_TITLE_CONFIDENCE = 0.85
AMBIGUOUS_CONFIDENCE = 0.45
EPISODE_CONFIDENCE = 0.6
REVIEW_BELOW = 0.8


@dataclass(frozen=True)
class Decision:
    """A chosen hit with its evidence, or (hit None) why nothing was chosen."""

    hit: object = None
    method: str = ""
    confidence: float = 0.0
    candidates: list = field(default_factory=list)
    # A renamed-title guess that TMDB's alternative titles must confirm before it is accepted.
    needs_title_check: bool = False
    # A year-off hit whose release dates must be read before it is chosen or refuted.
    needs_year_check: bool = False


def candidate_evidence(hits):
    """The evidence kept about hits: the most voted first, at most CANDIDATES_KEPT."""
    ranked = sorted(hits, key=lambda hit: -hit.vote_count)[:CANDIDATES_KEPT]
    return [
        {"tmdb_id": hit.tmdb_id, "title": hit.title, "year": hit.year, "votes": hit.vote_count}
        for hit in ranked
    ]


def _same_title(hit, wanted):
    return wanted in (fold_title(hit.title), fold_title(hit.original_title))


def _dominates(top, runner_up):
    return top.vote_count >= max(DOMINANCE * runner_up.vote_count, DOMINANT_MIN_VOTES)


def _by_votes(hits):
    # sorted() is stable: equal votes keep TMDB's order.
    return sorted(hits, key=lambda hit: -hit.vote_count)


def _pick(group, method, confidence, evidence):
    ranked = _by_votes(group)
    if len(ranked) > 1 and not _dominates(ranked[0], ranked[1]):
        confidence = min(confidence, AMBIGUOUS_CONFIDENCE)
    return Decision(
        hit=ranked[0], method=method, confidence=confidence, candidates=candidate_evidence(evidence)
    )


def decide(hits, title, year, release_years=None):
    """The Decision for a row's (title, year) among search hits (of one or several searches).

    ``release_years`` maps the tmdb ids whose release dates were read to their earliest release
    year (None: TMDB lists none). A Decision with ``needs_year_check`` asks for its hit's.
    """
    release_years = release_years or {}
    wanted = fold_title(title)
    hits = list({hit.tmdb_id: hit for hit in hits}.values())
    same_title = [hit for hit in hits if _same_title(hit, wanted)]
    if year is None:
        if not same_title:
            return Decision(candidates=candidate_evidence(hits))
        return _pick(same_title, MatchMethod.NO_YEAR, CONFIDENCE[MatchMethod.NO_YEAR], same_title)
    near = [hit for hit in same_title if hit.year is not None and abs(hit.year - year) <= YEAR_TOLERANCE]
    exact = [hit for hit in near if hit.year == year]
    off = [hit for hit in near if hit.year != year]
    if exact and off:
        best_exact, best_off = _by_votes(exact)[0], _by_votes(off)[0]
        if best_off.vote_count >= max(OVERRULE_FACTOR * best_exact.vote_count, OVERRULE_MIN_VOTES):
            if best_off.tmdb_id not in release_years:
                return _check_year(best_off, near)
            if release_years[best_off.tmdb_id] == year:
                return _pick([best_off], MatchMethod.YEAR_OFF, CONFIRMED_YEAR_OFF_CONFIDENCE, near)
            if release_years[best_off.tmdb_id] is None:  # no release dates: no evidence either way
                return _pick(exact, MatchMethod.EXACT_YEAR, AMBIGUOUS_CONFIDENCE, near)
    if exact:
        return _pick(exact, MatchMethod.EXACT_YEAR, CONFIDENCE[MatchMethod.EXACT_YEAR], near)
    if off:
        confirmed = [hit for hit in off if release_years.get(hit.tmdb_id, -1) == year]
        if confirmed:
            return _pick(confirmed, MatchMethod.YEAR_OFF, CONFIRMED_YEAR_OFF_CONFIDENCE, near)
        best_off = _by_votes(off)[0]
        if best_off.tmdb_id not in release_years:
            return _check_year(best_off, near)
        return _pick(off, MatchMethod.YEAR_OFF, UNCONFIRMED_YEAR_OFF_CONFIDENCE, near)
    return _renamed(hits, wanted, year)


def _check_year(hit, evidence):
    return Decision(
        hit=hit,
        method=MatchMethod.YEAR_OFF,
        confidence=UNCONFIRMED_YEAR_OFF_CONFIDENCE,
        candidates=candidate_evidence(evidence),
        needs_year_check=True,
    )


def _renamed(hits, wanted, year):
    """A renamed title in the exact year, only when a single hit there fits (see the module's rule)."""
    in_year = [hit for hit in hits if hit.year == year]
    evidence = candidate_evidence(in_year or hits)
    if len(wanted.split()) >= RENAMED_MIN_WORDS:
        longer = [hit for hit in in_year if fold_title(hit.title).startswith(wanted + " ")]
        if len(longer) == 1:
            return _renamed_decision(longer[0], evidence, needs_title_check=False)
        if longer:
            return Decision(candidates=evidence)
    near_spelled = [
        hit
        for hit in in_year
        if difflib.SequenceMatcher(None, wanted, fold_title(hit.title)).ratio() >= NEAR_SPELLING
    ]
    if len(near_spelled) == 1:
        return _renamed_decision(near_spelled[0], evidence, needs_title_check=True)
    if not near_spelled and len(in_year) == 1:
        # TMDB's search also matches alternative titles: a lone hit of another title (the
        # original one of a film Letterboxd lists in English) is checked against them.
        return _renamed_decision(in_year[0], evidence, needs_title_check=True)
    return Decision(candidates=evidence)


def _renamed_decision(hit, evidence, *, needs_title_check):
    return Decision(
        hit=hit,
        method=MatchMethod.ALTERNATIVE_TITLE,
        confidence=CONFIDENCE[MatchMethod.ALTERNATIVE_TITLE],
        candidates=evidence,
        needs_title_check=needs_title_check,
    )


def confirms_title(title, alternative_titles):
    """Whether one of TMDB's alternative titles of a film is the row's title."""
    wanted = fold_title(title)
    return any(fold_title(alternative) == wanted for alternative in alternative_titles)


def decide_tv(hits, title, year, *, episode=False):
    """The TV entry a row names: same name, first aired within a year of the row's (before it, for
    an episode of a show). Ties as for films."""
    wanted = fold_title(title)
    fitting = [
        hit
        for hit in hits
        if _same_title(hit, wanted)
        and (
            year is None
            or hit.year is None
            or (hit.year <= year if episode else abs(hit.year - year) <= YEAR_TOLERANCE)
        )
    ]
    if not fitting:
        return Decision(candidates=candidate_evidence(hits))
    confidence = EPISODE_CONFIDENCE if episode else CONFIDENCE[MatchMethod.TV]
    return _pick(fitting, MatchMethod.TV, confidence, fitting)
