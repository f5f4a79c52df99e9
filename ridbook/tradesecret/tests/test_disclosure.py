"""Disclosure ends the regime and the exclusive right to the know-how on that date (RZD §4.3.6): the term becomes
the disclosure date with the note, and the RID's page says so."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ridbook.core.errors import DomainError
from ridbook.tradesecret.services import copies as cs
from ridbook.tradesecret.services.disclosure import regime_disclose, regime_term

pytestmark = pytest.mark.django_db


def test_while_confidential_the_term_has_no_end(regime):
    term = regime_term(regime)
    assert term.expires_on is None and "пока сохраняется конфиденциальность" in term.note


def test_disclosure_ends_the_regime_and_the_term(officer, regime):
    on = date(2026, 5, 20)
    ended = regime_disclose(actor=officer, regime=regime, on=on, details="Опубликовано в журнале «Путь»")
    assert (ended.state, ended.ended_on, ended.end_reason) == ("ended", on, "disclosed")
    term = regime_term(ended)
    assert term.expires_on == on and term.latest_possible == on
    assert "конфиденциальность утрачена 20.05.2026" in term.note
    with pytest.raises(DomainError, match="не действует"):
        cs.copy_make(actor=officer, regime=ended, medium="paper", purpose="x", issued_to=officer)
    with pytest.raises(DomainError, match="не действует"):
        regime_disclose(actor=officer, regime=ended, on=on, details="ещё раз")


def test_a_disclosure_date_is_checked(officer, regime, today):
    with pytest.raises(DomainError, match="позже сегодняшнего"):
        regime_disclose(actor=officer, regime=regime, on=today + timedelta(days=1), details="x")
    with pytest.raises(DomainError, match="раньше, чем РИД представлен"):
        regime_disclose(actor=officer, regime=regime, on=date(2025, 1, 1), details="x")
    with pytest.raises(DomainError, match="Опишите"):
        regime_disclose(actor=officer, regime=regime, on=date(2026, 3, 1), details=" ")
    regime.refresh_from_db()
    assert regime.state == "in_force"


def test_the_rid_page_says_so(client, officer, regime):
    client.force_login(officer)
    url = f"/registry/{regime.rid_id}/"
    assert "сведения раскрыты" not in client.get(url).content.decode()
    regime_disclose(actor=officer, regime=regime, on=date(2026, 5, 20), details="доклад на конференции")
    page = client.get(url).content.decode()
    assert (
        "Режим коммерческой тайны прекращён 20.05.2026: сведения раскрыты; исключительное право на секрет "
        "производства прекращено" in page
    )
    keeping = client.get(f"/tradesecret/{regime.pk}/keeping/").content.decode()
    assert 'data-testid="term-end"' in keeping and "20.05.2026" in keeping
