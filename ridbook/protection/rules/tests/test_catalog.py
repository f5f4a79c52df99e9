"""Every message of the rules has its English translation in ridbook/protection's catalog.

The catalog becomes active when the protection app is installed; this test reads the compiled file directly so the
translations are checked before that too.
"""

from __future__ import annotations

import gettext
from pathlib import Path

from django.utils import translation

from ridbook.core.i18n_check import python_messages
from ridbook.policies.loader import get_policy
from ridbook.protection.rules.events import event_label
from ridbook.protection.rules.terms import expiry

RULES = Path(__file__).resolve().parent.parent
CATALOG = RULES.parent / "locale" / "en" / "LC_MESSAGES" / "django.mo"


def test_every_rules_message_is_translated_and_no_russian_literal_is_unmarked() -> None:
    with CATALOG.open("rb") as f:
        english = gettext.GNUTranslations(f)
    untranslated, unmarked = [], []
    for path in sorted(RULES.glob("*.py")):
        messages, findings = python_messages(path)
        unmarked += [str(f) for f in findings]
        untranslated += [m.msgid for m in messages if english.gettext(m.msgid) == m.msgid]
    assert unmarked == []
    assert untranslated == []


def test_notes_read_in_english() -> None:
    with translation.override("en"):
        e = expiry("software", policy=get_policy("rzd-2013", version=1), filing_date=None, authors_death_dates=[None])
        assert e.note.startswith("not determinable: an author is alive or the date of death is unknown")
        assert event_label("granted") == "patent granted"
