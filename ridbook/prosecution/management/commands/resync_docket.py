"""``python manage.py resync_docket``: re-compute the open docket tasks of every application (after a policy's docket
rules changed). Done tasks are never touched."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ridbook.audit.context import acting_as
from ridbook.prosecution.services import resync_all


class Command(BaseCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # set here, not on the class: argparse needs a str, and the message is read in the active language
        self.help = _("Пересчитать открытые задачи делопроизводства всех заявок по действующим правилам политик.")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(_("команда resync_docket")):
            result = resync_all()
        self.stdout.write(
            f"created={result.created} moved={result.moved} done={result.done} "
            f"aborted={result.aborted} reopened={result.reopened}"
        )
