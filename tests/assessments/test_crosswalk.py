"""The crosswalk between consecutive fiscal years: suggestions from the texts, the editor's decisions,
and what is carried along it (the OIT checklist, a measure's item links, last year's issues)."""

from datetime import date

import pytest
from django.utils import translation

from assessments.crosswalk import crosswalk_lines, new_items, similarity, tokens
from assessments.models import Assessment, Framework, Item
from assessments.selectors import PreviousScore, item_mapping, item_successors, previous_item_scores
from assessments.services import analysis_carry_over, assessment_start
from assessments.services.crosswalk import UNDECIDED, crosswalk_save
from assessments.services.errors import AssessmentError
from itaportal.accounts.models import Department, Organisation
from itaportal.audit.models import AuditEntry
from measures.models import OitEntry
from measures.services.carry import measure_carry_forward, oit_checklist_carry_forward
from measures.services.plan import MeasureData, measure_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def item(year: int, code: str) -> Item:
    return Item.objects.get(framework__fiscal_year=year, code=code)


def year(fiscal_year: int) -> Framework:
    return Framework.objects.get(fiscal_year=fiscal_year)


def link(source_year: int, pairs: dict, user=None) -> int:
    decisions = {item(source_year, code): (successor if successor in (None, UNDECIDED)
                                           else item(source_year + 1, successor))
                 for code, successor in pairs.items()}
    return crosswalk_save(framework=year(source_year), decisions=decisions, user=user)


# --- suggestions -----------------------------------------------------------------------------------


def test_texts_are_compared_as_thai_words():
    assert tokens("รายงานการกำกับติดตาม รอบ ๖ เดือน") == {"รายงาน", "การกำกับ", "ติดตาม", "รอบ", "6", "เดือน"}
    assert tokens("E–Service") == tokens("E-SERVICE") == {"eservice"}
    assert similarity("Q & A", "Q&A") == 1
    assert similarity("โครงสร้าง", "ข่าวประชาสัมพันธ์") == 0
    # Cut differently by the tokenizer, the same words still agree through their letters.
    assert similarity("รายงานการกำกับติดตามการดำเนินงานประจำปี รอบ 6 เดือน",
                      "รายงานการกำกับติดตามการดำเนินงานและการใช้จ่ายงบประมาณประจำปี รอบ ๖ เดือน") > 0.6


def test_the_suggestion_follows_the_text_not_the_code():
    lines = {line.item.code: line for line in crosswalk_lines(year(2566), year(2567))}
    # The progress report on the integrity measures: o43 in 2566, o35 in 2567.
    assert (lines["o43"].proposed.code, lines["o43"].reason) == ("o35", "same_text")
    assert (lines["o5"].proposed.code, lines["o5"].reason) == ("o4", "same_text")
    # 2566's o4 is the strategic plan; 2567's o4 is the contact data: no suggestion.
    assert lines["o4"].proposed is None
    assert lines["i2"].proposed.code == "i2" and lines["i2"].proposed.tool.code == "IIT"
    assert all(c.item.tool.code == "OIT" for c in lines["o1"].candidates)


def test_a_merged_item_is_suggested_for_both_of_its_parts():
    lines = {line.item.code: line for line in crosswalk_lines(year(2567), year(2568))}
    # 2568 o1 is "โครงสร้างและอำนาจหน้าที่": the successor of 2567's o1 and o3.
    assert lines["o1"].proposed.code == lines["o3"].proposed.code == "o1"


def test_a_renumbered_list_is_followed_by_text_and_place():
    lines = {line.item.code: line for line in crosswalk_lines(year(2565), year(2566))}
    assert lines["o11"].proposed.code == "o12"  # the 6-month report, not the anti-corruption one (o37)
    assert lines["o29"].proposed.code == "o27"
    assert lines["o32"].proposed is None  # ช่องทางการรับฟังความคิดเห็น has no successor in 2566


# --- decisions -------------------------------------------------------------------------------------


def test_lines_are_decided_changed_and_undecided_again(editor):
    assert link(2566, {"o43": "o35", "o42": None, "o1": "o1"}, editor) == 3
    assert item_successors(2566) == {item(2566, "o43").pk: item(2567, "o35").pk, item(2566, "o42").pk: None,
                                     item(2566, "o1").pk: item(2567, "o1").pk}
    assert link(2566, {"o43": "o35", "o1": UNDECIDED}) == 1
    assert item(2566, "o1").pk not in item_successors(2566)
    entry = AuditEntry.objects.filter(action="ita.framework.crosswalk_saved").first()
    assert entry.organisation is None and entry.data == {"year": 2566, "next": 2567, "count": 3}
    lines = {line.item.code: line for line in crosswalk_lines(year(2566), year(2567))}
    assert lines["o43"].decided and not lines["o1"].decided
    assert [i.code for i in new_items(year(2567))] == [i.code for i in year(2567).items.order_by("order")
                                                        if i.code != "o35"]


def test_a_successor_must_be_of_the_next_year():
    with pytest.raises(AssessmentError, match="fiscal year 2567"):
        crosswalk_save(framework=year(2566), decisions={item(2566, "o1"): item(2568, "o1")}, user=None)
    with pytest.raises(AssessmentError, match="another fiscal year"):
        crosswalk_save(framework=year(2566), decisions={item(2567, "o1"): item(2567, "o1")}, user=None)


def test_the_mapping_follows_the_lines_year_by_year():
    link(2565, {"o1": "o1", "o5": "o5", "o32": None})
    mapping = item_mapping(2564, 2566)
    # 2564 -> 2565 ships decided (2565 is a copy); 2565 -> 2566 as decided above.
    assert mapping == {item(2564, "o1").pk: item(2566, "o1").pk, item(2564, "o5").pk: item(2566, "o5").pk,
                       item(2564, "o32").pk: None}
    with pytest.raises(ValueError):
        item_mapping(2566, 2566)


# --- carrying forward --------------------------------------------------------------------------------


def test_the_crosswalk_carries_the_oit_checklist_into_the_next_year():
    nasom = Organisation.objects.get(slug="nasom")
    before = {e.item.code: e for e in OitEntry.objects.filter(organisation=nasom, item__framework__fiscal_year=2566)
              .select_related("item", "owner")}
    assert len(before) == 43  # the demo's checklist of reference 001
    OitEntry.objects.filter(pk=before["o3"].pk).update(url="https://nasom.example/o3")
    link(2566, {"o1": "o1", "o3": "o1", "o5": "o4", "o43": "o35", "o42": None})
    # An entry the new year has already is kept as it is.
    kept = OitEntry.objects.create(organisation=nasom, item=item(2567, "o4"), status="published",
                                   url="https://nasom.example/2567/o4", note="ทำเอง")
    result = oit_checklist_carry_forward(organisation=nasom, from_year=2566, user=None)
    assert (result.copied, result.kept, result.dropped, result.undecided) == (2, 1, 1, 38)
    after = {e.item.code: e for e in OitEntry.objects.filter(organisation=nasom, item__framework__fiscal_year=2567)
             .select_related("item", "owner")}
    assert set(after) == {"o1", "o4", "o35"}
    o35, o43 = after["o35"], before["o43"]
    assert (o35.owner, o35.url, o35.note, o35.status) == (o43.owner, o43.url, o43.note, OitEntry.Status.NOT_STARTED)
    # o1 and o3 merged into one item: one entry, o1's owner and URL, both notes.
    assert after["o1"].url == before["o1"].url and after["o1"].note == f"{before['o1'].note}\n{before['o3'].note}"
    kept.refresh_from_db()
    assert (kept.status, kept.note) == ("published", "ทำเอง")
    entry = AuditEntry.objects.get(action="ita.oit.carried_forward")
    assert entry.organisation == nasom and entry.data == {"from": 2566, "to": 2567, "copied": 2}
    # A second run finds everything there.
    again = oit_checklist_carry_forward(organisation=nasom, from_year=2566, user=None)
    assert (again.copied, again.kept) == (0, 4)


def test_a_draft_years_checklist_is_not_started():
    nasom = Organisation.objects.get(slug="nasom")
    link(2566, {"o1": "o1"})
    Framework.objects.filter(fiscal_year=2567).update(state=Framework.State.DRAFT)
    result = oit_checklist_carry_forward(organisation=nasom, from_year=2566, user=None)
    assert result.copied == 0 and result.dropped == 1
    assert not OitEntry.objects.filter(organisation=nasom, item__framework__fiscal_year=2567).exists()


def test_a_measure_is_carried_with_its_items_along_the_crosswalk():
    wangthong = Organisation.objects.get(slug="wangthong")
    unit = Department.objects.filter(organisation=wangthong).first()
    measure = measure_create(organisation=wangthong, fiscal_year=2566, data=MeasureData(
        kind="project", title="เผยแพร่ผลการดำเนินการตามมาตรการ", steps=["หนึ่ง", "สอง"], departments=[unit],
        start_date=date(2023, 3, 1), end_date=date(2023, 9, 30),
        indicators=list(year(2566).indicators.filter(number__in=["9.1", "10.2"])),
        oit_items=[item(2566, "o43"), item(2566, "o42"), item(2566, "o6")]))
    # o6 keeps its code in 2567's numbering nowhere: undecided, so it is left out, never guessed.
    link(2566, {"o43": "o35", "o42": None})
    new = measure_carry_forward(measure=measure)
    assert (new.fiscal_year, new.title, new.kind) == (2567, measure.title, "project")
    assert [i.code for i in new.oit_items.all()] == ["o35"]
    assert sorted(i.number for i in new.indicators.all()) == ["10.2", "9.1"]
    assert all(i.framework.fiscal_year == 2567 for i in new.indicators.all())
    assert (new.start_date, new.end_date) == (date(2024, 3, 1), date(2024, 9, 30))
    assert list(new.steps.values_list("text", flat=True)) == ["หนึ่ง", "สอง"]
    assert list(new.departments.all()) == [unit] and not new.issues.exists()
    assert AuditEntry.objects.get(action="ita.measure.carried_forward").data["new"] == new.number


def test_last_years_issues_follow_the_crosswalk_and_the_code_where_it_is_undecided():
    phusang = Organisation.objects.get(slug="phusang")
    source = Assessment.objects.get(organisation=phusang, framework__fiscal_year=2567)
    cited = {i.code for issue in source.issues.all() for i in issue.items.all()}
    assert {"i2", "e3"} <= cited
    link(2567, {"i2": None})  # dropped in 2568: the carried issue loses it; e3 follows its code
    target = assessment_start(organisation=phusang, framework=year(2568), user=None)
    analysis_carry_over(assessment=target, source=source)
    carried = {i.code for issue in target.issues.all() for i in issue.items.all()}
    assert "i2" not in carried and "e3" in carried
    assert all(i.framework.fiscal_year == 2568 for issue in target.issues.all() for i in issue.items.all())


def test_the_previous_years_item_scores_reach_this_years_items(make_assessment):
    old = make_assessment("wangthong", 2566)
    old.item_scores.create(item=item(2566, "o43"), score=0)
    link(2566, {"o43": "o35"})
    new = make_assessment("wangthong", 2567)
    scores = previous_item_scores(new)
    assert scores == {item(2567, "o35").pk: PreviousScore(2566, "o43", 0)}


def test_the_results_page_shows_last_years_score_of_the_renumbered_item(make_assessment, login):
    old = make_assessment("wangthong", 2566)
    old.item_scores.create(item=item(2566, "o43"), score=50)
    link(2566, {"o43": "o35"})
    new = make_assessment("wangthong", 2567)
    new.item_scores.create(item=item(2567, "o35"), score=100)
    page = login("staff.wangthong").get("/o/wangthong/assessments/2567/").content.decode()
    assert "50.00 <span class=\"small\">(2566, o43)</span>" in page
