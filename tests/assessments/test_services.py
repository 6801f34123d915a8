from decimal import Decimal

import pytest

from assessments.models import AnalysisIssue, Assessment, Item, Tool
from assessments.selectors import analysis_candidates, scoreboard_of
from assessments.services import (
    AssessmentError,
    analysis_carry_over,
    assessment_acknowledge_warning,
    assessment_save_scores,
    assessment_start,
    issue_create,
    issue_delete,
    issue_move,
)
from itaportal.accounts.models import User

pytestmark = pytest.mark.django_db


def test_starting_copies_the_level_rules(phusang, framework_2566):
    assessment = assessment_start(organisation=phusang, framework=framework_2566, user=None)
    assert [r["name"] for r in assessment.level_rules][0] == "ผ่านดีเยี่ยม"
    # A later correction of the framework does not change the assessment's rules.
    framework_2566.level_rules.filter(order=0).update(name="changed")
    assessment.refresh_from_db()
    assert assessment.level_rules[0]["name"] == "ผ่านดีเยี่ยม"


def test_a_year_cannot_be_started_twice(phusang, framework_2566):
    assessment_start(organisation=phusang, framework=framework_2566, user=None)
    with pytest.raises(AssessmentError):
        assessment_start(organisation=phusang, framework=framework_2566, user=None)


def test_saving_replaces_the_scores_and_blank_removes_one(make_assessment):
    assessment = make_assessment("wangthong", 2566, overall="95.15", tools={"IIT": "99.84", "EIT": "94", "OIT": "92.5"})
    assert scoreboard_of(assessment).level.name == "ผ่านดี"
    tools = {t.code: t for t in assessment.framework.tools.all()}
    assessment_save_scores(
        assessment=assessment, user=None, published_overall=None, published_level="",
        tool_scores={tools["IIT"]: Decimal("99.84"), tools["EIT"]: None, tools["OIT"]: Decimal("92.50")},
        indicator_scores={}, item_scores={},
    )
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert sorted(assessment.tool_scores.values_list("tool__code", flat=True)) == ["IIT", "OIT"]
    assert scoreboard_of(assessment).overall is None


def test_a_score_of_another_years_framework_is_refused(make_assessment):
    assessment = make_assessment("wangthong", 2566)
    other = Tool.objects.get(framework__fiscal_year=2567, code="IIT")
    with pytest.raises(AssessmentError):
        assessment_save_scores(
            assessment=assessment, user=None, published_overall=None, published_level="",
            tool_scores={other: Decimal("90")}, indicator_scores={}, item_scores={},
        )


def test_acknowledging_a_warning_and_its_return_when_figures_change(make_assessment):
    assessment = make_assessment("wangthong", 2566, overall="95.15", level="ผ่านดีเยี่ยม",
                                 tools={"IIT": "99.84", "EIT": "94", "OIT": "92.5"})
    board = scoreboard_of(assessment)
    key = board.open_warnings[0].key
    user = User.objects.get(username="staff.wangthong")
    assessment_acknowledge_warning(assessment=assessment, key=key, open_keys={key}, user=user)
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert scoreboard_of(assessment).open_warnings == []
    with pytest.raises(AssessmentError):
        assessment_acknowledge_warning(assessment=assessment, key="level:x:y", open_keys=set(), user=user)
    # Different figures make a different warning, which is open again.
    assessment = make_assessment("wangthong", 2566, overall="95.15", level="ผ่าน",
                                 tools={"IIT": "99.84", "EIT": "94", "OIT": "92.5"})
    assert len(scoreboard_of(assessment).open_warnings) == 1


def _issue(assessment, title, tool_code="IIT", items=()):
    framework = assessment.framework
    return issue_create(
        assessment=assessment, title=title, tool=framework.tools.get(code=tool_code),
        items=[framework.items.get(code=c) for c in items], analysis="การวิเคราะห์", kind="develop",
    )


def test_issues_are_numbered_moved_and_renumbered(make_assessment):
    assessment = make_assessment("wangthong", 2567)
    first, second, third = (_issue(assessment, t) for t in ["หนึ่ง", "สอง", "สาม"])
    issue_move(issue=third, offset=-1)
    assert list(assessment.issues.values_list("title", flat=True)) == ["หนึ่ง", "สาม", "สอง"]
    issue_move(issue=first, offset=-1)
    assert list(assessment.issues.values_list("title", flat=True)) == ["หนึ่ง", "สาม", "สอง"]
    issue_delete(issue=AnalysisIssue.objects.get(pk=first.pk))
    assert list(assessment.issues.values_list("order", "title")) == [(1, "สาม"), (2, "สอง")]


def test_an_issue_items_must_belong_to_its_tool(make_assessment):
    assessment = make_assessment("wangthong", 2567)
    with pytest.raises(AssessmentError):
        _issue(assessment, "ผิดเครื่องมือ", tool_code="EIT", items=["i2"])


def test_carry_over_copies_last_years_issues_matching_items_by_code(make_assessment):
    older = make_assessment("wangthong", 2566)
    _issue(older, "การใช้ทรัพย์สิน", items=["i11"])
    _issue(older, "การสื่อสาร", tool_code="EIT", items=["e5"])
    newer = make_assessment("wangthong", 2567)
    assert analysis_carry_over(assessment=newer, source=older) == 2
    copied = list(newer.issues.prefetch_related("items"))
    assert [i.title for i in copied] == ["การใช้ทรัพย์สิน", "การสื่อสาร"]
    assert [item.framework.fiscal_year for item in copied[0].items.all()] == [2567]
    with pytest.raises(AssessmentError):
        analysis_carry_over(assessment=newer, source=older)


def test_carry_over_stays_within_one_organisation(make_assessment):
    with pytest.raises(AssessmentError):
        analysis_carry_over(assessment=make_assessment("wangthong", 2567), source=make_assessment("nasom", 2566))


def test_candidates_are_low_items_and_unmet_oit_items(make_assessment):
    assessment = make_assessment("wangthong", 2566)
    items = {i.code: i for i in Item.objects.filter(framework=assessment.framework)}
    for code, score in {"i5": 99, "i2": 84.99, "i7": 98, "i8": 97, "i11": 100, "e3": 90, "o1": 100, "o2": 0}.items():
        assessment.item_scores.create(item=items[code], score=Decimal(str(score)))
    found = {c["item"].code: c["reasons"] for c in analysis_candidates(assessment)}
    assert found["i2"] == ["below_threshold", "lowest_of_tool"]
    assert found["i8"] == ["lowest_of_tool"] and found["i7"] == ["lowest_of_tool"]
    assert found["o2"] == ["oit_not_met"] and "o1" not in found
    assert "i5" not in found and "i11" not in found and found["e3"] == ["lowest_of_tool"]
