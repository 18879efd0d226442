"""Each run of the suite claims a Redis database of its own (config/redis_claim.py), on the real Redis."""

import os

import pytest
import redis
from django.conf import settings

from config import redis_claim
from config.redis_claim import CLAIM_KEY, USED_KEY, NoFreeDatabase, claim_free_database, claim_test_redis_url

# One xdist process runs them all (`--dist loadgroup`): they free databases and claim them back, which
# a claim made meanwhile by the same tests in another process would take.
pytestmark = pytest.mark.xdist_group("redis-claims")


@pytest.fixture
def claims():
    """Claims a test makes, released at its end whatever happens."""
    made = []
    yield made
    for claim in made:
        claim.release()


def claimed_token(claim):
    client = claim.client()
    try:
        return client.get(CLAIM_KEY)
    finally:
        client.close()


def test_two_claims_get_different_databases_neither_this_runs_nor_make_runs(claims):
    first = claim_free_database()
    claims.append(first)
    second = claim_free_database()
    claims.append(second)

    this_run = redis.Redis.from_url(settings.CELERY_BROKER_URL).connection_pool.connection_kwargs["db"]
    assert len({first.database, second.database, this_run}) == 3
    assert 0 not in (first.database, second.database)
    assert claimed_token(first) == first.token.encode()
    assert claimed_token(second) == second.token.encode()


def test_a_released_database_is_empty_and_free_again(claims):
    claim = claim_free_database()
    claims.append(claim)
    client = claim.client()
    client.set("left-over-from-the-run", 1)

    claim.release()

    assert client.dbsize() == 0
    again = claim_free_database(candidates=[claim.database])
    claims.append(again)
    assert again.database == claim.database
    client.close()


def test_a_database_with_keys_but_no_claim_is_left_alone(claims):
    claim = claim_free_database()
    claims.append(claim)
    client = claim.client()
    client.delete(CLAIM_KEY, USED_KEY)  # as a run with an explicit TEST_REDIS_URL or an older checkout looks
    client.set("someone-elses-key", 1)
    try:
        with pytest.raises(NoFreeDatabase, match="has keys"):
            claim_free_database(candidates=[claim.database])
        assert client.get("someone-elses-key") == b"1"
    finally:
        client.flushdb()
        client.close()


def test_a_claim_outlives_its_ttl_while_renewed_and_not_another_runs_key(claims):
    claim = claim_free_database()
    claims.append(claim)
    client = claim.client()
    client.expire(CLAIM_KEY, 1)

    claim.renew()

    assert client.ttl(CLAIM_KEY) > 1
    client.set(CLAIM_KEY, "another-run")
    claim.renew()
    claim.release()
    assert client.get(CLAIM_KEY) == b"another-run"  # neither renewed nor deleted: not ours
    client.flushdb()
    client.close()


def test_an_explicit_test_redis_url_wins(claims, monkeypatch):
    mine = claim_free_database()  # a database nobody else uses, standing in for the developer's
    claims.append(mine)
    mine.release()  # free again, as a developer's chosen database would be
    environ = {"TEST_REDIS_URL": mine.url}
    monkeypatch.setattr(redis_claim.Claim, "keep_alive", lambda claim: claims.append(claim))

    assert claim_test_redis_url(environ) == mine.url
    assert claimed_token(claims[-1]) == claims[-1].token.encode()  # marked: free-database searches skip it
    # xdist's first worker uses it too; the others claim databases of their own.
    assert claim_test_redis_url({**environ, "PYTEST_XDIST_WORKER": "gw0"}) == mine.url
    other = claim_test_redis_url({**environ, "PYTEST_XDIST_WORKER": "gw1"})
    assert other != mine.url


def test_processes_a_run_starts_inherit_its_database_and_xdist_workers_do_not(claims, monkeypatch):
    monkeypatch.setattr(redis_claim.Claim, "keep_alive", lambda claim: claims.append(claim))
    run = {}
    url = claim_test_redis_url(run)

    child = dict(run)  # a beat or worker subprocess: the environment as it was passed on
    assert claim_test_redis_url(child) == url and len(claims) == 1
    worker = {**run, "PYTEST_XDIST_WORKER": "gw1"}
    assert claim_test_redis_url(worker) != url
    assert os.environ["TEST_REDIS_URL"] == settings.CELERY_BROKER_URL  # this process's own is untouched


def test_a_dead_runs_leftovers_are_emptied_and_taken(claims):
    dead = claim_free_database()
    claims.append(dead)
    client = dead.client()
    client.set("left-by-the-dead-run", 1)
    client.delete(CLAIM_KEY)  # its claim expired: nobody renews it any more

    taken = claim_free_database(candidates=[dead.database])
    claims.append(taken)

    assert taken.database == dead.database
    assert client.get("left-by-the-dead-run") is None
    assert claimed_token(taken) == taken.token.encode()
    client.close()
