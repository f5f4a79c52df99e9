from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from ridbook.audit.models import ChangeRecord


def change_records_visible_to(user: Any) -> QuerySet[ChangeRecord]:
    """Журнал изменений, который пользователь может читать: записи организаций, где у него право просмотра журнала
    (и ниже). A record carries its object's organization, so this is one indexed condition; a record without one
    (a user before his first role) is read by superusers only."""
    from ridbook.accounts.permissions import Action, restrict

    return restrict(ChangeRecord.objects.all(), user, Action.AUDIT_VIEW)


def change_history(*, instance: models.Model) -> QuerySet[ChangeRecord]:
    """Журнал изменений одной записи, новые сверху."""
    ct = ContentType.objects.get_for_model(type(instance), for_concrete_model=False)
    return ChangeRecord.objects.filter(content_type=ct, object_id=str(instance.pk))  # names: presentation.present
