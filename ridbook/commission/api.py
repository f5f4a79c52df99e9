"""Commission API (/api/v1/commissions/, /api/v1/meetings/): the same services and selectors as the pages.

Every write goes through :mod:`ridbook.commission.services` (permissions, state, Russian messages); a refusal is a
:class:`DomainError` and comes back in the common error format. A signed protocol is immutable: the services refuse
any change of a signed meeting (``wrong_state``), and a locked record raises ``RecordLocked`` (also a DomainError).

Choice values are plain strings with a ``*_label`` next to them in the responses; the request bodies list the
allowed values as enums.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ridbook.accounts.models import User
from ridbook.accounts.permissions import users_visible_to
from ridbook.api.fields import VisibleIdField
from ridbook.api.permissions import ObjectFirstMixin
from ridbook.commission import selectors, services
from ridbook.commission.choices import (
    VGTU,
    Absence,
    ApproverVerdict,
    ItemKind,
    MeetingStatus,
    Outcome,
    VoteChoice,
)
from ridbook.commission.models import (
    AgendaItem,
    ApproverResolution,
    Attendance,
    Commission,
    CommissionMember,
    Dissent,
    ExpertInvitation,
    Meeting,
    Vote,
)
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.core.inputs import YearFilter
from ridbook.registry.choices import ProtectionForm
from ridbook.registry.models import Rid
from ridbook.registry.selectors import rids_visible_to

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _policy_safe(compute: Any, fallback: Any) -> Any:
    """Rules come from the organization's policy; a policy without a ``commission`` section must not break a read."""
    try:
        return compute()
    except (DomainError, ValueError):
        return fallback


# --- errors (for the schema) -----------------------------------------------------------------------------------------


class ErrorBodySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(required=False)


class ErrorSerializer(serializers.Serializer[Any]):
    error = ErrorBodySerializer()


ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


# --- commissions -----------------------------------------------------------------------------------------------------


class CommissionSerializer(serializers.ModelSerializer[Commission]):
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)

    class Meta:
        model = Commission
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "order_number",
            "order_date",
            "default_place",
            "is_active",
        ]
        read_only_fields = ["is_active"]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}}
        validators: list[Any] = []  # a new order replaces the active commission: the service's rule


class MemberSerializer(serializers.ModelSerializer[CommissionMember]):
    """A seat by the order; ``unexcused_absences`` — at signed meetings (VGTU §5.7)."""

    user = VisibleIdField(queryset=User.objects.filter(is_active=True), visible=users_visible_to)
    name = serializers.CharField(source="user.full_name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    unexcused_absences = serializers.SerializerMethodField()

    class Meta:
        model = CommissionMember
        fields = ["id", "user", "name", "role", "role_label", "position", "is_active", "unexcused_absences"]
        read_only_fields = ["is_active"]
        validators: list[Any] = []  # uniqueness and the single chair/secretary are the service's rules

    def get_unexcused_absences(self, member: CommissionMember) -> int:
        return int(self.context.get("absences", {}).get(member.pk, 0))


class QueueEntrySerializer(serializers.ModelSerializer[Rid]):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Rid
        fields = ["id", "number", "title", "kind", "kind_label", "received_on"]


class QuarterSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    start = serializers.DateField()
    end = serializers.DateField()


class CommissionDetailSerializer(CommissionSerializer):
    members = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    queue = serializers.SerializerMethodField()
    quarters_without_meeting = serializers.SerializerMethodField()

    class Meta(CommissionSerializer.Meta):
        fields = [*CommissionSerializer.Meta.fields, "members", "problems", "queue", "quarters_without_meeting"]

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, commission: Commission) -> list[Any]:
        members = selectors.sorted_members(commission.members.select_related("user"))
        context = {**self.context, "absences": selectors.unexcused_absences(commission)}
        return list(MemberSerializer(members, many=True, context=context).data)

    def get_problems(self, commission: Commission) -> list[str]:
        """What keeps the commission from meeting (size, chair, secretary)."""
        try:
            return services.composition_problems(commission)
        except DomainError as exc:
            return [exc.message]

    @extend_schema_field(QueueEntrySerializer(many=True))
    def get_queue(self, commission: Commission) -> list[Any]:
        request = self.context.get("request")
        if request is None or not selectors.sees_queue(request.user, commission):
            return []
        return list(QueueEntrySerializer(selectors.queue(commission), many=True).data)

    @extend_schema_field(QuarterSerializer(many=True))
    def get_quarters_without_meeting(self, commission: Commission) -> list[Any]:
        today = timezone.localdate()
        found = _policy_safe(lambda: selectors.quarters_without_meeting(commission, today), [])
        return list(QuarterSerializer(found, many=True).data)


# --- meetings: what is read ------------------------------------------------------------------------------------------


class RidBriefSerializer(serializers.ModelSerializer[Rid]):
    class Meta:
        model = Rid
        fields = ["id", "number", "title"]


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    """The attendance list: the composition on the meeting's date (a snapshot)."""

    name = serializers.CharField(source="member.user.full_name", read_only=True)
    role = serializers.CharField(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    absence = serializers.CharField(read_only=True)
    absence_label = serializers.CharField(source="get_absence_display", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "member",
            "name",
            "role",
            "role_label",
            "position",
            "present",
            "absence",
            "absence_label",
            "note",
        ]


class QuorumSerializer(serializers.Serializer[Any]):
    present = serializers.IntegerField()
    members = serializers.IntegerField()
    reached = serializers.BooleanField()
    message = serializers.CharField()


class VoteSerializer(serializers.ModelSerializer[Vote]):
    name = serializers.CharField(source="member.user.full_name", read_only=True)
    choice = serializers.CharField(read_only=True)
    choice_label = serializers.CharField(source="get_choice_display", read_only=True)

    class Meta:
        model = Vote
        fields = ["id", "member", "name", "choice", "choice_label", "recorded_by"]


class TallySerializer(serializers.Serializer[Any]):
    """The count by the policy's rule; ``adopted`` is null when it cannot be decided yet (a tie without the chair)."""

    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    abstained = serializers.IntegerField()
    adopted = serializers.BooleanField(allow_null=True)
    decided_by_chair = serializers.BooleanField()
    message = serializers.CharField()


class ExpertSerializer(serializers.ModelSerializer[ExpertInvitation]):
    """An invited expert (does not vote). The opinion text only for those who may see the meeting's materials."""

    name = serializers.CharField(source="user.full_name", read_only=True)
    opinion = serializers.SerializerMethodField()
    has_opinion_file = serializers.SerializerMethodField()

    class Meta:
        model = ExpertInvitation
        fields = ["id", "user", "name", "position", "opinion", "opinion_at", "has_opinion_file"]

    def get_opinion(self, invitation: ExpertInvitation) -> str:
        return invitation.opinion if self.context.get("can_see_meeting") else ""

    def get_has_opinion_file(self, invitation: ExpertInvitation) -> bool:
        return bool(invitation.opinion_file)


class DissentSerializer(serializers.ModelSerializer[Dissent]):
    name = serializers.CharField(source="member.user.full_name", read_only=True)

    class Meta:
        model = Dissent
        fields = ["id", "member", "name", "text", "at"]


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    rid = RidBriefSerializer(read_only=True)
    outcome = serializers.CharField(read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    protection_form = serializers.CharField(read_only=True)
    resolution_text = serializers.SerializerMethodField()
    votes = VoteSerializer(many=True, read_only=True)
    tally = serializers.SerializerMethodField()
    experts = serializers.SerializerMethodField()
    dissents = DissentSerializer(many=True, read_only=True)
    effective = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "order",
            "kind",
            "kind_label",
            "rid",
            "title",
            "requires_experts",
            "heard",
            "spoke",
            "outcome",
            "outcome_label",
            "protection_form",
            "reason",
            "valuation_amount",
            "resolution_text",
            "adopted",
            "result_text",
            "effective",
            "votes",
            "tally",
            "experts",
            "dissents",
        ]

    def get_resolution_text(self, item: AgendaItem) -> str:
        """ПОСТАНОВИЛИ, as the protocol prints it."""
        return services.resolution_text(item)

    def get_effective(self, item: AgendaItem) -> bool:
        return services.item_is_effective(item)

    @extend_schema_field(TallySerializer(allow_null=True))
    def get_tally(self, item: AgendaItem) -> dict[str, Any] | None:
        votes = list(item.votes.all())
        if not votes:
            return None
        try:
            result = services.item_tally(item)
        except (ValueError, DomainError) as exc:
            counts = {c: sum(1 for v in votes if v.choice == c) for c in VoteChoice.values}
            return {
                "votes_for": counts[VoteChoice.FOR],
                "votes_against": counts[VoteChoice.AGAINST],
                "abstained": counts[VoteChoice.ABSTAIN],
                "adopted": None,
                "decided_by_chair": False,
                "message": getattr(exc, "message", str(exc)),
            }
        return dict(TallySerializer(result).data)

    @extend_schema_field(ExpertSerializer(many=True))
    def get_experts(self, item: AgendaItem) -> list[Any]:
        return list(ExpertSerializer(item.experts.select_related("user"), many=True, context=self.context).data)


class ResolutionSerializer(serializers.ModelSerializer[ApproverResolution]):
    verdict = serializers.CharField(read_only=True)
    verdict_label = serializers.CharField(source="get_verdict_display", read_only=True)

    class Meta:
        model = ApproverResolution
        fields = ["verdict", "verdict_label", "comment", "by_label", "at"]


class SignaturesSerializer(serializers.ModelSerializer[Meeting]):
    class Meta:
        model = Meeting
        fields = ["chair_signed_at", "chair_signed_by", "secretary_signed_at", "secretary_signed_by"]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    commission_title = serializers.CharField(source="commission.title", read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "commission",
            "commission_title",
            "year",
            "number",
            "label",
            "date",
            "time",
            "duration_minutes",
            "place",
            "status",
            "status_label",
            "revision",
            "moved_reason",
            "entered_after_fact",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    """The meeting and its protocol; ``items`` — only those the user may see (an expert: his own items)."""

    entered_after_fact_note = serializers.SerializerMethodField()
    notice_due = serializers.SerializerMethodField()
    notice_warning = serializers.SerializerMethodField()
    signatures = SignaturesSerializer(source="*", read_only=True)
    is_locked = serializers.BooleanField(read_only=True)
    has_signed_protocol = serializers.SerializerMethodField()
    attendance = AttendanceSerializer(many=True, read_only=True)
    quorum = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    resolution = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "entered_after_fact_at",
            "entered_after_fact_by",
            "entered_after_fact_reason",
            "entered_after_fact_note",
            "notices_sent_at",
            "notices_late",
            "notice_due",
            "notice_warning",
            "opened_at",
            "closed_at",
            "signatures",
            "is_locked",
            "has_signed_protocol",
            "attendance",
            "quorum",
            "items",
            "resolution",
        ]

    def get_entered_after_fact_note(self, meeting: Meeting) -> str:
        """What the protocol says of a meeting entered after it took place (when, who, why); empty otherwise."""
        return services.after_the_fact_note(meeting)

    def get_notice_due(self, meeting: Meeting) -> date | None:
        """The last day to send the notices (n working days before the meeting, by the production calendar)."""
        return _policy_safe(lambda: services.notice_due(meeting), None)

    def get_notice_warning(self, meeting: Meeting) -> str | None:
        """While the notices are not sent: the warning that sending them today is late."""
        if meeting.status != MeetingStatus.PLANNED:
            return None
        return _policy_safe(lambda: services.notice_warning(meeting, timezone.localdate()), None)

    def get_has_signed_protocol(self, meeting: Meeting) -> bool:
        return bool(meeting.protocol_docx)

    @extend_schema_field(QuorumSerializer(allow_null=True))
    def get_quorum(self, meeting: Meeting) -> dict[str, Any] | None:
        quorum = _policy_safe(lambda: services.meeting_quorum(meeting), None)
        return dict(QuorumSerializer(quorum).data) if quorum is not None else None

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_items(self, meeting: Meeting) -> list[Any]:
        user = self.context["request"].user
        items = selectors.items_visible_to(user, meeting).prefetch_related(
            "votes__member__user", "dissents__member__user"
        )
        context = {**self.context, "can_see_meeting": selectors.can_see_meeting(user, meeting)}
        return list(AgendaItemSerializer(items, many=True, context=context).data)

    @extend_schema_field(ResolutionSerializer(allow_null=True))
    def get_resolution(self, meeting: Meeting) -> dict[str, Any] | None:
        resolution = ApproverResolution.objects.filter(meeting=meeting).first()
        return dict(ResolutionSerializer(resolution).data) if resolution else None


# --- meetings: what is written ---------------------------------------------------------------------------------------


class ScheduleSerializer(serializers.Serializer[Any]):
    commission = serializers.IntegerField()
    date = serializers.DateField()
    time = serializers.TimeField()
    place = serializers.CharField(required=False, allow_blank=True, default="")
    duration_minutes = serializers.IntegerField(required=False, default=90)
    after_the_fact = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "заседание уже состоялось: внести его после проведения (дата в прошлом; уведомления не рассылаются)"
        ),
    )
    after_the_fact_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("почему заседание вносится после проведения"),
    )


class OpenSerializer(serializers.Serializer[Any]):
    confirm_unnotified = serializers.BooleanField(
        default=False, help_text=gettext_lazy("открыть, хотя уведомления не рассылались (протокол это запишет)")
    )


class RemovalSerializer(serializers.Serializer[Any]):
    order_number = serializers.CharField(
        allow_blank=True, default="", help_text=gettext_lazy("номер приказа о выводе из состава")
    )
    order_date = serializers.DateField(allow_null=True, default=None, help_text=gettext_lazy("дата приказа"))


class AgendaAddSerializer(serializers.Serializer[Any]):
    rid = VisibleIdField(queryset=Rid.objects.all(), visible=rids_visible_to)
    kind = serializers.ChoiceField(choices=ItemKind.choices, default=ItemKind.APPLICATION)
    title = serializers.CharField(required=False, allow_blank=True, default="")


class NoticesSerializer(serializers.Serializer[Any]):
    confirm_late = serializers.BooleanField(
        default=False, help_text=gettext_lazy("отправить, хотя срок уведомления прошёл")
    )


class NoticesResultSerializer(serializers.Serializer[Any]):
    recipients = serializers.ListField(child=serializers.CharField())
    meeting = MeetingDetailSerializer()


class AttendanceInputSerializer(serializers.Serializer[Any]):
    member = serializers.IntegerField(help_text=gettext_lazy("id члена комиссии"))
    present = serializers.BooleanField()
    absence = serializers.ChoiceField(choices=Absence.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ProposeSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    protection_form = serializers.ChoiceField(
        choices=ProtectionForm.choices, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    valuation_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    heard = serializers.CharField(required=False, allow_blank=True)
    spoke = serializers.CharField(required=False, allow_blank=True)


class VoteInputSerializer(serializers.Serializer[Any]):
    member = serializers.IntegerField(
        required=False, allow_null=True, help_text=gettext_lazy("id члена комиссии; по умолчанию — свой голос")
    )
    choice = serializers.ChoiceField(choices=VoteChoice.choices)


class ExpertInviteSerializer(serializers.Serializer[Any]):
    user = VisibleIdField(queryset=User.objects.filter(is_active=True), visible=users_visible_to)
    position = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)


class OpinionTextSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()


class DissentInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True)


class CancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True)


class MoveSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    time = serializers.TimeField()
    place = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(allow_blank=True)
    confirm_late = serializers.BooleanField(required=False, default=False)


class ResolveSerializer(serializers.Serializer[Any]):
    verdict = serializers.ChoiceField(choices=ApproverVerdict.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


ITEM = OpenApiParameter("item", int, OpenApiParameter.PATH, description=gettext_lazy("id вопроса повестки"))
MEMBER = OpenApiParameter("member", int, OpenApiParameter.PATH, description=gettext_lazy("id члена комиссии"))
INVITATION = OpenApiParameter(
    "invitation", int, OpenApiParameter.PATH, description=gettext_lazy("id приглашения эксперта")
)


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    payload = serializer_class(data=request.data, context={"request": request})
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


# --- views -----------------------------------------------------------------------------------------------------------


class CommissionViewSet(
    ObjectFirstMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Commission],
):
    """Комиссии по ИС, видимые пользователю; состав (по приказу), очередь, кварталы без заседания."""

    filterset_fields = ["organization", "is_active"]

    def get_queryset(self) -> QuerySet[Commission]:
        if getattr(self, "swagger_fake_view", False):
            return Commission.objects.none()
        return selectors.commissions_visible_to(self.request.user)

    def get_serializer_class(self) -> Any:
        return CommissionDetailSerializer if self.action == "retrieve" else CommissionSerializer

    def perform_create(self, serializer: serializers.BaseSerializer[Commission]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.commission_create(
            actor=self.request.user,
            organization=data["organization"],
            order_number=data["order_number"],
            order_date=data["order_date"],
            title=data.get("title", ""),
            default_place=data.get("default_place", ""),
        )

    def _members(self, commission: Commission) -> list[Any]:
        members = selectors.sorted_members(commission.members.select_related("user"))
        context = {**self.get_serializer_context(), "absences": selectors.unexcused_absences(commission)}
        return list(MemberSerializer(members, many=True, context=context).data)

    @extend_schema(methods=["GET"], request=None, responses=MemberSerializer(many=True))
    @extend_schema(methods=["POST"], request=MemberSerializer, responses={201: MemberSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def members(self, request: Request, pk: str) -> Response:
        """Состав комиссии (GET) или новый член комиссии по приказу (POST); ответ — весь состав."""
        commission = self.get_object()
        if request.method == "GET":
            return Response(self._members(commission))
        payload = MemberSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.member_add(
            actor=request.user, commission=commission, user=data["user"], role=data["role"], position=data["position"]
        )
        return Response(self._members(commission), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[MEMBER], request=RemovalSerializer, responses={200: MemberSerializer(many=True), **ERRORS}
    )
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<member>[0-9]+)", url_name="member")
    def member_remove(self, request: Request, pk: str, member: str) -> Response:
        """Вывести из состава по приказу (``order_number``, ``order_date``; член комиссии остаётся в протоколах
        прошлых заседаний); ответ — весь состав."""
        commission = self.get_object()
        seat = get_object_or_404(commission.members.all(), pk=member)
        data = _valid(RemovalSerializer, request)
        services.member_remove(
            actor=request.user, member=seat, order_number=data["order_number"], order_date=data["order_date"]
        )
        return Response(self._members(commission))


class MeetingFilter(django_filters.FilterSet):
    year = YearFilter()

    class Meta:
        model = Meeting
        fields = ["commission", "status", "year"]


class MeetingViewSet(
    ObjectFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Meeting]
):
    """Заседания комиссий, видимых пользователю; материалы — членам комиссии, экспертам и подразделению по ИС.

    Подписанный протокол неизменяем: любые изменения подписанного заседания отклоняются (ошибка 400 или 405).
    """

    filterset_class = MeetingFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Meeting]:
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        visible = selectors.commissions_visible_to(self.request.user)
        return Meeting.objects.filter(commission__in=visible).select_related(
            "commission", "commission__organization", "resolution"
        )

    def get_serializer_class(self) -> Any:
        return MeetingSerializer if self.action == "list" else MeetingDetailSerializer

    def get_object(self) -> Meeting:
        meeting = super().get_object()
        if not selectors.can_see_meeting(self.request.user, meeting):
            raise PermissionDeniedError(
                _(
                    "Материалы заседания конфиденциальны: они доступны членам комиссии, приглашённым экспертам "
                    "и подразделению по ИС."
                )
            )
        return meeting

    def _detail(self, meeting: Meeting) -> dict[str, Any]:
        fresh = Meeting.objects.select_related("commission", "commission__organization").get(pk=meeting.pk)
        return dict(MeetingDetailSerializer(fresh, context=self.get_serializer_context()).data)

    def _done(self, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
        return Response(self._detail(meeting), status=code)

    def _item(self, meeting: Meeting, item: str) -> AgendaItem:
        return get_object_or_404(selectors.items_visible_to(self.request.user, meeting), pk=item)

    @extend_schema(request=ScheduleSerializer, responses={201: MeetingDetailSerializer, **ERRORS})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Назначить заседание: номер протокола — следующий в году. Заседание, которое уже состоялось, вносится с
        ``after_the_fact: true`` и причиной ``after_the_fact_reason``: уведомления о нём не рассылаются, протокол
        говорит, когда, кем и почему оно внесено."""
        data = _valid(ScheduleSerializer, request)
        commission = get_object_or_404(selectors.commissions_visible_to(request.user), pk=data["commission"])
        meeting = services.meeting_schedule(
            actor=request.user,
            commission=commission,
            on=data["date"],
            at=data["time"],
            place=data["place"],
            duration_minutes=data["duration_minutes"],
            after_the_fact=data["after_the_fact"],
            after_the_fact_reason=data["after_the_fact_reason"],
        )
        return self._done(meeting, status.HTTP_201_CREATED)

    # agenda

    @extend_schema(request=AgendaAddSerializer, responses={201: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def agenda(self, request: Request, pk: str) -> Response:
        """Включить вопрос в повестку (заявку из очереди, поддержание в силе, балансовую стоимость)."""
        data = _valid(AgendaAddSerializer, request)
        meeting = self.get_object()
        services.agenda_add(
            actor=request.user, meeting=meeting, rid=data["rid"], kind=data["kind"], title=data["title"]
        )
        return self._done(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="agenda/from-queue")
    def agenda_from_queue(self, request: Request, pk: str) -> Response:
        """Повестка из очереди комиссии: одна заявка — один вопрос, по дате поступления."""
        meeting = self.get_object()
        services.agenda_from_queue(actor=request.user, meeting=meeting)  # an empty queue is the service's error
        return self._done(meeting, status.HTTP_201_CREATED)

    @extend_schema(parameters=[ITEM], request=None, responses={200: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["delete"], url_path=r"agenda/(?P<item>[0-9]+)", url_name="agenda-item")
    def agenda_remove(self, request: Request, pk: str, item: str) -> Response:
        """Исключить вопрос из повестки (до начала заседания); вопрос возвращается в очередь."""
        meeting = self.get_object()
        services.agenda_remove(actor=request.user, item=self._item(meeting, item))
        return self._done(meeting)

    @extend_schema(request=NoticesSerializer, responses={200: NoticesResultSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="send-notices")
    def send_notices(self, request: Request, pk: str) -> Response:
        """Разослать уведомления с приглашением в календарь (ICS); позже срока — только с ``confirm_late``."""
        data = _valid(NoticesSerializer, request)
        meeting = self.get_object()
        sent = services.notices_send(actor=request.user, meeting=meeting, confirm_late=data["confirm_late"])
        return Response({"recipients": sent, "meeting": self._detail(meeting)})

    # the meeting

    @extend_schema(request=OpenSerializer, responses={200: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="open")
    def open_meeting(self, request: Request, pk: str) -> Response:
        """Открыть заседание: состав на сегодня фиксируется в листе явки. Без разосланных уведомлений — только с
        ``confirm_unnotified: true`` (протокол это записывает)."""
        data = _valid(OpenSerializer, request)
        meeting = self.get_object()
        return self._done(
            services.meeting_open(actor=request.user, meeting=meeting, confirm_unnotified=data["confirm_unnotified"])
        )

    @extend_schema(request=AttendanceInputSerializer, responses={200: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: str) -> Response:
        """Отметить явку члена комиссии (отсутствие — по уважительной причине или без)."""
        data = _valid(AttendanceInputSerializer, request)
        meeting = self.get_object()
        member = get_object_or_404(meeting.commission.members.select_related("user"), pk=data["member"])
        services.attendance_mark(
            actor=request.user,
            meeting=meeting,
            member=member,
            present=data["present"],
            absence=data["absence"],
            note=data["note"],
        )
        return self._done(meeting)

    @extend_schema(parameters=[ITEM], request=ProposeSerializer, responses={200: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item>[0-9]+)/propose")
    def propose(self, request: Request, pk: str, item: str) -> Response:
        """Проект решения (ПОСТАНОВИЛИ); изменение проекта после голосования сбрасывает голоса."""
        data = _valid(ProposeSerializer, request)
        meeting = self.get_object()
        services.item_propose(
            actor=request.user,
            item=self._item(meeting, item),
            outcome=data["outcome"],
            protection_form=data["protection_form"],
            reason=data["reason"],
            valuation_amount=data["valuation_amount"],
            heard=data.get("heard"),
            spoke=data.get("spoke"),
        )
        return self._done(meeting)

    @extend_schema(parameters=[ITEM], request=VoteInputSerializer, responses={200: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item>[0-9]+)/vote")
    def vote(self, request: Request, pk: str, item: str) -> Response:
        """Голос присутствующего члена комиссии: вносит секретарь или сам член комиссии (без ``member`` — свой)."""
        data = _valid(VoteInputSerializer, request)
        meeting = self.get_object()
        agenda_item = self._item(meeting, item)
        if data.get("member") is not None:
            member = get_object_or_404(meeting.commission.members.select_related("user"), pk=data["member"])
        else:
            seat = selectors.seat_of(request.user, meeting.commission)
            if seat is None:
                if ExpertInvitation.objects.filter(item__meeting=meeting, user=cast(User, request.user)).exists():
                    raise PermissionDeniedError(
                        _("Эксперты не участвуют в голосовании (%(vgtu)s 3.4).") % {"vgtu": VGTU}
                    )
                raise PermissionDeniedError(_("Голосуют только члены комиссии: вы не входите в её состав."))
            member = seat
        services.vote_cast(actor=request.user, item=agenda_item, member=member, choice=data["choice"])
        return self._done(meeting)

    @extend_schema(
        parameters=[ITEM], request=ExpertInviteSerializer, responses={201: MeetingDetailSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item>[0-9]+)/experts")
    def experts(self, request: Request, pk: str, item: str) -> Response:
        """Пригласить эксперта по вопросу (не автора этого РИД); эксперт не голосует."""
        data = _valid(ExpertInviteSerializer, request)
        meeting = self.get_object()
        services.expert_invite(
            actor=request.user, item=self._item(meeting, item), user=data["user"], position=data["position"]
        )
        return self._done(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[INVITATION],
        request={"multipart/form-data": OpinionSerializer, "application/json": OpinionTextSerializer},
        responses={200: MeetingDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"experts/(?P<invitation>[0-9]+)/opinion")
    def opinion(self, request: Request, pk: str, invitation: str) -> Response:
        """Письменное заключение эксперта: текст и (или) файл (multipart)."""
        data = _valid(OpinionSerializer, request)
        meeting = self.get_object()
        found = get_object_or_404(ExpertInvitation.objects.filter(item__meeting=meeting), pk=invitation)
        services.expert_opinion(actor=request.user, invitation=found, text=data["text"], file=data["file"])
        return self._done(meeting)

    @extend_schema(
        parameters=[ITEM], request=DissentInputSerializer, responses={201: MeetingDetailSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item>[0-9]+)/dissent")
    def dissent(self, request: Request, pk: str, item: str) -> Response:
        """Особое мнение члена комиссии, присутствовавшего на заседании (прилагается к протоколу)."""
        data = _valid(DissentInputSerializer, request)
        meeting = self.get_object()
        services.dissent_add(actor=request.user, item=self._item(meeting, item), text=data["text"])
        return self._done(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Завершить голосование: итоги по правилу политики; протокол уходит на подпись."""
        return self._done(services.meeting_close(actor=request.user, meeting=self.get_object()))

    @extend_schema(request=CancelSerializer, responses={200: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Отменить заседание (например, нет кворума): вопросы возвращаются в очередь."""
        data = _valid(CancelSerializer, request)
        return self._done(services.meeting_cancel(actor=request.user, meeting=self.get_object(), reason=data["reason"]))

    @extend_schema(request=MoveSerializer, responses={200: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        """Перенести заседание: новая дата, время или место; приглашённым — обновлённое приглашение (ICS)."""
        from ridbook.commission.rescheduling import meeting_move

        data = _valid(MoveSerializer, request)
        meeting = meeting_move(
            actor=request.user,
            meeting=self.get_object(),
            on=data["date"],
            at=data["time"],
            place=data["place"],
            reason=data["reason"],
            confirm_late=data["confirm_late"],
        )
        return self._done(meeting)

    @extend_schema(request=None, responses={200: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str) -> Response:
        """Подпись председателя или секретаря; после обеих подписей протокол неизменяем, решения вступают в силу."""
        return self._done(services.protocol_sign(actor=request.user, meeting=self.get_object()))

    @extend_schema(request=ResolveSerializer, responses={201: MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        """Резолюция утверждающего по протоколу с особым мнением: утвердить или вернуть на повторное рассмотрение."""
        data = _valid(ResolveSerializer, request)
        meeting = self.get_object()
        services.approver_resolve(actor=request.user, meeting=meeting, verdict=data["verdict"], comment=data["comment"])
        return self._done(meeting, status.HTTP_201_CREATED)

    # the protocol

    @extend_schema(responses={(200, DOCX): bytes, 403: ErrorSerializer, 404: ErrorSerializer})
    @action(detail=True, methods=["get"], url_path="protocol.docx", url_name="protocol-docx")
    def protocol_docx(self, request: Request, pk: str) -> HttpResponse:
        """Протокол (DOCX): подписанный — сохранённый при подписании; иначе — проект по текущим данным."""
        from ridbook.commission import documents

        meeting = self.get_object()
        selectors.require_whole_meeting(request.user, meeting)
        if meeting.status == MeetingStatus.SIGNED and meeting.protocol_docx:
            with meeting.protocol_docx.open("rb") as stored:
                content = stored.read()
        else:
            content = documents.protocol_docx(meeting)
        return self._file(content, DOCX, meeting, "docx")

    @extend_schema(responses={(200, "application/pdf"): bytes, 403: ErrorSerializer, 404: ErrorSerializer})
    @action(detail=True, methods=["get"], url_path="protocol.pdf", url_name="protocol-pdf")
    def protocol_pdf(self, request: Request, pk: str) -> HttpResponse:
        """Протокол (PDF) — где на сервере установлен LibreOffice."""
        from ridbook.commission import documents

        meeting = self.get_object()
        selectors.require_whole_meeting(request.user, meeting)
        content = documents.protocol_pdf(meeting)
        if content is None:
            raise DomainError(
                _("PDF протокола недоступен: на сервере не установлен LibreOffice. Скачайте протокол в формате DOCX."),
                code="pdf_unavailable",
                status=404,
            )
        return self._file(content, "application/pdf", meeting, "pdf")

    @staticmethod
    def _file(content: bytes, content_type: str, meeting: Meeting, extension: str) -> HttpResponse:
        response = HttpResponse(content, content_type=content_type)
        name = f"protocol-{meeting.year}-{meeting.number}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
