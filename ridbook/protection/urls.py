from django.urls import path

from ridbook.protection import views

app_name = "protection"

urlpatterns = [
    path("fees/", views.fee_table, name="fees"),
    path("new/<int:rid>/", views.document_new, name="new"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/pay/", views.document_pay, name="pay"),
    path("<int:pk>/event/", views.document_event, name="event"),
    path("<int:pk>/holders/", views.document_holders, name="holders"),
    path("<int:pk>/scan/", views.document_scan, name="scan"),
    path("<int:pk>/upkeep/", views.document_upkeep, name="upkeep"),
]
