from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ridbook.audit"
    label = "audit"
    verbose_name = "Журнал изменений"

    def ready(self) -> None:
        from ridbook.audit import signals  # noqa: F401
