from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "ridbook.security"
    label = "security"
    verbose_name = "Журнал безопасности"

    def ready(self) -> None:
        from ridbook.core.errors import denial_listeners
        from ridbook.security import signin  # noqa: F401  (receivers of sign-in failures)
        from ridbook.security.events import denial_raised

        denial_listeners.append(denial_raised)
