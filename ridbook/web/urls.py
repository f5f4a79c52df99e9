from django.contrib.auth import views as auth_views
from django.urls import path

from ridbook.security.views import SignInView
from ridbook.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organizations/", views.organizations, name="organizations"),
    path("organizations/new/", views.organization_edit, name="organization_new"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/<str:tab>/", views.organization_detail, name="organization_tab"),
    path("policies/", views.policies, name="policies"),
    path("policies/<str:name>/v<int:version>/", views.policy_detail, name="policy"),
    path("calendar/", views.calendar, name="calendar"),
    path("audit/", views.audit, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
]
