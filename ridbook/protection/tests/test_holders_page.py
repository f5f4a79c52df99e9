"""Holders on the document's page: jointly with another party named with ИНН/ОГРН, shares summing to 100 %."""

from __future__ import annotations

from decimal import Decimal

from ridbook.accounts.roles import Role


def _rows(*rows: dict) -> dict:
    data = {"holders-TOTAL_FORMS": str(len(rows)), "holders-INITIAL_FORMS": "0", "holders-MAX_NUM_FORMS": "20"}
    for i, row in enumerate(rows):
        data.update({f"holders-{i}-{k}": v for k, v in row.items()})
    return data


def test_the_ip_officer_sets_joint_holders_on_the_page(client, officer, personas, invention):
    client.force_login(officer)
    assert 'data-testid="holders-edit"' in client.get(f"/protection/{invention.pk}/").content.decode()
    url = f"/protection/{invention.pk}/holders/"
    wrong = client.post(
        url, _rows({"kind": "organization", "share": "60"}, {"kind": "other", "name": "ПАО «Сбербанк»", "share": "30"})
    )
    assert wrong.status_code == 400 and "в сумме должны давать 100" in wrong.content.decode()
    bad_inn = client.post(
        url,
        _rows(
            {"kind": "organization", "share": "60"},
            {"kind": "other", "name": "ПАО", "inn": "7707083890", "share": "40"},
        ),
    )
    assert bad_inn.status_code == 400 and "контрольные цифры" in bad_inn.content.decode()
    done = client.post(
        url,
        _rows(
            {"kind": "organization", "share": "60"},
            {"kind": "other", "name": "ПАО «Сбербанк»", "inn": "7707083893", "ogrn": "1027700132195", "share": "40"},
            {"kind": "", "name": "", "share": ""},  # an empty row is ignored
        ),
    )
    assert done.status_code == 302
    assert sorted((h.kind, h.share) for h in invention.holders.all()) == [
        ("organization", Decimal("60.00")),
        ("other", Decimal("40.00")),
    ]
    # an author neither sees the form nor writes
    client.force_login(personas[Role.AUTHOR])
    refused = client.post(url, _rows({"kind": "organization", "share": "100"}))
    assert refused.status_code in (403, 404)
    assert invention.holders.count() == 2
