from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ridbook.api"
    label = "api"
