from django.urls import path

from ridbook.tradesecret import views

app_name = "tradesecret"

urlpatterns = [
    path("", views.register_list, name="register"),
    path("register.xlsx", views.register_export, name="register_export"),
    path("<int:pk>/keeping/", views.keeping, name="keeping"),
    path("<int:pk>/keeping/<str:action>/", views.keeping_action, name="keeping_action"),
    path("<int:pk>/copies/<int:copy>/document.<str:ext>", views.copy_document, name="copy_document"),
    path("<int:pk>/content.<str:ext>", views.content_export, name="content"),
    path("inventories/", views.inventories, name="inventories"),
    path("inventories/<int:pk>/", views.inventory_detail, name="inventory"),
    path("inventories/<int:pk>/act.docx", views.inventory_act, name="inventory_act"),
    path("inventories/<int:pk>/<str:action>/", views.inventory_action, name="inventory_action"),
]
