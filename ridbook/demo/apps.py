from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ridbook.demo"
    label = "demo"
