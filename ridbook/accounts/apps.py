from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ridbook.accounts"
    label = "accounts"
