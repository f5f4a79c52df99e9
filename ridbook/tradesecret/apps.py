from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeSecretConfig(AppConfig):
    name = "ridbook.tradesecret"
    label = "tradesecret"
    verbose_name = _("Коммерческая тайна")

    def ready(self) -> None:
        from ridbook.deadlines.registry import register_provider
        from ridbook.tradesecret import guards
        from ridbook.tradesecret.deadlines import regime_deadlines
        from ridbook.tradesecret.deadlines_keeping import inventory_deadlines

        guards.connect()
        register_provider("tradesecret.regime", regime_deadlines)
        register_provider("tradesecret.inventory", inventory_deadlines)
