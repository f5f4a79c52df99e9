from django.urls import path

from ridbook.prosecution import views

app_name = "prosecution"

urlpatterns = [
    path("rids/<int:rid>/", views.rid_applications, name="rid"),
    path("rids/<int:rid>/new/", views.application_new, name="new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/do/<slug:action>/", views.application_action, name="action"),
    path("applications/<int:pk>/files/<slug:what>/<int:obj>/", views.application_file, name="file"),
]
