from django.urls import path

from ridbook.accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/<str:action>/", views.user_action, name="user_action"),
    path("invitation/<str:uidb64>/<str:token>/", views.invitation, name="invitation"),
]
