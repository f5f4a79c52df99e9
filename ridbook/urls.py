from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path


def _superusers_only(request: HttpRequest) -> bool:
    """Django's admin reads every organization's records: it is for the installation's superusers only (the
    organizations' administrators work in the app, through the permission module)."""
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("ridbook.api.urls")),
    path("registry/", include("ridbook.registry.urls")),
    path("commission/", include("ridbook.commission.urls")),
    path("prosecution/", include("ridbook.prosecution.urls")),
    path("deadlines/", include("ridbook.deadlines.urls")),
    path("protection/", include("ridbook.protection.urls")),
    path("tradesecret/", include("ridbook.tradesecret.urls")),
    path("", include("ridbook.security.urls")),
    path("", include("ridbook.notifications.urls")),
    path("", include("ridbook.accounts.urls")),
    path("", include("ridbook.web.urls")),
]

handler400 = "ridbook.web.views.error_400"
handler403 = "ridbook.web.views.error_403"
handler404 = "ridbook.web.views.error_404"
handler500 = "ridbook.web.views.error_500"
