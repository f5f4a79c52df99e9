from django.urls import path

from ridbook.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.rid_list, name="list"),
    path("new/", views.rid_edit, name="new"),
    path("export/", views.rid_export, name="export"),
    path("import/", views.rid_import, name="import"),
    path("validate/", views.rid_validate, name="validate"),
    path("people/search/", views.person_search, name="person_search"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/death-date/", views.person_death_date, name="person_death_date"),
    path("<int:pk>/", views.rid_detail, name="detail"),
    path("<int:pk>/edit/", views.rid_edit, name="edit"),
    path("<int:pk>/delete/", views.rid_delete, name="delete"),
    path("<int:pk>/validate/", views.rid_validate, name="validate_rid"),
    path("<int:pk>/authors/", views.rid_authors, name="authors"),
    path("<int:pk>/authors/row/", views.author_row, name="author_row"),
    path("<int:pk>/authors/person/", views.person_create, name="person_create"),
    path("<int:pk>/contributors/", views.contributor_add, name="contributor_add"),
    path("<int:pk>/submit/", views.rid_submit, name="submit"),
    path("<int:pk>/receive/", views.rid_receive, name="receive"),
    path("<int:pk>/return/", views.rid_return, name="return"),
    path("<int:pk>/accept/", views.rid_accept, name="accept"),
    path("<int:pk>/packet/", views.packet_upload, name="packet_upload"),
    path("<int:pk>/packet/<int:doc>/", views.packet_file, name="packet_file"),
    path("<int:pk>/state-secret/", views.state_secret, name="state_secret"),
    path("<int:pk>/export-control/", views.export_control, name="export_control"),
    path("<int:pk>/documents/<str:kind>/", views.rid_document, name="document"),
    path("<int:pk>/tab/<str:tab>/", views.rid_detail, name="tab"),
]
