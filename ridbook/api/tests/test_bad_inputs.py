"""Bad query parameters and body values — NUL bytes, years and dates out of range, huge numbers — are a 400 in the
error format (a 400 page, or the value refused on the form, for pages), on SQLite and on PostgreSQL; never a 500.

Every list endpoint of the router is sent every bad value in each of its own parameters (its filters, ``q``,
``page``, ``ordering``). Each request runs in a savepoint, so that a database error of one (PostgreSQL aborts the
transaction) cannot hide behind the next.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from ridbook.accounts.roles import Role
from ridbook.api.urls import router

pytestmark = pytest.mark.django_db

NUL = "по\x00иск"
BAD_VALUES = [NUL, "-5", "0", "10000", "99999999999", "99999999999999999999", "0000-01-01", "10000-01-01", "-1e400"]
YEARS_OUT_OF_RANGE = ["-5", "0", "10000", "99999999999", "99999999999999999999"]
ROUTES = [prefix for prefix, _viewset, _basename in router.registry]
# lists whose filters are a form (not django-filter), and who reads them when not the IP officer
FORM_FILTERS = {"users": ["organization", "role", "active"]}
READER = {"users": Role.ADMINISTRATOR}


def list_parameters(viewset: Any, prefix: str = "") -> list[str]:
    filterset = getattr(viewset, "filterset_class", None)
    names = list(filterset.base_filters) if filterset else list(getattr(viewset, "filterset_fields", []))
    return [*names, *FORM_FILTERS.get(prefix, []), "q", "page", "ordering"]


def send(client: Client, method: str, url: str, data: Any = None, **extra: Any) -> Any:
    """One request in a savepoint: a database error it causes is seen as its own status, and undone."""
    with transaction.atomic():
        response = getattr(client, method)(url, data, **extra)
        transaction.set_rollback(True)
    return response


def assert_api_error(response: Any, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] and error["message"]
    return error


@pytest.fixture
def api(personas):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(personas[Role.IP_OFFICER])
    return client


@pytest.fixture
def page(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas[Role.IP_OFFICER])
    return client


@pytest.fixture
def rid(personas, org_tree):
    from ridbook.registry.services import rid_create

    return rid_create(
        actor=personas[Role.AUTHOR], organization=org_tree["department"], kind="software", title="Программа"
    )


@pytest.mark.parametrize("prefix", ROUTES)
def test_every_bad_value_in_every_parameter_of_a_list_is_a_400_or_ignored_never_a_500(api, rid, prefix, personas):
    viewset = next(v for p, v, _ in router.registry if p == prefix)
    url = f"/api/v1/{prefix}/"
    if prefix in READER:
        api.force_authenticate(personas[READER[prefix]])
    assert api.get(url).status_code == 200
    for name in list_parameters(viewset, prefix):
        for value in BAD_VALUES:
            response = send(api, "get", url, {name: value})
            assert response.status_code in (200, 400, 404), (name, value, response.status_code, response.content[:300])
            if value == NUL or (name == "year" and value in YEARS_OUT_OF_RANGE):
                assert_api_error(response)
            if name == "page":  # not a page number: 400; a number past the last page: 404, as DRF says
                expected = 404 if value == "10000" else 400
                assert_api_error(response, expected)


@pytest.mark.parametrize(
    ("url", "params", "code"),
    [
        ("/api/v1/working-days/", {"date": "9999-12-31", "days": "1000", "country": "RU"}, "out_of_range"),
        ("/api/v1/working-days/", {"date": "0001-01-01", "days": "-1000", "country": "RU"}, "out_of_range"),
        ("/api/v1/working-days/", {"date": "0000-01-01", "days": "1", "country": "RU"}, "invalid"),
        ("/api/v1/working-days/", {"date": "10000-01-01", "days": "1", "country": "RU"}, "invalid"),
        ("/api/v1/working-days/", {"date": "2026-01-01", "days": "99999999999999999999", "country": "RU"}, "invalid"),
        ("/api/v1/working-days/", {"date": "2026-01-01", "days": "7", "country": "R\x00U"}, "invalid"),
        ("/api/v1/audit/", {"object_id": "\x00"}, "invalid"),
        ("/api/v1/audit/", {"model": "registry\x00.rid"}, "invalid"),
        ("/api/v1/audit/", {"page": "99999999999999999999"}, "invalid"),
        ("/api/v1/policies/vgtu/", {"on": "10000-01-01"}, "invalid"),
        ("/api/v1/policies/vgtu/", {"on": "9999-12-31\x00"}, "invalid"),
        ("/api/v1/policies/vgtu/", {"version": "99999999999999999999"}, "not_found"),
        ("/api/v1/policies/vg%00tu/", {}, "invalid"),
        ("/api/v1/rids/99999999999999999999/", {}, "not_found"),
        ("/api/v1/meetings/99999999999999999999/", {}, "not_found"),
        ("/api/v1/rids/export/", {"q": "\x00"}, "invalid"),
        ("/api/v1/rids/export/", {"year": "-5"}, "invalid"),
    ],
)
def test_other_endpoints_answer_bad_values_in_the_error_format(api, rid, url, params, code):
    response = send(api, "get", url, params)
    if response.streaming:
        pytest.fail(f"{url} {params!r}: 200, the file is streamed")
    error = assert_api_error(response, 404 if code == "not_found" else 400)
    assert error["code"] == code


def test_a_nul_byte_says_what_is_wrong_in_russian(api):
    error = assert_api_error(send(api, "get", "/api/v1/people/", {"q": NUL}))
    assert error["message"] == "Запрос содержит недопустимый символ (нулевой байт): уберите его."


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/people/", {"last_name": "Ива\x00нов", "first_name": "Иван"}),
        ("/api/v1/organizations/", {"name": "Кафедра", "short_name": "К\x00", "kind": "department"}),
        ("/api/v1/rids/", {"title": "Программа", "kind": "software", "keywords": ["ключ\x00"]}),
        ("/api/v1/working-days/", {"\x00": "ключ"}),
    ],
)
def test_a_nul_byte_in_a_json_or_form_body_is_a_400(api, url, body):
    assert_api_error(send(api, "post", url, body, format="json"))
    flat = {key: value for key, value in body.items() if isinstance(value, str)}
    assert_api_error(send(api, "post", url, flat, format="multipart"))


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(api, org_tree):
    response = send(
        api,
        "post",
        "/api/v1/people/",
        '{"last_name": "Иванов", "first_name": "Иван", "middle_name": "\\\\u0000"}',
        content_type="application/json",
    )
    assert response.status_code != 400 or "нулевой байт" not in response.json()["error"]["message"]


def test_huge_numbers_and_out_of_range_dates_in_a_json_body_are_a_400(api, rid, org_tree):
    for body in (
        {"title": "Программа", "kind": "software", "organization": 99999999999999999999},
        {
            "title": "Программа",
            "kind": "software",
            "organization": org_tree["department"].pk,
            "published": True,
            "publication_date": "10000-01-01",
        },
        {
            "title": "Программа",
            "kind": "software",
            "organization": org_tree["department"].pk,
            "published": True,
            "publication_date": "0000-01-01",
        },
    ):
        assert_api_error(send(api, "post", "/api/v1/rids/", body, format="json"))
    received = send(api, "post", f"/api/v1/rids/{rid.pk}/receive/", {"received_on": "9999-12-31"}, format="json")
    assert received.status_code == 400


@pytest.mark.parametrize("value", BAD_VALUES)
def test_the_registry_page_refuses_or_ignores_a_bad_value_never_a_500(page, rid, value):
    from ridbook.registry.filters import RidFilter

    for name in [*RidFilter.base_filters, "page"]:
        response = send(page, "get", "/registry/", {name: value})
        assert response.status_code in (200, 400), (name, value, response.status_code)
        if value == NUL:
            assert response.status_code == 400
            assert "нулевой байт" in response.content.decode()
    ignored = send(page, "get", "/registry/", {"year": value})
    if value != NUL:  # shown, and said why the filter is not applied
        assert ignored.status_code == 200 and "Программа" in ignored.content.decode()
        assert "Фильтр «Год» не применён" in ignored.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"date": "9999-12-31", "days": "1000", "country": "RU"},
        {"date": "0001-01-01", "days": "-1000", "country": "RU"},
        {"date": "10000-01-01", "days": "1", "country": "RU"},
    ],
)
def test_the_calendar_page_says_the_date_is_out_of_range(page, params):
    response = send(page, "get", "/calendar/", params)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_a_nul_byte_in_a_form_post_of_a_page_is_a_400_page(page, org_tree):
    response = send(page, "post", f"/organizations/{org_tree['department'].pk}/edit/", {"name": "Ка\x00федра"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "нулевой байт" in response.content.decode()


def test_django_s_own_errors_under_api_come_in_the_error_format_not_as_html(api, monkeypatch):
    missing = send(api, "get", "/api/v1/no-such-list/")
    assert assert_api_error(missing, 404)["code"] == "not_found"

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("ridbook.api.views.describe_day", broken)
    crashed = send(api, "get", "/api/v1/working-days/", {"date": "2026-01-01", "days": "1", "country": "RU"})
    error = assert_api_error(crashed, 500)
    assert error["code"] == "server_error" and "записана в журнал" in error["message"]
    page = Client(raise_request_exception=False).get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
