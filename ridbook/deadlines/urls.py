from django.urls import path, re_path

from ridbook.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("", views.deadlines_page, name="list"),
    path("feed/renew/", views.feed_renew, name="feed_renew"),
    re_path(r"^feed/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$", views.feed, name="feed"),
]
