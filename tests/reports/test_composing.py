import re

import pytest

from assessments.models import Assessment
from itaportal.accounts.models import Membership, Organisation
from itaportal.audit.models import AuditEntry
from itaportal.thai import to_thai_digits
from measures.models import ProgressEntry, ReportingRound
from reports.services.composing import compose_memo
from reports.consistency import check_memo
from reports.models import Memo
from reports.services.memos import MemoError

pytestmark = pytest.mark.django_db

PARTS = ("subject", "background", "facts", "considerations", "proposal")


def member(username: str) -> Membership:
    return Membership.objects.select_related("organisation").get(user__username=username)


def compose(username="staff.phusang", kind="analysis", fiscal_year=2568, **kwargs) -> Memo:
    membership = member(username)
    return compose_memo(organisation=membership.organisation, membership=membership, kind=kind,
                        fiscal_year=fiscal_year, **kwargs)


def a_round(slug: str, year: int, number: int) -> ReportingRound:
    return ReportingRound.objects.get(organisation__slug=slug, fiscal_year=year, number=number)


def text_of(memo: Memo) -> str:
    return "\n".join(getattr(memo, part) for part in PARTS)


def test_the_analysis_memo_of_phusang_is_written_from_the_fy_2567_results():
    memo = compose()
    assert (memo.kind, memo.state, memo.fiscal_year) == ("analysis", Memo.State.DRAFT, 2568)
    assert (memo.assessment.organisation.slug, memo.assessment.fiscal_year) == ("phusang", 2567)
    assert memo.subject == "รายงานมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
    assert "องค์การบริหารส่วนตำบลภูซาง" in memo.background and "พ.ศ. ๒๕๖๗" in memo.background
    assert "๙๙.๗๘ คะแนน" in memo.facts and "ระดับผ่านดีเยี่ยม" in memo.facts
    assert "(IIT) ๙๙.๕๗ คะแนน" in memo.facts and "ต้องปรับปรุง" not in memo.facts
    assert "รวม ๗ ประเด็น" in memo.considerations and "ปีงบประมาณ พ.ศ. ๒๕๖๘" in memo.considerations
    assert memo.attachments == ["analysis", "measures"]
    assert memo.closing == Memo.Closing.FOR_CONSIDERATION
    assert (memo.department.name, memo.author.username) == ("สำนักปลัด", "staff.phusang")
    assert memo.author_position == "นักทรัพยากรบุคคลชำนาญการ"


def test_the_level_is_the_one_the_rules_give_never_the_typed_one():
    Assessment.objects.filter(organisation__slug="phusang").update(published_level="ต้องปรับปรุง")
    memo = compose()
    assert "ระดับผ่านดีเยี่ยม" in memo.facts and "ต้องปรับปรุง" not in memo.facts


def test_the_analysis_memo_of_nasom_gives_the_published_tool_scores():
    memo = compose("staff.nasom", fiscal_year=2567)
    assert memo.assessment.fiscal_year == 2566
    for figure in ("๙๕.๑๕", "(IIT) ๙๙.๘๔", "(EIT) ๙๔.๐๐", "(OIT) ๙๒.๕๐"):
        assert figure in memo.facts
    assert "ระดับผ่านดี " in memo.facts


def test_every_number_and_year_is_written_in_thai_digits():
    memo = compose()
    assert not re.search("[0-9]", text_of(memo))


def test_composing_writes_the_trail():
    memo = compose()
    entry = AuditEntry.objects.get(object_type="reports.memo", object_id=memo.pk)
    assert (entry.action, entry.actor.username) == ("ita.memo.created", "staff.phusang")
    assert entry.data == {"kind": "analysis", "fiscal_year": 2568}


def test_an_analysis_memo_needs_the_assessment_of_the_year_before():
    before = Memo.objects.count()
    with pytest.raises(MemoError):
        compose("staff.wangthong", fiscal_year=2567)
    with pytest.raises(MemoError):
        compose(fiscal_year=2567)
    assert Memo.objects.count() == before


def test_a_given_assessment_must_be_of_the_year_before_and_of_the_organisation():
    phusang_2567 = Assessment.objects.get(organisation__slug="phusang")
    with pytest.raises(MemoError):
        compose(fiscal_year=2567, assessment=phusang_2567)
    with pytest.raises(MemoError):
        compose("staff.nasom", fiscal_year=2568, assessment=phusang_2567)
    assert compose(assessment=phusang_2567).assessment == phusang_2567


def test_an_assessment_without_an_overall_score_cannot_be_reported():
    assessment = Assessment.objects.get(organisation__slug="phusang")
    assessment.indicator_scores.all().delete()
    Assessment.objects.filter(pk=assessment.pk).update(published_overall=None)
    with pytest.raises(MemoError):
        compose()


def test_only_a_member_of_the_organisation_composes():
    membership = member("staff.nasom")
    with pytest.raises(MemoError):
        compose_memo(organisation=Organisation.objects.get(slug="phusang"), membership=membership,
                     kind="general", fiscal_year=2568)


def test_the_progress_memo_of_a_round_counts_the_entries_and_cites_the_latest_result():
    round = a_round("nasom", 2566, 2)
    memo = compose("staff.nasom", kind="progress", fiscal_year=2566, round=round)
    statuses = list(ProgressEntry.objects.filter(round=round).values_list("status", flat=True))
    assert memo.subject.startswith("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    assert memo.subject.endswith(f"{to_thai_digits(round.name)} ประจำปีงบประมาณ พ.ศ. ๒๕๖๖")
    done = to_thai_digits(statuses.count("done"))
    assert f"ดำเนินการแล้ว {done} มาตรการ" in memo.facts
    assert "๙๕.๑๕ คะแนน" in memo.facts and "ระดับผ่านดี" in memo.facts
    assert (memo.round, memo.assessment.fiscal_year) == (round, 2566)
    assert memo.attachments == ["progress", "oit"]
    assert memo.closing == Memo.Closing.FOR_CONSIDERATION


def test_a_progress_memo_without_a_recorded_result_says_nothing_of_scores():
    memo = compose("staff.wangthong", kind="progress", fiscal_year=2566, round=a_round("wangthong", 2566, 1))
    assert memo.assessment is None
    assert "คะแนน" not in memo.facts and "ยังไม่ได้ดำเนินการ" in memo.facts
    assert "เร่งดำเนินการ" in memo.proposal  # not every measure is done after six months


def test_the_oit_checklist_is_attached_only_when_the_office_recorded_some_of_it():
    memo = compose(kind="progress", round=a_round("phusang", 2568, 1))
    assert memo.attachments == ["progress"]
    assert memo.assessment.fiscal_year == 2567


def test_the_round_must_be_the_organisations_and_of_the_memos_year():
    with pytest.raises(MemoError):
        compose(kind="progress", fiscal_year=2566, round=a_round("nasom", 2566, 2))
    with pytest.raises(MemoError):
        compose(kind="progress", fiscal_year=2567, round=a_round("phusang", 2568, 1))
    with pytest.raises(MemoError):
        compose(kind="progress")
    with pytest.raises(MemoError):
        compose(kind="progress", round=a_round("phusang", 2568, 1),
                assessment=Assessment.objects.get(organisation__slug="nasom"))


def test_the_text_is_plain_text_not_html():
    round = a_round("phusang", 2568, 1)
    ReportingRound.objects.filter(pk=round.pk).update(name="รอบ 6 เดือน & สรุป")
    memo = compose(kind="progress", round=a_round("phusang", 2568, 1))
    assert "รอบ ๖ เดือน & สรุป" in memo.subject


def test_a_general_memo_is_left_for_the_author_to_write():
    memo = compose(kind="general")
    assert [getattr(memo, part) for part in PARTS] == [""] * 5
    assert (memo.attachments, memo.assessment, memo.round) == ([], None, None)


def test_the_issuing_unit_is_the_authors_else_the_head_office():
    assert compose("auditor.phusang", kind="general").department.name == "หน่วยตรวจสอบภายใน"
    memo = compose("palad.phusang", kind="general")
    assert (memo.department.name, memo.author_position) == ("สำนักปลัด", "ปลัดองค์การบริหารส่วนตำบลภูซาง")


def test_an_author_without_a_position_signs_without_one():
    membership = member("staff.phusang")
    Membership.objects.filter(pk=membership.pk).update(position=None)
    assert compose(kind="general").author_position == ""


@pytest.mark.parametrize(
    "username, kind, fiscal_year, round",
    [
        ("staff.phusang", "analysis", 2568, None),
        ("staff.nasom", "analysis", 2567, None),
        ("staff.nasom", "progress", 2566, ("nasom", 2566, 2)),
        ("staff.wangthong", "progress", 2566, ("wangthong", 2566, 1)),
        ("staff.phusang", "progress", 2568, ("phusang", 2568, 1)),
    ],
)
def test_a_composed_memo_passes_its_own_check(username, kind, fiscal_year, round):
    memo = compose(username, kind=kind, fiscal_year=fiscal_year, round=a_round(*round) if round else None)
    assert check_memo(memo) == []
