"""The enrichment tasks' names, pinned: routing (config/celery_app.py), the chords (queueing/scheduling.py)
and recovery (queueing/recovery.py) match these strings, so renaming a function must not change them.
A module of constants only, importable before Django is set up (the Celery app reads it at start).
"""

START_ENRICHMENT = "enrichment.tasks.start_enrichment"
ENRICH_MOVIE = "enrichment.tasks.enrich_movie"
CONTINUE_ENRICHMENT = "enrichment.tasks.continue_enrichment"
RECONCILE_SESSIONS = "enrichment.tasks.reconcile_sessions"
USE_IDLE_BUDGET = "enrichment.tasks.use_idle_budget"
