from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeSecretConfig(AppConfig):
    name = "ridbook.tradesecret"
    label = "tradesecret"
    verbose_name = _("Коммерческая тайна")
