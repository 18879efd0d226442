from celery import shared_task

from sessions import services


@shared_task(name="sessions.tasks.delete_expired_sessions")
def delete_expired_sessions():
    return services.delete_expired_sessions()
