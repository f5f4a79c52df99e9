from django.apps import AppConfig


class CommissionConfig(AppConfig):
    name = "ridbook.commission"
    label = "commission"
    verbose_name = "Комиссия по ИС"

    def ready(self) -> None:
        from ridbook.commission.deadlines import commission_deadlines
        from ridbook.commission.selectors import materials_guard
        from ridbook.deadlines.registry import register_provider
        from ridbook.registry.selectors import register_materials_guard

        register_provider("commission", commission_deadlines)
        register_materials_guard(materials_guard)

        from ridbook.commission import inbox

        register_provider("commission.protocol", inbox.protocol_deadlines)
        inbox.connect()
