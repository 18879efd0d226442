.PHONY: run test setup lint

run:  ## set up, then serve the API with a Celery worker and beat
	scripts/run.sh

test:  ## set up, then lint and run the test suite
	scripts/test.sh

setup:  ## virtualenv, packages, PostgreSQL, Redis, database, migrations
	scripts/setup.sh

lint:
	.venv/bin/ruff check .
