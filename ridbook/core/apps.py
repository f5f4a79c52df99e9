from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ridbook.core"
    label = "core"
