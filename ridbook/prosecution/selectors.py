"""Reads of the prosecution app. The organization boundary is the RID's: an application is seen by whoever may see
its RID (``registry.selectors.rids_visible_to``); only the IP department (Action.FILING_MANAGE) changes it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ridbook.accounts.permissions import Action, can
from ridbook.prosecution.models import Application, DocketTask
from ridbook.registry.models import Rid
from ridbook.registry.selectors import materials_refusal, rids_visible_to


def applications_visible_to(user: Any) -> QuerySet[Application]:
    return Application.objects.filter(rid__in=rids_visible_to(user)).select_related(
        "rid", "organization", "signatory", "responsible"
    )


def tasks_visible_to(user: Any) -> QuerySet[DocketTask]:
    return DocketTask.objects.filter(application__in=applications_visible_to(user)).select_related(
        "application__rid", "application__organization", "owner"
    )


def may_manage(user: Any, application: Application | Rid) -> bool:
    return can(user, Action.FILING_MANAGE, application.organization)


def may_read_files(user: Any, application: Application) -> bool:
    """Files of the correspondence: the IP department, and whoever may read the RID's materials."""
    return may_manage(user, application) or materials_refusal(user, application.rid) is None
