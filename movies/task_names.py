"""The movies app's task names, pinned (config/celery_app.py's beat schedule matches them).

The cleanup moved here from sessions/ and keeps the name it had, so messages already queued still run.
"""

DELETE_EXPIRED_SESSIONS = "sessions.tasks.delete_expired_sessions"
