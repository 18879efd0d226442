.PHONY: run test test-fast setup lint

run:  ## set up, then serve the API with a Celery worker and beat
	scripts/run.sh

test:  ## set up, then lint and run the test suite
	scripts/test.sh

test-fast:  ## quick local run, no setup or lint: no browser, fault or timing-comparison (serial) tests, 2 processes; ARGS=... for pytest
	.venv/bin/pytest -n $${TEST_PROCESSES:-2} --dist loadgroup -m "not chaos and not browser and not serial" $(ARGS)

setup:  ## virtualenv, packages, PostgreSQL, Redis, database, migrations
	scripts/setup.sh

lint:
	.venv/bin/ruff check .
