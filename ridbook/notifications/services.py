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
from collections.abc import Callable, Iterable
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
    for who in addressees:
        if who.key in seen or Letter.objects.filter(event=event, recipient_key=who.key).exists():
            continue
        seen.add(who.key)
        preference = preference_of(who.user) if who.user is not None else None
        language = preference.language if preference else settings.LANGUAGE_CODE
        with translation.override(language):
            message = compose(who)
            body = message.body.rstrip("\n") + "\n" + _footer(url)
        if not who.email:
            state = LetterState.NO_EMAIL
        elif preference is not None and not preference.email_enabled:
            state = LetterState.OPTED_OUT
        else:
            state = LetterState.QUEUED
        name, content, mime = message.attachment or ("", b"", "")
        try:
            with transaction.atomic():
                letter = Letter.objects.create(
                    organization=organization,
                    event=event,
                    about=about,
                    kind=kind,
                    user=who.user,
                    recipient_key=who.key,
                    recipient_name=who.name,
                    capacity=str(who.capacity),
                    email=who.email,
                    subject=message.subject[:300],
                    body=body,
                    url=url,
                    attachment_name=name,
                    attachment_type=mime,
                    attachment=content,
                    state=state,
                )
        except IntegrityError:  # a concurrent run recorded it first: still only one letter
            continue
        recorded.append(letter)
    queued = [letter.pk for letter in recorded if letter.state == LetterState.QUEUED]
    if queued:
        from ridbook.notifications.tasks import send_letters

        transaction.on_commit(lambda: send_letters.delay(queued))
    return recorded


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
