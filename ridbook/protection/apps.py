from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "ridbook.protection"
    label = "protection"
    verbose_name = _("Охранные документы")

    def ready(self) -> None:
        from ridbook.deadlines.registry import register_provider
        from ridbook.protection.deadlines import fee_deadlines, upkeep_deadlines

        register_provider("protection.fees", fee_deadlines)
        register_provider("protection.upkeep", upkeep_deadlines)

        from ridbook.protection.imports import write_documents
        from ridbook.registry.io.importer import ROW_WRITERS

        if write_documents not in ROW_WRITERS:
            ROW_WRITERS.append(write_documents)
