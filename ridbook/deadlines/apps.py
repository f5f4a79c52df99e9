from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "ridbook.deadlines"
    label = "deadlines"
