"""The production calendar against real dates.

Sources: RU 2024 — decree of the RF Government No. 1314 of 10.08.2023; RU 2025 — No. 1335 of 04.10.2024;
RU 2026 — No. 1466 of 24.09.2025 (LAW.md, "Production calendar"); UZ — the `holidays` library 0.109, which
cites the acts published on lex.uz.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from ridbook.workdays.calendar import (
    DATA_DIR,
    CalendarDataError,
    Country,
    DayKind,
    UnknownCountry,
    _shortened_by_rule,
    add_months,
    add_working_days,
    day_kind,
    describe_day,
    is_shortened_day,
    is_working_day,
    load_calendar_file,
    load_country_data,
    next_working_day,
    working_days_before,
    working_days_between,
    working_days_in_year,
)

D = date.fromisoformat


def days_of(year: int) -> list[date]:
    return [date(year, 1, 1) + timedelta(days=i) for i in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]


# --- RU ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        # RU 2026, decree No. 1466: Sat 3 Jan moved to Fri 9 Jan, Sun 4 Jan to Thu 31 Dec.
        ("2026-01-08", DayKind.HOLIDAY),
        ("2026-01-09", DayKind.MOVED_DAY_OFF),
        ("2026-01-12", DayKind.WORKING),  # the first working day of 2026
        ("2026-02-23", DayKind.HOLIDAY),
        ("2026-03-08", DayKind.HOLIDAY),  # a Sunday
        ("2026-03-09", DayKind.MOVED_DAY_OFF),  # 8 March fell on a Sunday (Labour Code art. 112)
        ("2026-05-11", DayKind.MOVED_DAY_OFF),  # 9 May fell on a Saturday
        ("2026-12-31", DayKind.MOVED_DAY_OFF),
        ("2026-04-30", DayKind.SHORTENED),
        ("2026-05-08", DayKind.SHORTENED),
        ("2026-06-11", DayKind.SHORTENED),
        ("2026-11-03", DayKind.SHORTENED),
        ("2026-11-04", DayKind.HOLIDAY),
        ("2026-02-20", DayKind.WORKING),  # Friday before Mon 23 Feb: not immediately before, full day
        ("2026-12-30", DayKind.WORKING),  # before a moved day off, not a holiday: full day
        ("2026-03-14", DayKind.WEEKEND),
        # RU 2025, decree No. 1335: Sat 1 Nov moved to Mon 3 Nov; Sat 4 Jan to Fri 2 May; Sun 5 Jan to 31 Dec.
        ("2025-11-01", DayKind.WORKING_WEEKEND),
        ("2025-11-03", DayKind.MOVED_DAY_OFF),
        ("2025-05-02", DayKind.MOVED_DAY_OFF),
        ("2025-05-08", DayKind.MOVED_DAY_OFF),  # from Sun 23 Feb
        ("2025-06-13", DayKind.MOVED_DAY_OFF),  # from Sat 8 Mar
        ("2025-12-31", DayKind.MOVED_DAY_OFF),
        ("2025-05-07", DayKind.WORKING),  # before 8 May, a moved day off: not shortened
        ("2025-03-07", DayKind.SHORTENED),  # before Sat 8 Mar
        # RU 2024, decree No. 1314: Sat 27 Apr -> Mon 29 Apr, Sat 2 Nov -> Tue 30 Apr, Sat 28 Dec -> Mon 30 Dec.
        ("2024-04-27", DayKind.WORKING_WEEKEND),
        ("2024-04-29", DayKind.MOVED_DAY_OFF),
        ("2024-04-30", DayKind.MOVED_DAY_OFF),
        ("2024-11-02", DayKind.WORKING_WEEKEND),
        ("2024-12-28", DayKind.WORKING_WEEKEND),
        ("2024-12-30", DayKind.MOVED_DAY_OFF),
    ],
)
def test_ru_day_kinds(day: str, kind: DayKind) -> None:
    assert day_kind(D(day), "RU") is kind
    assert is_working_day(D(day), "RU") is (kind in {DayKind.WORKING, DayKind.SHORTENED, DayKind.WORKING_WEEKEND})


@pytest.mark.parametrize(
    ("year", "shortened"),
    [
        ("2024", {"2024-02-22", "2024-03-07", "2024-05-08", "2024-06-11", "2024-11-02"}),
        ("2025", {"2025-03-07", "2025-04-30", "2025-06-11", "2025-11-01"}),  # 1 Nov: a working Saturday
        ("2026", {"2026-04-30", "2026-05-08", "2026-06-11", "2026-11-03"}),  # LAW.md
    ],
)
def test_ru_shortened_days(year: str, shortened: set[str]) -> None:
    found = {d.isoformat() for d in days_of(int(year)) if is_shortened_day(d, "RU")}
    assert found == shortened
    # the rule used for unlisted years (art. 95 + the working Saturday that replaces a pre-holiday day)
    # reproduces the lists taken from the decrees and published calendars
    assert {d.isoformat() for d in days_of(int(year)) if _shortened_by_rule(d, Country.RU)} == shortened


@pytest.mark.parametrize(("year", "count"), [(2024, 248), (2025, 247), (2026, 247)])
def test_ru_working_days_in_year(year: int, count: int) -> None:
    assert working_days_in_year(year, "RU") == count


def test_year_without_data_entry_still_computed() -> None:
    # 2027 is not in ru.toml: the library alone (it knows the 2027 decree: Sat 20 Feb -> Mon 22 Feb)
    assert not is_working_day(D("2027-02-22"), "RU")
    assert day_kind(D("2027-02-20"), "RU") is DayKind.WORKING_WEEKEND
    assert is_shortened_day(D("2027-11-03"), "RU")  # by rule: before 4 Nov
    assert describe_day(D("2027-11-03"), "RU")["source"] is None


# --- UZ ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        ("2026-03-21", DayKind.HOLIDAY),  # Navruz (a Saturday)
        ("2026-03-23", DayKind.MOVED_DAY_OFF),  # Navruz carried over to Monday
        ("2026-09-01", DayKind.HOLIDAY),  # Independence Day
        ("2026-12-08", DayKind.HOLIDAY),  # Constitution Day
        ("2026-12-12", DayKind.WORKING_WEEKEND),  # moved to 31 Dec
        ("2026-12-31", DayKind.MOVED_DAY_OFF),
        ("2025-01-04", DayKind.WORKING_WEEKEND),  # moved to 2 Jan
        ("2025-01-02", DayKind.MOVED_DAY_OFF),
    ],
)
def test_uz_day_kinds(day: str, kind: DayKind) -> None:
    assert day_kind(D(day), "UZ") is kind


def test_uz_has_no_shortened_days_and_named_holidays() -> None:
    assert not any(is_shortened_day(d, "UZ") for d in days_of(2026))
    assert describe_day(D("2026-03-21"), "UZ")["name"] == "Navroʻz bayrami"


# --- counting ---------------------------------------------------------------------------------------------


def test_add_working_days_across_new_year_holidays() -> None:
    # Mon 29 Dec 2025 (not counted) -> Tue 30 Dec is the 1st; 31 Dec – 11 Jan are days off; Mon 12 Jan the 2nd
    assert add_working_days(D("2025-12-29"), 1, "RU") == D("2025-12-30")
    assert add_working_days(D("2025-12-29"), 2, "RU") == D("2026-01-12")
    assert add_working_days(D("2026-01-01"), 1, "RU") == D("2026-01-12")  # start on a holiday
    assert add_working_days(D("2026-01-12"), -1, "RU") == D("2025-12-30")
    assert add_working_days(D("2026-01-01"), 0, "RU") == D("2026-01-01")  # n == 0: the day itself
    assert working_days_between(D("2025-12-29"), D("2026-01-12"), "RU") == 2
    assert working_days_between(D("2026-01-12"), D("2025-12-29"), "RU") == -2
    assert working_days_between(D("2026-01-12"), D("2026-01-12"), "RU") == 0


def test_meeting_notice_seven_working_days_before() -> None:
    # meeting Wed 13 May 2026; counting back: 12 May, 8, 7, 6, 5, 4 May, 30 Apr (1–3 and 9–11 May are off)
    assert working_days_before(D("2026-05-13"), 7, "RU") == D("2026-04-30")
    assert working_days_between(D("2026-04-30"), D("2026-05-13"), "RU") == 7
    with pytest.raises(ValueError):
        working_days_before(D("2026-05-13"), -1, "RU")


def test_uz_counting_over_eid_and_navruz() -> None:
    # Thu 19 Mar 2026; Fri 20 Eid al-Fitr, Sat 21 Navruz, Sun 22, Mon 23 Navruz carried over
    assert add_working_days(D("2026-03-19"), 1, "UZ") == D("2026-03-24")


def test_next_working_day() -> None:
    assert next_working_day(D("2026-01-01"), "RU") == D("2026-01-12")
    assert next_working_day(D("2026-01-12"), "RU") == D("2026-01-12")
    assert next_working_day(D("2025-11-01"), "RU") == D("2025-11-01")  # working Saturday


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-12-31", 2, "2026-02-28"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2025-05-15", 2, "2025-07-15"),
    ],
)
def test_add_months_clamps_to_month_end(day: str, months: int, expected: str) -> None:
    assert add_months(D(day), months) == D(expected)


# --- countries, description -------------------------------------------------------------------------------


def test_unknown_country() -> None:
    with pytest.raises(UnknownCountry) as exc:
        is_working_day(D("2026-01-12"), "KZ")
    assert str(exc.value) == "Неизвестная страна производственного календаря: KZ (доступны: RU, UZ)"
    assert isinstance(exc.value, ValueError)
    assert is_working_day(D("2026-01-12"), "ru")  # case does not matter


def test_describe_day_is_json_ready() -> None:
    info = describe_day(D("2026-01-09"), "RU")
    assert json.loads(json.dumps(info)) == info
    assert info["kind"] == "moved_day_off"
    assert info["name"] == "Выходной (перенесено с 03.01.2026)"
    assert info["is_working"] is False
    assert "1466" in info["source"]
    assert describe_day(D("2026-02-23"), "RU")["name"] == "День защитника Отечества"
    saturday = describe_day(D("2025-11-01"), "RU")
    assert saturday["is_shortened"] and saturday["kind"] == "working_weekend"
    assert saturday["weekday"] == "суббота"


# --- data files -------------------------------------------------------------------------------------------


def test_shipped_data_files_are_valid_and_consistent() -> None:
    for country in Country:
        data = load_country_data(country)
        for year, entry in data.years.items():
            assert entry.source
            for day in entry.shortened | entry.extra_working_days:
                assert is_working_day(day, country), (country, year, day)


VALID = """
country = "RU"
derive_shortened = true

[years.2025]
source = "Постановление № 1"
shortened = [2025-03-07]
"""


def write(tmp_path: Path, text: str, name: str = "ru.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loader_accepts_a_file_or_a_directory(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    assert load_calendar_file(path).years[2025].shortened == {D("2025-03-07")}
    assert load_country_data("RU", data_dir=tmp_path).years[2025].source == "Постановление № 1"
    assert (DATA_DIR / "ru.toml").is_file()


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        (VALID.replace("shortened", "shortend"), "years.2025.shortend", "Extra inputs are not permitted"),
        (VALID.replace("[2025-03-07]", '["2025-02-30"]'), "years.2025.shortened", "day is out of range"),
        (VALID.replace("[2025-03-07]", "[20250307]"), "years.2025.shortened", "ожидается дата"),
        (VALID.replace("[2025-03-07]", "[2024-03-07]"), "years.2025.shortened", "не из 2025 года"),
        (VALID.replace('source = "Постановление № 1"', ""), "years.2025.source", "Field required"),
        (VALID.replace("derive_shortened = true", ""), "derive_shortened", "Field required"),
        (VALID.replace('"RU"', '"KZ"'), "country", "Input should be 'RU' or 'UZ'"),
        (VALID + "extra_days_off = [2025-03-07]\n", "years.2025.extra_days_off", "как рабочий день"),
    ],
)
def test_broken_file_names_file_and_field(tmp_path: Path, text: str, field: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CalendarDataError) as exc:
        load_calendar_file(path)
    message = str(exc.value)
    assert str(path) in message
    assert field in message
    assert problem in message


def test_broken_toml_and_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("[2025-03-07]", "[2025-02-30]"))  # not even a TOML date
    with pytest.raises(CalendarDataError, match="неверный TOML") as exc:
        load_calendar_file(path)
    assert str(path) in str(exc.value)
    with pytest.raises(CalendarDataError, match=r"uz\.toml"):
        load_country_data("UZ", data_dir=tmp_path)


def test_file_of_another_country(tmp_path: Path) -> None:
    write(tmp_path, VALID.replace('"RU"', '"UZ"'))
    with pytest.raises(CalendarDataError, match="country: UZ, ожидается RU"):
        load_country_data("RU", data_dir=tmp_path)
