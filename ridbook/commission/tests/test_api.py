"""The commission through /api/v1/: a whole meeting, the refusals, and the immutability of a signed protocol."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from ridbook.accounts.roles import Role
from ridbook.audit.models import RecordLocked
from ridbook.commission import services as cs
from ridbook.commission.models import Meeting, Vote
from ridbook.commission.tests.conftest import open_with, seats
from ridbook.registry.models import Rid

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user():
    def client(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return client


def url(meeting, tail=""):
    pk = meeting if isinstance(meeting, int) else meeting.pk
    return f"/api/v1/meetings/{pk}/{tail}"


def error(response):
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]


def item_of(detail, n=0):
    return detail["items"][n]


def test_a_whole_meeting_through_the_api(
    as_user, commission, accepted, secretary, chair, personas, author_person, django_capture_on_commit_callbacks
):
    sec = as_user(secretary)
    members = seats(commission)
    author_person.email = "ivanov@example.org"
    author_person.save()

    # the commission: composition, queue, no problems
    detail = sec.get(f"/api/v1/commissions/{commission.pk}/").json()
    assert detail["problems"] == []
    assert [(q["id"], q["number"], q["kind"]) for q in detail["queue"]] == [(accepted.pk, accepted.number, "invention")]
    assert {"title", "received_on", "kind_label"} <= set(detail["queue"][0])
    assert [m["role"] for m in detail["members"][:3]] == ["chair", "deputy", "secretary"]
    assert len(detail["members"]) == 7

    # schedule
    today = timezone.localdate()
    created = sec.post("/api/v1/meetings/", {"commission": commission.pk, "date": str(today), "time": "15:00"})
    assert created.status_code == 201, created.json()
    meeting = created.json()
    assert (meeting["number"], meeting["year"], meeting["status"]) == (1, today.year, "planned")
    assert meeting["place"] == "ауд. 1212"  # the commission's default place
    assert meeting["notice_due"] is not None and "7 рабочих дней" in meeting["notice_warning"]
    mid = meeting["id"]

    # agenda from the queue
    agenda = sec.post(url(mid, "agenda/from-queue/"))
    assert agenda.status_code == 201, agenda.json()
    item = item_of(agenda.json())
    assert (item["order"], item["kind"], item["rid"]["id"]) == (1, "application", accepted.pk)
    assert sec.get(f"/api/v1/commissions/{commission.pk}/").json()["queue"] == []
    iid = item["id"]

    # notices: late → confirmation needed; then e-mails with an ICS invitation
    late = sec.post(url(mid, "send-notices/"), {}, format="json")
    assert late.status_code == 400
    assert error(late)["code"] == "notice_late"
    assert "Подтвердите отправку с опозданием" in error(late)["message"]
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = sec.post(url(mid, "send-notices/"), {"confirm_late": True}, format="json")
    assert sent.status_code == 200, sent.json()
    assert "ivanov@example.org" in sent.json()["recipients"]
    assert sent.json()["meeting"]["status"] == "notified" and sent.json()["meeting"]["notices_late"] is True
    assert {m.to[0] for m in mail.outbox} == set(sent.json()["recipients"])
    name, ics, mimetype = mail.outbox[0].attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert b"BEGIN:VEVENT" in (ics if isinstance(ics, bytes) else ics.encode())

    # open and attendance: member5 absent without a good reason
    opened = sec.post(url(mid, "open/"))
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    assert len(opened.json()["attendance"]) == 7
    for username, seat in members.items():
        payload = (
            {"member": seat.pk, "present": False, "absence": "unexcused"}
            if username == "member5"
            else {"member": seat.pk, "present": True}
        )
        marked = sec.post(url(mid, "attendance/"), payload, format="json")
        assert marked.status_code == 200, marked.json()
    quorum = marked.json()["quorum"]
    assert (quorum["present"], quorum["members"], quorum["reached"]) == (6, 7, True)
    assert quorum["message"].startswith("Кворум есть")

    # the proposal
    proposed = sec.post(
        url(mid, f"items/{iid}/propose/"),
        {"outcome": "file", "protection_form": "invention", "heard": "Иванов П. С. о заявке"},
        format="json",
    )
    assert proposed.status_code == 200, proposed.json()
    assert item_of(proposed.json())["outcome"] == "file"
    assert item_of(proposed.json())["resolution_text"].endswith("патент на изобретение")

    # votes: the secretary records them, member2 votes himself (against) and attaches a dissent
    for username, seat in members.items():
        if username in ("member5", "member2"):
            continue
        cast = sec.post(url(mid, f"items/{iid}/vote/"), {"member": seat.pk, "choice": "for"}, format="json")
        assert cast.status_code == 200, cast.json()
    member2 = members["member2"].user
    own = as_user(member2).post(url(mid, f"items/{iid}/vote/"), {"choice": "against"}, format="json")
    assert own.status_code == 200, own.json()
    tally = item_of(own.json())["tally"]
    assert (tally["votes_for"], tally["votes_against"], tally["adopted"]) == (5, 1, True)
    assert {v["name"]: v["choice"] for v in item_of(own.json())["votes"]}[member2.full_name] == "against"
    dissent = as_user(member2).post(
        url(mid, f"items/{iid}/dissent/"), {"text": "Нужен дополнительный патентный поиск."}, format="json"
    )
    assert dissent.status_code == 201, dissent.json()
    assert item_of(dissent.json())["dissents"][0]["text"] == "Нужен дополнительный патентный поиск."

    # close, sign by the chair and the secretary
    closed = sec.post(url(mid, "close/"))
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == "closed"
    assert item_of(closed.json())["adopted"] is True
    assert item_of(closed.json())["result_text"].startswith("Решение принято")
    first = as_user(chair).post(url(mid, "sign/"))
    assert first.status_code == 200, first.json()
    assert first.json()["signatures"]["chair_signed_at"] and first.json()["status"] == "closed"
    signed = sec.post(url(mid, "sign/"))
    assert signed.status_code == 200, signed.json()
    signed = signed.json()
    assert signed["status"] == "signed" and signed["is_locked"] and signed["has_signed_protocol"]
    assert signed["signatures"]["secretary_signed_by"]
    assert item_of(signed)["effective"] is False  # a dissent: the approver decides
    assert Rid.objects.get(pk=accepted.pk).status == "accepted"

    # the approver's resolution puts the decision into force
    approver = as_user(personas[Role.APPROVER])
    resolved = approver.post(url(mid, "resolve/"), {"verdict": "approved", "comment": "Согласен"}, format="json")
    assert resolved.status_code == 201, resolved.json()
    assert resolved.json()["resolution"]["verdict"] == "approved"
    assert item_of(resolved.json())["effective"] is True
    rid = Rid.objects.get(pk=accepted.pk)
    assert (rid.status, rid.protection_form, rid.rights_holder) == ("filing", "invention", "organization")

    # the absence is counted at a signed meeting
    absences = {
        m["name"]: m["unexcused_absences"] for m in sec.get(f"/api/v1/commissions/{commission.pk}/").json()["members"]
    }
    assert absences[members["member5"].user.full_name] == 1
    assert absences[chair.full_name] == 0

    # the signed protocol is the stored DOCX
    download = sec.get(url(mid, "protocol.docx/"))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download.content == Meeting.objects.get(pk=mid).protocol_docx.read()


def test_a_vote_by_an_absent_member_is_refused(as_user, meeting, accepted, secretary):
    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    open_with(meeting, secretary, absent=("member3",))
    cs.item_propose(actor=secretary, item=item, outcome="trade_secret")
    absent = seats(meeting.commission)["member3"]
    refused = as_user(secretary).post(url(meeting, f"items/{item.pk}/vote/"), {"member": absent.pk, "choice": "for"})
    assert refused.status_code == 400
    assert error(refused)["code"] == "absent_member"
    assert error(refused)["message"] == (
        f"{absent.user.full_name} отсутствует на заседании: голосуют только присутствующие члены комиссии, "
        "заочное голосование не допускается (ВГТУ 6.5)."
    )
    assert not Vote.objects.filter(item=item).exists()


def test_an_author_invited_as_expert_is_refused(as_user, meeting, accepted, secretary, author):
    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    refused = as_user(secretary).post(url(meeting, f"items/{item.pk}/experts/"), {"user": author.pk}, format="json")
    assert refused.status_code == 400
    assert error(refused)["code"] == "expert_is_author"
    assert "автор не может быть экспертом по своей заявке" in error(refused)["message"]
    assert error(refused)["details"]["fields"]["user"] == error(refused)["message"]


def test_an_expert_sees_his_items_gives_an_opinion_and_cannot_vote(as_user, meeting, accepted, secretary, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    expert = personas[Role.EXPERT]
    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    invited = as_user(secretary).post(
        url(meeting, f"items/{item.pk}/experts/"), {"user": expert.pk, "position": "профессор"}, format="json"
    )
    assert invited.status_code == 201, invited.json()
    invitation = item_of(invited.json())["experts"][0]
    assert (invitation["user"], invitation["position"], invitation["opinion"]) == (expert.pk, "профессор", "")

    api = as_user(expert)
    upload = SimpleUploadedFile("opinion.pdf", b"%PDF-1.4", content_type="application/pdf")
    given = api.post(
        url(meeting, f"experts/{invitation['id']}/opinion/"),
        {"text": "Новизна есть.", "file": upload},
        format="multipart",
    )
    assert given.status_code == 200, given.json()
    mine = item_of(given.json())["experts"][0]
    assert mine["opinion"] == "Новизна есть." and mine["has_opinion_file"] and mine["opinion_at"]
    empty = api.post(url(meeting, f"experts/{invitation['id']}/opinion/"), {"text": " "}, format="json")
    assert empty.status_code == 400 and "в письменной форме" in error(empty)["message"]
    from ridbook.testing.hostile import xlsx_bomb

    bomb = io.BytesIO()
    xlsx_bomb(bomb)
    refused = api.post(
        url(meeting, f"experts/{invitation['id']}/opinion/"),
        {"text": "Другое.", "file": SimpleUploadedFile("opinion.docx", bomb.getvalue())},
        format="multipart",
    )
    assert refused.status_code == 400 and error(refused)["code"] == "upload_refused"
    assert "zip-бомбу" in error(refused)["message"]

    assert [i["id"] for i in api.get(url(meeting)).json()["items"]] == [item.pk]
    open_with(meeting, secretary)
    cs.item_propose(actor=secretary, item=item, outcome="trade_secret")
    chair_seat = seats(meeting.commission)["commission_chair"]
    for payload in ({"choice": "for"}, {"member": chair_seat.pk, "choice": "for"}):
        refused = api.post(url(meeting, f"items/{item.pk}/vote/"), payload, format="json")
        assert refused.status_code == 403
        assert error(refused)["code"] == "permission_denied"
        assert "Эксперты не участвуют в голосовании" in error(refused)["message"]
    assert not Vote.objects.filter(item=item).exists()


def test_outsiders_cannot_read_the_meetings_materials(as_user, meeting, accepted, secretary, author, personas):
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    # the author of the RID on the agenda: the commission is not his
    outsider = as_user(author)
    assert outsider.get("/api/v1/meetings/").json()["count"] == 0
    hidden = outsider.get(url(meeting))
    assert hidden.status_code == 404 and error(hidden)["code"] == "not_found"
    assert outsider.get(url(meeting, "protocol.docx/")).status_code == 404
    assert outsider.get(f"/api/v1/commissions/{meeting.commission_id}/").status_code == 404
    # the auditor sees the commission, but a protocol only once it is signed
    auditor = as_user(personas[Role.AUDITOR])
    assert auditor.get("/api/v1/meetings/").json()["count"] == 1
    denied = auditor.get(url(meeting))
    assert denied.status_code == 403
    assert "Материалы заседания конфиденциальны" in error(denied)["message"]
    assert auditor.get(url(meeting, "protocol.docx/")).status_code == 403
    # a member reads everything
    member = as_user(personas[Role.COMMISSION_MEMBER])
    assert member.get(url(meeting)).json()["items"][0]["rid"]["id"] == accepted.pk


def test_writes_on_a_signed_meeting_are_refused_in_the_error_format(
    as_user, meeting, accepted, secretary, chair, personas
):
    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    invitation = cs.expert_invite(actor=secretary, item=item, user=personas[Role.EXPERT])
    open_with(meeting, secretary)
    cs.item_propose(actor=secretary, item=item, outcome="trade_secret")
    for row in meeting.attendance.select_related("member"):
        cs.vote_cast(actor=secretary, item=item, member=row.member, choice="for")
    cs.meeting_close(actor=secretary, meeting=meeting)
    cs.protocol_sign(actor=chair, meeting=meeting)
    cs.protocol_sign(actor=secretary, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == "signed" and meeting.is_locked
    vote = Vote.objects.filter(item=item).first()
    assert vote is not None
    member = seats(meeting.commission)["member2"]

    api = as_user(secretary)
    attempts = [
        api.put(url(meeting), {"place": "ауд. 1"}, format="json"),
        api.patch(url(meeting), {"place": "ауд. 1"}, format="json"),
        api.delete(url(meeting)),
        api.post(url(meeting, "agenda/"), {"rid": accepted.pk}, format="json"),
        api.post(url(meeting, "agenda/from-queue/")),
        api.delete(url(meeting, f"agenda/{item.pk}/")),
        api.post(url(meeting, "send-notices/"), {"confirm_late": True}, format="json"),
        api.post(url(meeting, "open/")),
        api.post(url(meeting, "attendance/"), {"member": member.pk, "present": False, "absence": "excused"}),
        api.post(url(meeting, f"items/{item.pk}/propose/"), {"outcome": "not_expedient"}, format="json"),
        api.post(url(meeting, f"items/{item.pk}/vote/"), {"member": vote.member_id, "choice": "against"}),
        api.put(url(meeting, f"items/{item.pk}/vote/"), {"member": vote.member_id, "choice": "against"}),
        api.delete(url(meeting, f"items/{item.pk}/vote/")),
        api.post(url(meeting, f"items/{item.pk}/experts/"), {"user": personas[Role.AUDITOR].pk}, format="json"),
        api.post(url(meeting, f"experts/{invitation.pk}/opinion/"), {"text": "Позднее заключение"}, format="json"),
        as_user(member.user).post(url(meeting, f"items/{item.pk}/dissent/"), {"text": "Против"}, format="json"),
        api.post(url(meeting, "close/")),
        api.post(url(meeting, "cancel/"), {"reason": "ошибка"}, format="json"),
        api.post(url(meeting, "sign/")),
        as_user(personas[Role.APPROVER]).post(url(meeting, "resolve/"), {"verdict": "approved"}, format="json"),
    ]
    for response in attempts:
        assert 400 <= response.status_code < 500, (response.request["PATH_INFO"], response.status_code)
        assert error(response)["message"], response.request["PATH_INFO"]
    by_state = [r for r in attempts if r.status_code == 400]
    assert len(by_state) >= 14
    assert any("протокол подписан" in error(r)["message"] for r in by_state)
    assert {r.status_code for r in attempts} <= {400, 405}

    # nothing changed
    vote.refresh_from_db()
    item.refresh_from_db()
    meeting.refresh_from_db()
    assert vote.choice == "for" and item.outcome == "trade_secret" and meeting.status == "signed"
    assert meeting.items.count() == 1 and not item.dissents.exists()
    # and a locked record refuses a direct write with a DomainError, which the API renders as 4xx
    with pytest.raises(RecordLocked):
        vote.save()
    assert RecordLocked("x").status < 500


def test_protocol_downloads(as_user, meeting, accepted, secretary, monkeypatch):
    from docx import Document

    from ridbook.commission import documents

    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    api = as_user(secretary)
    draft = api.get(url(meeting, "protocol.docx/"))
    assert draft.status_code == 200
    assert draft["Content-Disposition"] == f'attachment; filename="protocol-{meeting.year}-{meeting.number}.docx"'
    text = "".join(Document(io.BytesIO(draft.content)).element.body.itertext())
    assert "Способ контроля износа рельсов" in text

    monkeypatch.setattr(documents, "protocol_pdf", lambda meeting: None)
    missing = api.get(url(meeting, "protocol.pdf/"))
    assert missing.status_code == 404
    assert error(missing)["code"] == "pdf_unavailable"
    assert "LibreOffice" in error(missing)["message"]
    monkeypatch.setattr(documents, "protocol_pdf", lambda meeting: b"%PDF-1.7")
    pdf = api.get(url(meeting, "protocol.pdf/"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content == b"%PDF-1.7"


def test_commissions_and_members(as_user, org_tree, secretary, personas):
    api = as_user(secretary)
    created = api.post(
        "/api/v1/commissions/",
        {"organization": org_tree["university"].pk, "order_number": "7", "order_date": "2026-01-10"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    commission = created.json()
    assert commission["title"] and commission["is_active"]
    cid = commission["id"]
    problems = api.get(f"/api/v1/commissions/{cid}/").json()["problems"]
    assert "Не назначен председатель комиссии." in problems

    chair = personas[Role.COMMISSION_CHAIR]
    added = api.post(
        f"/api/v1/commissions/{cid}/members/", {"user": chair.pk, "role": "chair", "position": "проректор"}
    )
    assert added.status_code == 201, added.json()
    assert [(m["user"], m["role"], m["is_active"]) for m in added.json()] == [(chair.pk, "chair", True)]
    again = api.post(
        f"/api/v1/commissions/{cid}/members/",
        {"user": personas[Role.COMMISSION_MEMBER].pk, "role": "chair", "position": "декан"},
    )
    assert again.status_code == 400 and error(again)["code"] == "duplicate"
    assert "уже есть председатель комиссии" in error(again)["message"]
    no_position = api.post(
        f"/api/v1/commissions/{cid}/members/",
        {"user": personas[Role.COMMISSION_MEMBER].pk, "role": "member", "position": " "},
    )
    assert no_position.status_code == 400

    # a new order replaces the active commission
    replaced = api.post(
        "/api/v1/commissions/",
        {"organization": org_tree["university"].pk, "order_number": "9", "order_date": "2026-02-01"},
        format="json",
    )
    assert replaced.status_code == 201, replaced.json()
    assert api.get(f"/api/v1/commissions/{cid}/").json()["is_active"] is False

    seat = added.json()[0]["id"]
    refused = api.delete(f"/api/v1/commissions/{cid}/members/{seat}/")  # without the order: nothing changes
    assert refused.status_code == 400 and set(refused.json()["error"]["details"]["fields"]) == {
        "order_number",
        "order_date",
    }
    order = {"order_number": "17-к", "order_date": timezone.localdate().isoformat()}
    removed = api.delete(f"/api/v1/commissions/{cid}/members/{seat}/", order, format="json")
    assert removed.status_code == 200 and removed.json()[0]["is_active"] is False
    assert api.get(f"/api/v1/commissions/{cid}/members/").json()[0]["is_active"] is False

    # an author may not create a commission, nor add members
    author = as_user(personas[Role.AUTHOR])
    denied = author.post(
        "/api/v1/commissions/",
        {"organization": org_tree["university"].pk, "order_number": "8", "order_date": "2026-01-10"},
        format="json",
    )
    assert denied.status_code == 403, denied.json()
    assert error(denied)["code"] == "permission_denied"
    assert author.get("/api/v1/commissions/").json()["count"] == 0


def test_meeting_list_filters_and_scheduling_refusals(as_user, commission, meeting, secretary):
    api = as_user(secretary)
    assert [m["id"] for m in api.get("/api/v1/meetings/", {"commission": commission.pk}).json()["results"]] == [
        meeting.pk
    ]
    assert api.get("/api/v1/meetings/", {"status": "signed"}).json()["count"] == 0
    assert api.get("/api/v1/meetings/", {"year": meeting.year}).json()["count"] == 1
    past = api.post(
        "/api/v1/meetings/", {"commission": commission.pk, "date": "2020-01-10", "time": "10:00"}, format="json"
    )
    assert past.status_code == 400
    assert "Дата заседания 10.01.2020 уже прошла" in error(past)["message"]
    assert "date" in error(past)["details"]["fields"]
    cancelled = api.post(url(meeting, "cancel/"), {"reason": "нет кворума"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_commission_endpoints_are_in_the_openapi_schema(as_user, secretary):
    paths = as_user(secretary).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    for path in (
        "/api/v1/commissions/",
        "/api/v1/commissions/{id}/members/",
        "/api/v1/commissions/{id}/members/{member}/",
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/",
        "/api/v1/meetings/{id}/agenda/",
        "/api/v1/meetings/{id}/agenda/from-queue/",
        "/api/v1/meetings/{id}/agenda/{item}/",
        "/api/v1/meetings/{id}/send-notices/",
        "/api/v1/meetings/{id}/items/{item}/vote/",
        "/api/v1/meetings/{id}/experts/{invitation}/opinion/",
        "/api/v1/meetings/{id}/resolve/",
        "/api/v1/meetings/{id}/protocol.docx/",
        "/api/v1/meetings/{id}/protocol.pdf/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/meetings/{id}/items/{item}/vote/"]) == {"post"}


def test_the_schema_has_no_warnings_from_the_commission_api():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    fields = ("role", "status", "choice", "outcome", "verdict", "absence", "protection_form", "member", "item")
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    ours = [
        w
        for w in GENERATOR_STATS._warn_cache
        if "commission/" in w or "Meeting" in w or "Commission" in w or any(f'"{f}"' in w for f in fields)
    ]
    assert ours == []
    assert not GENERATOR_STATS._error_cache
