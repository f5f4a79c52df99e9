"""Prosecution API (/api/v1/applications/, /api/v1/docket-tasks/): the same services and selectors as the pages.

An application is seen by whoever may see its RID; only the IP department writes (the services ask the permission
module). Ids in a body are looked up among the visible objects only (``VisibleIdField``); a detail endpoint finds
its object before it reads the body (``ObjectFirstMixin``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ridbook.accounts.permissions import users_visible_to
from ridbook.api.fields import VisibleIdField
from ridbook.api.permissions import ObjectFirstMixin
from ridbook.commission.api import ERRORS
from ridbook.prosecution import engine, selectors, services
from ridbook.prosecution.choices import INCOMING_KINDS, ApplicationKind, Office, PriorityKind, TaskState
from ridbook.prosecution.deadlines import task_rule
from ridbook.prosecution.models import Application, ApplicationEvent, DocketTask, OfficeLetter, PriorityClaim
from ridbook.registry.selectors import rids_visible_to


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    payload = serializer_class(data=request.data, context={"request": request})
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


class PrioritySerializer(serializers.ModelSerializer[PriorityClaim]):
    kind = serializers.ChoiceField(choices=PriorityKind.choices)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = PriorityClaim
        fields = ["id", "kind", "kind_label", "number", "date", "country"]
        read_only_fields = ["id"]


class EventSerializer(serializers.ModelSerializer[ApplicationEvent]):
    code_label = serializers.SerializerMethodField()
    stage_after_label = serializers.CharField(source="get_stage_after_display", read_only=True)
    actor_name = serializers.CharField(source="actor.full_name", read_only=True, default="")
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = ["id", "code", "code_label", "on", "ref", "note", "stage_before", "stage_after", "stage_after_label"]
        fields += ["actor_name", "recorded_at", "has_file"]
        read_only_fields = fields

    def get_code_label(self, obj: ApplicationEvent) -> str:
        return engine.event_label(obj.code)

    def get_has_file(self, obj: ApplicationEvent) -> bool:
        return bool(obj.file)


class EventInputSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=40)
    on = serializers.DateField()
    task = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("открытая задача, которую закрывает событие"),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)


class LetterSerializer(serializers.ModelSerializer[OfficeLetter]):
    direction_label = serializers.CharField(source="get_direction_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    due = serializers.DateField(read_only=True)
    answered_by = serializers.SerializerMethodField()
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = OfficeLetter
        fields = ["id", "direction", "direction_label", "kind", "kind_label", "number", "date", "term"]
        fields += ["extended_until", "extension_requested_on", "due", "answers", "answered_by", "note", "has_file"]
        read_only_fields = fields

    def get_answered_by(self, obj: OfficeLetter) -> int | None:
        reply = obj.replies.first()
        return reply.pk if reply else None

    def get_has_file(self, obj: OfficeLetter) -> bool:
        return bool(obj.file)


class LetterInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in INCOMING_KINDS])
    number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    received_on = serializers.DateField()
    term = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)


class AnswerInputSerializer(serializers.Serializer[Any]):
    sent_on = serializers.DateField()
    number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)


class ExtendInputSerializer(serializers.Serializer[Any]):
    until = serializers.DateField()
    requested_on = serializers.DateField(required=False, allow_null=True, default=None)


class TaskSerializer(serializers.ModelSerializer[DocketTask]):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    owner_name = serializers.CharField(source="owner.full_name", read_only=True, default="")
    rule_text = serializers.SerializerMethodField()
    rid = serializers.IntegerField(source="application.rid_id", read_only=True)

    class Meta:
        model = DocketTask
        fields = ["id", "application", "rid", "key", "title", "due", "owner", "owner_name", "rule_code"]
        fields += ["rule_source", "verified", "rule_text", "fee", "state", "state_label", "done_at"]
        read_only_fields = fields

    def get_rule_text(self, obj: DocketTask) -> str:
        return task_rule(obj)


class ReassignSerializer(serializers.Serializer[Any]):
    owner = VisibleIdField(visible=users_visible_to)


class ApplicationSerializer(serializers.ModelSerializer[Application]):
    rid = VisibleIdField(visible=rids_visible_to)
    office = serializers.ChoiceField(choices=Office.choices)
    kind = serializers.ChoiceField(choices=ApplicationKind.choices, required=False, allow_blank=True)
    signatory = VisibleIdField(visible=users_visible_to)
    responsible = VisibleIdField(visible=users_visible_to, required=False, allow_null=True)
    filed_on = serializers.DateField(write_only=True, required=False, allow_null=True)
    priorities = PrioritySerializer(many=True, required=False)
    office_label = serializers.CharField(source="get_office_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    rid_number = serializers.CharField(source="rid.number", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "rid", "rid_number", "organization", "office", "office_label", "country", "kind"]
        fields += ["kind_label", "number", "filing_date", "filed_on", "stage", "stage_label", "signatory"]
        fields += ["responsible", "attorney_name", "attorney_number", "priorities", "created_at"]
        read_only_fields = ["id", "organization", "filing_date", "stage", "created_at"]


class ApplicationUpdateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ApplicationKind.choices, required=False)
    number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    signatory = VisibleIdField(visible=users_visible_to, required=False)
    responsible = VisibleIdField(visible=users_visible_to, required=False)
    attorney_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    attorney_number = serializers.CharField(max_length=20, required=False, allow_blank=True)


LETTER = OpenApiParameter(
    "letter", int, OpenApiParameter.PATH, description=gettext_lazy("id входящего запроса ведомства")
)


class ApplicationViewSet(
    ObjectFirstMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Application],
):
    """Заявки по РИД (видит тот, кто видит РИД; ведёт подразделение по ИС), их события, переписка и задачи."""

    serializer_class = ApplicationSerializer
    filterset_fields = ["rid", "stage", "office", "kind"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Application]:
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return selectors.applications_visible_to(self.request.user).prefetch_related("priorities")

    def perform_create(self, serializer: serializers.BaseSerializer[Application]) -> None:
        data = dict(serializer.validated_data)
        claims = [
            services.PriorityInput(
                kind=p["kind"], date=p["date"], number=p.get("number", ""), country=p.get("country", "")
            )
            for p in data.get("priorities", [])
        ]
        serializer.instance = services.application_create(
            actor=self.request.user,
            rid=data["rid"],
            office=data["office"],
            kind=data.get("kind") or "",
            country=data.get("country", ""),
            number=data.get("number", ""),
            filed_on=data.get("filed_on"),
            signatory=data["signatory"],
            responsible=data.get("responsible"),
            attorney_name=data.get("attorney_name", ""),
            attorney_number=data.get("attorney_number", ""),
            priorities=claims,
        )

    @extend_schema(request=ApplicationUpdateSerializer, responses={200: ApplicationSerializer, **ERRORS})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Изменить сведения заявки (не стадию: она меняется только событиями)."""
        application = self.get_object()
        data = _valid(ApplicationUpdateSerializer, request)
        application = services.application_update(actor=request.user, application=application, **data)
        return Response(ApplicationSerializer(application, context=self.get_serializer_context()).data)

    @extend_schema(methods=["GET"], request=None, responses=EventSerializer(many=True))
    @extend_schema(methods=["POST"], request=EventInputSerializer, responses={201: EventSerializer, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def events(self, request: Request, pk: str) -> Response:
        """События заявки (GET) или новое событие (POST): оно меняет стадию по таблице переходов или отклоняется."""
        application = self.get_object()
        if request.method == "GET":
            return Response(EventSerializer(application.events.select_related("actor"), many=True).data)
        data = _valid(EventInputSerializer, request)
        if data["task"] is not None:
            data["task"] = get_object_or_404(application.tasks.all(), pk=data["task"])
        event = services.event_record(actor=request.user, application=application, **data)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=LetterSerializer(many=True))
    @extend_schema(methods=["POST"], request=LetterInputSerializer, responses={201: LetterSerializer, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def letters(self, request: Request, pk: str) -> Response:
        """Переписка (GET) или входящее письмо ведомства (POST); запрос со сроком — задача до ответа."""
        application = self.get_object()
        if request.method == "GET":
            return Response(LetterSerializer(application.letters.all(), many=True).data)
        data = _valid(LetterInputSerializer, request)
        letter = services.letter_receive(actor=request.user, application=application, **data)
        return Response(LetterSerializer(letter).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[LETTER], request=AnswerInputSerializer, responses={201: LetterSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"letters/(?P<letter>[0-9]+)/answer", url_name="answer")
    def answer(self, request: Request, pk: str, letter: str) -> Response:
        """Наш ответ на запрос ведомства: задача по запросу выполнена."""
        application = self.get_object()
        found = get_object_or_404(application.letters.all(), pk=letter)
        data = _valid(AnswerInputSerializer, request)
        answer = services.answer_send(actor=request.user, letter=found, **data)
        return Response(LetterSerializer(answer).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[LETTER], request=ExtendInputSerializer, responses={200: LetterSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"letters/(?P<letter>[0-9]+)/extend", url_name="extend")
    def extend(self, request: Request, pk: str, letter: str) -> Response:
        """Срок ответа на запрос продлён: срок задачи переносится."""
        application = self.get_object()
        found = get_object_or_404(application.letters.all(), pk=letter)
        data = _valid(ExtendInputSerializer, request)
        extended = services.letter_extend(actor=request.user, letter=found, **data)
        return Response(LetterSerializer(extended).data)

    @extend_schema(request=PrioritySerializer, responses={201: PrioritySerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def priorities(self, request: Request, pk: str) -> Response:
        """Добавить притязание на приоритет."""
        application = self.get_object()
        data = _valid(PrioritySerializer, request)
        claim = services.priority_add(
            actor=request.user,
            application=application,
            claim=services.PriorityInput(
                kind=data["kind"], date=data["date"], number=data.get("number", ""), country=data.get("country", "")
            ),
        )
        return Response(PrioritySerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TaskSerializer(many=True))
    @action(detail=True, methods=["get"])
    def tasks(self, request: Request, pk: str) -> Response:
        """Задачи делопроизводства заявки (открытые, выполненные, снятые) с правилом и его источником."""
        application = self.get_object()
        return Response(TaskSerializer(application.tasks.select_related("owner"), many=True).data)


class DocketTaskViewSet(
    ObjectFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[DocketTask]
):
    """Задачи делопроизводства заявок, видимых пользователю; ``state=open`` — открытые, ``mine=yes`` — свои."""

    serializer_class = TaskSerializer

    def get_queryset(self) -> QuerySet[DocketTask]:
        if getattr(self, "swagger_fake_view", False):
            return DocketTask.objects.none()
        qs = selectors.tasks_visible_to(self.request.user).order_by("due", "id")
        if self.action == "list":
            state = self.request.query_params.get("state")
            if state in TaskState.values:
                qs = qs.filter(state=state)
            if self.request.query_params.get("mine") == "yes":
                qs = qs.filter(owner_id=self.request.user.pk)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=TaskState.values, required=False),
            OpenApiParameter("mine", str, enum=["yes"], required=False),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: TaskSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Отметить открытую задачу выполненной вручную (задача, которую не закрывает ни одно событие)."""
        task = services.task_close(actor=request.user, task=self.get_object())
        return Response(TaskSerializer(task).data)

    @extend_schema(request=ReassignSerializer, responses={200: TaskSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str) -> Response:
        """Передать открытую задачу другому специалисту по ИС организации."""
        task = self.get_object()
        data = _valid(ReassignSerializer, request)
        task = services.task_reassign(actor=request.user, task=task, owner=data["owner"])
        return Response(TaskSerializer(task).data)
