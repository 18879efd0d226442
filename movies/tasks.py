from celery import shared_task

from movies.services import deleting
from movies.task_names import DELETE_EXPIRED_SESSIONS


@shared_task(name=DELETE_EXPIRED_SESSIONS)
def delete_expired_sessions():
    return deleting.delete_expired_sessions()
