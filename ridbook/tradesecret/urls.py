from django.urls import path

from ridbook.tradesecret import views

app_name = "tradesecret"

urlpatterns = [
    path("journal/", views.journal_page, name="journal"),
    path("rid/<int:pk>/", views.regime_detail, name="regime"),
    path("rid/<int:pk>/present/", views.present, name="present"),
    path("rid/<int:pk>/council/", views.council, name="council"),
    path("rid/<int:pk>/approve/", views.approve, name="approve"),
    path("rid/<int:pk>/grant/", views.grant, name="grant"),
    path("rid/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("rid/<int:pk>/content/", views.content, name="content"),
    path("rid/<int:pk>/content.txt", views.content_text, name="content_text"),
    path("rid/<int:pk>/journal/", views.journal_page, name="rid_journal"),
]
