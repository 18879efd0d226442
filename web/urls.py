from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("s/<str:session_id>/", views.session_page, name="session"),
    path("s/<str:session_id>/diary-days.json", views.session_diary_days, name="diary-days"),
    path("v/<str:token>/", views.shared_page, name="shared"),
    path("s/<str:session_id>/compare/<str:token>/", views.compare_page, name="compare"),
    path("tmdb-status.json", views.tmdb_status, name="tmdb-status"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, JSON answers opened directly).
    path("favicon.ico", RedirectView.as_view(url=static("web/icon.svg"), permanent=True), name="favicon"),
]
