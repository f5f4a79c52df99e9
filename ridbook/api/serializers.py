from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ridbook.accounts.models import RoleAssignment, User, in_force_q
from ridbook.api.fields import VisibleIdField
from ridbook.audit.models import ChangeAction
from ridbook.audit.presentation import Entry
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import organizations_visible_to
from ridbook.organizations.services import EDITABLE_FIELDS


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    parent: VisibleIdField = VisibleIdField(  # type: ignore[assignment]
        queryset=Organization.objects.all(), visible=organizations_visible_to, allow_null=True, required=False
    )
    effective_policy = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["id", *EDITABLE_FIELDS, "effective_policy"]

    def get_effective_policy(self, obj: Organization) -> str | None:
        from ridbook.organizations.selectors import organization_policy

        try:
            return organization_policy(obj).ref
        except Exception:
            return None


class RoleAssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "organization", "organization_name", "role", "role_label", "valid_from", "valid_until"]


class MeSerializer(serializers.ModelSerializer[User]):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "roles"]

    @extend_schema_field(RoleAssignmentSerializer(many=True))
    def get_roles(self, obj: User) -> Any:
        """The roles in force today."""
        return RoleAssignmentSerializer(obj.role_assignments.filter(in_force_q()), many=True).data


class FieldChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(source="name", help_text=_("имя поля"))
    label = serializers.CharField(help_text=_("поле по-русски"))  # type: ignore[assignment]
    old = serializers.CharField(help_text=_("было, словами"))
    new = serializers.CharField(help_text=_("стало, словами"))


class ChangeRecordSerializer(serializers.Serializer[Any]):
    """A record of the log (``audit.presentation.Entry``): the stored values, then the same in words."""

    id = serializers.IntegerField(source="record.id")
    at = serializers.DateTimeField(source="record.at")
    actor = serializers.IntegerField(source="record.actor_id", allow_null=True)
    actor_label = serializers.CharField(source="record.actor_label")
    action = serializers.ChoiceField(source="record.action", choices=ChangeAction.choices)
    model = serializers.SerializerMethodField()
    object_id = serializers.CharField(source="record.object_id")
    object_repr = serializers.CharField(source="record.object_repr")
    organization = serializers.IntegerField(source="record.organization_id", allow_null=True)
    before = serializers.JSONField(source="record.before", allow_null=True)
    after = serializers.JSONField(source="record.after", allow_null=True)
    when = serializers.CharField(help_text=_("ДД.ММ.ГГГГ ЧЧ:ММ"))
    who = serializers.CharField(help_text=_("ФИО пользователя (задание или команда — её название)"))
    action_label = serializers.CharField(source="action")
    object = serializers.CharField(help_text=_("вид записи и её название"))
    organization_name = serializers.CharField(source="organization")
    sentence = serializers.CharField(help_text=_("запись журнала одной фразой"))
    changes = FieldChangeSerializer(many=True)

    def get_model(self, entry: Entry) -> str:
        content_type = ContentType.objects.get_for_id(entry.record.content_type_id)
        return f"{content_type.app_label}.{content_type.model}"


class DeadlineOwnerSerializer(serializers.Serializer[object]):
    user_id = serializers.IntegerField()
    name = serializers.CharField()


class DeadlineSerializer(serializers.Serializer[object]):
    key = serializers.CharField(help_text=_("постоянный идентификатор срока (не меняется, когда срок переносится)"))
    title = serializers.CharField()
    due = serializers.DateField()
    rule = serializers.CharField()
    provider = serializers.CharField(source="source", help_text=_("вид срока: код (фильтр kind)"))
    kind = serializers.CharField(help_text=_("вид срока словами"))
    url = serializers.CharField()
    organization = serializers.CharField()
    organization_id = serializers.IntegerField(allow_null=True)
    owner = DeadlineOwnerSerializer(allow_null=True, help_text=_("ответственный; null — по роли (подразделение)"))
    rid_id = serializers.IntegerField(allow_null=True)
    rid_number = serializers.CharField()
    state = serializers.CharField(help_text=_("open или done"))
    urgency = serializers.CharField()
    status = serializers.CharField(help_text=_("overdue, soon, later или done (фильтр state)"))


class WorkingDaysQuerySerializer(serializers.Serializer[object]):
    date = serializers.DateField(error_messages={"invalid": _("Дата должна быть в формате ГГГГ-ММ-ДД.")})
    days = serializers.IntegerField(min_value=-1000, max_value=1000)
    country = serializers.ChoiceField(choices=["RU", "UZ"])
