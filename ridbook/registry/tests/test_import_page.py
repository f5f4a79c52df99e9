"""The import page /registry/import/ (Django test client): check, strict and skipping import, rights, bad files."""

from __future__ import annotations

import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ridbook.registry.io import columns as c
from ridbook.registry.io import export_csv
from ridbook.registry.models import Rid

pytestmark = pytest.mark.django_db

URL = "/registry/import/"


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def own_csv(rows: list[dict[str, str]], name: str = "реестр.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(c.OWN_COLUMNS)
    for row in rows:
        writer.writerow([row.get(col, "") for col in c.OWN_COLUMNS])
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8-sig"), content_type="text/csv")


def good_row(**values: str) -> dict[str, str]:
    return {
        c.KIND: "программа для ЭВМ",
        c.TITLE: "Программа учёта износа",
        c.AUTHORS: "Сидоров И. И. (100 %)",
        **values,
    }


ROWS = [
    good_row(),
    good_row(**{c.TITLE: "Вторая", c.AUTHORS: "Новиков Н. Н. (100 %)"}),
    good_row(**{c.TITLE: "Из будущего", c.PUBLISHED: "да", c.PUBLICATION_DATE: "01.01.2099"}),
]
FUTURE = "Строка 4, столбец «Дата публикации»: Дата публикации не может быть в будущем (01.01.2099)."


def post(client, file, org, action="check", skip=False):
    data = {"file": file, "organization": org.pk, "action": action}
    if skip:
        data["skip_bad_rows"] = "on"
    return client.post(URL, data)


def test_url_name():
    assert reverse("registry:import") == URL


def test_officer_sees_the_form_and_dry_runs_an_export(client, officer, org_tree, draft):
    client.force_login(officer)
    form = page_text(client.get(URL))
    assert "Проверить (ничего не записывать)" in form and "пропустить ошибочные строки" in form
    buffer = io.StringIO()
    export_csv(Rid.objects.all(), buffer)
    Rid.objects.all().delete()  # the numbers of the export are free again
    upload = SimpleUploadedFile("выгрузка.csv", buffer.getvalue().encode("utf-8-sig"))

    text = page_text(post(client, upload, org_tree["university"]))

    assert "Проверка без записи: в базу ничего не записано." in text
    assert 'data-testid="count-rows">1<' in text and 'data-testid="count-written">0<' in text
    assert Rid.objects.count() == 0


def test_a_bad_row_is_shown_and_a_strict_import_writes_nothing(client, officer, org_tree):
    client.force_login(officer)

    checked = page_text(post(client, own_csv(ROWS), org_tree["university"]))
    assert FUTURE in checked
    assert "<td>4</td><td>Дата публикации</td><td>Дата публикации не может быть в будущем (01.01.2099).</td>" in checked
    assert 'data-testid="count-good">2<' in checked and 'data-testid="count-bad">1<' in checked

    strict = page_text(post(client, own_csv(ROWS), org_tree["university"], action="import"))
    assert "НИЧЕГО НЕ ЗАПИСАНО." in strict
    assert "Ничего не записано: строк с ошибками 1." in strict
    assert Rid.objects.count() == 0


def test_skipping_writes_the_good_rows(client, officer, org_tree):
    client.force_login(officer)

    text = page_text(post(client, own_csv(ROWS), org_tree["university"], action="import", skip=True))

    assert "Импорт выполнен. Записано РИД: 2. Строки с ошибками пропущены: 1." in text
    assert FUTURE in text
    assert sorted(Rid.objects.values_list("title", flat=True)) == ["Вторая", "Программа учёта износа"]


def test_an_author_gets_403_with_the_reason(client, author, org_tree):
    client.force_login(author)
    response = client.get(URL)
    assert response.status_code == 403
    assert "Действие «" in page_text(response)
    assert post(client, own_csv(ROWS), org_tree["university"], action="import").status_code == 403
    assert Rid.objects.count() == 0


def test_an_organization_outside_the_officers_reach_is_refused(client, officer, org_tree):
    client.force_login(officer)
    text = page_text(post(client, own_csv(ROWS), org_tree["holding"], action="import", skip=True))
    assert 'data-testid="import-report"' not in text
    assert "Выберите корректный вариант." in text
    assert Rid.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04garbage", "Файл XLSX повреждён или это не таблица Excel: откройте и сохраните его заново."),
        (
            "просто заметки, ничего больше\nещё строка".encode(),
            "Формат файла не распознан: нужна выгрузка реестра РИД (столбцы «Вид РИД», «Наименование», …) или "
            "открытый реестр ФИПС: программ для ЭВМ (столбцы «registration number», «program name», …), "
            "изобретений («invention name»), полезных моделей («utility model name») или промышленных образцов "
            "(«industrial design name»). В заголовке файла: «просто заметки», «ничего больше».",
        ),
    ],
)
def test_a_garbage_file_gets_the_importers_message(client, officer, org_tree, data, message):
    client.force_login(officer)
    garbage = SimpleUploadedFile("заметки.txt", data, content_type="text/plain")

    response = post(client, garbage, org_tree["university"], action="import")

    text = page_text(response)
    assert response.status_code == 200
    assert message in text
    assert "НИЧЕГО НЕ ЗАПИСАНО." in text and "Traceback" not in text


def test_the_link_is_on_the_list_for_an_officer_only(client, officer, author):
    client.force_login(officer)
    assert f'href="{URL}"' in page_text(client.get("/registry/"))
    client.force_login(author)
    assert f'href="{URL}"' not in page_text(client.get("/registry/"))


def test_import_page_says_when_it_shows_only_the_first_warnings(client, officer, org_tree, monkeypatch):
    from ridbook.registry.io import report as report_module
    from ridbook.registry.models import Person

    monkeypatch.setattr(report_module, "WARNINGS_KEPT", 2)
    surnames = ["Сидоров", "Кузнецов", "Смирнов"]
    for surname in surnames:  # two people fit «Сидоров П.»: each row warns
        for first in ("Пётр", "Павел"):
            Person.objects.create(last_name=surname, first_name=first, organization=org_tree["department"])
    rows = [good_row(**{c.TITLE: f"Программа {s}", c.AUTHORS: f"{s} П. (100 %)"}) for s in surnames]
    client.force_login(officer)
    page = page_text(post(client, own_csv(rows), org_tree["university"]))
    assert "Предупреждения (3)" in page
    assert "Показаны первые 2 предупреждений из 3." in page
    assert page.count("в реестре подходят несколько людей") == 2 + 2  # the table and the text report


def test_a_second_import_of_a_fips_registry_says_what_was_there_already(client, officer, org_tree):
    client.force_login(officer)
    fips = (
        "\ufeff" + ",".join(c.FIPS_COLUMNS) + "\r\n"
        '2020610001,20200110,,,"Иванов П.С. (RU)",1,,,Прога,,,,true,\r\n'
        '2020610002,20200111,,,"Петров И. И. (RU)",1,,,Прога 2,,,,true,\r\n'
    ).encode()

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile("evm.csv", fips, content_type="text/csv")

    post(client, upload(), org_tree["university"], action="import")
    assert Rid.objects.count() == 2
    page = page_text(post(client, upload(), org_tree["university"], action="import"))
    assert Rid.objects.count() == 2
    assert 'Уже были в реестре (пропущены)</dt><dd data-testid="count-registered">2</dd>' in page
    assert "Программа для ЭВМ № 2020610001 уже в реестре" in page
