"""Протокол заседания (ВГТУ, приложение 1) — DOCX; PDF, где установлен LibreOffice.

``protocol_docx(meeting)`` renders the protocol from what is stored: the header (ministry, the full name of the
legal entity the commission belongs to — as the registry's documents print it), «ПРОТОКОЛ № N», the place,
«заседания комиссии по интеллектуальной собственности», the date; «В составе:» — the members in the order chair,
deputy, secretary, members («ФИО – роль; (должность)», the snapshot of the attendance list once the meeting is
open); who was present and who was absent (excused or not); the quorum line; the invited experts; ПОВЕСТКА; for each
item СЛУШАЛИ / ВЫСТУПИЛИ (with the experts' written opinions) / ПОСТАНОВИЛИ, the vote and its result; the signature
lines of the chair and the secretary («подписано электронно …» once signed); the dissenting opinions as an
attachment. A protocol not yet signed by both is marked «ПРОЕКТ» at the top.

``services._finalize`` calls ``protocol_docx`` inside the signing transaction, before the records are locked: this
module only reads. ``protocol_pdf`` converts the DOCX (the stored, signed one when there is one) with
``soffice --headless --convert-to pdf`` and returns ``None`` where LibreOffice is not installed.

The packaged template is ``document_templates/protocol.docx``, built by ``document_templates/build_templates.py``
(edit the script and rerun it). An organization uses its own version by putting ``protocol.docx`` into
``MEDIA_ROOT/document_templates/<organization id>/`` (the nearest organization above the commission's one counts
too). The variables (strings unless noted): ``is_draft`` (bool), ``ministry``, ``legal_entity_name``,
``organization_name``, ``commission_title``, ``commission_genitive``, ``number``, ``year``, ``place``, ``date``,
``time``, ``composition`` (dicts ``number full_name short_name role position attendance``), ``present``,
``absent``, ``quorum``, ``experts`` (dicts ``full_name position item_numbers``), ``items`` (dicts ``number title heard
spoke opinions resolution votes_for votes_against abstained result dissents dissent_note``; ``opinions``: dicts
``full_name position text``; ``dissents``: bool), ``dissents`` (dicts ``item full_name short_name role position
text date``), ``chair_name``, ``chair_signed`` (bool), ``chair_signed_at``, ``chair_signed_by`` and the same for
``secretary_``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import Counter
from datetime import datetime
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zipfile import BadZipFile

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ridbook.commission.choices import Absence, ApproverVerdict, MeetingStatus, MemberRole, VoteChoice
from ridbook.commission.models import AgendaItem, Attendance, CommissionMember, Dissent, ExpertInvitation, Meeting
from ridbook.commission.selectors import active_members, sorted_members
from ridbook.commission.services import after_the_fact_note, item_is_effective, meeting_quorum, resolution_text
from ridbook.core.errors import DomainError
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import ancestors
from ridbook.registry.documents import DASH, OVERRIDES_SUBDIR, _legal_entity, show

PACKAGED_TEMPLATE = Path(__file__).resolve().parent / "document_templates" / "protocol.docx"
FILE_NAME = PACKAGED_TEMPLATE.name
MINISTRY = "Министерство науки и высшего образования Российской Федерации"  # i18n: ru-only (protocol text)
PDF_TIMEOUT_SECONDS = 60
PROTOCOL_LANGUAGE = "ru"  # the protocol is an official Russian document: its labels are never translated


# --- names and dates ------------------------------------------------------------------------------------------------


def initials_name(user: Any) -> str:
    """«П.С. Иванов» — как под подписью в протоколе."""
    initials = "".join(f"{part[0]}." for part in (user.first_name, user.middle_name) if part)
    return " ".join(part for part in (initials, user.last_name) if part) or user.username


def _moment(value: datetime | None) -> str:
    if value is None:
        return DASH
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%d.%m.%Y %H:%M}"


def _commission_genitive(title: str) -> str:
    """«Комиссия по интеллектуальной собственности» → «комиссии по интеллектуальной собственности»."""
    clean = show(title)
    if clean.lower().startswith("комиссия"):  # i18n: ru-only (protocol text)
        return "комиссии" + clean[len("комиссия") :]  # i18n: ru-only (protocol text)
    return f"комиссии «{clean}»"  # i18n: ru-only (protocol text)


# --- context ----------------------------------------------------------------------------------------------------------


def _seats(meeting: Meeting) -> list[Any]:
    """The composition on the meeting's date: the attendance list once open, else today's active members.

    Each seat has ``role``, ``user``, ``pk`` (as :func:`sorted_members` wants), ``position`` and ``row`` (the
    :class:`Attendance`, ``None`` before the meeting is opened).
    """
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("member__user"))
    if rows:
        seats = [
            SimpleNamespace(role=r.role, user=r.member.user, pk=r.member_id, position=r.position, row=r) for r in rows
        ]
    else:
        members: list[CommissionMember] = list(active_members(meeting.commission))
        seats = [SimpleNamespace(role=m.role, user=m.user, pk=m.pk, position=m.position, row=None) for m in members]
    return sorted_members(seats)


def _attendance_state(row: Attendance | None) -> str:
    if row is None or row.present is None:
        return "явка не отмечена"  # i18n: ru-only (protocol text)
    if row.present:
        return "присутствует"  # i18n: ru-only (protocol text)
    return str(Absence(row.absence).label) if row.absence else "отсутствует"  # i18n: ru-only (protocol text)


def _attendance(seats: list[Any]) -> tuple[str, str]:
    """«Присутствовали: 6 из 7 членов комиссии» and the absent with the reason."""
    if all(seat.row is None for seat in seats):
        return "заседание не открыто, явка не отмечена", DASH  # i18n: ru-only (protocol text)
    present = [seat for seat in seats if seat.row is not None and seat.row.present]
    absent = [seat for seat in seats if seat.row is None or not seat.row.present]
    names = ", ".join(initials_name(seat.user) for seat in present)
    present_line = f"{len(present)} из {len(seats)} членов комиссии"  # i18n: ru-only (protocol text)
    if names:
        present_line += f" ({names})"
    absent_line = "; ".join(f"{seat.user.full_name} – {_attendance_state(seat.row)}" for seat in absent)
    absent_line = absent_line or "нет"  # i18n: ru-only (protocol text)
    return present_line, absent_line


def _with_position(position: str) -> str:
    return f", {show(position)}" if position.strip() else ""


def _experts(invitations: list[ExpertInvitation], numbers: dict[int, int]) -> list[dict[str, str]]:
    by_user: dict[int, dict[str, Any]] = {}
    for inv in invitations:
        entry = by_user.setdefault(
            inv.user_id, {"full_name": inv.user.full_name, "position": _with_position(inv.position), "numbers": []}
        )
        entry["numbers"].append(numbers[inv.item_id])
    return [
        {
            "full_name": e["full_name"],
            "position": e["position"],
            "item_numbers": ", ".join(map(str, sorted(e["numbers"]))),
        }
        for e in by_user.values()
    ]


def _opinion(inv: ExpertInvitation) -> dict[str, str] | None:
    if inv.opinion.strip():
        text = show(inv.opinion)
    elif inv.opinion_file:
        file_name = Path(inv.opinion_file.name or "").name
        text = f"представлено файлом «{file_name}», прилагается к протоколу"  # i18n: ru-only (protocol text)
    else:
        return None
    return {"full_name": inv.user.full_name, "position": _with_position(inv.position), "text": text}


def _dissent_note(meeting: Meeting, item: AgendaItem, dissents: list[Dissent]) -> str:
    names = ", ".join(d.member.user.full_name for d in dissents)
    note = f"К решению приложено особое мнение ({names}; см. приложение к протоколу)."  # i18n: ru-only (protocol text)
    resolution = getattr(meeting, "resolution", None)
    if item_is_effective(item) and resolution is not None:
        return (
            f"{note} Решение утверждено: {resolution.by_label}, {show(resolution.at)}."  # i18n: ru-only (protocol text)
        )
    if resolution is not None and resolution.verdict == ApproverVerdict.RE_REVIEW:
        return (
            f"{note} Решение возвращено утверждающим на повторное рассмотрение с привлечением экспертов: "  # i18n: ru-only (protocol text)
            f"{resolution.by_label}, {show(resolution.at)}."
        )
    return f"{note} Решение вступает в силу после утверждения руководителем организации (ВГТУ 5.4.4)."  # i18n: ru-only (protocol text)


def _items(
    meeting: Meeting, items: list[AgendaItem], invitations: list[ExpertInvitation], roles: dict[int, str]
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The items as the protocol prints them, and the dissenting opinions for the attachment."""
    numbers = {item.pk: item.order for item in items}
    dissents = list(
        Dissent.objects.filter(item__meeting=meeting).select_related("member__user").order_by("item__order", "at")
    )
    rows = []
    for item in items:
        counts = Counter(item.votes.values_list("choice", flat=True))
        own = [d for d in dissents if d.item_id == item.pk]
        opinions = [op for inv in invitations if inv.item_id == item.pk and (op := _opinion(inv)) is not None]
        rows.append(
            {
                "number": str(item.order),
                "title": show(item.title),
                "heard": show(item.heard or item.title),
                "spoke": show(item.spoke),
                "opinions": opinions,
                "resolution": resolution_text(item),
                "votes_for": str(counts[VoteChoice.FOR]),
                "votes_against": str(counts[VoteChoice.AGAINST]),
                "abstained": str(counts[VoteChoice.ABSTAIN]),
                "result": show(item.result_text)
                if item.result_text
                else "Итоги голосования не подведены.",  # i18n: ru-only (protocol text)
                "dissents": bool(own),
                "dissent_note": _dissent_note(meeting, item, own) if own else "",
            }
        )
    attached = [
        {
            "item": str(numbers[d.item_id]),
            "full_name": d.member.user.full_name,
            "short_name": initials_name(d.member.user),
            "role": str(MemberRole(roles.get(d.member_id, d.member.role)).label),
            "position": show(d.member.position),
            "text": show(d.text),
            "date": show(d.at),
        }
        for d in dissents
    ]
    return rows, attached


def protocol_context(meeting: Meeting) -> dict[str, Any]:
    """Everything the template prints, as plain strings (dates ДД.ММ.ГГГГ, empty values «—»); in Russian, whatever
    the language of the page that asks (the protocol is an official Russian document)."""
    with translation.override(PROTOCOL_LANGUAGE):
        return _protocol_context(meeting)


def _protocol_context(meeting: Meeting) -> dict[str, Any]:
    commission = meeting.commission
    seats = _seats(meeting)
    roles = {seat.pk: seat.role for seat in seats}
    present, absent = _attendance(seats)
    items = list(meeting.items.order_by("order"))
    invitations = list(ExpertInvitation.objects.filter(item__meeting=meeting).select_related("user").order_by("pk"))
    item_rows, attached = _items(meeting, items, invitations, roles)

    def holder(role: str) -> str:
        seat = next((s for s in seats if s.role == role), None)
        return initials_name(seat.user) if seat else "И.О. Фамилия"  # i18n: ru-only (protocol text)

    signed = meeting.status == MeetingStatus.SIGNED and bool(meeting.chair_signed_at and meeting.secretary_signed_at)
    return {
        "is_draft": not signed,
        "ministry": MINISTRY,
        "legal_entity_name": _legal_entity(commission.organization).name,
        "organization_name": commission.organization.name,
        "commission_title": show(commission.title),
        "commission_genitive": _commission_genitive(commission.title),
        "number": str(meeting.number),
        "year": str(meeting.year),
        "place": show(meeting.place),
        "date": show(meeting.date),
        "time": f"{meeting.time:%H:%M}",
        "composition": [
            {
                "number": str(n),
                "full_name": seat.user.full_name,
                "short_name": initials_name(seat.user),
                "role": str(MemberRole(seat.role).label),
                "position": show(seat.position),
                "attendance": _attendance_state(seat.row),
            }
            for n, seat in enumerate(seats, start=1)
        ],
        "present": present,
        "absent": absent,
        "quorum": meeting_quorum(meeting).message,
        "entered_after_fact": after_the_fact_note(meeting),
        "opened_unnotified": (
            "Уведомления о заседании не рассылались; заседание открыто с подтверждения: "  # i18n: ru-only (protocol)
            f"{meeting.opened_unnotified_by}."
            if meeting.opened_unnotified_by
            else ""
        ),
        "experts": _experts(invitations, {item.pk: item.order for item in items}),
        "items": item_rows,
        "dissents": attached,
        "chair_name": holder(MemberRole.CHAIR),
        "chair_signed": meeting.chair_signed_at is not None,
        "chair_signed_at": _moment(meeting.chair_signed_at),
        "chair_signed_by": show(meeting.chair_signed_by),
        "secretary_name": holder(MemberRole.SECRETARY),
        "secretary_signed": meeting.secretary_signed_at is not None,
        "secretary_signed_at": _moment(meeting.secretary_signed_at),
        "secretary_signed_by": show(meeting.secretary_signed_by),
    }


# --- template, DOCX, PDF ----------------------------------------------------------------------------------------------


def template_path(*, organization: Organization, organization_template_dir: Path | str | None = None) -> Path:
    """The organization's own ``protocol.docx``, else the nearest one above it, else the packaged one."""
    root = Path(organization_template_dir or Path(settings.MEDIA_ROOT) / OVERRIDES_SUBDIR)
    overrides = (root / str(org.pk) / FILE_NAME for org in ancestors(organization))
    return next((path for path in overrides if path.is_file()), PACKAGED_TEMPLATE)


def protocol_docx(meeting: Meeting, *, organization_template_dir: Path | str | None = None) -> bytes:
    """The protocol as .docx bytes, from what is stored (only reads: safe inside the signing transaction)."""
    meeting = Meeting.objects.select_related("commission__organization").get(pk=meeting.pk)
    context = protocol_context(meeting)
    path = template_path(
        organization=meeting.commission.organization, organization_template_dir=organization_template_dir
    )
    try:
        document = DocxTemplate(str(path))
        with translation.override(PROTOCOL_LANGUAGE):
            document.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    except (TemplateError, BadZipFile, PackageNotFoundError, KeyError) as exc:
        raise DomainError(
            _(
                "Шаблон протокола «%(path)s» не удалось заполнить: %(error)s. Исправьте шаблон организации или "
                "удалите его, чтобы использовать стандартный."
            )
            % {"path": path, "error": exc},
            code="document_template_error",
        ) from exc
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _office() -> str | None:
    """LibreOffice with its Writer (a DOCX opens in Writer: Calc or Impress alone cannot convert it)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    program = Path(office).resolve().parent
    return office if (program / "libswlo.so").exists() or (program / "swlo.dll").exists() else None


def pdf_available() -> bool:
    """Can this server make a PDF of a protocol? The page offers the PDF button only then."""
    return _office() is not None


def protocol_pdf(meeting: Meeting) -> bytes | None:
    """The protocol as PDF (the stored signed DOCX when there is one); ``None`` where LibreOffice is absent."""
    office = _office()
    if office is None:
        return None
    meeting = Meeting.objects.get(pk=meeting.pk)
    if meeting.protocol_docx:
        with meeting.protocol_docx.open("rb") as stored:
            content = stored.read()
    else:
        content = protocol_docx(meeting)
    with tempfile.TemporaryDirectory(prefix="ridbook-protocol-") as tmp:
        folder = Path(tmp)
        source = folder / "protocol.docx"
        source.write_bytes(content)
        command = [
            office,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",  # own profile: parallel runs do not collide
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDF_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise DomainError(
                _("PDF протокола не сформирован: LibreOffice не ответил за %(seconds)s с.")
                % {"seconds": PDF_TIMEOUT_SECONDS},
                code="pdf_failed",
            ) from exc
        except (subprocess.CalledProcessError, OSError) as exc:
            raise DomainError(
                _("PDF протокола не сформирован: %(error)s.") % {"error": exc}, code="pdf_failed"
            ) from exc
        target = folder / "protocol.pdf"
        if not target.is_file():
            raise DomainError(_("PDF протокола не сформирован: LibreOffice не создал файл."), code="pdf_failed")
        return target.read_bytes()


def download_name(meeting: Meeting, ext: str) -> str:
    """«Протокол № 3-2026 от 15.03.2026.docx»; an unsigned one is «Проект протокола …»."""
    signed = meeting.status == MeetingStatus.SIGNED
    kind = "Протокол" if signed else "Проект протокола"  # i18n: ru-only (the name of the Russian document)
    when = f"{meeting.date:%d.%m.%Y}"
    return f"{kind} № {meeting.number}-{meeting.year} от {when}.{ext.lstrip('.')}"  # i18n: ru-only (document name)
