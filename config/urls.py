from django.contrib import admin
from django.urls import path, re_path

from config.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    re_path(r"^api/health/?$", health, name="health"),
]
