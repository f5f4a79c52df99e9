from django.apps import AppConfig


class TestingConfig(AppConfig):
    name = "ridbook.testing"
    label = "testing"
