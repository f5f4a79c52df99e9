from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "ridbook.policies"
    label = "policies"
    verbose_name = _("Политики организаций")

    def ready(self) -> None:
        # Validate every policy file at start-up: a bad file stops the project with one line per problem.
        from ridbook.policies.loader import registry

        registry()
