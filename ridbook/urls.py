from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("ridbook.api.urls")),
    path("registry/", include("ridbook.registry.urls")),
    path("commission/", include("ridbook.commission.urls")),
    path("", include("ridbook.security.urls")),
    path("", include("ridbook.web.urls")),
]

handler400 = "ridbook.web.views.error_400"
handler403 = "ridbook.web.views.error_403"
handler404 = "ridbook.web.views.error_404"
handler500 = "ridbook.web.views.error_500"
