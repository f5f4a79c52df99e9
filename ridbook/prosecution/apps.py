from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProsecutionConfig(AppConfig):
    name = "ridbook.prosecution"
    label = "prosecution"
    verbose_name = _("Заявки и переписка с патентным ведомством")

    def ready(self) -> None:
        from ridbook.deadlines.registry import register_stored
        from ridbook.prosecution.deadlines import STORED_DOCKET, docket_deadlines

        register_stored("prosecution.docket", docket_deadlines, STORED_DOCKET)

        from ridbook.registry.views import register_rid_link

        register_rid_link("applications", _("Заявки"), "prosecution:rid")
