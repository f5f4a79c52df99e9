from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProsecutionConfig(AppConfig):
    name = "ridbook.prosecution"
    label = "prosecution"
    verbose_name = _("Заявки и переписка с патентным ведомством")

    def ready(self) -> None:
        from ridbook.deadlines.registry import register_provider
        from ridbook.prosecution.deadlines import docket_deadlines

        register_provider("prosecution.docket", docket_deadlines)

        from ridbook.registry.views import register_rid_link

        register_rid_link("applications", _("Заявки"), "prosecution:rid")
