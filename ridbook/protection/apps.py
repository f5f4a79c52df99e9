from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "ridbook.protection"
    label = "protection"
    verbose_name = _("Охранные документы")

    def ready(self) -> None:
        from ridbook.deadlines.registry import register_stored
        from ridbook.protection.deadlines import (
            STORED_FEES,
            STORED_RENEWAL,
            STORED_UPKEEP,
            fee_deadlines,
            renewal_deadlines,
            upkeep_deadlines,
        )

        register_stored("protection.fees", fee_deadlines, STORED_FEES)
        register_stored("protection.upkeep", upkeep_deadlines, STORED_UPKEEP)
        register_stored("protection.renewal", renewal_deadlines, STORED_RENEWAL)

        from ridbook.protection.imports import write_documents
        from ridbook.registry.io.importer import ROW_WRITERS

        if write_documents not in ROW_WRITERS:
            ROW_WRITERS.append(write_documents)
