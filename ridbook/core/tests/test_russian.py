"""Messages about people agree with their gender."""

from types import SimpleNamespace

import pytest

from ridbook.core.russian import agree, gender_of


@pytest.mark.parametrize(
    ("last", "first", "middle", "gender"),
    [
        ("Романова", "Людмила", "Олеговна", "f"),
        ("Соколов", "Дмитрий", "Александрович", "m"),
        ("Ким", "Анна", "", "f"),  # no patronymic: the first name tells
        ("Ким", "Олег", "", "m"),
        ("Петрова", "А.", "", "f"),  # initials: the surname tells
        ("Каримов", "Бахтиёр", "Рустам оглы", "m"),
        ("Ли", "", "", None),
    ],
)
def test_gender_is_read_from_the_name(last, first, middle, gender):
    assert gender_of(last, first, middle) == gender


def test_agree_picks_the_form_or_gives_both():
    romanova = SimpleNamespace(last_name="Романова", first_name="Людмила", middle_name="Олеговна")
    sokolov = SimpleNamespace(last_name="Соколов", first_name="Дмитрий", middle_name="Александрович")
    nobody = SimpleNamespace(last_name="Ли", first_name="", middle_name="")
    assert agree(romanova, "выведен", "выведена") == "выведена"
    assert agree(sokolov, "выведен", "выведена") == "выведен"
    assert agree(nobody, "выведен", "выведена") == "выведен(а)"
