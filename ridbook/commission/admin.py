"""Django admin for the commission's records: a locked record (signed protocol) is view-only, never deletable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ridbook.commission import models


class LockAwareAdmin(admin.ModelAdmin):
    """Once the protocol is signed (``locked_at`` set), the admin may look but not change or delete."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and getattr(obj, "is_locked", False):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and getattr(obj, "is_locked", False):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would bypass the per-record lock check
        return actions


@admin.register(models.Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ("title", "organization", "order_number", "order_date", "is_active")


@admin.register(models.CommissionMember)
class CommissionMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "commission", "role", "position", "is_active")


@admin.register(models.Meeting)
class MeetingAdmin(LockAwareAdmin):
    list_display = ("__str__", "commission", "status", "locked_at")
    list_filter = ("status",)
    readonly_fields = ("locked_at", "locked_by_label")


@admin.register(models.AgendaItem)
class AgendaItemAdmin(LockAwareAdmin):
    list_display = ("__str__", "meeting", "outcome", "adopted")


@admin.register(models.Attendance)
class AttendanceAdmin(LockAwareAdmin):
    list_display = ("__str__", "meeting")


@admin.register(models.Vote)
class VoteAdmin(LockAwareAdmin):
    list_display = ("__str__", "item")


@admin.register(models.ExpertInvitation)
class ExpertInvitationAdmin(LockAwareAdmin):
    list_display = ("__str__", "item", "opinion_at")


@admin.register(models.Dissent)
class DissentAdmin(LockAwareAdmin):
    list_display = ("__str__", "item")


@admin.register(models.ApproverResolution)
class ApproverResolutionAdmin(LockAwareAdmin):
    list_display = ("__str__", "meeting")
