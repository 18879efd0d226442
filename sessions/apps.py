from django.apps import AppConfig


class UploadSessionsConfig(AppConfig):
    name = "sessions"
    # "sessions" is taken by django.contrib.sessions, which the admin needs.
    label = "upload_sessions"
    verbose_name = "Upload sessions"
