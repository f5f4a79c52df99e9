from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ridbook.web"
    label = "web"
