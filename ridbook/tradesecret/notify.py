"""Letters of the regime: each step hands work to someone (README «Notifications»). They name the RID by its number
and title — the register — and never quote its content.

presented → the IP department (record the council's decision); council decided «охранять» → the approvers (approve
the regime and the list); refused → the presenter and the IP department; approved, added → the person added to the
access list; removed → the person removed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, users_who_may
from ridbook.notifications.services import Addressee, Message, notify
from ridbook.tradesecret.models import Regime


def _names(regime: Regime) -> dict[str, str]:
    rid = regime.rid
    return {"number": rid.number, "title": rid.title}


def _send(regime: Regime, step: str, users: Iterable[Any], capacity: str, subject: str, body: str) -> None:
    addressees = [Addressee.of_user(user, capacity) for user in users if user is not None]

    def compose(who: Addressee) -> Message:
        return who.letter(subject, body)

    notify(
        event=f"tradesecret.regime:{regime.pk}:{step}",
        about=f"registry.rid:{regime.rid_id}",
        kind=f"tradesecret_{step.split(':')[0]}",
        organization=regime.organization,
        addressees=addressees,
        compose=compose,
        url=f"/tradesecret/rid/{regime.rid_id}/",
    )


def presented(regime: Regime) -> None:
    _send(
        regime,
        "presented",
        users_who_may(Action.TRADE_SECRET_KEEP, regime.organization),
        _("подразделение по ИС"),
        _("РИД %(number)s представлен научно-техническому совету") % _names(regime),
        _(
            "РИД %(number)s «%(title)s» представлен научно-техническому совету для установления режима коммерческой "
            "тайны. Его содержание доступно только по списку допуска. Внесите решение совета, когда оно будет принято."
        )
        % _names(regime),
    )


def council_decided(regime: Regime) -> None:
    if regime.state == "council_decided":
        users: Iterable[Any] = users_who_may(Action.TRADE_SECRET_APPROVE, regime.organization)
        capacity = _("утверждающий")
        subject = _("Утвердите режим коммерческой тайны: %(number)s") % _names(regime)
        body = _(
            "Научно-технический совет решил охранять РИД %(number)s «%(title)s» в режиме коммерческой тайны. "
            "Утвердите решение и список допуска (или не утверждайте)."
        ) % _names(regime)
    else:
        users = [regime.presented_by, *users_who_may(Action.TRADE_SECRET_KEEP, regime.organization)]
        capacity = _("представивший РИД")
        subject = _("Режим коммерческой тайны не установлен: %(number)s") % _names(regime)
        body = _("Режим коммерческой тайны для РИД %(number)s «%(title)s» не установлен.") % _names(regime)
    _send(regime, "council", users, capacity, subject, body)


def listed(regime: Regime, user: Any, grant_id: int) -> None:
    _send(
        regime,
        f"grant:{grant_id}",
        [user],
        _("список допуска"),
        _("Вы включены в список допуска: %(number)s") % _names(regime),
        _(
            "Вы включены в список допуска к РИД %(number)s «%(title)s» (режим коммерческой тайны). Каждое открытие "
            "его содержания записывается в журнал учёта доступа; разглашение запрещено."
        )
        % _names(regime),
    )


def unlisted(regime: Regime, user: Any, grant_id: int) -> None:
    _send(
        regime,
        f"revoke:{grant_id}",
        [user],
        _("список допуска"),
        _("Допуск прекращён: %(number)s") % _names(regime),
        _("Ваш допуск к РИД %(number)s «%(title)s» (режим коммерческой тайны) прекращён.") % _names(regime),
    )
