import pytest

from itaportal.accounts.models import Membership
from measures.models import ReportingRound
from reports.services.composing import compose_memo
from reports.consistency import Mismatch, check_memo
from reports.models import Memo
from reports.services.memos import InconsistentMemo, memo_submit

pytestmark = pytest.mark.django_db

# The ข้อเท็จจริง of reference 000, word for word: 99.78 points called "ต้องปรับปรุง".
REFERENCE_000 = (
    "ในปีงบประมาณ ๒๕๖๗ ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ ขององค์การบริหารส่วนตำบลภูซาง คะแนนภาพรวมหน่วยงาน "
    "องค์การบริหารส่วนตำบลภูซาง : ๙๙.๗๘ คะแนน ผลการประเมินระดับต้องปรับปรุง"
)


def compose(slug="phusang", kind="analysis", fiscal_year=2568, round_number=None) -> Memo:
    membership = Membership.objects.select_related("organisation").get(user__username=f"staff.{slug}")
    round = None
    if round_number:
        round = ReportingRound.objects.get(organisation=membership.organisation, fiscal_year=fiscal_year,
                                           number=round_number)
    return compose_memo(organisation=membership.organisation, membership=membership, kind=kind,
                        fiscal_year=fiscal_year, round=round)


@pytest.fixture
def memo() -> Memo:
    """phusang's analysis memo of FY 2568 (the FY 2567 results), as composed: consistent."""
    return compose()


def check(memo: Memo, facts: str) -> list[Mismatch]:
    memo.facts = facts
    return check_memo(memo)


def test_it_catches_the_contradiction_of_reference_000(memo):
    assert check(memo, REFERENCE_000) == [Mismatch("ระดับต้องปรับปรุง", "ผ่านดีเยี่ยม", "level")]


def test_the_longest_level_name_is_read(memo):
    assert check(memo, "ผลการประเมินอยู่ในระดับต้องปรับปรุงโดยด่วน") == [
        Mismatch("ระดับต้องปรับปรุงโดยด่วน", "ผ่านดีเยี่ยม", "level")
    ]


def test_a_level_word_a_little_after_the_cue_counts(memo):
    assert check(memo, "มี คะแนน ๙๙.๗๘ คะแนน อยู่ในระดับ A หรือ ผ่านดี ดังรายละเอียด") == [
        Mismatch("ระดับ A หรือ ผ่านดี", "ผ่านดีเยี่ยม", "level")
    ]


def test_pass_alone_is_a_level_only_right_after_the_cue(memo):
    assert check(memo, "ผลการประเมินอยู่ในระดับ ผ่าน") == [Mismatch("ระดับ ผ่าน", "ผ่านดีเยี่ยม", "level")]
    assert check(memo, "ดำเนินการประเมินฯ ประจำปีงบประมาณ ๒๕๖๗ ผ่านมาแล้ว (ผ่านหัวหน้าสำนักปลัด)") == []
    assert check(memo, "ยกระดับคุณธรรมและความโปร่งใส ผ่านการอบรม") == []


def test_the_right_level_passes(memo):
    assert check(memo, "คะแนนภาพรวม ๙๙.๗๘ คะแนน อยู่ในระดับผ่านดีเยี่ยม") == []


def test_a_score_that_is_not_in_the_records_is_caught_with_the_right_figure(memo):
    assert check(memo, "คะแนนภาพรวม ๙๙.๘๗ คะแนน") == [Mismatch("๙๙.๘๗", "๙๙.๗๘", "score")]
    assert check(memo, "ได้ 99.87 คะแนน") == [Mismatch("99.87", "๙๙.๗๘", "score")]
    assert check(memo, "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT) ๙๙.๐๐ คะแนน") == [
        Mismatch("๙๙.๐๐", "๙๙.๖๘", "score")
    ]
    assert check(memo, "ตัวชี้วัดที่ ๒ การใช้งบประมาณ ได้คะแนน ๙๘.๒๙ คะแนน") == [
        Mismatch("๙๘.๒๙", "๙๘.๙๒", "score")
    ]


def test_every_recorded_figure_may_be_quoted(memo):
    text = (
        "คะแนนภาพรวม ๙๙.๗๘ คะแนน IIT ๙๙.๕๗ คะแนน ตัวชี้วัดที่ ๖ ได้คะแนน ๙๙.๖๐ คะแนน "
        "ข้อ i5 ได้ ๙๖.๗๖ คะแนน งบประมาณ ๒๕,๐๐๐.๐๐ บาท ร้อยละ ๑๒.๕๐ ของแผน"
    )
    assert check(memo, text) == []


def test_a_year_the_memo_does_not_concern_is_caught(memo):
    assert check(memo, "ผลการประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๖๓") == [
        Mismatch("ปีงบประมาณ พ.ศ. ๒๕๖๓", "๒๕๖๘ หรือ ๒๕๖๗", "year")
    ]
    assert check(memo, "ประจำปี ๒๕๖๗ และประจำปีงบประมาณ พ.ศ.๒๕๖๘") == []


def test_the_subject_is_checked_too(memo):
    memo.subject = "รายงานมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๕"
    assert [m.kind for m in check_memo(memo)] == ["year"]


def test_another_organisations_name_is_caught(memo):
    expected = "องค์การบริหารส่วนตำบลภูซาง"
    assert check(memo, "ผลการประเมินขององค์การบริหารส่วนตำบลเวียงหัว") == [
        Mismatch("องค์การบริหารส่วนตำบลเวียงหัว", expected, "organisation")
    ]
    # Run into the next words, the name is quoted by its first word.
    assert check(memo, "องค์การบริหารส่วนตำบลเวียงหัวเห็นควรรักษามาตรฐาน") == [
        Mismatch("องค์การบริหารส่วนตำบลเวียง", expected, "organisation")
    ]
    assert check(memo, "ร่วมกับ อบต.นาโสม") == [Mismatch("อบต.นาโสม", expected, "organisation")]
    assert [m.kind for m in check(memo, "เทศบาลตำบลภูซาง")] == ["organisation"]


def test_the_frequent_misspelling_is_caught(memo):
    assert check(memo, "ผลการประเมินขององค์กรบริหารส่วนตำบลภูซาง") == [
        Mismatch("องค์กรบริหารส่วนตำบลภูซาง", "องค์การบริหารส่วนตำบลภูซาง", "organisation")
    ]


def test_right_names_and_generic_mentions_raise_nothing(memo):
    text = (
        "องค์การบริหารส่วนตำบลภูซางเห็นควรรักษามาตรฐาน อบต.ภูซาง สำนักงาน ป.ป.ช. "
        "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ เว็บไซต์องค์การบริหารส่วนตำบล "
        "เสนอนายกองค์การบริหารส่วนตำบลภูซาง อำเภอภูซาง จังหวัดพะเยา สาธารณสุขอำเภอ เป็นต้น "
        "ทุกสำนัก ทุกกอง สำนักปลัดฯ กองคลัง กองการศึกษาฯ กองทุนหลักประกันสุขภาพ"
    )
    assert check(memo, text) == []


def test_a_wrong_province_or_district_is_caught(memo):
    assert check(memo, "อำเภอภูซาง จังหวัดเชียงใหม่") == [
        Mismatch("จังหวัดเชียงใหม่", "จังหวัดพะเยา", "place")
    ]
    assert check(memo, "อำเภอเชียงคำ จังหวัดพะเยา") == [Mismatch("อำเภอเชียงคำ", "อำเภอภูซาง", "place")]


def test_any_district_is_wrong_where_none_is_recorded():
    memo = compose("wangthong", kind="progress", fiscal_year=2566, round_number=1)
    [mismatch] = check(memo, "องค์การบริหารส่วนตำบลวังทอง อำเภอหางดง จังหวัดหนองบัวลำภู")
    assert (mismatch.phrase, mismatch.kind) == ("อำเภอหางดง", "place")
    assert "องค์การบริหารส่วนตำบลวังทอง" in mismatch.expected


def test_a_unit_the_organisation_does_not_have_is_caught(memo):
    [mismatch] = check(memo, "มอบหมายให้กองสาธารณสุขดำเนินการ")
    assert (mismatch.phrase, mismatch.kind) == ("กองสาธารณสุข", "unit")
    assert "กองคลัง" in mismatch.expected


def test_mismatches_come_once_each_in_reading_order(memo):
    text = "ปีงบประมาณ พ.ศ. ๒๕๖๓ กองสาธารณสุข ระดับต้องปรับปรุง กองสาธารณสุข ปีงบประมาณ พ.ศ. ๒๕๖๓"
    assert [m.kind for m in check(memo, text)] == ["year", "unit", "level"]


def test_a_progress_memo_is_read_against_the_latest_result_and_the_year_before():
    memo = compose("nasom", kind="progress", fiscal_year=2566, round_number=2)
    assert check(memo, "ผลการประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๖๕ อยู่ในระดับผ่านดี ๙๕.๑๕ คะแนน") == []
    assert check(memo, "ปีงบประมาณ พ.ศ. ๒๕๖๔ อยู่ในระดับผ่านดีเยี่ยม") == [
        Mismatch("ปีงบประมาณ พ.ศ. ๒๕๖๔", "๒๕๖๖ หรือ ๒๕๖๕", "year"),
        Mismatch("ระดับผ่านดีเยี่ยม", "ผ่านดี", "level"),
    ]


def test_a_score_without_any_recorded_result_is_caught():
    memo = compose("wangthong", kind="general", fiscal_year=2566)
    assert [m.kind for m in check(memo, "ได้คะแนนรวม ๙๐.๐๐ คะแนน")] == ["score"]


def test_checking_writes_nothing(memo):
    composed = memo.facts
    check(memo, REFERENCE_000)
    memo.refresh_from_db()
    assert memo.facts == composed


def test_the_contradiction_blocks_submission(memo):
    memo.facts = REFERENCE_000
    memo.save(update_fields=["facts"])
    with pytest.raises(InconsistentMemo) as refused:
        memo_submit(memo=memo, user=memo.author)
    assert refused.value.mismatches == [Mismatch("ระดับต้องปรับปรุง", "ผ่านดีเยี่ยม", "level")]
    memo.refresh_from_db()
    assert (memo.state, memo.number) == (Memo.State.DRAFT, None)
