"""The memo register (ทะเบียนบันทึกข้อความ, issue 17.6): search, whose desk a memo is on, XLSX export."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from itaportal.accounts.models import Organisation, Position
from reports.models import Decision, Delegation, Memo
from reports.selectors.register import register_memos, register_rows

pytestmark = pytest.mark.django_db

URL = "/o/phusang/memos/register/"
EXPORT = "/o/phusang/memos/register/export/"


def _rows(response) -> list:
    return response.context["rows"]


def _pks(response) -> set[int]:
    return {row.memo.pk for row in _rows(response)}


def _waiting() -> Memo:
    """The demo's memo of ภูซาง approved at level 1 and waiting for the ปลัด (palad.phusang)."""
    return Memo.objects.get(organisation__slug="phusang", state=Memo.State.IN_REVIEW)


def _history() -> Memo:
    """Reference document 000: พย 72401/120 of 11 February 2025 (๑๑ ก.พ. ๒๕๖๘), approved."""
    return Memo.objects.get(organisation__slug="phusang", number=120, number_year=2568)


def _in_review(draft, subject: str, number: int) -> Memo:
    """A memo waiting at its first level, the ปลัด, as memo_submit leaves one (levels copied)."""
    palad = Position.objects.get(organisation__slug="phusang", title="ปลัด")
    return draft(subject=subject, state=Memo.State.IN_REVIEW, number=number, number_year=2599,
                 date=timezone.localdate(), review=1, current_level=1,
                 levels=[{"position_id": palad.pk, "title": palad.full_title}])


def test_lists_every_memo_of_the_office_with_its_printed_number(login):
    response = login("staff.phusang").get(URL)
    assert response.status_code == 200
    assert _pks(response) == set(Memo.objects.filter(organisation__slug="phusang").values_list("pk", flat=True))
    body = response.content.decode()
    assert "พย ๗๒๔๐๑/๑๒๐" in body
    assert f"/o/phusang/memos/{_history().pk}/" in body


@pytest.mark.parametrize("typed", ["พย ๗๒๔๐๑/๑๒๐", "๑๒๐", "72401/120", " 120 "])
def test_search_by_number_in_thai_or_arabic_digits(login, typed):
    response = login("staff.phusang").get(URL, {"number": typed})
    assert _pks(response) == {_history().pk}


def test_a_number_that_is_not_one_says_so_and_lists_nothing(login):
    response = login("staff.phusang").get(URL, {"number": "ปลัด"})
    assert response.status_code == 200
    assert _rows(response) == []
    assert "number" in response.context["filter"].form.errors


def test_search_by_subject(login, draft):
    memo = draft(subject="ขออนุมัติจัดซื้อครุภัณฑ์สำนักงาน")
    response = login("staff.phusang").get(URL, {"subject": "ครุภัณฑ์"})
    assert _pks(response) == {memo.pk}


def test_search_by_submission_dates_typed_in_the_buddhist_era(login):
    response = login("staff.phusang").get(URL, {"submitted_from": "1/2/2568", "submitted_to": "๒๘ ก.พ. ๒๕๖๘"})
    assert _pks(response) == {_history().pk}
    response = login("staff.phusang").get(URL, {"submitted_from": "12/02/2568"})
    assert _history().pk not in _pks(response)


def test_a_bad_date_is_a_message_next_to_the_field(login):
    response = login("staff.phusang").get(URL, {"submitted_from": "31/02/2568"})
    assert "submitted_from" in response.context["filter"].form.errors
    assert _rows(response) == []


def test_search_by_state(login):
    response = login("staff.phusang").get(URL, {"state": "in_review"})
    assert _pks(response) == {_waiting().pk}


def test_search_by_person_finds_what_they_wrote_or_decided(login, draft, user):
    admin_memo = draft(author="admin.phusang", subject="บันทึกของผู้ดูแล")
    head = user("head.phusang")
    decided = set(Decision.objects.filter(actor=head, memo__organisation__slug="phusang")
                  .values_list("memo_id", flat=True))
    assert _waiting().pk in decided
    response = login("staff.phusang").get(URL, {"person": head.pk})
    assert _pks(response) == decided | set(Memo.objects.filter(author=head).values_list("pk", flat=True))
    assert admin_memo.pk not in _pks(response)
    response = login("staff.phusang").get(URL, {"person": user("admin.phusang").pk})
    assert admin_memo.pk in _pks(response)


def test_a_person_of_another_office_is_not_a_choice(login, user):
    response = login("staff.phusang").get(URL, {"person": user("staff.nasom").pk})
    assert "person" in response.context["filter"].form.errors


def test_the_memo_in_review_is_on_the_palad_s_desk_since_the_level_1_decision(login, user):
    memo = _waiting()
    level_1 = Decision.objects.get(memo=memo, review=memo.review, level=1)
    [row] = register_rows([register_memos(memo.organisation).get(pk=memo.pk)], memo.organisation,
                          timezone.localdate())
    palad = Position.objects.get(organisation=memo.organisation, title="ปลัด")
    assert row.desk.position == palad.full_title
    assert [h.name for h in row.desk.holders] == [user("palad.phusang").display_name]
    assert row.desk.since == timezone.localtime(level_1.decided_at)
    page = login("staff.phusang").get(URL, {"state": "in_review"}).content.decode()
    assert user("palad.phusang").display_name in page


def test_just_submitted_it_waits_since_the_submission_and_others_are_on_no_desk(login, draft, user):
    from reports.services.memos import memo_submit

    memo = memo_submit(memo=draft(subject="เพิ่งเสนอ"), user=user("staff.phusang"))
    memo = register_memos(memo.organisation).get(pk=memo.pk)
    [row, other] = register_rows([memo, register_memos(memo.organisation).get(pk=_history().pk)],
                                 memo.organisation, timezone.localdate())
    assert row.desk.since == timezone.localtime(memo.submitted_at)
    assert row.desk.position == memo.levels[0]["title"]
    assert other.desk is None


def test_an_acting_appointment_of_today_can_decide_too(draft, user):
    organisation = Organisation.objects.get(slug="phusang")
    today = timezone.localdate()
    Delegation.objects.create(organisation=organisation, person=user("nayok.phusang"),
                              position=Position.objects.get(organisation=organisation, title="ปลัด"),
                              kind="acting", start=today - timedelta(days=1), end=today)
    [row] = register_rows([register_memos(organisation).get(pk=_waiting().pk)], organisation, today)
    assert [(h.name, h.capacity) for h in row.desk.holders] == [
        (user("palad.phusang").display_name, ""), (user("nayok.phusang").display_name, "รักษาราชการแทน"),
    ]


def test_the_query_count_does_not_grow_with_the_memos(login, draft, user):
    client = login("staff.phusang")
    client.get(URL)  # the session and caches settle first

    def count(n_before: int, n_after: int) -> int:
        for number in range(n_before, n_after):
            memo = _in_review(draft, f"ทะเบียนทดสอบ {number}", 9000 + number) if number % 2 else \
                draft(subject=f"ทะเบียนทดสอบ {number}")
            if number % 4 == 1:
                Decision.objects.create(memo=memo, review=1, level=1, level_position="หัวหน้าสำนักปลัด",
                                        actor=user("head.phusang"), actor_name="x", actor_position="x",
                                        capacity="holder", action="approve")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"subject": "ทะเบียนทดสอบ"})
        assert len(_rows(response)) == n_after
        return len(queries)

    assert count(0, 3) == count(3, 30)


def test_fifty_a_page(login, draft):
    for number in range(51):
        draft(subject=f"หน้า {number}")
    response = login("staff.phusang").get(URL, {"subject": "หน้า", "page": 2})
    assert len(_rows(response)) == 1
    assert response.context["page"].paginator.count == 51


def test_the_export_is_the_filtered_register_read_back(login):
    response = login("palad.phusang").get(EXPORT, {"number": "๑๒๐"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    header, row = rows
    assert header[0] and header[9]
    memo = _history()
    assert row[0] == "พย ๗๒๔๐๑/๑๒๐"
    assert row[1] == memo.subject
    assert row[3] == memo.fiscal_year
    assert row[5] == "๑๑ ก.พ. ๖๘"
    assert row[7] is None  # approved: on nobody's desk


def test_the_export_names_the_desk_of_a_memo_in_review(login, user):
    response = login("admin.phusang").get(EXPORT, {"state": "in_review"})
    [_header, row] = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    memo = _waiting()
    assert row[7] == memo.levels[memo.current_level - 1]["title"]
    assert row[8] == user("palad.phusang").display_name
    assert row[9]


def test_a_subject_that_looks_like_a_formula_is_text_in_the_export(login, draft):
    draft(subject="=HYPERLINK(\"http://x\")")
    response = login("staff.phusang").get(EXPORT, {"subject": "HYPERLINK"})
    [_header, row] = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert row[1].startswith("'=")


def test_the_memo_list_links_to_the_register(login):
    assert URL in login("staff.phusang").get("/o/phusang/memos/").content.decode()
    assert URL not in login("auditor.phusang").get("/o/phusang/memos/").content.decode()


@pytest.mark.parametrize("url", [URL, EXPORT])
def test_another_office_gets_404(login, url):
    assert login("staff.nasom").get(url).status_code == 404


@pytest.mark.parametrize("url", [URL, EXPORT])
def test_auditors_get_403_because_the_register_lists_drafts(login, url):
    assert login("auditor.phusang").get(url).status_code == 403


@pytest.mark.parametrize("username", ["staff.phusang", "palad.phusang", "admin.phusang"])
def test_staff_executives_and_admins_read_it(login, username):
    assert login(username).get(URL).status_code == 200


@pytest.mark.parametrize("url", [URL, EXPORT])
def test_post_is_405(login, url):
    assert login("staff.phusang").post(url).status_code == 405


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_small_screens_get_one_card_per_memo(login):
    body = login("staff.phusang").get(URL).content.decode()
    assert 'id="register-cards"' in body and body.count('<li class="card') == Memo.objects.filter(
        organisation__slug="phusang").count()
