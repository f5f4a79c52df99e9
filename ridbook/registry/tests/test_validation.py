"""Every rule of the notice (SPEC §3) with its exact Russian message."""

from datetime import date
from decimal import Decimal

import pytest

from ridbook.registry import validation as v


def test_coefficients_must_sum_to_exactly_100():
    assert v.coefficients_error([Decimal("50"), Decimal("50")]) is None
    assert v.coefficients_error(["33.34", "33.33", "33.33"]) is None
    assert v.coefficients_error([50, 40]) == "Сумма коэффициентов участия авторов должна быть ровно 100 %, сейчас 90 %."
    assert v.coefficients_error(["60", "40.01"]) == (
        "Сумма коэффициентов участия авторов должна быть ровно 100 %, сейчас 100.01 %."
    )
    assert v.coefficients_error([]) == "Укажите хотя бы одного автора."
    assert (
        v.coefficients_error([0, 100]) == "Коэффициент участия каждого автора должен быть больше 0 и не больше 100 %."
    )
    assert v.coefficients_error(["abc"]) == "Коэффициент участия «abc» — не число."


@pytest.mark.parametrize("snils", ["112-233-445 95", "11223344595", "001-001-998 00"])
def test_valid_snils(snils):
    assert v.snils_is_valid(snils)


@pytest.mark.parametrize("snils", ["112-233-445 96", "1122334459", "abc"])
def test_invalid_snils(snils):
    assert v.snils_error(snils) == f"СНИЛС {snils} неверен: должно быть 11 цифр с верным контрольным числом."


def test_snils_check_number_100_becomes_00():
    digits = "001019989"  # 0·9+0·8+1·7+0·6+1·5+9·4+9·3+8·2+9·1 = 100
    assert sum(int(d) * (9 - i) for i, d in enumerate(digits)) == 100
    assert v.snils_is_valid(digits + "00")
    assert not v.snils_is_valid(digits + "01")


def test_person_inn_and_ogrn():
    assert v.person_inn_error("500100732259") is None
    assert v.person_inn_error("500100732258") == (
        "ИНН 500100732258 неверен: у физического лица 12 цифр с верными контрольными цифрами."
    )
    assert (
        v.person_inn_error("7708503727") == "ИНН 7708503727 — это ИНН организации; у физического лица ИНН из 12 цифр."
    )
    assert v.ogrn_error("1037739877295") is None
    assert (
        v.ogrn_error("1037739877294")
        == "ОГРН 1037739877294 неверен: должно быть 13 (ОГРНИП — 15) цифр с верной контрольной цифрой."
    )


def test_abstract_keywords_okpd2():
    assert v.abstract_error("а" * 900) is None
    assert v.abstract_error("а" * 901) == "Реферат не должен превышать 900 символов, сейчас 901."
    assert v.keywords_error(["один"]) is None
    assert v.keywords_error([]) == "Укажите от 1 до 5 ключевых слов, сейчас 0."
    assert v.keywords_error(list("абвгде")) == "Укажите от 1 до 5 ключевых слов, сейчас 6."
    assert v.okpd2_error("62.01.11.000") is None
    assert v.okpd2_error("62.01.11") == (
        "Код ОКПД2 «62.01.11» должен быть одной подкатегорией вида XX.XX.XX.XXX, например 62.01.11.000."
    )
    assert v.okpd2_error("62.01.11.000, 62.01.12.000") is not None


def test_ipc_only_for_inventions_and_well_formed():
    assert v.ipc_error(["G06F 17/30", "A61K31/00"], "invention") is None
    assert v.ipc_error(["G06F 17/30"], "software") == "Коды МПК указываются только для изобретений."
    assert v.ipc_error(["G06F17", "Z01B 1/00"], "invention") == (
        "Код МПК G06F17, Z01B 1/00 записан неверно: нужен вид «G06F 17/30» (раздел, класс, подкласс, группа/подгруппа)."
    )


def test_dates_not_in_the_future():
    today = date(2026, 11, 24)
    assert v.past_date_error(date(2026, 11, 24), "Дата публикации", today) is None
    assert v.past_date_error(date(2026, 11, 25), "Дата публикации", today) == (
        "Дата публикации не может быть в будущем (25.11.2026)."
    )


def test_filing_blockers():
    assert v.filing_blockers(state_secret_outcome=None, export_conclusion=None) == [
        "нет заключения о возможности открытого опубликования",
        "нет акта экспертизы экспортного контроля",
    ]
    assert v.filing_blockers(state_secret_outcome="no_secret_publishable", export_conclusion="no_permits") == []
    assert v.filing_blockers(state_secret_outcome="contains_secret", export_conclusion="permits_needed") == [
        "заключение о возможности открытого опубликования отрицательное: "
        "содержит сведения, составляющие государственную тайну",
        "акт экспортного контроля: требуется получение разрешительных документов",
    ]
