"""The commission's pages: confidentiality, refusals shown as messages, a signed protocol untouchable in UI and admin."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.commission import services as cs
from ridbook.commission.models import Meeting, Vote
from ridbook.commission.tests.test_meeting import _decide
from ridbook.deadlines.registry import deadlines_for
from ridbook.registry.models import Rid


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def signed(meeting, accepted, secretary, chair):
    _decide(meeting, accepted, secretary, chair)
    return Meeting.objects.get(pk=meeting.pk)


def test_a_signed_protocol_cannot_be_changed_through_the_pages(client, signed, secretary, commission):
    client.force_login(secretary)
    item = signed.items.get()
    member = commission.members.get(user__username="member2")
    before = list(Vote.objects.values_list("pk", "choice"))
    response = client.post(
        f"/commission/meetings/{signed.pk}/do/votes/", {"item": item.pk, f"vote-{member.pk}": "against"}
    )
    assert response.status_code == 302
    assert any("протокол подписан" in m for m in _messages(response))
    response = client.post(
        f"/commission/meetings/{signed.pk}/do/propose/", {"item": item.pk, f"i{item.pk}-outcome": "not_expedient"}
    )
    assert any("протокол подписан" in m for m in _messages(response))
    assert list(Vote.objects.values_list("pk", "choice")) == before
    page = client.get(f"/commission/meetings/{signed.pk}/").content.decode()
    assert "Протокол подписан" in page and "Записать голоса" not in page and "Записать проект решения" not in page


def test_a_signed_protocol_cannot_be_changed_in_the_admin(client, signed, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    url = f"/admin/commission/meeting/{signed.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "Сохранить" not in page.content.decode()
    response = client.post(url, {"place": "подвал", "status": "planned"})
    assert response.status_code == 403
    assert client.post(f"/admin/commission/meeting/{signed.pk}/delete/", {"post": "yes"}).status_code == 403
    vote = Vote.objects.first()
    assert client.post(f"/admin/commission/vote/{vote.pk}/change/", {"choice": "against"}).status_code == 403
    assert Meeting.objects.get(pk=signed.pk).place == signed.place
    assert Vote.objects.get(pk=vote.pk).choice == vote.choice


def test_materials_are_confidential(client, meeting, accepted, secretary, personas):
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    url = f"/commission/meetings/{meeting.pk}/"
    for role in (Role.DIVISION_HEAD, Role.AUDITOR, Role.AUTHOR, Role.ACCOUNTANT):
        client.force_login(personas[role])
        assert client.get(url).status_code == 403, role
    for role in (Role.COMMISSION_MEMBER, Role.IP_OFFICER, Role.COMMISSION_SECRETARY):
        client.force_login(personas[role])
        assert client.get(url).status_code == 200, role
    # the packet of a RID on the agenda: members, experts and the IP department only
    document = accepted.packet.first()
    packet = f"/registry/{accepted.pk}/packet/{document.pk}/"
    client.force_login(personas[Role.DIVISION_HEAD])
    assert client.get(packet).status_code == 403
    assert client.get(f"/registry/{accepted.pk}/documents/notice/").status_code == 403
    assert client.get(f"/api/v1/rids/{accepted.pk}/documents/notice/").status_code == 403
    client.force_login(personas[Role.COMMISSION_MEMBER])
    assert client.get(packet).status_code == 200
    assert client.get(f"/registry/{accepted.pk}/documents/notice/").status_code == 200


def test_an_invited_expert_sees_only_his_item(client, meeting, accepted, secretary, personas, draft):
    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    expert = personas[Role.EXPERT]
    client.force_login(expert)
    assert client.get(f"/commission/meetings/{meeting.pk}/").status_code == 403
    cs.expert_invite(actor=secretary, item=item, user=expert)
    page = client.get(f"/commission/meetings/{meeting.pk}/").content.decode()
    assert accepted.title in page and "Моё заключение эксперта" in page
    response = client.post(
        f"/commission/meetings/{meeting.pk}/do/opinion/",
        {"invitation": item.experts.get().pk, "opinion": "Новизна есть, рекомендую патент на изобретение."},
    )
    assert "Заключение эксперта приложено" in _messages(response)[0]
    assert item.experts.get().opinion.startswith("Новизна есть")
    invitation = item.experts.get()
    invitation.opinion_file.save("opinion.txt", ContentFile("Заключение: новизна есть".encode()))
    download = client.get(f"/commission/meetings/{meeting.pk}/opinions/{invitation.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).decode() == "Заключение: новизна есть"
    client.force_login(personas[Role.DIVISION_HEAD])
    assert client.get(f"/commission/meetings/{meeting.pk}/opinions/{invitation.pk}/").status_code == 403


def test_the_secretary_sees_refusals_on_the_page(client, commission, secretary):
    client.force_login(secretary)
    response = client.post(f"/commission/{commission.pk}/do/schedule/", {"date": "2020-01-10", "time": "10:00"})
    assert any("Дата заседания 10.01.2020 уже прошла" in m for m in _messages(response))
    response = client.post(f"/commission/{commission.pk}/do/schedule/", {"date": "завтра", "time": "10:00"})
    assert any(m.startswith("Дата заседания: ") for m in _messages(response))
    assert not Meeting.objects.exists()


def test_the_commission_page_shows_the_rules_the_queue_and_the_quarters(client, commission, accepted, secretary):
    client.force_login(secretary)
    page = client.get(f"/commission/{commission.pk}/").content.decode()
    assert "Не менее 7 членов; кворум — 50 % членов" in page
    assert "заочное голосование не допускается" in page
    assert accepted.number in page  # the queue
    assert "нет заседания" in page  # no meeting in this quarter yet


def test_deadlines_of_the_commission(meeting, accepted, secretary, chair, personas, commission):
    today = timezone.localdate()
    titles = [d.title for d in deadlines_for(secretary, today)]
    assert f"Разослать уведомления о заседании {meeting.label}" in titles
    assert any(t.startswith("Решение комиссии по") for t in titles)  # the 2-month decision deadline of VGTU 5.1.1
    member_titles = [d.title for d in deadlines_for(commission.members.get(user__username="member2").user, today)]
    assert any(t.startswith("Заседание комиссии") for t in member_titles)
    _decide(meeting, accepted, secretary, chair, dissent_by=personas[Role.COMMISSION_MEMBER])
    approver_items = [d for d in deadlines_for(personas[Role.APPROVER], today) if d.source == "commission.dissent"]
    assert [d.due for d in approver_items] == [cs.dissent_due(meeting)]
    assert cs.dissent_due(meeting) > meeting.date
    cs.approver_resolve(actor=personas[Role.APPROVER], meeting=meeting, verdict="approved")
    filing = [d for d in deadlines_for(personas[Role.IP_OFFICER], today) if d.source == "commission.filing"]
    assert [d.title for d in filing] == [f"Начать оформление прав на {accepted.number} «{accepted.title}»"]
    assert Rid.objects.get(pk=accepted.pk).decided_on == meeting.date


def test_a_quarter_without_a_meeting_is_flagged(commission):
    from ridbook.commission.selectors import quarters_without_meeting

    missed = quarters_without_meeting(commission, date(2026, 11, 24))
    assert [q.label for q in missed] == [
        "1 квартал 2026 г.",
        "2 квартал 2026 г.",
        "3 квартал 2026 г.",
        "4 квартал 2026 г.",
    ]


def test_a_maintenance_item_for_a_decided_rid(client, signed, accepted, secretary, commission):
    from datetime import time

    later = cs.meeting_schedule(actor=secretary, commission=commission, on=timezone.localdate(), at=time(18))
    client.force_login(secretary)
    page = client.get(f"/commission/meetings/{later.pk}/").content.decode()
    assert f'<option value="{accepted.pk}">{accepted.number}' in page
    response = client.post(
        f"/commission/meetings/{later.pk}/do/agenda-add/", {"rid": accepted.pk, "kind": "maintenance"}
    )
    assert "В повестку включён вопрос 1." in _messages(response)
    item = later.items.get()
    assert item.kind == "maintenance" and item.title.startswith("О поддержании в силе охранного документа")


def test_the_decision_shows_on_the_rid_page_and_in_the_api(client, signed, accepted, personas):
    client.force_login(personas[Role.IP_OFFICER])
    page = client.get(f"/registry/{accepted.pk}/").content.decode()
    assert "патент на изобретение" in page and "организация (работодатель)" in page
    assert "Подразделению по ИС: начать оформление" in page
    data = client.get(f"/api/v1/rids/{accepted.pk}/").json()
    assert (data["status"], data["protection_form"], data["rights_holder"]) == ("filing", "invention", "organization")
    assert data["decided_on"] == signed.date.isoformat()
    assert any(e["kind"] == "commission" for e in data["events"])


def test_an_expert_opens_the_materials_of_his_item_only(client, meeting, accepted, secretary, personas):
    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    document = accepted.packet.first()
    url = f"/commission/meetings/{meeting.pk}/items/{item.pk}/materials/{document.pk}/"
    client.force_login(personas[Role.EXPERT])
    assert client.get(url).status_code == 403  # not invited yet
    cs.expert_invite(actor=secretary, item=item, user=personas[Role.EXPERT])
    assert client.get(url).status_code == 200
    notice = client.get(f"/commission/meetings/{meeting.pk}/items/{item.pk}/materials/notice/")
    assert notice.status_code == 200 and notice.content[:2] == b"PK"


def test_messages_about_members_agree_in_gender(client, commission, secretary, org_tree):
    from ridbook.accounts.roles import Role
    from ridbook.testing.factories import persona

    romanova = persona(Role.COMMISSION_MEMBER, org_tree["university"], username="romanova")
    romanova.last_name, romanova.first_name, romanova.middle_name = "Романова", "Людмила", "Олеговна"
    romanova.save()
    client.force_login(secretary)
    url = f"/commission/{commission.pk}/do/member-add/"
    response = client.post(url, {"user": romanova.pk, "role": "member", "position": "доцент"})
    assert "Романова Людмила Олеговна включена в состав комиссии." in _messages(response)
    seat = commission.members.get(user=romanova)
    remove = f"/commission/{commission.pk}/do/member-remove/"
    # one click changes nothing: the order and a confirmation are asked
    response = client.post(remove, {"member": seat.pk, "order_number": "17-к", "order_date": "2026-02-01"})
    assert "Подтверждение: отметьте «подтверждаю вывод из состава»: без этого состав не меняется." in _messages(
        response
    )
    response = client.post(remove, {"member": seat.pk, "confirm": "on"})
    assert "Состав не изменён: Укажите номер приказа, которым член комиссии выводится из состава." in " ".join(
        _messages(response)
    )
    seat.refresh_from_db()
    assert seat.is_active
    data = {"member": seat.pk, "order_number": "17-к", "order_date": "2026-02-01", "confirm": "on"}
    response = client.post(remove, data)
    assert "Романова Людмила Олеговна выведена из состава комиссии." in _messages(response)
    seat.refresh_from_db()
    assert not seat.is_active and seat.removal_order_number == "17-к" and str(seat.removal_order_date) == "2026-02-01"


def test_a_refused_proposal_keeps_everything_typed(client, meeting, accepted, secretary):
    from ridbook.commission import services as cs
    from ridbook.commission.tests.conftest import open_with

    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    open_with(meeting, secretary)
    client.force_login(secretary)
    typed = {
        "item": item.pk,
        f"i{item.pk}-outcome": "file",
        f"i{item.pk}-protection_form": "software",  # not a form for an invention: refused
        f"i{item.pk}-heard": "Доклад Иванова о способе контроля износа, 20 минут",
        f"i{item.pk}-spoke": "Петрова: поддержать",
    }
    response = client.post(f"/commission/meetings/{meeting.pk}/do/propose/", typed, follow=True)
    page = response.content.decode()
    assert "Решение не записано" in page
    assert "Доклад Иванова о способе контроля износа, 20 минут" in page and "Петрова: поддержать" in page
    item.refresh_from_db()
    assert item.outcome == "" and item.heard == ""  # nothing stored
    again = client.get(f"/commission/meetings/{meeting.pk}/").content.decode()
    assert "Доклад Иванова" not in again  # kept for the next page only
