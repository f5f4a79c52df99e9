from django.urls import path

from ridbook.tradesecret import views, views_keeping, views_print

app_name = "tradesecret"

urlpatterns = [
    # the register and the yearly inventory (by regime and inventory ids)
    path("", views_keeping.register_list, name="register"),
    path("register.xlsx", views_keeping.register_export, name="register_export"),
    path("<int:pk>/keeping/", views_keeping.keeping, name="keeping"),
    path("<int:pk>/keeping/<str:action>/", views_keeping.keeping_action, name="keeping_action"),
    path("<int:pk>/copies/<int:copy>/document.<str:ext>", views_keeping.copy_document, name="copy_document"),
    path("<int:pk>/content.<str:ext>", views_keeping.content_export, name="content_export"),
    path("inventories/", views_keeping.inventories, name="inventories"),
    path("inventories/<int:pk>/", views_keeping.inventory_detail, name="inventory"),
    path("inventories/<int:pk>/act.docx", views_keeping.inventory_act, name="inventory_act"),
    path("inventories/<int:pk>/<str:action>/", views_keeping.inventory_action, name="inventory_action"),
    # the regime of one RID: decision, access list, content, journal (by RID ids)
    path("journal/", views.journal_page, name="journal"),
    path("rid/<int:pk>/", views.regime_detail, name="regime"),
    path("rid/<int:pk>/present/", views.present, name="present"),
    path("rid/<int:pk>/council/", views.council, name="council"),
    path("rid/<int:pk>/approve/", views.approve, name="approve"),
    path("rid/<int:pk>/grant/", views.grant, name="grant"),
    path("rid/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("rid/<int:pk>/content/", views.content, name="content"),
    path("rid/<int:pk>/content.txt", views.content_text, name="content_text"),
    path("rid/<int:pk>/content/print/", views_print.content_print, name="content_print"),
    path("rid/<int:pk>/content/printed/", views_print.content_printed, name="content_printed"),
    path("rid/<int:pk>/journal/", views.journal_page, name="rid_journal"),
]
