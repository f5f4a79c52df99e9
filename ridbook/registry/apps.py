from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ridbook.registry"
    label = "registry"
    verbose_name = "Реестр РИД"

    def ready(self) -> None:
        from ridbook.deadlines.registry import register_provider
        from ridbook.registry.deadlines import notice_deadlines

        register_provider("registry.notice", notice_deadlines)

        from ridbook.registry import notify

        notify.connect()
