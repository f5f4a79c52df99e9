"""Event codes of an application's or a protection document's life: the triggers and closers of the docket.

A :class:`ridbook.protection.rules.docket.Fact` carries one of these codes. The codes are data (they appear in the
policy files' ``[[docket]]`` rules), the labels are what users read.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FILED = "filed"
PRIORITY_CLAIMED = "priority_claimed"
FORMAL_EXAM_REQUEST = "formal_exam_request"
FORMAL_EXAM_PASSED = "formal_exam_passed"
SUBSTANTIVE_EXAM_REQUESTED = "substantive_exam_requested"
OFFICE_REQUEST = "office_request"
OFFICE_REQUEST_ANSWERED = "office_request_answered"
EXTENSION_REQUESTED = "extension_requested"
DECISION_TO_GRANT = "decision_to_grant"
DECISION_TO_REFUSE = "decision_to_refuse"
GRANTED = "granted"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
DEEMED_WITHDRAWN = "deemed_withdrawn"
APPEAL_FILED = "appeal_filed"
RESTORED = "restored"
REGISTERED = "registered"
FEE_PAID = "fee_paid"
LAPSED = "lapsed"
EXPIRED = "expired"

TERM_END = "term_end"
"""Not an event: ``recurring_yearly_until = "term_end"`` repeats a rule until the end of the right's term."""

EVENT_LABELS: dict[str, Promise] = {
    FILED: _("заявка подана"),
    PRIORITY_CLAIMED: _("заявлен приоритет"),
    FORMAL_EXAM_REQUEST: _("запрос формальной экспертизы"),
    FORMAL_EXAM_PASSED: _("формальная экспертиза завершена положительно"),
    SUBSTANTIVE_EXAM_REQUESTED: _("подано ходатайство об экспертизе по существу"),
    OFFICE_REQUEST: _("запрос или уведомление ведомства"),
    OFFICE_REQUEST_ANSWERED: _("ответ на запрос ведомства отправлен"),
    EXTENSION_REQUESTED: _("запрошено продление срока ответа"),
    DECISION_TO_GRANT: _("решение о выдаче патента"),
    DECISION_TO_REFUSE: _("решение об отказе"),
    GRANTED: _("патент выдан"),
    PUBLISHED: _("заявка опубликована"),
    WITHDRAWN: _("заявка отозвана"),
    DEEMED_WITHDRAWN: _("заявка признана отозванной"),
    APPEAL_FILED: _("подано возражение в Палату по патентным спорам"),
    RESTORED: _("срок или действие восстановлены"),
    REGISTERED: _("зарегистрировано (программа для ЭВМ, база данных)"),
    FEE_PAID: _("пошлина уплачена"),
    LAPSED: _("действие прекращено из-за неуплаты пошлины"),
    EXPIRED: _("срок действия истёк"),
}
"""Every event code with its label, in the order of an application's life."""

EVENT_CODES: frozenset[str] = frozenset(EVENT_LABELS)

EVENT_CHOICES: list[tuple[str, Promise]] = list(EVENT_LABELS.items())
"""``choices`` for a model or form field holding an event code."""


def event_label(code: str) -> str:
    """The label users read; the code itself for an unknown one."""
    label = EVENT_LABELS.get(code)
    return str(label) if label is not None else code
