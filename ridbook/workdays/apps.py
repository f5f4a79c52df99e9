from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "ridbook.workdays"
    label = "workdays"
