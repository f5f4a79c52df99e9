"""The boundary between organizations, walked over the whole URL configuration and the OpenAPI schema.

Two trees (``Альфин`` and ``Бетин``) hold one of every kind of object. A user of one tree with every role reads
and writes every page and endpoint naming the other tree's objects: he gets nothing (404 or an empty list), never
a name of the other tree (every name there carries its tag), and no write happens. Every URL that takes an id must
have an entry in :data:`FILLERS`, and every write of the schema whose body names an object an entry in
:data:`TARGET_WRITES`: a new page or endpoint without one fails :func:`test_every_url_has_a_filler` or
:func:`test_every_write_naming_an_object_is_tried_across_the_boundary`.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlsafe_base64_encode

from ridbook.accounts.roles import Role
from ridbook.accounts.views import USER_ACTIONS
from ridbook.audit.models import ChangeRecord
from ridbook.commission.views import MEETING_ACTIONS
from ridbook.prosecution.views import ACTIONS as APPLICATION_ACTIONS
from ridbook.registry.views import TABS as RID_TABS
from ridbook.testing.world import World, build_world
from ridbook.tradesecret.views_keeping import INVENTORY_ACTIONS, KEEPING_ACTIONS
from ridbook.web.views import ORG_TABS

Kwargs = dict[str, Any]
SHARED = "shared"  # not an object of a tree (a policy): readable by all, and must still show nothing of a tree


def _rid_urls(w: World) -> list[Kwargs]:
    return [{"pk": w.accepted.pk}, {"pk": w.draft.pk}]


def _meeting(w: World) -> list[Kwargs]:
    return [{"pk": w.meeting.pk}]


def _item(w: World) -> list[Kwargs]:
    return [{"pk": w.meeting.pk, "item": w.item.pk}]


DOCUMENT_KINDS = ("notice", "state_secret", "export_control")

# url name → the kwargs that name the other tree's objects
FILLERS: dict[str, Callable[[World], list[Kwargs]]] = {
    "api:organization-detail": lambda w: [{"pk": w.root.pk}, {"pk": w.department.pk}],
    "api:person-detail": lambda w: [{"pk": w.author_person.pk}, {"pk": w.outsider.pk}],
    "api:rid-document": lambda w: [{"pk": w.accepted.pk, "kind": k} for k in DOCUMENT_KINDS],
    "api:commission-detail": lambda w: [{"pk": w.commission.pk}],
    "api:commission-members": lambda w: [{"pk": w.commission.pk}],
    "api:commission-member": lambda w: [{"pk": w.commission.pk, "member": w.member.pk}],
    "api:meeting-opinion": lambda w: [{"pk": w.meeting.pk, "invitation": w.invitation.pk}],
    "registry:person": lambda w: [{"pk": w.author_person.pk}, {"pk": w.outsider.pk}],
    "registry:person_death_date": lambda w: [{"pk": w.author_person.pk}, {"pk": w.outsider.pk}],
    "registry:packet_file": lambda w: [{"pk": w.accepted.pk, "doc": w.packet_document.pk}],
    "registry:document": lambda w: [{"pk": w.accepted.pk, "kind": k} for k in DOCUMENT_KINDS],
    "registry:tab": lambda w: [{"pk": w.accepted.pk, "tab": t} for t in RID_TABS],
    "commission:detail": lambda w: [{"pk": w.commission.pk}],
    "commission:action": lambda w: [
        {"pk": w.commission.pk, "action": a} for a in ("member-add", "member-remove", "schedule", "enter-past")
    ],
    "commission:meeting": _meeting,
    "commission:meeting_action": lambda w: [{"pk": w.meeting.pk, "action": a} for a in MEETING_ACTIONS],
    "commission:protocol": lambda w: [{"pk": w.meeting.pk, "ext": e} for e in ("docx", "pdf")],
    "commission:opinion_file": lambda w: [{"pk": w.meeting.pk, "invitation": w.invitation.pk}],
    "commission:item_material": lambda w: [
        {"pk": w.meeting.pk, "item": w.item.pk, "doc": d} for d in ("notice", str(w.packet_document.pk))
    ],
    "web:organization": lambda w: [{"pk": w.root.pk}, {"pk": w.department.pk}],
    "web:organization_edit": lambda w: [{"pk": w.root.pk}, {"pk": w.department.pk}],
    "web:organization_tab": lambda w: [{"pk": w.department.pk, "tab": t} for t in ORG_TABS],
    "accounts:user": lambda w: [{"pk": w.users[Role.AUTHOR].pk}, {"pk": w.everyone.pk}],
    "accounts:user_action": lambda w: [{"pk": w.users[Role.AUTHOR].pk, "action": a} for a in USER_ACTIONS],
    "accounts:invitation": lambda w: [
        {"uidb64": urlsafe_base64_encode(str(w.users[Role.AUTHOR].pk).encode()), "token": "cz1a2b-0123456789abcdef"}
    ],
    # the feed takes a secret, not an id: a renewed (old) address and a made-up one are «not found»; the current one
    # opens the feed by design (whoever has it reads it), so it is not walked here but in ridbook/deadlines/tests
    "deadlines:feed": lambda w: [{"token": w.extra["old_feed_token"]}, {"token": "cz1a2b-0123456789abcdef"}],
    "api:user-detail": lambda w: [{"pk": w.users[Role.AUTHOR].pk}],
    "api:user-activate": lambda w: [{"pk": w.users[Role.AUTHOR].pk}],
    "api:user-deactivate": lambda w: [{"pk": w.users[Role.AUTHOR].pk}],
    "api:user-invite": lambda w: [{"pk": w.users[Role.AUTHOR].pk}],
    "api:user-roles": lambda w: [{"pk": w.users[Role.AUTHOR].pk}],
    "api:user-role-end": lambda w: [
        {"pk": w.users[Role.AUTHOR].pk, "assignment": w.users[Role.AUTHOR].role_assignments.get().pk}
    ],
}
for _name in (
    "detail",
    "delete",
    "edit",
    "validate_rid",
    "authors",
    "author_row",
    "person_create",
    "contributor_add",
    "submit",
    "receive",
    "return",
    "accept",
    "packet_upload",
    "state_secret",
    "export_control",
):
    FILLERS[f"registry:{_name}"] = _rid_urls
for _name in (
    "detail",
    "accept",
    "authors",
    "contributors",
    "export-control",
    "packet",
    "receive",
    "return-for-revision",
    "state-secret",
    "submit",
):
    FILLERS[f"api:rid-{_name}"] = _rid_urls
for _name in (
    "detail",
    "agenda",
    "agenda-from-queue",
    "attendance",
    "cancel",
    "close",
    "move",
    "open-meeting",
    "protocol-docx",
    "protocol-pdf",
    "resolve",
    "send-notices",
    "sign",
):
    FILLERS[f"api:meeting-{_name}"] = _meeting
for _name in ("agenda-item", "dissent", "experts", "propose", "vote"):
    FILLERS[f"api:meeting-{_name}"] = _item


def _application(w: World) -> list[Kwargs]:
    return [{"pk": _x(w, "application").pk}]


def _x(w: World, name: str) -> Any:
    return w.extra[name]


FILLERS.update(
    {
        "prosecution:rid": lambda w: [{"rid": _x(w, "filing_rid").pk}, {"rid": w.accepted.pk}],
        "prosecution:new": lambda w: [{"rid": _x(w, "filing_rid").pk}, {"rid": w.accepted.pk}],
        "prosecution:application": _application,
        "prosecution:action": lambda w: [{"pk": _x(w, "application").pk, "action": a} for a in APPLICATION_ACTIONS],
        "prosecution:file": lambda w: [
            {"pk": _x(w, "application").pk, "what": "event", "obj": _x(w, "event").pk},
            {"pk": _x(w, "application").pk, "what": "letter", "obj": _x(w, "request").pk},
        ],
        "api:application-answer": lambda w: [{"pk": _x(w, "application").pk, "letter": _x(w, "request").pk}],
        "api:application-extend": lambda w: [{"pk": _x(w, "application").pk, "letter": _x(w, "request").pk}],
        "api:docket-task-detail": lambda w: [{"pk": _x(w, "task").pk}],
        "api:docket-task-reassign": lambda w: [{"pk": _x(w, "task").pk}],
        "api:docket-task-close": lambda w: [{"pk": _x(w, "task").pk}],
    }
)
for _name in ("detail", "events", "letters", "priorities", "tasks"):
    FILLERS[f"api:application-{_name}"] = _application


def _obj(w: World, key: str) -> Any:
    """An object of the protection part of the world (``World.extra``)."""
    return w.extra[key]


def _document(w: World) -> list[Kwargs]:
    return [{"pk": _obj(w, "document").pk}]


for _name in ("detail", "pay", "event", "scan", "upkeep", "holders"):
    FILLERS[f"protection:{_name}"] = _document
FILLERS["protection:new"] = lambda w: [{"rid": _obj(w, "protected").pk}, {"rid": w.accepted.pk}]
for _name in ("detail", "holders", "events", "schedule", "upkeep"):
    FILLERS[f"api:protection-document-{_name}"] = _document
FILLERS["api:fee-payment-detail"] = lambda w: [{"pk": _obj(w, "payment").pk}]


def _trade_secret(w: World) -> list[Kwargs]:
    return [{"pk": _x(w, "trade_secret_rid").pk}, {"pk": w.accepted.pk}]


for _name in (
    "regime",
    "present",
    "council",
    "approve",
    "grant",
    "revoke",
    "content",
    "content_text",
    "content_print",
    "content_printed",
    "rid_journal",
):
    FILLERS[f"tradesecret:{_name}"] = _trade_secret
for _name in ("regime", "present", "council", "approve", "grant", "revoke", "content"):
    FILLERS[f"api:trade-secret-{_name}"] = _trade_secret


def _regime(w: World) -> list[Kwargs]:
    return [{"pk": _x(w, "regime").pk}]


def _inventory(w: World) -> list[Kwargs]:
    return [{"pk": _x(w, "inventory").pk}]


FILLERS.update(
    {
        "tradesecret:keeping": _regime,
        "tradesecret:keeping_action": lambda w: [{"pk": _x(w, "regime").pk, "action": a} for a in KEEPING_ACTIONS],
        "tradesecret:copy_document": lambda w: [
            {"pk": _x(w, "regime").pk, "copy": _x(w, "copy").pk, "ext": e} for e in ("docx", "pdf")
        ],
        "tradesecret:content_export": lambda w: [{"pk": _x(w, "regime").pk, "ext": e} for e in ("txt", "csv", "xlsx")],
        "tradesecret:inventory": _inventory,
        "tradesecret:inventory_act": _inventory,
        "tradesecret:inventory_action": lambda w: [
            {"pk": _x(w, "inventory").pk, "action": a} for a in INVENTORY_ACTIONS
        ],
        "api:trade-secret-inventory-entry": lambda w: [
            {"pk": _x(w, "inventory").pk, "entry": _x(w, "inventory_entry").pk}
        ],
    }
)
for _name in ("detail", "copies", "orders", "contracts", "disclose", "content-export"):
    FILLERS[f"api:trade-secret-{_name}"] = _regime
for _name in ("copy-return", "copy-destroy", "copy-document"):
    FILLERS[f"api:trade-secret-{_name}"] = lambda w: [{"pk": _x(w, "regime").pk, "copy": _x(w, "copy").pk}]
for _name in ("detail", "close", "act"):
    FILLERS[f"api:trade-secret-inventory-{_name}"] = _inventory

# not objects of a tree: the same for everyone
SHARED_FILLERS: dict[str, Callable[[World], list[Kwargs]]] = {
    "api:policy-detail": lambda w: [{"name": "vgtu"}],
    "web:policy": lambda w: [{"name": "vgtu", "version": 1}],
}

# reads with a query that names the other tree (searches, filters, autocomplete, exports); the query itself never
# contains the tag, so an echo of it is no leak
QUERIES: list[tuple[str, Callable[[World, World], Kwargs], Callable[[World, World], dict[str, Any]]]] = [
    ("registry:list", lambda me, other: {}, lambda me, other: {"q": "Способ"}),
    ("registry:list", lambda me, other: {}, lambda me, other: {"author": other.tag[:3]}),
    ("registry:list", lambda me, other: {}, lambda me, other: {"organization": other.department.pk}),
    ("registry:list", lambda me, other: {}, lambda me, other: {"person": other.author_person.pk}),
    ("registry:export", lambda me, other: {}, lambda me, other: {"format": "csv", "q": "Способ"}),
    ("registry:export", lambda me, other: {}, lambda me, other: {"format": "xlsx"}),
    ("registry:person_search", lambda me, other: {}, lambda me, other: {"q": other.tag[:3]}),
    ("registry:author_row", lambda me, other: {"pk": me.draft.pk}, lambda me, other: {"person": other.outsider.pk}),
    ("api:rid-list", lambda me, other: {}, lambda me, other: {"q": "Способ"}),
    ("api:rid-list", lambda me, other: {}, lambda me, other: {"author": other.tag[:3]}),
    ("api:rid-list", lambda me, other: {}, lambda me, other: {"organization": other.department.pk}),
    ("api:rid-export", lambda me, other: {}, lambda me, other: {"file_format": "csv"}),
    ("api:rid-export", lambda me, other: {}, lambda me, other: {"file_format": "xlsx"}),
    ("api:person-list", lambda me, other: {}, lambda me, other: {"q": other.tag[:3]}),
    ("api:audit", lambda me, other: {}, lambda me, other: {}),
    ("api:audit", lambda me, other: {}, lambda me, other: {"model": "registry.rid", "object_id": other.draft.pk}),
    ("web:audit", lambda me, other: {}, lambda me, other: {}),
    ("web:audit", lambda me, other: {}, lambda me, other: {"organization": other.department.pk}),
    (
        "web:audit",
        lambda me, other: {},
        lambda me, other: {"model": "commission.meeting", "object_id": other.meeting.pk},
    ),
    ("web:audit_export", lambda me, other: {}, lambda me, other: {"file_format": "csv"}),
    ("web:audit_export", lambda me, other: {}, lambda me, other: {"file_format": "xlsx", "model": "registry.rid"}),
    ("api:audit", lambda me, other: {}, lambda me, other: {"actor": other.users[Role.COMMISSION_CHAIR].pk}),
    ("api:audit-export", lambda me, other: {}, lambda me, other: {"file_format": "csv"}),
    ("api:audit-export", lambda me, other: {}, lambda me, other: {"file_format": "xlsx", "since": "2000-01-01"}),
    ("api:organization-list", lambda me, other: {}, lambda me, other: {"parent": other.root.pk}),
    ("api:meeting-list", lambda me, other: {}, lambda me, other: {}),
    ("api:commission-list", lambda me, other: {}, lambda me, other: {}),
    ("api:deadlines", lambda me, other: {}, lambda me, other: {}),
    ("api:deadlines", lambda me, other: {}, lambda me, other: {"scope": "organization"}),
    ("api:deadlines", lambda me, other: {}, lambda me, other: {"owner": other.users[Role.EXPERT].pk}),
    ("api:deadlines", lambda me, other: {}, lambda me, other: {"rid": other.accepted.number}),
    ("deadlines:list", lambda me, other: {}, lambda me, other: {}),
    ("deadlines:list", lambda me, other: {}, lambda me, other: {"scope": "organization", "state": "overdue"}),
    ("deadlines:list", lambda me, other: {}, lambda me, other: {"owner": other.users[Role.EXPERT].pk}),
    ("deadlines:list", lambda me, other: {}, lambda me, other: {"rid": other.accepted.number}),
    ("accounts:users", lambda me, other: {}, lambda me, other: {"q": other.tag[:3]}),
    ("accounts:users", lambda me, other: {}, lambda me, other: {"organization": other.department.pk}),
    ("api:user-list", lambda me, other: {}, lambda me, other: {"q": other.tag[:3]}),
    ("api:user-list", lambda me, other: {}, lambda me, other: {"organization": other.root.pk}),
    ("api:application-list", lambda me, other: {}, lambda me, other: {"rid": _x(other, "filing_rid").pk}),
    ("api:application-list", lambda me, other: {}, lambda me, other: {}),
    ("api:docket-task-list", lambda me, other: {}, lambda me, other: {"state": "open"}),
]


def _url_patterns(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(n for n in (namespace, p.namespace or "") if n)
            yield from _url_patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}:{p.name}" if namespace else str(p.name)), p


def _params(pattern: URLPattern) -> set[str]:
    return set(pattern.pattern.regex.groupindex)


def _app_urls() -> list[tuple[str, set[str]]]:
    """Every named URL of ridbook's own (the admin is for superusers only: tested apart)."""
    return [(name, _params(p)) for name, p in _url_patterns() if not name.startswith("admin:") and p.name]


def _text(response: Any) -> str:
    """What a person could read in the response: the body, the members of a DOCX/XLSX, the headers."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [body.decode("utf-8", "ignore"), json.dumps(dict(response.items()), ensure_ascii=False)]
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts.extend(archive.read(n).decode("utf-8", "ignore") for n in archive.namelist())
    return "\n".join(parts)


@pytest.fixture
def worlds(db: Any) -> tuple[World, World]:
    return build_world("Альфин", "a"), build_world("Бетин", "b")


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_every_url_has_a_filler() -> None:
    """A page or endpoint that takes an id is walked only if it is here: a new one without an entry fails."""
    missing = sorted(
        name for name, params in _app_urls() if params and name not in FILLERS and name not in SHARED_FILLERS
    )
    assert not missing, f"add these URLs to FILLERS in {__file__}: {missing}"


def _reads(me: World, other: World) -> Iterator[tuple[str, str, bool]]:
    """(url, what, owned by ``other``) for every page and endpoint."""
    for name, params in _app_urls():
        if not params:
            yield reverse(name), name, False
            continue
        if name in SHARED_FILLERS:
            for kwargs in SHARED_FILLERS[name](other):
                yield reverse(name, kwargs=kwargs), name, False
            continue
        for kwargs in FILLERS[name](other):
            yield reverse(name, kwargs=kwargs), f"{name} {kwargs}", True


@pytest.mark.parametrize("direction", ["a→b", "b→a"])
def test_a_user_of_one_tree_reads_nothing_of_the_other(worlds: tuple[World, World], direction: str) -> None:
    a, b = worlds
    me, other = (b, a) if direction == "a→b" else (a, b)
    client = _client(me.everyone)
    problems = []
    for url, what, owned in _reads(me, other):
        response = client.get(url)
        text = _text(response)
        if response.status_code >= 500:
            problems.append(f"{what}: {response.status_code}")
        elif other.tag in text:
            problems.append(f"{what}: shows «{other.tag}» ({response.status_code})")
        elif owned and response.status_code not in (404, 405):  # not even a 403: it would tell the object exists
            problems.append(f"{what}: {response.status_code} for another tree's object")
    for name, kwargs, query in QUERIES:
        response = client.get(reverse(name, kwargs=kwargs(me, other)), query(me, other))
        if response.status_code >= 500 or other.tag in _text(response):
            problems.append(f"{name} {query(me, other)}: {response.status_code}, leaks={other.tag in _text(response)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("direction", ["a→b", "b→a"])
def test_a_user_of_one_tree_writes_nothing_in_the_other(worlds: tuple[World, World], direction: str) -> None:
    """Every method on every URL naming the other tree's objects: refused, nothing written, nothing told."""
    a, b = worlds
    me, other = (b, a) if direction == "a→b" else (a, b)
    client = _client(me.everyone)
    before = ChangeRecord.objects.count()
    problems = []
    for url, what, owned in _reads(me, other):
        if not owned:
            continue
        methods = ("post", "put", "patch", "delete") if url.startswith("/api/") else ("post",)
        for method in methods:
            response = getattr(client, method)(url, {}, content_type="application/json")
            text = _text(response)
            if response.status_code not in (404, 405) or other.tag in text:
                problems.append(f"{method.upper()} {what}: {response.status_code}, leaks={other.tag in text}")
    assert not problems, "\n".join(problems)
    assert ChangeRecord.objects.count() == before


# --- writes that name a target object in their body ---------------------------------------------------------------

# fields of a request body that name an object (by id)
TARGET_FIELDS = {
    "organization",
    "parent",
    "person",
    "user",
    "rid",
    "member",
    "item",
    "invitation",
    "commission",
    "due",
}

Body = Callable[[World, World], Any]


def _new_user_in_other_tree(me: World, o: World) -> dict[str, Any]:
    """An administrator adds a user with his first role in the other tree's organization."""
    return {
        "organization": o.department.pk,
        "role": "expert",
        "username": "spy",
        "last_name": "Шпионов",
        "first_name": "Ян",
        "password": "Ридбук-2026-пароль",
    }


# (method, url name, path kwargs from my tree, body naming the other tree's object, content type); the API's by
# the schema's path and method
TARGET_WRITES: dict[tuple[str, str], list[tuple[Callable[[World], Kwargs], Body]]] = {
    ("POST", "api:rid-list"): [
        (lambda me: {}, lambda me, o: {"organization": o.department.pk, "kind": "software", "title": "Новая"})
    ],
    ("PATCH", "api:rid-detail"): [(lambda me: {"pk": me.draft.pk}, lambda me, o: {"organization": o.department.pk})],
    ("PUT", "api:rid-detail"): [
        (
            lambda me: {"pk": me.draft.pk},
            lambda me, o: {"organization": o.department.pk, "kind": "software", "title": "Новая"},
        )
    ],
    ("PUT", "api:rid-authors"): [
        (lambda me: {"pk": me.draft.pk}, lambda me, o: [{"person": o.author_person.pk, "coefficient": "100"}])
    ],
    ("POST", "api:rid-contributors"): [
        (lambda me: {"pk": me.draft.pk}, lambda me, o: {"person": o.outsider.pk, "assistance": "макет"})
    ],
    ("POST", "api:rid-import-file"): [(lambda me: {}, lambda me, o: {"organization": o.root.pk, "dry_run": False})],
    ("POST", "api:person-list"): [
        (lambda me: {}, lambda me, o: {"organization": o.department.pk, "last_name": "Новиков", "first_name": "Ян"}),
        (
            lambda me: {},
            lambda me, o: {
                "organization": me.department.pk,
                "last_name": "Новиков",
                "first_name": "Ян",
                "user": o.users[Role.AUTHOR].pk,
            },
        ),
    ],
    ("POST", "api:organization-list"): [
        (lambda me: {}, lambda me, o: {"parent": o.root.pk, "name": "Отдел", "short_name": "О", "kind": "division"})
    ],
    ("PATCH", "api:organization-detail"): [(lambda me: {"pk": me.department.pk}, lambda me, o: {"parent": o.root.pk})],
    ("PUT", "api:organization-detail"): [
        (
            lambda me: {"pk": me.department.pk},
            lambda me, o: {"parent": o.root.pk, "name": "Кафедра", "short_name": "К", "kind": "department"},
        )
    ],
    ("POST", "api:commission-members"): [
        (
            lambda me: {"pk": me.commission.pk},
            lambda me, o: {"user": o.users[Role.COMMISSION_MEMBER].pk, "role": "member", "position": "доцент"},
        )
    ],
    ("POST", "api:commission-list"): [
        (lambda me: {}, lambda me, o: {"organization": o.root.pk, "order_number": "2", "order_date": "2026-02-01"})
    ],
    ("POST", "api:meeting-agenda"): [(lambda me: {"pk": me.meeting.pk}, lambda me, o: {"rid": o.accepted.pk})],
    ("POST", "api:meeting-experts"): [
        (
            lambda me: {"pk": me.meeting.pk, "item": me.item.pk},
            lambda me, o: {"user": o.users[Role.EXPERT].pk},
        )
    ],
    ("POST", "api:meeting-attendance"): [
        (lambda me: {"pk": me.meeting.pk}, lambda me, o: [{"member": o.member.pk, "present": False}])
    ],
    ("POST", "api:meeting-vote"): [
        (
            lambda me: {"pk": me.meeting.pk, "item": me.item.pk},
            lambda me, o: {"member": o.member.pk, "choice": "against"},
        )
    ],
    ("POST", "api:meeting-list"): [
        (lambda me: {}, lambda me, o: {"commission": o.commission.pk, "date": "2026-12-20", "time": "15:00"}),
        (  # a past meeting entered after the fact, into the other tree's commission
            lambda me: {},
            lambda me, o: {
                "commission": o.commission.pk,
                "date": "2026-03-02",
                "time": "10:00",
                "after_the_fact": True,
                "after_the_fact_reason": "протокол был на бумаге",
            },
        ),
    ],
    ("POST", "api:user-list"): [
        (
            lambda me: {},
            _new_user_in_other_tree,
        )
    ],
    ("POST", "api:protection-document-list"): [
        (lambda me: {}, lambda me, o: {"rid": _obj(o, "protected").pk, "kind": "invention", "number": "1"})
    ],
    ("PUT", "api:protection-document-detail"): [
        (
            lambda me: {"pk": _obj(me, "document").pk},
            lambda me, o: {"rid": _obj(o, "protected").pk, "kind": "invention", "number": "2"},
        )
    ],
    ("PATCH", "api:protection-document-detail"): [
        (lambda me: {"pk": _obj(me, "document").pk}, lambda me, o: {"rid": _obj(o, "protected").pk})
    ],
    ("POST", "api:protection-document-import-file"): [
        (lambda me: {}, lambda me, o: {"organization": o.root.pk, "dry_run": False})
    ],
    ("POST", "api:fee-payment-list"): [
        (
            lambda me: {},
            lambda me, o: {"due": _obj(o, "due").pk, "paid_on": "2024-01-01", "amount": "1", "order_number": "1"},
        )
    ],
    ("POST", "api:fee-rate-list"): [
        (
            lambda me: {},
            lambda me, o: {
                "organization": o.root.pk,
                "kind": "invention",
                "basis": "year",
                "first": 1,
                "last": 2,
                "amount": "1",
                "valid_from": "2024-01-01",
                "source": "х",
            },
        )
    ],
    ("POST", "api:user-roles"): [
        (lambda me: {"pk": me.users[Role.AUTHOR].pk}, lambda me, o: {"organization": o.root.pk, "role": "expert"})
    ],
    ("POST", "api:application-list"): [
        (
            lambda me: {},
            lambda me, o: {"rid": _x(o, "filing_rid").pk, "office": "RU", "signatory": me.users[Role.IP_OFFICER].pk},
        ),
        (
            lambda me: {},
            lambda me, o: {"rid": _x(me, "filing_rid").pk, "office": "RU", "signatory": o.users[Role.IP_OFFICER].pk},
        ),
    ],
    ("PATCH", "api:application-detail"): [
        (lambda me: {"pk": _x(me, "application").pk}, lambda me, o: {"signatory": o.users[Role.IP_OFFICER].pk}),
        (lambda me: {"pk": _x(me, "application").pk}, lambda me, o: {"responsible": o.users[Role.IP_OFFICER].pk}),
    ],
    ("POST", "api:trade-secret-grant"): [
        (lambda me: {"pk": _x(me, "trade_secret_rid").pk}, lambda me, o: {"user": o.users[Role.EXPERT].pk})
    ],
    ("POST", "api:trade-secret-revoke"): [
        (lambda me: {"pk": _x(me, "trade_secret_rid").pk}, lambda me, o: {"user": o.users[Role.IP_OFFICER].pk})
    ],
    ("POST", "api:trade-secret-inventory-list"): [
        (lambda me: {}, lambda me, o: {"organization": o.root.pk, "year": 2026})
    ],
    ("POST", "api:trade-secret-copies"): [
        (
            lambda me: {"pk": _x(me, "regime").pk},
            lambda me, o: {"issued_to": o.users[Role.IP_OFFICER].pk, "medium": "paper", "purpose": "х"},
        ),
        (
            lambda me: {"pk": _x(me, "regime").pk},
            lambda me, o: {
                "issued_to_name": "х",
                "use_order": _x(o, "use_order").pk,
                "medium": "paper",
                "purpose": "х",
            },
        ),
    ],
    ("POST", "api:trade-secret-orders"): [
        (
            lambda me: {"pk": _x(me, "regime").pk},
            lambda me, o: {
                "number": "1",
                "signed_on": "2026-03-01",
                "signed_by": o.users[Role.APPROVER].pk,
                "use": "х",
            },
        )
    ],
    ("POST", "api:trade-secret-contracts"): [
        (
            lambda me: {"pk": _x(me, "regime").pk},
            lambda me, o: {
                "use_order": _x(o, "use_order").pk,
                "counterparty_name": "х",
                "counterparty_inn": "7707083893",
                "number": "1",
                "signed_on": "2026-03-01",
                "registration_number": "1",
                "confidentiality": "х",
                "scope": "х",
            },
        )
    ],
    ("POST", "api:docket-task-reassign"): [
        (lambda me: {"pk": _x(me, "task").pk}, lambda me, o: {"owner": o.users[Role.IP_OFFICER].pk})
    ],
}

# pages (forms) whose fields name a target object: mine in the path, the other tree's in the form
PAGE_TARGET_WRITES: list[tuple[str, Callable[[World], Kwargs], Body]] = [
    (
        "tradesecret:grant",
        lambda me: {"pk": _x(me, "trade_secret_rid").pk},
        lambda me, o: {"user": o.users[Role.EXPERT].pk, "on": "2026-01-20"},
    ),
    (
        "tradesecret:revoke",
        lambda me: {"pk": _x(me, "trade_secret_rid").pk},
        lambda me, o: {"user": o.users[Role.IP_OFFICER].pk},
    ),
    (
        "tradesecret:approve",
        lambda me: {"pk": _x(me, "trade_secret_rid").pk},
        lambda me, o: {"approved": "1", "approved_on": "2026-01-20", "access_list": [o.users[Role.EXPERT].pk]},
    ),
    ("tradesecret:inventories", lambda me: {}, lambda me, o: {"organization": o.root.pk, "year": 2025}),
    (
        "tradesecret:keeping_action",
        lambda me: {"pk": _x(me, "regime").pk, "action": "copy"},
        lambda me, o: {"issued_to": o.users[Role.IP_OFFICER].pk, "medium": "paper", "purpose": "х"},
    ),
    (
        "tradesecret:keeping_action",
        lambda me: {"pk": _x(me, "regime").pk, "action": "return"},
        lambda me, o: {"copy": _x(o, "copy").pk},
    ),
    (
        "tradesecret:keeping_action",
        lambda me: {"pk": _x(me, "regime").pk, "action": "order"},
        lambda me, o: {
            "number": "1",
            "signed_on": "2026-03-01",
            "signed_by": o.users[Role.APPROVER].pk,
            "use": "х",
        },
    ),
    (
        "tradesecret:inventory_action",
        lambda me: {"pk": _x(me, "inventory").pk, "action": "entry"},
        lambda me, o: {"entry": _x(o, "inventory_entry").pk, "storage_place": "х", "result": "found"},
    ),
    ("registry:new", lambda me: {}, lambda me, o: {"organization": o.department.pk, "kind": "software", "title": "Н"}),
    (
        "registry:edit",
        lambda me: {"pk": me.draft.pk},
        lambda me, o: {"organization": o.department.pk, "kind": "software", "title": "Н"},
    ),
    (
        "registry:authors",
        lambda me: {"pk": me.draft.pk},
        lambda me, o: {"person": [o.author_person.pk], "coefficient": ["100"]},
    ),
    (
        "registry:contributor_add",
        lambda me: {"pk": me.draft.pk},
        lambda me, o: {"person": o.outsider.pk, "assistance": "макет"},
    ),
    (
        "registry:person_create",
        lambda me: {"pk": me.draft.pk},
        lambda me, o: {"organization": o.department.pk, "last_name": "Новиков", "first_name": "Ян"},
    ),
    ("registry:import", lambda me: {}, lambda me, o: {"organization": o.root.pk}),
    (
        "web:organization_new",
        lambda me: {},
        lambda me, o: {"parent": o.root.pk, "name": "Отдел", "short_name": "О", "kind": "division", "country": "RU"},
    ),
    (
        "web:organization_edit",
        lambda me: {"pk": me.department.pk},
        lambda me, o: {
            "parent": o.root.pk,
            "name": "Кафедра",
            "short_name": "К",
            "kind": "department",
            "country": "RU",
        },
    ),
    (
        "commission:new",
        lambda me: {},
        lambda me, o: {"organization": o.root.pk, "order_number": "2", "order_date": "2026-02-01"},
    ),
    (
        "commission:action",
        lambda me: {"pk": me.commission.pk, "action": "member-add"},
        lambda me, o: {"user": o.users[Role.COMMISSION_MEMBER].pk, "role": "member", "position": "доцент"},
    ),
    (
        "commission:action",
        lambda me: {"pk": me.commission.pk, "action": "member-remove"},
        lambda me, o: {"member": o.member.pk},
    ),
    (
        "commission:meeting_action",
        lambda me: {"pk": me.meeting.pk, "action": "agenda-add"},
        lambda me, o: {"rid": o.accepted.pk},
    ),
    (
        "commission:meeting_action",
        lambda me: {"pk": me.meeting.pk, "action": "agenda-remove"},
        lambda me, o: {"item": o.item.pk},
    ),
    (
        "commission:meeting_action",
        lambda me: {"pk": me.meeting.pk, "action": "expert-invite"},
        lambda me, o: {"item": me.item.pk, "user": o.users[Role.EXPERT].pk},
    ),
    (
        "commission:meeting_action",
        lambda me: {"pk": me.meeting.pk, "action": "attendance"},
        lambda me, o: {"member": o.member.pk, "present": "on"},
    ),
    (
        "commission:meeting_action",
        lambda me: {"pk": me.meeting.pk, "action": "votes"},
        lambda me, o: {"item": o.item.pk, f"vote-{o.member.pk}": "against"},
    ),
    (
        "commission:meeting_action",
        lambda me: {"pk": me.meeting.pk, "action": "propose"},
        lambda me, o: {"item": o.item.pk, "outcome": "postpone"},
    ),
    (
        "commission:meeting_action",
        lambda me: {"pk": me.meeting.pk, "action": "opinion"},
        lambda me, o: {"invitation": o.invitation.pk, "text": "х"},
    ),
    (
        "accounts:user_new",
        lambda me: {},
        _new_user_in_other_tree,
    ),
    (
        "accounts:user_action",
        lambda me: {"pk": me.users[Role.AUTHOR].pk, "action": "assign"},
        lambda me, o: {"organization": o.root.pk, "role": "expert"},
    ),
    (
        "accounts:user_action",
        lambda me: {"pk": me.users[Role.AUTHOR].pk, "action": "end"},
        lambda me, o: {
            "assignment": o.users[Role.AUTHOR].role_assignments.get().pk,
            "on": "2030-01-01",
            "confirm": "on",
        },
    ),
    (
        "protection:pay",
        lambda me: {"pk": _obj(me, "document").pk},
        lambda me, o: {"due": _obj(o, "due").pk, "paid_on": "2024-01-01", "amount": "1", "order_number": "1"},
    ),
    (
        "commission:meeting_action",
        lambda me: {"pk": me.meeting.pk, "action": "dissent"},
        lambda me, o: {"item": o.item.pk, "text": "х"},
    ),
    (
        "prosecution:new",
        lambda me: {"rid": _x(me, "filing_rid").pk},
        lambda me, o: {
            "office": "RU",
            "kind": "invention",
            "signatory": o.users[Role.IP_OFFICER].pk,
            "responsible": o.users[Role.IP_OFFICER].pk,
        },
    ),
    (
        "prosecution:action",
        lambda me: {"pk": _x(me, "application").pk, "action": "reassign"},
        lambda me, o: {"task": _x(o, "task").pk, "owner": me.users[Role.IP_OFFICER].pk},
    ),
    (
        "prosecution:action",
        lambda me: {"pk": _x(me, "application").pk, "action": "reassign"},
        lambda me, o: {"task": _x(me, "task").pk, "owner": o.users[Role.IP_OFFICER].pk},
    ),
    (
        "prosecution:action",
        lambda me: {"pk": _x(me, "application").pk, "action": "close"},
        lambda me, o: {"task": _x(o, "task").pk},
    ),
    (
        "prosecution:action",
        lambda me: {"pk": _x(me, "application").pk, "action": "event"},
        lambda me, o: {"code": "withdrawn", "on": "2026-01-20", "task": _x(o, "task").pk},
    ),
    (
        "prosecution:action",
        lambda me: {"pk": _x(me, "application").pk, "action": "answer"},
        lambda me, o: {"letter": _x(o, "request").pk, "sent_on": "2026-01-20"},
    ),
    (
        "prosecution:action",
        lambda me: {"pk": _x(me, "application").pk, "action": "extend"},
        lambda me, o: {"letter": _x(o, "request").pk, "until": "2099-01-20"},
    ),
]


def _schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _properties(schema: dict[str, Any], node: dict[str, Any]) -> set[str]:
    """The body's fields that carry an id (integers; a name or a text is not a target)."""
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if node.get("type") == "array":
        return _properties(schema, node.get("items", {}))
    names = {name for name, prop in node.get("properties", {}).items() if prop.get("type") == "integer"}
    for part in node.get("allOf", []) + node.get("oneOf", []):
        names |= _properties(schema, part)
    return names


def _api_name(path: str) -> str:
    """The URL name of a schema path (resolved through the URL configuration)."""
    from django.urls import resolve

    sample = path.replace("{pk}", "1").replace("{item}", "1").replace("{member}", "1").replace("{invitation}", "1")
    sample = sample.replace("{assignment}", "1").replace("{letter}", "1").replace("{id}", "1")
    sample = sample.replace("{copy}", "1").replace("{entry}", "1")
    sample = sample.replace("{kind}", "notice").replace("{name}", "vgtu")
    match = resolve(sample)
    return f"{match.namespace}:{match.url_name}"


def test_every_write_naming_an_object_is_tried_across_the_boundary() -> None:
    schema = _schema()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue
            body = operation.get("requestBody", {}).get("content", {})
            fields: set[str] = set()
            for media in body.values():
                fields |= _properties(schema, media.get("schema", {}))
            if fields & TARGET_FIELDS and (method.upper(), _api_name(path)) not in TARGET_WRITES:
                missing.append(f"{method.upper()} {path} ({sorted(fields & TARGET_FIELDS)})")
    assert not missing, f"add these writes to TARGET_WRITES in {__file__}: {missing}"


@pytest.mark.parametrize("direction", ["a→b", "b→a"])
def test_no_write_attaches_or_moves_anything_across(worlds: tuple[World, World], direction: str) -> None:
    a, b = worlds
    me, other = (b, a) if direction == "a→b" else (a, b)
    client = _client(me.everyone)
    before = ChangeRecord.objects.count()
    problems = []
    for (method, name), cases in TARGET_WRITES.items():
        for path_kwargs, body in cases:
            url = reverse(name, kwargs=path_kwargs(me))
            payload = body(me, other)
            if name in ("api:rid-import-file", "api:protection-document-import-file"):
                payload = {**payload, "file": SimpleUploadedFile("r.csv", "Вид РИД;Наименование\n".encode())}
                response = client.post(url, payload)
            else:
                response = getattr(client, method.lower())(url, payload, content_type="application/json")
            text = _text(response)
            if response.status_code < 400 or response.status_code >= 500 or other.tag in text:
                problems.append(f"{method} {name}: {response.status_code}, leaks={other.tag in text}: {text[:300]}")
    for name, path_kwargs, body in PAGE_TARGET_WRITES:
        data = body(me, other)
        if name == "registry:import":
            data = {**data, "file": SimpleUploadedFile("r.csv", "Вид РИД;Наименование\n".encode())}
        response = client.post(reverse(name, kwargs=path_kwargs(me)), data)
        text = _text(response)
        if response.status_code >= 500 or other.tag in text:
            problems.append(f"page {name} {data}: {response.status_code}, leaks={other.tag in text}")
    assert not problems, "\n".join(problems)
    assert ChangeRecord.objects.count() == before, list(
        ChangeRecord.objects.order_by("-id").values_list("object_repr", flat=True)[
            : ChangeRecord.objects.count() - before
        ]
    )
    assert not other.meeting.items.exclude(pk=other.item.pk).exists()
    assert other.commission.members.count() == 7


def test_the_admin_is_for_superusers_only(worlds: tuple[World, World]) -> None:
    a, _ = worlds
    a.everyone.is_staff = True  # staff, with every role: still not the installation's superuser
    a.everyone.save()
    client = _client(a.everyone)
    for name, pattern in _url_patterns():
        if not name.startswith("admin:") or _params(pattern) or name in ("admin:logout", "admin:login"):
            continue
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], name
