"""The demo memos: the history of 000, 001 and 002 approved as printed, and one memo per organisation
waiting at level 2 for a newcomer to decide."""

from datetime import date

import pytest
from django.utils import timezone

from itaportal.accounts.models import Membership, Organisation, User
from itaportal.audit.models import AuditEntry
from demo import memos as demo_memos
from itaportal.thai import fiscal_year
from measures.models import ReportingRound
from reports.models import ApprovalChain, Decision, Delegation, Memo, MemoCounter, MemoVersion
from reports.selectors.chain import capacity_for
from reports.services.memos import NotAllowed, allocate_number, memo_decide
from reports.snapshots import addressee, number_text

pytestmark = pytest.mark.django_db

HISTORY = [
    # organisation, number as printed by the portal, numbering year, date, author, levels
    ("phusang", "พย 72401/120", 2568, date(2025, 2, 11), "staff.phusang", 3),
    ("nasom", "/117", 2567, date(2024, 1, 17), "staff.nasom", 3),
    ("wangthong", "นก 79401.1/141", 2566, date(2023, 4, 4), "head.wangthong", 3),
]
WAITING = [("phusang", "palad.phusang"), ("nasom", "palad.nasom"), ("wangthong", "deputy.wangthong")]


@pytest.fixture
def loaded():
    demo_memos.load()
    demo_memos.load()


def _history(slug: str, number: int) -> Memo:
    return Memo.objects.get(organisation__slug=slug, number=number, state=Memo.State.APPROVED)


def _waiting(slug: str) -> Memo:
    return Memo.objects.get(organisation__slug=slug, state=Memo.State.IN_REVIEW)


def _counts() -> dict:
    models = (ApprovalChain, Delegation, Memo, Decision, MemoVersion, MemoCounter, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def test_loading_twice_changes_nothing():
    demo_memos.load()
    once = _counts()
    demo_memos.load()
    assert _counts() == once


@pytest.mark.parametrize(("slug", "number", "year", "day", "author", "levels"), HISTORY)
def test_history_memos_are_approved_and_frozen(loaded, slug, number, year, day, author, levels):
    memo = Memo.objects.get(organisation__slug=slug, number_year=year, state=Memo.State.APPROVED)
    assert number_text(memo) == number
    assert memo.date == day
    assert memo.author.username == author
    assert len(memo.levels) == levels and memo.current_level == levels
    decisions = list(memo.decisions.order_by("level"))
    assert [d.level for d in decisions] == list(range(1, levels + 1))
    assert all(timezone.localtime(d.decided_at).date() == day for d in decisions)
    assert decisions[-1].action == Decision.Action.APPROVE
    content = memo.version.content
    assert content["number"] == number and content["date"] == day.isoformat()
    assert [d["date"] for d in content["decisions"]] == [day.isoformat()] * levels


def test_history_memo_000_is_decided_at_level_2_by_the_acting_head(loaded):
    memo = _history("phusang", 120)
    decision = memo.decisions.get(level=2)
    assert decision.actor.username == "head.phusang"
    assert decision.capacity == Decision.Capacity.ACTING
    assert decision.actor_position == "หัวหน้าสำนักปลัด รักษาราชการแทน ปลัดองค์การบริหารส่วนตำบลภูซาง"
    assert memo.version.content["decisions"][1]["position"] == decision.actor_position
    # The level word the rules give for 99.78, not the "ระดับต้องปรับปรุง" that 000 printed.
    assert "ผ่านดีเยี่ยม" in memo.facts and "ต้องปรับปรุง" not in memo.facts


def test_history_trail_names_its_source(loaded):
    memo = _history("phusang", 120)
    entries = AuditEntry.objects.filter(object_type="reports.memo", object_id=memo.pk)
    actions = list(entries.values_list("action", flat=True))
    assert actions == ["ita.memo.submitted", "ita.memo.forwarded", "ita.memo.forwarded", "ita.memo.approved",
                       "ita.memo.frozen"]
    sourced = entries.exclude(action="ita.memo.frozen")
    assert {e.data["source"] for e in sourced} == {"reference document 000"}
    assert entries.get(action="ita.memo.forwarded", data__level=2).capacity == Decision.Capacity.ACTING


def test_wangthong_history_skips_the_level_its_author_holds(loaded):
    memo = _history("wangthong", 141)
    assert [level["title"] for level in memo.levels] == [
        "รองปลัดองค์การบริหารส่วนตำบลวังทอง",
        "ปลัดองค์การบริหารส่วนตำบลวังทอง",
        "นายกองค์การบริหารส่วนตำบลวังทอง",
    ]
    assert "หางดง" not in memo.facts


def test_only_nasom_addresses_through_the_intermediate_levels(loaded):
    assert addressee(_history("nasom", 117)) == (
        "นายกองค์การบริหารส่วนตำบลนาโสม (ผ่าน หัวหน้าสำนักปลัด/ปลัดองค์การบริหารส่วนตำบลนาโสม)"
    )
    assert addressee(_history("phusang", 120)) == "นายกองค์การบริหารส่วนตำบลภูซาง"


def test_approved_progress_memos_lock_their_rounds(loaded):
    rounds = ReportingRound.objects.filter(fiscal_year=2566)
    assert rounds.get(organisation__slug="nasom", number=2).is_locked
    assert not rounds.get(organisation__slug="nasom", number=1).is_locked
    assert rounds.get(organisation__slug="wangthong", number=1).is_locked


def test_numbering_continues_after_the_history(loaded):
    waiting = _waiting("phusang")
    unit = {"organisation": waiting.organisation, "department": waiting.department}
    # Submitted today, the waiting memo opens the series of today's fiscal year, which the history
    # (issued in 2568) does not reach; the series of 2568 goes on after 000's number 120.
    this_year = fiscal_year(timezone.localdate())
    assert this_year > 2568
    assert (number_text(waiting), waiting.number_year) == ("พย 72401/1", this_year)
    assert MemoCounter.objects.get(**unit, fiscal_year=this_year).last_number == 1
    assert allocate_number(**unit, fiscal_year=this_year) == 2
    assert allocate_number(**unit, fiscal_year=2568) == 121
    nasom = _history("nasom", 117)
    assert MemoCounter.objects.get(organisation=nasom.organisation, fiscal_year=2567).last_number == 117


def test_the_acting_appointment_lies_in_the_past(loaded):
    delegation = Delegation.objects.get(organisation__slug="phusang", person__username="head.phusang")
    assert (delegation.start, delegation.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert delegation.kind == Delegation.Kind.ACTING


@pytest.mark.parametrize(("slug", "decider"), WAITING)
def test_one_memo_waits_at_level_2_for_its_holder_only(loaded, slug, decider):
    memo = _waiting(slug)
    assert memo.current_level == 2
    assert list(memo.decisions.values_list("level", flat=True)) == [1]
    position_id = memo.levels[1]["position_id"]
    today = timezone.localdate()
    organisation = Organisation.objects.get(slug=slug)
    assert capacity_for(User.objects.get(username=decider), organisation, position_id, today) is not None
    others = User.objects.filter(memberships__organisation=organisation).exclude(username=decider)
    outsiders = User.objects.exclude(memberships__organisation=organisation).filter(memberships__isnull=False)
    assert others.exists() and outsiders.exists()
    for user in [*others, *outsiders]:
        assert capacity_for(user, organisation, position_id, today) is None, user.username


def test_waiting_memos_are_composed_from_the_records(loaded):
    phusang, nasom, wangthong = _waiting("phusang"), _waiting("nasom"), _waiting("wangthong")
    assert (phusang.kind, phusang.assessment.fiscal_year, phusang.fiscal_year) == ("analysis", 2567, 2568)
    assert (nasom.kind, nasom.round.number, nasom.round.fiscal_year) == ("progress", 1, 2566)
    assert wangthong.kind == "general"
    assert wangthong.subject == "ขอรายงานความก้าวหน้าการจัดทำแผนปฏิบัติการป้องกันการทุจริต"
    assert not phusang.override_reason and not nasom.override_reason and not wangthong.override_reason


def test_a_newcomer_decides_as_palad_phusang_and_the_former_acting_head_cannot(loaded):
    memo = _waiting("phusang")
    with pytest.raises(NotAllowed):
        memo_decide(memo=memo, user=User.objects.get(username="head.phusang"), level=2, action="approve")
    memo = memo_decide(memo=memo, user=User.objects.get(username="palad.phusang"), level=2, action="approve",
                       comment="เห็นควรอนุมัติ")
    assert memo.current_level == 3
    decision = memo.decisions.get(level=2)
    assert decision.capacity == Decision.Capacity.HOLDER
    assert Membership.objects.get(user=decision.actor, organisation=memo.organisation).role == "executive"


@pytest.mark.parametrize(("slug", "number"), [("phusang", 120), ("nasom", 117)])
def test_corrected_history_texts_pass_the_consistency_check(loaded, slug, number):
    from reports.consistency import check_memo

    assert check_memo(_history(slug, number)) == []
