from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "ridbook.policies"
    label = "policies"
    verbose_name = "Политики организаций"

    def ready(self) -> None:
        # Validate every policy file at start-up: a bad file stops the project with one line per problem.
        from ridbook.policies.loader import registry

        registry()
