"""Users and roles (issue 12, 2): an administrator adds a colleague or invites him, assigns and ends roles with
dates, deactivates accounts; every change is journaled; nothing crosses to another tree."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ridbook.accounts import services
from ridbook.accounts.models import RoleAssignment, User
from ridbook.accounts.permissions import Action, can
from ridbook.accounts.roles import Role
from ridbook.audit.models import ChangeRecord
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.security.tokens import token_issue
from ridbook.testing.factories import persona

TODAY = timezone.localdate


@pytest.fixture
def admin(personas):
    return personas[Role.ADMINISTRATOR]


@pytest.fixture
def other_admin(org_tree):
    """The administrator of another tree (the holding)."""
    return persona(Role.ADMINISTRATOR, org_tree["holding"], username="holding-admin")


def _signs_in(username: str, password: str) -> bool:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def _create(admin, org, **kwargs):
    data = {
        "username": "petrov",
        "last_name": "Петров",
        "first_name": "Пётр",
        "email": "petrov@example.org",
        "organization": org,
        "role": Role.IP_OFFICER,
        "password": "Ридбук-2026-пароль",
    }
    return services.user_create(actor=admin, **{**data, **kwargs})


def _records(model, pk):
    ct = ContentType.objects.get_for_model(model)
    return ChangeRecord.objects.filter(content_type=ct, object_id=str(pk))


def test_an_administrator_adds_a_colleague_with_a_role_and_every_change_is_journaled(admin, org_tree):
    user = _create(admin, org_tree["department"])
    assignment = user.role_assignments.get()
    assert (assignment.role, assignment.valid_from, assignment.valid_until) == (Role.IP_OFFICER, TODAY(), None)
    assert can(user, Action.NOTICE_REVIEW, org_tree["department"])
    assert not can(user, Action.NOTICE_REVIEW, org_tree["university"])  # his department and below only
    created = _records(User, user.pk).get(action="create")
    assert created.actor == admin and created.organization_id == org_tree["department"].pk
    assert "password" not in created.after and "email" not in created.after
    services.role_end(actor=admin, assignment=assignment, on=TODAY() - timedelta(days=1))
    services.user_deactivate(actor=admin, user=user)
    changes = [(r.action, r.after) for r in _records(RoleAssignment, assignment.pk).order_by("id")]
    assert changes[0][0] == "create" and changes[-1][1]["valid_until"] == str(TODAY() - timedelta(days=1))
    assert _records(User, user.pk).filter(actor=admin, after__is_active=False).exists()


def test_an_ended_role_grants_nothing_and_stays_in_the_history(admin, org_tree):
    user = _create(admin, org_tree["university"])
    assignment = user.role_assignments.get()
    services.role_end(actor=admin, assignment=assignment, on=TODAY() - timedelta(days=1))
    user = User.objects.get(pk=user.pk)
    assert not can(user, Action.NOTICE_REVIEW, org_tree["university"])
    assert RoleAssignment.objects.filter(pk=assignment.pk, valid_until=TODAY() - timedelta(days=1)).exists()
    # the same role again, from today: a new assignment beside the ended one
    services.role_assign(actor=admin, user=user, organization=org_tree["university"], role=Role.IP_OFFICER)
    assert user.role_assignments.count() == 2 and can(User.objects.get(pk=user.pk), Action.NOTICE_REVIEW)


def test_role_dates_are_checked(admin, org_tree):
    user = _create(admin, org_tree["university"])
    uni = org_tree["university"]
    with pytest.raises(DomainError) as past:
        services.role_assign(actor=admin, user=user, organization=uni, role="expert", valid_from=TODAY() - timedelta(1))
    assert "задним числом" in past.value.details["fields"]["valid_from"]
    with pytest.raises(DomainError) as twice:
        services.role_assign(actor=admin, user=user, organization=uni, role=Role.IP_OFFICER)
    assert "уже есть роль" in twice.value.details["fields"]["role"]
    later = services.role_assign(
        actor=admin, user=user, organization=uni, role="expert", valid_from=TODAY() + timedelta(5)
    )
    assert not later.in_force()
    with pytest.raises(DomainError):
        services.role_end(actor=admin, assignment=later, on=TODAY() - timedelta(days=3))


def test_the_password_meets_the_validators_and_the_login_is_unique(admin, org_tree):
    with pytest.raises(DomainError) as weak:
        _create(admin, org_tree["university"], password="123")
    assert "password" in weak.value.details["fields"]
    _create(admin, org_tree["university"])
    with pytest.raises(DomainError) as taken:
        _create(admin, org_tree["university"], username="PETROV")
    assert taken.value.details["fields"]["username"] == "Это имя пользователя уже занято."
    with pytest.raises(DomainError) as no_mail:
        _create(admin, org_tree["university"], username="x", password="", email="")
    assert "email" in no_mail.value.details["fields"]


def test_a_deactivated_user_cannot_sign_in_and_loses_his_token(admin, org_tree):
    user = _create(admin, org_tree["university"])
    token_issue(user=user)
    signed_in = Client()
    signed_in.force_login(user)
    services.user_deactivate(actor=admin, user=user)
    assert not Token.objects.filter(user=user).exists()
    assert signed_in.get("/").status_code == 302  # his open session ends too
    assert not _signs_in("petrov", "Ридбук-2026-пароль")
    api = APIClient().post("/api/v1/auth/token/", {"username": "petrov", "password": "Ридбук-2026-пароль"})
    assert api.status_code in (400, 401)
    services.user_activate(actor=admin, user=user)
    assert _signs_in("petrov", "Ридбук-2026-пароль")


def test_an_administrator_cannot_deactivate_himself_or_end_his_last_administrator_role(admin, org_tree):
    with pytest.raises(DomainError, match="собственную"):
        services.user_deactivate(actor=admin, user=admin)
    own = admin.role_assignments.get(role=Role.ADMINISTRATOR)
    with pytest.raises(DomainError, match="последнюю роль администратора"):
        services.role_end(actor=admin, assignment=own, on=TODAY())
    second = services.role_assign(actor=admin, user=admin, organization=org_tree["institute"], role="administrator")
    services.role_end(actor=admin, assignment=own, on=TODAY() + timedelta(days=30))  # another one stays
    assert second.in_force()


def test_only_an_administrator_manages_users_and_permission_comes_before_validation(personas, org_tree):
    officer = personas[Role.IP_OFFICER]
    with pytest.raises(PermissionDeniedError):
        services.user_create(
            actor=officer,
            organization=org_tree["university"],
            role="nonsense",
            username="",
            last_name="",
            first_name="",
        )
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post("/api/v1/users/", {"username": ""}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert Client().get("/users/").status_code == 302
    client = Client()
    client.force_login(officer)
    assert client.get("/users/").status_code == 403


def test_an_administrator_of_another_tree_reaches_nothing(admin, other_admin, org_tree):
    user = _create(admin, org_tree["department"], last_name="Тайнов")
    assignment = user.role_assignments.get()
    with pytest.raises(DomainError) as exc:
        services.user_deactivate(actor=other_admin, user=user)
    assert exc.value.status == 404
    with pytest.raises(PermissionDeniedError) as target:
        services.role_assign(actor=other_admin, user=user, organization=org_tree["department"], role="expert")
    assert "Кафедра" not in target.value.message and "не найдена" in target.value.message
    with pytest.raises(PermissionDeniedError):
        services.role_end(actor=other_admin, assignment=assignment, on=TODAY())
    with pytest.raises(PermissionDeniedError):  # nor attach his own user to the other tree
        _create(other_admin, org_tree["department"], username="spy")

    api = APIClient()
    api.force_authenticate(other_admin)
    assert "Тайнов" not in api.get("/api/v1/users/", {"q": "Тайнов"}).content.decode()
    for method, url, body in [
        ("get", f"/api/v1/users/{user.pk}/", None),
        ("get", f"/api/v1/users/{user.pk}/roles/", None),
        ("post", f"/api/v1/users/{user.pk}/roles/", {"organization": "x", "role": "?"}),
        ("post", f"/api/v1/users/{user.pk}/roles/{assignment.pk}/end/", {"on": "x"}),
        ("post", f"/api/v1/users/{user.pk}/deactivate/", None),
    ]:
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 404, (url, response.content)
        assert "Тайнов" not in response.content.decode()
    response = api.post(
        "/api/v1/users/",
        {
            "username": "spy",
            "last_name": "Ш",
            "first_name": "Ш",
            "organization": org_tree["department"].pk,
            "role": "expert",
            "password": "Ридбук-2026-пароль",
        },
        format="json",
    )
    assert response.status_code == 400 and "Кафедра" not in response.content.decode()

    client = Client()
    client.force_login(other_admin)
    listing = client.get("/users/", {"q": "Тайнов"}).content.decode()
    assert f"/users/{user.pk}/" not in listing and "Пользователей не найдено" in listing
    for url in (f"/users/{user.pk}/", f"/users/{user.pk}/deactivate/", f"/users/{user.pk}/end/"):
        response = client.get(url) if url.endswith(f"{user.pk}/") else client.post(url, {"assignment": assignment.pk})
        assert response.status_code == 404 and "Тайнов" not in response.content.decode()
    assert User.objects.get(pk=user.pk).is_active and RoleAssignment.objects.get(pk=assignment.pk).valid_until is None


def test_the_api_adds_a_user_assigns_and_ends_a_role(admin, org_tree):
    api = APIClient()
    api.force_authenticate(admin)
    response = api.post(
        "/api/v1/users/",
        {
            "username": "sidorov",
            "last_name": "Сидоров",
            "first_name": "Иван",
            "email": "s@example.org",
            "organization": org_tree["university"].pk,
            "role": "ip_officer",
            "password": "Ридбук-2026-пароль",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["roles"][0]["role"] == "ip_officer" and response.json()["password_set"]
    response = api.post(
        f"/api/v1/users/{pk}/roles/",
        {"organization": org_tree["institute"].pk, "role": "expert", "valid_until": str(TODAY() + timedelta(9))},
        format="json",
    )
    assert response.status_code == 201 and response.json()["in_force"]
    role_pk = response.json()["id"]
    response = api.post(f"/api/v1/users/{pk}/roles/{role_pk}/end/", {"on": str(TODAY() - timedelta(1))}, format="json")
    assert response.status_code == 200 and response.json()["in_force"] is False
    listed = api.get("/api/v1/users/", {"role": "expert"}).json()["results"]
    assert pk not in [u["id"] for u in listed]
    assert pk in [u["id"] for u in api.get("/api/v1/users/", {"role": "ip_officer", "q": "Сидор"}).json()["results"]]
    assert api.post(f"/api/v1/users/{pk}/deactivate/").json()["is_active"] is False
    assert api.get("/api/v1/users/", {"active": "no"}).json()["count"] == 1
    bad = api.get("/api/v1/users/", {"organization": org_tree["holding"].pk})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


def _link(message) -> str:
    found = re.search(r"http://\S+", message.body)
    assert found, message.body
    return found.group(0)


def test_an_invitation_sets_the_password_once(admin, org_tree, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        user = _create(admin, org_tree["university"], password="", base_url="http://testserver/")
    assert not user.has_usable_password() and len(mail.outbox) == 1 and mail.outbox[0].to == ["petrov@example.org"]
    link = _link(mail.outbox[0])
    client = Client()
    page = client.get(link)
    assert page.status_code == 200 and "petrov" in page.content.decode()
    response = client.post(link, {"new_password1": "Новый-пароль-2026", "new_password2": "Новый-пароль-2026"})
    assert response.status_code == 302
    assert _signs_in("petrov", "Новый-пароль-2026")
    used = Client().get(link)
    assert used.status_code == 410 and "уже использована" in used.content.decode()
    assert Client().get(link.replace("/invitation/", "/invitation/x")).status_code == 404


def test_an_expired_or_replaced_invitation_is_refused(admin, org_tree, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        user = _create(admin, org_tree["university"], password="", base_url="http://testserver/")
    first = _link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.user_invite(actor=admin, user=user, base_url="http://testserver/")
    second = _link(mail.outbox[1])
    assert Client().get(first).status_code == 404  # replaced
    assert Client().get(second).status_code == 200
    settings.INVITATION_TTL_HOURS = 1
    from ridbook.accounts.invitations import invitation_tokens

    later = invitation_tokens._now() + timedelta(hours=2)
    invitation_tokens._now = lambda: later
    try:
        expired = Client().get(second)
    finally:
        del invitation_tokens._now
    assert expired.status_code == 410 and "истёк" in expired.content.decode()


def test_the_pages_add_assign_end_and_deactivate(admin, org_tree):
    client = Client()
    client.force_login(admin)
    assert "Пользователи" in client.get("/").content.decode()
    page = client.post("/users/new/", {"username": "", "organization": org_tree["university"].pk})
    assert page.status_code == 200 and "Укажите фамилию" not in page.content.decode()
    assert "Обязательное поле" in page.content.decode()
    response = client.post(
        "/users/new/",
        {
            "username": "kozlov",
            "last_name": "Козлов",
            "first_name": "Илья",
            "email": "k@example.org",
            "password": "Ридбук-2026-пароль",
            "organization": org_tree["university"].pk,
            "role": "ip_officer",
        },
    )
    user = User.objects.get(username="kozlov")
    assert response.status_code == 302 and response["Location"] == f"/users/{user.pk}/"
    detail = client.get(f"/users/{user.pk}/").content.decode()
    assert "специалист по ИС" in detail and "Завершить роль" in detail
    client.post(f"/users/{user.pk}/assign/", {"organization": org_tree["institute"].pk, "role": "expert"})
    expert = user.role_assignments.get(role="expert")
    refused = client.post(f"/users/{user.pk}/end/", {"assignment": expert.pk, "on": str(TODAY())})
    assert refused.status_code == 400 and "Подтвердите завершение роли" in refused.content.decode()
    client.post(f"/users/{user.pk}/end/", {"assignment": expert.pk, "on": str(TODAY() - timedelta(1)), "confirm": "on"})
    expert.refresh_from_db()
    assert expert.valid_until == TODAY() - timedelta(1)
    assert "Завершённые роли" in client.get(f"/users/{user.pk}/").content.decode()
    client.post(f"/users/{user.pk}/deactivate/")
    assert not User.objects.get(pk=user.pk).is_active
    listing = client.get("/users/", {"active": "no", "q": "Козл"}).content.decode()
    assert "Козлов" in listing and "отключён" in listing
    own = client.post(f"/users/{admin.pk}/deactivate/")
    assert own.status_code == 400 and "собственную" in own.content.decode()


def test_home_profile_me_and_the_organizations_roles_tab_show_the_roles_in_force(admin, org_tree):
    user = _create(admin, org_tree["institute"])
    services.role_assign(actor=admin, user=user, organization=org_tree["department"], role=Role.EXPERT)
    services.role_end(actor=admin, assignment=user.role_assignments.get(role=Role.EXPERT), on=TODAY() - timedelta(1))
    client = Client()
    client.force_login(user)
    for url in ("/", "/profile/", f"/organizations/{org_tree['institute'].pk}/roles/"):
        text = client.get(url).content.decode()
        assert "специалист по ИС" in text and "эксперт" not in text, url
    assert [r["role"] for r in client.get("/api/v1/me/").json()["roles"]] == ["ip_officer"]
    department_roles = client.get(f"/organizations/{org_tree['department'].pk}/roles/").content.decode()
    assert (
        "<td>Петров Пётр</td>" not in department_roles and "Ролей в этой организации не назначено" in department_roles
    )


def test_the_users_page_and_list_read_a_fixed_number_of_queries(admin, org_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(admin)
    api = APIClient()
    api.force_authenticate(admin)

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert client.get("/users/").status_code == 200
        with CaptureQueriesContext(connection) as listing:
            assert api.get("/api/v1/users/").status_code == 200
        return len(page), len(listing)

    _create(admin, org_tree["department"], username="u0")
    counts()  # warm the caches (content types, the session)
    few = counts()
    for n in range(1, 20):
        _create(admin, org_tree["department"], username=f"u{n}")
    page, listing = counts()
    assert page == few[0]  # the roles of a page's users in one query
    assert listing == few[1]
