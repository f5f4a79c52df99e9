from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "ridbook.organizations"
    label = "organizations"
