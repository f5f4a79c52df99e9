from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "ridbook.security"
    label = "security"
    verbose_name = "Журнал безопасности"

    def ready(self) -> None:
        from ridbook.security import signin  # noqa: F401  (receivers of sign-in failures)
