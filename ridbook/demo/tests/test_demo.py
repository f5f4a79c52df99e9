import pytest
from django.core.management import call_command

from ridbook.accounts.models import RoleAssignment, User
from ridbook.accounts.roles import Role
from ridbook.audit.models import ChangeRecord
from ridbook.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_demo_data_loads_once_and_has_a_user_for_every_role(capsys):
    call_command("load_demo")
    counts = (Organization.objects.count(), User.objects.count(), RoleAssignment.objects.count())
    call_command("load_demo")
    assert (Organization.objects.count(), User.objects.count(), RoleAssignment.objects.count()) == counts
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert Organization.objects.filter(kind="university", parent=None).count() == 1
    holding = Organization.objects.get(kind="holding")
    assert holding.children.filter(kind="company").exists()
    out = capsys.readouterr().out
    assert "ridbook-demo" in out and "ipofficer" in out
    assert ChangeRecord.objects.filter(actor_label="команда load_demo").exists()
    from ridbook.registry.models import Rid

    assert set(Rid.objects.values_list("status", flat=True)) == {"draft", "submitted", "returned", "accepted"}
    assert Rid.objects.count() == 5  # four notices and a know-how under the trade-secret regime (issue 14)
    from ridbook.tradesecret.models import Regime

    assert Regime.objects.get().state == "in_force"
    assert Rid.objects.get(kind="know_how").abstract == ""  # sealed

    from ridbook.commission.models import Commission
    from ridbook.commission.services import composition_problems

    commission = Commission.objects.get()
    assert commission.members.count() == 7 and composition_problems(commission) == []
    assert commission.meetings.count() == 1


def test_the_demo_admin_manages_the_universitys_users_and_not_the_holdings():
    from django.test import Client

    call_command("load_demo")
    admin = User.objects.get(username="admin")
    assert admin.role_assignments.filter(role=Role.ADMINISTRATOR, organization__kind="university").exists()
    client = Client()
    client.force_login(admin)
    page = client.get("/users/").content.decode()
    assert "Пользователи" in page and User.objects.get(username="ipofficer").full_name in page
    holding_user = User.objects.get(username="holding-author")
    assert holding_user.full_name not in page
    assert client.get(f"/users/{holding_user.pk}/").status_code == 404
