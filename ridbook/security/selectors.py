from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ridbook.accounts.permissions import Action, organization_ids_for
from ridbook.security.models import SecurityEvent


def security_events(
    viewer: Any,
    *,
    kind: str = "",
    username: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[SecurityEvent]:
    """Events the viewer may read, newest first: those concerning an organization where he may view the security
    log (his role's organization and below); an event of no organization only for one who sees them all."""
    events = SecurityEvent.objects.select_related("user")
    ids = organization_ids_for(viewer, Action.SECURITY_LOG_VIEW)
    if ids is not None:
        through = SecurityEvent.organizations.through.objects
        events = events.filter(Exists(through.filter(securityevent_id=OuterRef("pk"), organization_id__in=ids)))
    if kind:
        events = events.filter(kind=kind)
    if username:
        events = events.filter(username__icontains=username.strip())
    if since:
        events = events.filter(at__gte=_day_start(since))
    if until:
        events = events.filter(at__lt=_day_start(until + timedelta(days=1)))
    return events


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
