from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.prosecution import engine
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import Rid


def docket_rule(**values: Any) -> Any:
    """A test-local docket rule (the engine's DocketRule), never a figure of the policy data."""
    defaults: dict[str, Any] = {
        "code": "test_rule",
        "title": "Тестовая задача",
        "trigger": "filed",
        "source": "тестовое правило",
        "verified": True,
    }
    return engine.docket_module().DocketRule(**{**defaults, **values})


ANSWER_RULE = {
    "code": "answer_office_request",
    "title": "Ответить на запрос ведомства",
    "trigger": "office_request",
    "closes_on": ("office_request_answered",),
    "abort_on": ("withdrawn",),
    "source": "тест: срок из письма",
    "verified": False,
}
EXAM_RULE = {
    "code": "request_examination",
    "title": "Подать ходатайство об экспертизе по существу",
    "trigger": "filed",
    "months": 6,
    "kinds": ("invention",),
    "closes_on": ("substantive_exam_requested",),
    "abort_on": ("withdrawn",),
    "source": "тест: 6 месяцев с подачи",
    "verified": True,
}


@pytest.fixture
def test_rules(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The docket of every policy replaced by two test-local rules (a list the test may change)."""
    rules = [docket_rule(**ANSWER_RULE), docket_rule(**EXAM_RULE)]
    monkeypatch.setattr(engine, "rules_for", lambda policy, on=None: list(rules))
    return rules


@pytest.fixture
def officer(personas: dict[Role, Any]) -> Any:
    return personas[Role.IP_OFFICER]


def with_filing_packet(rid: Rid) -> Rid:
    """The packet's documents that filing asks for (ru-default's `[packet.filing]` and the notice)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ridbook.registry.models import PacketDocument

    for kind in ("notice", "application_form", "patent_search_report"):
        PacketDocument.objects.create(rid=rid, kind=kind, file=SimpleUploadedFile(f"{kind}.txt", b"document"))
    return rid


@pytest.fixture
def decided_rid(org_tree: dict[str, Any]) -> Rid:
    return with_filing_packet(
        Rid.objects.create(
            number="РИД-2026-00077",
            kind="invention",
            title="Способ контроля износа",
            organization=org_tree["department"],
            status=RidStatus.FILING,
            protection_form="invention",
            decided_on=timezone.localdate() - timedelta(days=200),
        )
    )


def days_ago(n: int) -> Any:
    return timezone.localdate() - timedelta(days=n)
