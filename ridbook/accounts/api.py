"""Users API (/api/v1/users/): an organization's administrator adds users, assigns and ends roles, deactivates
accounts. Thin: the same services, selectors and filter form as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ridbook.accounts import services
from ridbook.accounts.forms import UserFilterForm
from ridbook.accounts.models import RoleAssignment, User
from ridbook.accounts.permissions import Action
from ridbook.accounts.roles import Role
from ridbook.accounts.selectors import assignments_managed_by, search_users, users_managed_by, with_managed_roles
from ridbook.api.fields import VisibleIdField
from ridbook.api.permissions import ObjectFirstMixin, require_api
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import organizations_visible_to


class AssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "organization",
            "organization_name",
            "role",
            "role_label",
            "valid_from",
            "valid_until",
            "in_force",
        ]

    def get_in_force(self, obj: RoleAssignment) -> bool:
        return obj.in_force()


class UserSerializer(serializers.ModelSerializer[User]):
    """A user with his roles in the reader's organizations (roles elsewhere are not shown)."""

    full_name = serializers.CharField(read_only=True)
    password_set = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "last_name",
            "first_name",
            "middle_name",
            "email",
            "is_active",
            "password_set",
            "roles",
        ]

    def get_password_set(self, obj: User) -> bool:
        """False while an invitation waits for the user to set his password."""
        return obj.has_usable_password()

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_roles(self, obj: User) -> Any:
        roles = getattr(obj, "managed_roles", None)  # prefetched for a list
        if roles is None:
            roles = assignments_managed_by(self.context["request"].user, obj)
        return AssignmentSerializer(roles, many=True).data


class RoleAssignSerializer(serializers.Serializer[Any]):
    organization = VisibleIdField(queryset=Organization.objects.all(), visible=organizations_visible_to)
    role = serializers.ChoiceField(choices=Role.choices)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)


class UserCreateSerializer(RoleAssignSerializer):
    """Без пароля пользователь получает по почте одноразовую ссылку, чтобы задать пароль сам."""

    username = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    first_name = serializers.CharField(max_length=150)
    middle_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    password = serializers.CharField(required=False, allow_blank=True, write_only=True, trim_whitespace=False)


class RoleEndSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(help_text=_("последний день роли (вчера — завершить сразу)"))


class UserViewSet(ObjectFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[User]):
    """Пользователи организаций, где вы назначаете роли (администратор): добавить, назначить и завершить роль,
    отключить и включить учётную запись, повторить приглашение."""

    serializer_class = UserSerializer

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        require_api(request, Action.ROLE_ASSIGN)  # before the object and before the body

    def get_queryset(self) -> Any:
        return users_managed_by(self.request.user).order_by("last_name", "first_name", "username")

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset
        form = UserFilterForm(self.request.query_params, actor=self.request.user)
        if not form.is_valid():
            raise ValidationError({name: [str(m) for m in errors] for name, errors in form.errors.items()})
        return with_managed_roles(search_users(self.request.user, **form.filters()), self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("часть фамилии, имени, отчества или логина")),
            OpenApiParameter("organization", int, description=_("организация (и нижестоящие)")),
            OpenApiParameter("role", str, enum=Role.values, description=_("роль, действующая сегодня")),
            OpenApiParameter("active", str, enum=["yes", "no"]),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _base_url(self) -> str:
        return self.request.build_absolute_uri("/")

    def _user(self, user: User, code: int = status.HTTP_200_OK) -> Response:
        return Response(UserSerializer(user, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request: Request) -> Response:
        """Добавить пользователя с первой ролью (пользователь без организации не бывает)."""
        payload = UserCreateSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        user = services.user_create(actor=request.user, base_url=self._base_url(), **data)
        return self._user(user, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str) -> Response:
        """Отключить учётную запись: вход закрыт, токен API отозван."""
        return self._user(services.user_deactivate(actor=request.user, user=self.get_object()))

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str) -> Response:
        return self._user(services.user_activate(actor=request.user, user=self.get_object()))

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str) -> Response:
        """Прислать новое приглашение (прежние ссылки перестают действовать)."""
        user = self.get_object()
        services.user_invite(actor=request.user, user=user, base_url=self._base_url())
        return self._user(user)

    @extend_schema(methods=["GET"], request=None, responses=AssignmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=RoleAssignSerializer, responses={201: AssignmentSerializer})
    @action(detail=True, methods=["get", "post"])
    def roles(self, request: Request, pk: str) -> Response:
        """Роли пользователя в ваших организациях (GET) или назначить роль с датами (POST)."""
        user = self.get_object()
        if request.method == "GET":
            return Response(AssignmentSerializer(assignments_managed_by(request.user, user), many=True).data)
        payload = RoleAssignSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        assignment = services.role_assign(actor=request.user, user=user, **payload.validated_data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoleEndSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"], url_path=r"roles/(?P<assignment>\d+)/end", url_name="role-end")
    def role_end(self, request: Request, pk: str, assignment: str) -> Response:
        """Завершить роль: её последний день (назначение остаётся в истории)."""
        user = cast(User, self.get_object())
        found = get_object_or_404(assignments_managed_by(request.user, user), pk=assignment)
        payload = RoleEndSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        ended = services.role_end(actor=request.user, assignment=found, on=payload.validated_data["on"])
        return Response(AssignmentSerializer(ended).data)
