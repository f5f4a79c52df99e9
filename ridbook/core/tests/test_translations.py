"""Every Russian string a user can meet has an English translation (``ridbook.core.i18n_check``), app by app; and
the checker itself finds what it must and nothing else."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from django.utils import translation

from ridbook.core import i18n_check
from ridbook.core.i18n_check import Finding, Message, app_of, python_messages, template_messages, untranslated

APP_NAMES = [
    "accounts",
    "api",
    "audit",
    "commission",
    "core",
    "deadlines",
    "notifications",
    "organizations",
    "policies",
    "prosecution",
    "protection",
    "registry",
    "tradesecret",
    "security",
    "web",
    "workdays",
    "settings",
]
APPS = APP_NAMES


@cache
def _all_findings() -> tuple[Finding, ...]:
    return tuple(i18n_check.findings())


@pytest.mark.parametrize("app", APPS)
def test_every_russian_string_of_the_app_has_an_english_translation(app: str) -> None:
    found = [str(f) for f in _all_findings() if app_of(f) == app]
    assert found == [], f"{len(found)} findings (python -m ridbook.core.i18n_check):\n" + "\n".join(found[:50])


def test_every_app_is_checked() -> None:
    apps = {p.name for p in i18n_check.ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps - set(i18n_check.RUSSIAN_ONLY_MODULES) <= set(APP_NAMES)


def test_no_finding_outside_the_apps() -> None:
    """``ridbook/urls.py``, ``ridbook/celery.py``…: a module of the project outside the apps is checked too."""
    assert [str(f) for f in _all_findings() if app_of(f) not in APP_NAMES] == []


# --- the checker on small files --------------------------------------------------------------------------------


def _py(tmp_path: Path, source: str) -> tuple[list[Message], list[Finding]]:
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    return python_messages(path)


def _html(tmp_path: Path, source: str) -> tuple[list[Message], list[Finding]]:
    path = tmp_path / "page.html"
    path.write_text(source, encoding="utf-8")
    return template_messages(path)


def test_an_unmarked_russian_literal_is_found(tmp_path: Path) -> None:
    _, found = _py(tmp_path, 'def f():\n    return "Заявка отклонена"\n')
    assert [(f.line, f.problem, f.text) for f in found] == [(2, "not marked for translation", "Заявка отклонена")]


def test_an_unmarked_russian_f_string_is_found_once(tmp_path: Path) -> None:
    _, found = _py(tmp_path, 'def f(n):\n    return f"Заявок: {n} шт."\n')
    assert [(f.line, f.text) for f in found] == [(2, "Заявок:  шт.")]


def test_an_f_string_inside_gettext_is_found(tmp_path: Path) -> None:
    _, found = _py(tmp_path, 'from django.utils.translation import gettext as _\n\ndef f(n):\n    return _(f"№ {n}")\n')
    assert [f.problem for f in found] == ["f-string in gettext"]


def test_a_marked_message_without_a_translation_is_found(tmp_path: Path) -> None:
    messages, found = _py(
        tmp_path,
        "from django.utils.translation import gettext_lazy as _, ngettext\n\n"
        'TITLE = _("Сообщение, которого нет в каталоге")\n'
        'def f(n):\n    return ngettext("%(n)s РИД без перевода", "%(n)s РИД без переводов", n)\n',
    )
    assert found == []
    assert [m.msgid for m in untranslated(messages)] == ["Сообщение, которого нет в каталоге", "%(n)s РИД без перевода"]


def test_a_translated_message_is_not_found() -> None:
    assert untranslated([Message("Журнал изменений"), Message("Мой профиль")]) == []


def test_a_translation_may_keep_a_russian_abbreviation_but_not_a_russian_word() -> None:
    assert not i18n_check._still_russian("по ГК РФ ст. 1370", "under ГК РФ ст. 1370")
    assert not i18n_check._still_russian("политика ВГТУ 6.6", "policy ВГТУ 6.6")
    assert i18n_check._still_russian("Журнал", "Журнал")
    assert i18n_check._still_russian("сохранить черновик", "save черновик")


def test_docstrings_comments_and_ru_only_lines_are_not_found(tmp_path: Path) -> None:
    messages, found = _py(
        tmp_path,
        '"""Модуль: документация."""\n\n'
        "# комментарий по-русски\n"
        "class A:\n"
        '    """Класс."""\n\n'
        '    kind = "x"\n'
        '    """Вид записи (документация атрибута)."""\n\n'
        'PATTERN = r"^(?:уведомление|заявка)"  # i18n: ru-only (matched against Russian input)\n'
        "HEADERS = [\n"
        '    "Наименование",  # i18n: ru-only (a column of the Russian import file)\n'
        "]\n",
    )
    assert (messages, found) == ([], [])


def test_a_template_with_bare_russian_text_is_found(tmp_path: Path) -> None:
    _, found = _html(
        tmp_path,
        "{% load i18n %}<h1>{% translate 'Реестр' %}</h1>\n"
        "<p>Записей нет.</p>\n"
        '<input placeholder="Поиск">\n'
        '{{ value|default:"не задано" }}\n',
    )
    assert [(f.line, f.problem) for f in found] == [
        (2, "not marked for translation"),
        (3, "not marked for translation"),  # an attribute's value is text too
        (4, "Russian in a template tag"),
    ]


def test_a_template_with_translate_tags_is_not_found(tmp_path: Path) -> None:
    messages, found = _html(
        tmp_path,
        "{% load i18n %}{% translate 'Поиск' as search %}\n"
        "<h1>{% translate 'Журнал изменений' %}</h1>\n"
        '<input placeholder="{{ search }}" aria-label="{% translate "Мой профиль" %}">\n'
        "{% blocktranslate trimmed with name=org.name %}\n  Организация «{{ name }}» сохранена.\n"
        "{% endblocktranslate %}\n"
        "{% comment %}Комментарий для разработчиков{% endcomment %}{# и этот тоже #}\n"
        '<button name="language" value="ru">Русский</button>{# i18n: ru-only (a language in itself) #}\n',
    )
    assert found == []
    assert {m.msgid for m in messages} >= {"Поиск", "Журнал изменений", "Мой профиль"}


def test_a_finding_belongs_to_its_app() -> None:
    assert app_of(Finding("ridbook/registry/views.py", 1, "x", "y")) == "registry"
    assert app_of(Finding("ridbook/settings.py", 1, "x", "y")) == "settings"
    assert app_of(Finding("ridbook/web/templates/base.html", 1, "x", "y")) == "web"


def test_russian_stays_the_default_and_english_is_served() -> None:
    with translation.override("ru"):
        assert translation.gettext("Журнал изменений") == "Журнал изменений"
    with translation.override("en"):
        assert translation.gettext("Журнал изменений") == "Change log"
        assert translation.gettext("Данные не сохранены") == "The data was not saved"
