from django.urls import path

from ridbook.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.mine, name="mine"),
]
