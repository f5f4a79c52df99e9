from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ridbook.audit"
    label = "audit"
    verbose_name = _("Журнал изменений")

    def ready(self) -> None:
        from ridbook.audit import signals  # noqa: F401
