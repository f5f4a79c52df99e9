from django.urls import path

from ridbook.commission import views

app_name = "commission"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.commission_new, name="new"),
    path("<int:pk>/", views.commission_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.commission_action, name="action"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/do/<slug:action>/", views.meeting_action, name="meeting_action"),
    path("meetings/<int:pk>/protocol.<str:ext>", views.protocol_download, name="protocol"),
    path("meetings/<int:pk>/opinions/<int:invitation>/", views.opinion_file, name="opinion_file"),
    path("meetings/<int:pk>/items/<int:item>/materials/<str:doc>/", views.item_material, name="item_material"),
]
