from django.apps import AppConfig


class CommissionConfig(AppConfig):
    name = "ridbook.commission"
    label = "commission"
    verbose_name = "Комиссия по ИС"

    def ready(self) -> None:
        from ridbook.commission.deadlines import commission_deadlines
        from ridbook.deadlines.registry import register_provider

        register_provider("commission", commission_deadlines)
