"""Уведомления: одно письмо каждому, кого касается событие, — и никогда второе по тому же событию.

Domain apps say what happened and to whom; this module decides whether a letter can go (an e-mail, the person's
own choice), records it, and sends it after the commit::

    notify(
        event=f"registry.rid:{rid.pk}:returned:{event.pk}",
        about=f"registry.rid:{rid.pk}",
        kind="notice_returned",
        organization=rid.organization,
        addressees=[Addressee.of_person(a.person) for a in rid.authorships.all()],
        compose=lambda who: Message(subject=..., body=...),
        url=f"/registry/{rid.pk}/",
    )

The task in «Мои задачи и сроки» comes from the state itself (the deadline providers), so it stays when e-mail is
off or missing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ridbook.audit.context import acting_as
from ridbook.notifications.models import NOT_NOTIFIED, Letter, LetterState, Preference

logger = logging.getLogger("ridbook.notifications")


@dataclass(frozen=True)
class Addressee:
    """Кому: a user, a person of the registry (an author), or a bare address (an invitee)."""

    key: str
    name: str
    email: str
    user: Any = None
    capacity: Any = ""  # a lazy label: it is read in the letter's language
    party: Any = None  # the user or the person, for the greeting's gender and name

    @classmethod
    def of_user(cls, user: Any, capacity: Any = "") -> Addressee:
        return cls(f"user:{user.pk}", user.full_name, (user.email or "").strip(), user, capacity, user)

    @classmethod
    def of_person(cls, person: Any, capacity: Any = "") -> Addressee:
        user = person.user
        email = (person.email or (user.email if user else "") or "").strip()
        key = f"user:{user.pk}" if user else f"person:{person.pk}"
        return cls(key, person.full_name, email, user, capacity, person)

    @property
    def greeting(self) -> str:
        """«Уважаемая Ольга Петровна!» — by name and patronymic where both are known, in the right gender."""
        from ridbook.core.russian import of

        first = getattr(self.party, "first_name", "") or ""
        middle = getattr(self.party, "middle_name", "") or ""
        name = f"{first} {middle}" if first and middle else self.name
        gender = of(self.party) if self.party is not None else None
        if gender == "f":
            return _("Уважаемая %(name)s!") % {"name": name}
        if gender == "m":
            return _("Уважаемый %(name)s!") % {"name": name}
        return _("Уважаемый(ая) %(name)s!") % {"name": name}

    def letter(self, subject: str, body: str) -> Message:
        """A letter to this addressee: the greeting, then ``body``."""
        return Message(subject=subject, body=f"{self.greeting}\n\n{body}")


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    attachment: tuple[str, bytes, str] | None = None  # (file name, content, MIME type)


def preference_of(user: Any) -> Preference:
    """The user's settings (the defaults — letters on, Russian — until he changes them)."""
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def preference_save(*, actor: Any, email_enabled: bool, language: str) -> Preference:
    """A person turns his own letters off or on, and chooses their language. Journaled."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    with transaction.atomic(), acting_as(actor):
        preference, _created = Preference.objects.get_or_create(user=actor)
        preference.email_enabled, preference.language = email_enabled, language
        preference.save()
    return preference


def _footer(url: str) -> str:
    site = settings.SITE_URL.rstrip("/")
    lines = ["", "—", _("ridbook, система учёта РИД.")]
    if url:
        lines.append(_("Открыть: %(link)s") % {"link": f"{site}{url}"})
    lines.append(_("Ваши задачи и сроки: %(link)s") % {"link": f"{site}/"})
    lines.append(
        _("Отключить письма можно на странице «Мои уведомления»: %(link)s") % {"link": f"{site}/notifications/"}
    )
    return "\n".join(lines) + "\n"


def notify(
    *,
    event: str,
    about: str,
    kind: str,
    organization: Any,
    addressees: Iterable[Addressee],
    compose: Callable[[Addressee], Message],
    url: str = "",
) -> list[Letter]:
    """Records one letter to each addressee of ``event`` that has none yet, and sends the letters after the commit.

    Someone without an e-mail, or who turned letters off, gets a record too (so the page can name him as not
    notified) but no letter. Returns the letters recorded now."""
    recorded: list[Letter] = []
    seen: set[str] = set()
    item = Outgoing(event, about, kind, organization, (), compose, url)
    for who in addressees:
        if who.key in seen or Letter.objects.filter(event=event, recipient_key=who.key).exists():
            continue
        seen.add(who.key)
        letter = _letter(item, who, preference_of(who.user) if who.user is not None else None)
        try:
            with transaction.atomic():
                letter.save()
        except IntegrityError:  # a concurrent run recorded it first: still only one letter
            continue
        recorded.append(letter)
    queued = [letter.pk for letter in recorded if letter.state == LetterState.QUEUED]
    if queued:
        from ridbook.notifications.tasks import send_letters

        transaction.on_commit(lambda: send_letters.delay(queued))
    return recorded


@dataclass(frozen=True)
class Outgoing:
    """One event's letters for :func:`notify_many`: the arguments of :func:`notify`."""

    event: str
    about: str
    kind: str
    organization: Any
    addressees: Sequence[Addressee]
    compose: Callable[[Addressee], Message]
    url: str = ""


SEND_BATCH = 500


def notify_many(outgoing: Iterable[Outgoing], *, batch: int = 1000) -> list[Letter]:
    """:func:`notify` for many events at once (a daily job's thousands of reminders): a batch at a time, the letters
    already written found with one query, the preferences with another, the new letters written with one
    ``bulk_create`` (a concurrent run's letter wins: ``(event, recipient)`` stays unique), and sent after the commit
    by the background task in batches. Returns the letters recorded now."""
    recorded: list[Letter] = []
    pending: list[Outgoing] = []
    for item in outgoing:
        pending.append(item)
        if len(pending) >= batch:
            recorded += _record_many(pending)
            pending = []
    if pending:
        recorded += _record_many(pending)
    queued = [letter.pk for letter in recorded if letter.state == LetterState.QUEUED and letter.pk]
    if queued:
        from ridbook.notifications.tasks import send_letters

        for start in range(0, len(queued), SEND_BATCH):
            ids = queued[start : start + SEND_BATCH]
            transaction.on_commit(lambda ids=ids: send_letters.delay(ids))  # type: ignore[misc]
    return recorded


def _record_many(items: list[Outgoing]) -> list[Letter]:
    events = {item.event for item in items}
    keys = {who.key for item in items for who in item.addressees}
    written = set(Letter.objects.filter(event__in=events, recipient_key__in=keys).values_list("event", "recipient_key"))
    users = {who.user.pk: who.user for item in items for who in item.addressees if who.user is not None}
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=users)}
    letters: list[Letter] = []
    for item in items:
        for who in item.addressees:
            if (item.event, who.key) in written:
                continue
            written.add((item.event, who.key))
            preference = None
            if who.user is not None:
                preference = preferences.get(who.user.pk) or Preference(user=who.user)
            letters.append(_letter(item, who, preference))
    with transaction.atomic():
        Letter.objects.bulk_create(letters, ignore_conflicts=True)
        ids = {
            (event, key): pk
            for pk, event, key in Letter.objects.filter(
                event__in={letter.event for letter in letters},
                recipient_key__in={letter.recipient_key for letter in letters},
            ).values_list("pk", "event", "recipient_key")
        }
    for letter in letters:
        letter.pk = ids.get((letter.event, letter.recipient_key))
    return letters


def _letter(item: Outgoing, who: Addressee, preference: Preference | None) -> Letter:
    """The letter of ``item`` to ``who`` in his language (not saved)."""
    language = preference.language if preference else settings.LANGUAGE_CODE
    with translation.override(language):
        message = item.compose(who)
        body = message.body.rstrip("\n") + "\n" + _footer(item.url)
    if not who.email:
        state = LetterState.NO_EMAIL
    elif preference is not None and not preference.email_enabled:
        state = LetterState.OPTED_OUT
    else:
        state = LetterState.QUEUED
    name, content, mime = message.attachment or ("", b"", "")
    return Letter(
        organization=item.organization,
        event=item.event,
        about=item.about,
        kind=item.kind,
        user=who.user,
        recipient_key=who.key,
        recipient_name=who.name,
        capacity=str(who.capacity),
        email=who.email,
        subject=message.subject[:300],
        body=body,
        url=item.url,
        attachment_name=name,
        attachment_type=mime,
        attachment=content,
        state=state,
    )


def send(letter_ids: Iterable[int]) -> int:
    """Sends the queued letters among ``letter_ids``: each is claimed first, so two runs never send one twice."""
    sent = 0
    for pk in letter_ids:
        if not Letter.objects.filter(pk=pk, state=LetterState.QUEUED).update(state=LetterState.SENDING):
            continue
        letter = Letter.objects.get(pk=pk)
        message = EmailMessage(subject=letter.subject, body=letter.body, to=[letter.email])
        if letter.attachment_name:
            message.attach(letter.attachment_name, bytes(letter.attachment), letter.attachment_type)
        try:
            message.send()
        except OSError as exc:
            logger.exception("letter %s to %s was not sent", letter.pk, letter.email)
            Letter.objects.filter(pk=pk).update(state=LetterState.FAILED, error=str(exc)[:300])
            continue
        Letter.objects.filter(pk=pk).update(state=LetterState.SENT, sent_at=timezone.now(), error="")
        sent += 1
    return sent


def letters_about(about: str) -> QuerySet[Letter]:
    """The letters about one object (the page that shows them has checked that the viewer may see the object)."""
    return Letter.objects.filter(about=about).select_related("user")


def not_notified_about(about: str) -> list[Letter]:
    """Those who should have been told of something about the object and were not: no e-mail, letters off, or the
    mail server refused. The newest first, one row per person and event."""
    return list(letters_about(about).filter(state__in=NOT_NOTIFIED))


def letters_of(user: Any) -> QuerySet[Letter]:
    """The letters written to ``user`` himself (his «Мои уведомления»)."""
    return Letter.objects.filter(user=user)
