from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from ridbook.audit.models import ChangeRecord


def change_history(*, instance: models.Model) -> QuerySet[ChangeRecord]:
    """Журнал изменений одной записи, новые сверху."""
    ct = ContentType.objects.get_for_model(type(instance), for_concrete_model=False)
    return ChangeRecord.objects.filter(content_type=ct, object_id=str(instance.pk)).select_related("actor")
