"""The fee table page: the policy's rows with their source and «не сверено», the rows the IP department adds,
for the organization it chooses among its own."""

from __future__ import annotations

from ridbook.accounts.models import RoleAssignment
from ridbook.accounts.roles import Role
from ridbook.protection.models import FeeRate


def test_the_ip_officer_adds_a_dated_row_with_its_source_for_the_chosen_organization(client, officer, org_tree):
    holding = org_tree["holding"]
    RoleAssignment.objects.create(user=officer, organization=holding, role=Role.IP_OFFICER)
    client.force_login(officer)
    page = client.get("/protection/fees/").content.decode()
    assert 'data-testid="fee-organization"' in page
    assert (
        "<td>изобретение</td><td>3–4 (год действия)" in page and "<td>invention</td>" not in page
    )  # labels, not codes
    row = {
        "organization": holding.pk,
        "kind": "invention",
        "basis": "year",
        "first": "3",
        "last": "4",
        "amount": "1900",
        "valid_from": "2025-01-01",
        "source": "приказ Роспатента (пример)",
    }
    response = client.post("/protection/fees/", row)
    assert response.status_code == 302 and f"organization={holding.pk}" in response["Location"]
    rate = FeeRate.objects.get()
    assert (rate.organization_id, rate.amount, rate.verified) == (holding.pk, 1900, False)
    assert "приказ Роспатента (пример)" in client.get(response["Location"]).content.decode()
    # the source is required; an organization that is not his is a 404
    assert "source" in client.post("/protection/fees/", {**row, "source": ""}).content.decode()
    assert client.post("/protection/fees/", {**row, "organization": 999999}).status_code == 404
    assert FeeRate.objects.count() == 1
