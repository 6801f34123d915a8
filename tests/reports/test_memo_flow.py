"""The memo's state machine: every allowed and refused transition."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from itaportal.accounts.models import Position
from itaportal.thai import fiscal_year
from itaportal.audit.selectors import trail_of
from reports.models import ApprovalChain, Decision, Delegation, Memo, MemoVersion
from reports.services.memos import MemoError, NotAllowed, memo_cancel, memo_decide, memo_submit

pytestmark = pytest.mark.django_db

PHUSANG = ["หัวหน้าสำนักปลัด", "ปลัด", "นายก"]


@pytest.fixture
def submitted(chain, draft, user):
    chain("phusang", PHUSANG)
    return memo_submit(memo=draft(), user=user("staff.phusang"))


def test_submitting_takes_the_next_number_and_goes_to_the_first_level(submitted):
    assert (submitted.state, submitted.current_level, submitted.review) == ("in_review", 1, 1)
    assert submitted.number >= 1 and submitted.number_year == fiscal_year(timezone.localdate())
    assert [level["title"] for level in submitted.levels] == [
        "หัวหน้าสำนักปลัด", "ปลัดองค์การบริหารส่วนตำบลภูซาง", "นายกองค์การบริหารส่วนตำบลภูซาง"]
    assert submitted.date == timezone.localdate()


def test_numbers_run_per_unit_and_year_of_issue(chain, draft, user):
    chain("phusang", PHUSANG)
    first = memo_submit(memo=draft(), user=user("staff.phusang"))
    # A memo about another fiscal year, issued the same year, continues the same series.
    second = memo_submit(memo=draft(fiscal_year=2569), user=user("staff.phusang"))
    assert (second.number, second.number_year) == (first.number + 1, first.number_year)
    other_unit = memo_submit(memo=draft(department=first.organisation.departments.get(name="กองคลัง")),
                             user=user("staff.phusang"))
    assert other_unit.number == 1


def test_only_the_author_or_admin_submits(chain, draft, user):
    chain("phusang", PHUSANG)
    memo = draft()
    with pytest.raises(NotAllowed):
        memo_submit(memo=memo, user=user("head.phusang"))
    assert memo_submit(memo=memo, user=user("admin.phusang")).state == "in_review"


def test_a_submitted_memo_cannot_be_submitted_again(submitted, user):
    with pytest.raises(MemoError):
        memo_submit(memo=submitted, user=user("staff.phusang"))


def test_no_chain_no_submission(draft, user):
    ApprovalChain.objects.filter(organisation__slug="wangthong").delete()
    with pytest.raises(MemoError):
        memo_submit(memo=draft(author="staff.wangthong"), user=user("staff.wangthong"))
    assert Memo.objects.get(author__username="staff.wangthong", subject="ขอรายงานผลการดำเนินงาน").number is None


def test_approving_every_level_approves_and_freezes(submitted, user):
    memo_decide(memo=submitted, user=user("head.phusang"), level=1, action="approve", comment="เห็นควรเสนอ")
    memo_decide(memo=submitted, user=user("palad.phusang"), level=2, action="approve", comment="เสนอ โปรดพิจารณา")
    memo = memo_decide(memo=submitted, user=user("nayok.phusang"), level=3, action="approve", comment="เห็นชอบ")
    assert memo.state == "approved"
    version = MemoVersion.objects.get(memo=memo)
    assert [d["name"] for d in version.content["decisions"]] == [
        "นางนภาพร ธาคำดี", "นายภูมิ ตัวอย่าง", "นายวรารุญ ฝาใจมา"]
    assert len(version.sha256) == 64
    actions = list(trail_of(memo).values_list("action", flat=True))
    assert actions == ["ita.memo.submitted", "ita.memo.forwarded", "ita.memo.forwarded", "ita.memo.approved",
                       "ita.memo.frozen"]


def test_only_the_current_levels_holder_decides(submitted, user):
    for username in ["palad.phusang", "nayok.phusang", "staff.phusang", "auditor.phusang"]:
        with pytest.raises(NotAllowed):
            memo_decide(memo=submitted, user=user(username), level=1, action="approve")
    with pytest.raises(NotAllowed):
        memo_decide(memo=submitted, user=user("head.nasom"), level=1, action="approve")
    assert not Decision.objects.filter(memo=submitted).exists()


def test_a_decision_for_a_level_already_decided_is_refused(submitted, user):
    memo_decide(memo=submitted, user=user("head.phusang"), level=1, action="approve")
    with translation.override("en"), pytest.raises(MemoError, match="already been decided"):
        memo_decide(memo=submitted, user=user("head.phusang"), level=1, action="approve")
    assert Decision.objects.filter(memo=submitted).count() == 1


def test_returning_goes_back_to_the_author_and_resubmission_keeps_the_number(submitted, user):
    number = submitted.number
    memo = memo_decide(memo=submitted, user=user("head.phusang"), level=1, action="return", comment="แก้ไขตัวเลข")
    assert (memo.state, memo.current_level) == ("returned", 0)
    again = memo_submit(memo=memo, user=user("staff.phusang"))
    assert (again.state, again.number, again.review, again.current_level) == ("in_review", number, 2, 1)
    # The level decided in the first review can be decided again in the second.
    memo_decide(memo=again, user=user("head.phusang"), level=1, action="approve")


def test_return_and_reject_need_a_reason(submitted, user):
    for action in ["return", "reject"]:
        with pytest.raises(MemoError):
            memo_decide(memo=submitted, user=user("head.phusang"), level=1, action=action, comment=" ")


def test_rejecting_is_final(submitted, user):
    memo = memo_decide(memo=submitted, user=user("head.phusang"), level=1, action="reject", comment="ไม่เหมาะสม")
    assert memo.state == "rejected"
    for step in [lambda: memo_submit(memo=memo, user=user("staff.phusang")),
                 lambda: memo_decide(memo=memo, user=user("head.phusang"), level=1, action="approve"),
                 lambda: memo_cancel(memo=memo, user=user("staff.phusang"))]:
        with pytest.raises(MemoError):
            step()


def test_a_cancelled_memo_keeps_its_number(submitted, user):
    memo = memo_cancel(memo=submitted, user=user("staff.phusang"))
    assert (memo.state, memo.number) == ("cancelled", submitted.number)
    with pytest.raises(MemoError):
        memo_decide(memo=memo, user=user("head.phusang"), level=1, action="approve")


def test_an_approved_memo_cannot_change(submitted, user):
    for level, username in enumerate(["head.phusang", "palad.phusang", "nayok.phusang"], start=1):
        memo = memo_decide(memo=submitted, user=user(username), level=level, action="approve")
    with pytest.raises(MemoError):
        memo_cancel(memo=memo, user=user("staff.phusang"))
    from reports.services.memos import memo_update_text

    with pytest.raises(MemoError):
        memo_update_text(memo=memo, user=user("staff.phusang"), subject="x", background="", facts="",
                         considerations="", proposal="", closing="inform")
    with pytest.raises(ValueError):
        memo.version.save()


def test_someone_acting_for_a_position_decides_with_their_own_name_and_capacity(submitted, user):
    organisation = submitted.organisation
    today = timezone.localdate()
    Delegation.objects.create(organisation=organisation, person=user("head.phusang"),
                              position=Position.objects.get(organisation=organisation, title="ปลัด"),
                              kind="acting", start=today - timedelta(days=1), end=today)
    memo_decide(memo=submitted, user=user("head.phusang"), level=1, action="approve")
    memo_decide(memo=submitted, user=user("head.phusang"), level=2, action="approve", comment="เสนอ")
    decision = Decision.objects.get(memo=submitted, level=2)
    assert (decision.actor_name, decision.capacity) == ("นางนภาพร ธาคำดี", "acting")
    assert decision.actor_position == "หัวหน้าสำนักปลัด รักษาราชการแทน ปลัดองค์การบริหารส่วนตำบลภูซาง"


def test_an_expired_appointment_gives_no_authority(submitted, user):
    organisation = submitted.organisation
    today = timezone.localdate()
    Delegation.objects.create(organisation=organisation, person=user("head.phusang"),
                              position=Position.objects.get(organisation=organisation, title="ปลัด"),
                              kind="delegated", start=today - timedelta(days=10), end=today - timedelta(days=1))
    memo_decide(memo=submitted, user=user("head.phusang"), level=1, action="approve")
    with pytest.raises(NotAllowed):
        memo_decide(memo=submitted, user=user("head.phusang"), level=2, action="approve")


def test_a_level_the_author_holds_is_skipped(chain, draft, user):
    chain("wangthong", ["หัวหน้าสำนักปลัด", "รองปลัด", "ปลัด", "นายก"])
    memo = memo_submit(memo=draft(author="head.wangthong"), user=user("head.wangthong"))
    assert [level["title"] for level in memo.levels] == [
        "รองปลัดองค์การบริหารส่วนตำบลวังทอง", "ปลัดองค์การบริหารส่วนตำบลวังทอง", "นายกองค์การบริหารส่วนตำบลวังทอง"]
