from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "ridbook.security"
    label = "security"
    verbose_name = _("Журнал безопасности")

    def ready(self) -> None:
        from ridbook.core.errors import denial_listeners
        from ridbook.security import signin  # noqa: F401  (receivers of sign-in failures)
        from ridbook.security.events import denial_raised

        denial_listeners.append(denial_raised)
