"""Choices of the prosecution app and the one table of stage transitions (data in code, pinned by tests).

An application's stage changes only when an event is recorded (:func:`ridbook.prosecution.services.event_record`):
:data:`TRANSITIONS` says, per procedure, from which stages an event may be recorded and to which stage it moves the
application (``None``: the event is recorded and the stage stays). Anything else is refused with a Russian message.
Event codes are those of the docket engine (``ridbook.protection.rules.events``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Office(models.TextChoices):
    RU = "RU", _("Роспатент (RU)")
    EAPO = "EAPO", _("Евразийское патентное ведомство (ЕАПВ)")
    PCT = "PCT", _("международная заявка PCT (ВОИС)")
    FOREIGN = "foreign", _("иностранное патентное ведомство")


class ApplicationKind(models.TextChoices):
    """Вид охраны: из решения комиссии (``Rid.protection_form``), можно изменить."""

    INVENTION = "invention", _("патент на изобретение")
    UTILITY_MODEL = "utility_model", _("патент на полезную модель")
    INDUSTRIAL_DESIGN = "industrial_design", _("патент на промышленный образец")
    SOFTWARE = "software", _("государственная регистрация программы для ЭВМ")
    DATABASE = "database", _("государственная регистрация базы данных")


class PriorityKind(models.TextChoices):
    CONVENTION = "convention", _("конвенционный приоритет")
    EARLIER = "earlier", _("по более ранней заявке")
    EXHIBITION = "exhibition", _("выставочный приоритет")


class Stage(models.TextChoices):
    PREPARED = "prepared", _("заявка готовится")
    FILED = "filed", _("заявка подана")
    FORMAL_EXAMINATION = "formal_examination", _("формальная экспертиза")
    SUBSTANTIVE_EXAMINATION = "substantive_examination", _("экспертиза по существу")
    FORMAL_CHECK = "formal_check", _("проверка документов заявки")
    DECISION_GRANT = "decision_grant", _("решение о выдаче патента")
    DECISION_REFUSE = "decision_refuse", _("решение об отказе")
    GRANTED = "granted", _("патент выдан")
    REGISTERED = "registered", _("зарегистрировано")
    WITHDRAWN = "withdrawn", _("заявка отозвана")
    DEEMED_WITHDRAWN = "deemed_withdrawn", _("заявка признана отозванной")
    APPEALED = "appealed", _("возражение в Палате по патентным спорам")
    RESTORED = "restored", _("срок восстановлен")


class Procedure(models.TextChoices):
    INVENTION = "invention", _("изобретение")
    PATENT = "patent", _("полезная модель, промышленный образец")
    REGISTRATION = "registration", _("программа для ЭВМ, база данных")


PROCEDURE_OF_KIND = {
    ApplicationKind.INVENTION: Procedure.INVENTION,
    ApplicationKind.UTILITY_MODEL: Procedure.PATENT,
    ApplicationKind.INDUSTRIAL_DESIGN: Procedure.PATENT,
    ApplicationKind.SOFTWARE: Procedure.REGISTRATION,
    ApplicationKind.DATABASE: Procedure.REGISTRATION,
}

S = Stage
_PATENT_MAIN = [S.PREPARED, S.FILED, S.FORMAL_EXAMINATION]
_PATENT_END = [S.DECISION_GRANT, S.DECISION_REFUSE, S.GRANTED, S.WITHDRAWN, S.DEEMED_WITHDRAWN, S.APPEALED, S.RESTORED]

# the stages of each procedure, in the order of the procedure
STAGES: dict[str, list[Stage]] = {
    Procedure.INVENTION: [*_PATENT_MAIN, S.SUBSTANTIVE_EXAMINATION, *_PATENT_END],
    Procedure.PATENT: [*_PATENT_MAIN, *_PATENT_END],
    Procedure.REGISTRATION: [S.PREPARED, S.FILED, S.FORMAL_CHECK, S.REGISTERED, S.DECISION_REFUSE, S.WITHDRAWN],
}

FINAL = frozenset({S.GRANTED, S.REGISTERED, S.WITHDRAWN})


# event codes (the docket engine's, ``ridbook.protection.rules.events``)
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

# recorded through the correspondence (a letter, its answer, its extension), never as a bare event
THROUGH_LETTERS = frozenset({FORMAL_EXAM_REQUEST, OFFICE_REQUEST, OFFICE_REQUEST_ANSWERED, EXTENSION_REQUESTED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Stage]
    target: Stage | None  # None: the stage stays


def _t(sources: Iterable[Stage], target: Stage | None) -> Transition:
    return Transition(frozenset(sources), target)


_PENDING_PATENT = [S.FILED, S.FORMAL_EXAMINATION, S.RESTORED]
_EXAMINED = [S.FILED, S.FORMAL_EXAMINATION, S.SUBSTANTIVE_EXAMINATION, S.RESTORED, S.APPEALED]
_ALIVE_PATENT = [S.FILED, S.FORMAL_EXAMINATION, S.SUBSTANTIVE_EXAMINATION, S.DECISION_GRANT, S.DECISION_REFUSE]
_ALIVE_PATENT += [S.APPEALED, S.RESTORED]


def _patent(*, invention: bool) -> dict[str, Transition]:
    examined = _EXAMINED if invention else [s for s in _EXAMINED if s != S.SUBSTANTIVE_EXAMINATION]
    alive = _ALIVE_PATENT if invention else [s for s in _ALIVE_PATENT if s != S.SUBSTANTIVE_EXAMINATION]
    table = {
        FILED: _t([S.PREPARED], S.FILED),
        PRIORITY_CLAIMED: _t([S.PREPARED, *alive], None),
        FORMAL_EXAM_REQUEST: _t([S.FILED, S.FORMAL_EXAMINATION, S.RESTORED], S.FORMAL_EXAMINATION),
        FORMAL_EXAM_PASSED: _t(_PENDING_PATENT, S.FORMAL_EXAMINATION),
        # inventions: the substantive examination is on request (Civil Code art. 1386 p. 1); the decision follows it
        DECISION_TO_GRANT: _t(
            [S.SUBSTANTIVE_EXAMINATION, S.APPEALED, S.RESTORED] if invention else examined, S.DECISION_GRANT
        ),
        DECISION_TO_REFUSE: _t(
            [S.SUBSTANTIVE_EXAMINATION, S.RESTORED] if invention else [s for s in examined if s != S.APPEALED],
            S.DECISION_REFUSE,
        ),
        GRANTED: _t([S.DECISION_GRANT], S.GRANTED),
        PUBLISHED: _t([*alive, S.GRANTED], None),
        WITHDRAWN: _t([s for s in alive if s != S.DECISION_REFUSE], S.WITHDRAWN),
        DEEMED_WITHDRAWN: _t([s for s in alive if s not in (S.DECISION_REFUSE, S.APPEALED)], S.DEEMED_WITHDRAWN),
        APPEAL_FILED: _t([S.DECISION_REFUSE], S.APPEALED),
        RESTORED: _t([S.DEEMED_WITHDRAWN], S.RESTORED),
        FEE_PAID: _t([*alive, S.GRANTED], None),
    }
    if invention:
        table[SUBSTANTIVE_EXAM_REQUESTED] = _t(_PENDING_PATENT, S.SUBSTANTIVE_EXAMINATION)
    return table


_REGISTRATION_ALIVE = [S.FILED, S.FORMAL_CHECK]

TRANSITIONS: dict[str, dict[str, Transition]] = {
    Procedure.INVENTION: _patent(invention=True),
    Procedure.PATENT: _patent(invention=False),
    Procedure.REGISTRATION: {
        FILED: _t([S.PREPARED], S.FILED),
        FORMAL_EXAM_REQUEST: _t(_REGISTRATION_ALIVE, S.FORMAL_CHECK),
        FORMAL_EXAM_PASSED: _t(_REGISTRATION_ALIVE, S.FORMAL_CHECK),
        REGISTERED: _t(_REGISTRATION_ALIVE, S.REGISTERED),
        DECISION_TO_REFUSE: _t(_REGISTRATION_ALIVE, S.DECISION_REFUSE),
        PUBLISHED: _t([*_REGISTRATION_ALIVE, S.REGISTERED], None),
        WITHDRAWN: _t(_REGISTRATION_ALIVE, S.WITHDRAWN),
        FEE_PAID: _t([S.PREPARED, *_REGISTRATION_ALIVE], None),
    },
}

# the correspondence: an office letter may be received and answered while the application is pending
CORRESPONDENCE_STAGES = frozenset(
    {
        S.FILED,
        S.FORMAL_EXAMINATION,
        S.SUBSTANTIVE_EXAMINATION,
        S.FORMAL_CHECK,
        S.DECISION_GRANT,
        S.DECISION_REFUSE,
        S.APPEALED,
        S.RESTORED,
        S.DEEMED_WITHDRAWN,
    }
)


class LetterDirection(models.TextChoices):
    INCOMING = "incoming", _("входящее")
    OUTGOING = "outgoing", _("исходящее")


class LetterKind(models.TextChoices):
    REQUEST = "request", _("запрос")
    FORMAL_REQUEST = "formal_request", _("запрос формальной экспертизы")
    NOTIFICATION = "notification", _("уведомление")
    DECISION = "decision", _("решение")
    ANSWER = "answer", _("ответ на запрос")


INCOMING_KINDS = (LetterKind.REQUEST, LetterKind.FORMAL_REQUEST, LetterKind.NOTIFICATION, LetterKind.DECISION)
# letters with a response term: answered, extended; each one a docket fact (its event code)
REQUEST_KINDS = {LetterKind.REQUEST: OFFICE_REQUEST, LetterKind.FORMAL_REQUEST: FORMAL_EXAM_REQUEST}


class TaskState(models.TextChoices):
    OPEN = "open", _("открыта")
    DONE = "done", _("выполнена")
    ABORTED = "aborted", _("снята")
