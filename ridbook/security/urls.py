from django.urls import path

from ridbook.security import views

app_name = "security"

urlpatterns = [
    path("security/", views.events, name="events"),
    path("profile/", views.profile, name="profile"),
    path("profile/token/", views.profile_token_issue, name="token_issue"),
    path("profile/token/revoke/", views.profile_token_revoke, name="token_revoke"),
]
