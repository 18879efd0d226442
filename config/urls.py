from django.contrib import admin
from django.urls import path, re_path

from config.health import health
from sessions.views import UploadView

urlpatterns = [
    path("admin/", admin.site.urls),
    re_path(r"^api/health/?$", health, name="health"),
    re_path(r"^api/upload/?$", UploadView.as_view(), name="upload"),
]
