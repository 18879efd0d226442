from django.urls import path

from web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("s/<str:session_id>/", views.session_page, name="session"),
    path("s/<str:session_id>/diary-days.json", views.session_diary_days, name="diary-days"),
]
