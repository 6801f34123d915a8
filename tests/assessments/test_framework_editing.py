"""The framework editor's services: copying a year, editing a draft, publishing, and the rule that keeps
a published framework's recorded results stable (assessments.models.Framework)."""

from decimal import Decimal

import pytest
from django.utils import translation

from assessments.framework_format import ItemSpec
from assessments.models import Assessment, Framework, Item, ItemSuccession
from assessments.services import assessment_start
from assessments.services.errors import AssessmentError, FieldsError
from assessments.services.frameworks import (
    IndicatorRow,
    LevelRow,
    ToolRow,
    framework_copy,
    framework_delete,
    framework_in_use,
    framework_indicators_save,
    framework_levels_save,
    framework_publish,
    framework_settings_save,
    framework_tools_save,
    framework_unpublish,
    item_delete,
    item_save,
    publish_problems,
)
from itaportal.accounts.models import Organisation
from itaportal.audit.models import AuditEntry
from itaportal.audit.registry import describe

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def actions(framework: Framework) -> list[str]:
    return list(AuditEntry.objects.filter(object_type="assessments.framework", object_id=framework.pk)
                .order_by("pk").values_list("action", flat=True))


def tool_rows(framework: Framework, **weights) -> list[ToolRow]:
    return [ToolRow(tool, tool.code, tool.name, Decimal(weights.get(tool.code, tool.weight)), tool.checklist)
            for tool in framework.tools.order_by("order")]


def level_rows(framework: Framework) -> list[LevelRow]:
    return [LevelRow(rule, rule.name, rule.min_overall, rule.min_each_tool, rule.provisional, rule.provisional_source)
            for rule in framework.level_rules.order_by("order")]


def spec(item: Item, **changes) -> ItemSpec:
    values = {"code": item.code, "text": item.text, "tool": item.tool.code,
              "indicator": item.indicator.number if item.indicator_id else None,
              "data_elements": item.data_elements, "provisional": item.provisional,
              "provisional_source": item.provisional_source}
    return ItemSpec(**{**values, **changes})


# --- copying a year ------------------------------------------------------------------------------


def test_copying_a_year_makes_a_draft_with_everything_and_links_each_item_to_its_copy(editor):
    source = Framework.objects.get(fiscal_year=2566)
    framework = framework_copy(source=source, fiscal_year=2599, user=editor)
    assert framework.state == Framework.State.DRAFT and not framework.data_hash
    assert framework.name == "การประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2599"
    assert [(t.code, t.weight, t.checklist) for t in framework.tools.order_by("order")] == [
        (t.code, t.weight, t.checklist) for t in source.tools.order_by("order")]
    assert list(framework.indicators.order_by("order").values_list("number", "name", "parent__number")) == list(
        source.indicators.order_by("order").values_list("number", "name", "parent__number"))
    assert list(framework.items.order_by("order").values_list("code", "text", "data_elements", "indicator__number",
                                                              "provisional")) == list(
        source.items.order_by("order").values_list("code", "text", "data_elements", "indicator__number",
                                                   "provisional"))
    assert [r.as_snapshot() for r in framework.level_rules.all()] == [r.as_snapshot() for r in source.level_rules.all()]
    # Not neighbours (2566 -> 2599): no crosswalk lines.
    assert not ItemSuccession.objects.filter(item__framework=source, successor__framework=framework).exists()
    assert actions(framework) == ["ita.framework.created"]


def test_copying_the_year_before_links_the_crosswalk(draft):
    lines = ItemSuccession.objects.filter(item__framework__fiscal_year=2570)
    assert lines.count() == 32 and all(line.successor.framework_id == draft.pk for line in lines)
    assert all(line.item.code == line.successor.code for line in lines)


def test_a_year_that_exists_or_is_not_buddhist_era_is_refused(editor):
    source = Framework.objects.get(fiscal_year=2570)
    with pytest.raises(FieldsError) as exists:
        framework_copy(source=source, fiscal_year=2569, user=editor)
    assert "fiscal_year" in exists.value.errors
    with pytest.raises(FieldsError):
        framework_copy(source=source, fiscal_year=2027, user=editor)


# --- editing a draft ------------------------------------------------------------------------------


def test_the_weights_must_add_up_to_100(draft, editor):
    with pytest.raises(AssessmentError, match="add up to 90"):
        framework_tools_save(framework=draft, rows=tool_rows(draft, OIT="30"), user=editor)
    framework_tools_save(framework=draft, rows=tool_rows(draft, IIT="25", OIT="45"), user=editor)
    assert dict(draft.tools.values_list("code", "weight")) == {"IIT": 25, "EIT": 30, "OIT": 45}
    draft.refresh_from_db()
    assert actions(draft)[-1] == "ita.framework.tools_changed"


def test_tool_codes_can_swap_and_a_tool_with_items_cannot_go(draft, editor):
    rows = tool_rows(draft)
    rows[0].code, rows[1].code = "EIT", "IIT"
    framework_tools_save(framework=draft, rows=rows, user=editor)
    assert list(draft.tools.order_by("order").values_list("code", flat=True)) == ["EIT", "IIT", "OIT"]
    rows = tool_rows(draft)
    rows[2].delete = True
    rows[0].weight, rows[1].weight = Decimal(50), Decimal(50)
    with pytest.raises(AssessmentError, match="still has indicators or items"):
        framework_tools_save(framework=draft, rows=rows, user=editor)


def test_indicators_keep_their_parents_and_a_used_one_cannot_go(draft, editor):
    tools = {t.code: t for t in draft.tools.all()}
    rows = [IndicatorRow(i, i.number, i.name, i.tool, i.parent.number if i.parent else "")
            for i in draft.indicators.select_related("tool", "parent").order_by("order")]
    rows.append(IndicatorRow(None, "9.6", "การเปิดเผยข้อมูลอื่น", tools["OIT"], "9"))
    framework_indicators_save(framework=draft, rows=rows, user=editor)
    assert draft.indicators.get(number="9.6").parent.number == "9"
    rows = [IndicatorRow(None, "9.7", "ผิดเครื่องมือ", tools["IIT"], "9")]
    with pytest.raises(AssessmentError, match="tool of its indicator"):
        framework_indicators_save(framework=draft, rows=[*_rows(draft), *rows], user=editor)
    used = draft.items.filter(indicator__isnull=False).first().indicator
    rows = [row for row in _rows(draft)]
    next(row for row in rows if row.indicator == used).delete = True
    with pytest.raises(AssessmentError, match="Items are filed under"):
        framework_indicators_save(framework=draft, rows=rows, user=editor)


def _rows(framework):
    return [IndicatorRow(i, i.number, i.name, i.tool, i.parent.number if i.parent else "")
            for i in framework.indicators.select_related("tool", "parent").order_by("order")]


def test_level_rules_must_end_at_zero_and_are_replaced_in_order(draft, editor):
    rows = level_rows(draft)[:-1]
    with pytest.raises(AssessmentError, match="must start at 0"):
        framework_levels_save(framework=draft, rows=rows, user=editor)
    rows = [LevelRow(None, "ผ่าน", Decimal(85)), LevelRow(None, "ไม่ผ่าน", Decimal(0))]
    framework_levels_save(framework=draft, rows=rows, user=editor)
    assert list(draft.level_rules.order_by("order").values_list("name", flat=True)) == ["ผ่าน", "ไม่ผ่าน"]


def test_items_are_added_changed_and_removed_on_a_draft(draft, editor):
    item = item_save(framework=draft, item=None, data=ItemSpec("o27", "ข้อใหม่", "OIT", "9.1"), user=editor)
    assert item.order == draft.items.count() - 1 and item.indicator.number == "9.1"
    with pytest.raises(FieldsError) as twice:
        item_save(framework=draft, item=None, data=ItemSpec("O27", "ซ้ำ", "OIT"), user=editor)
    assert set(twice.value.errors) == {"code"}
    with pytest.raises(FieldsError) as wrong:
        item_save(framework=draft, item=item, data=spec(item, indicator="1"), user=editor)
    assert "indicator" in wrong.value.errors
    item_save(framework=draft, item=item, data=spec(item, code="o30", text="ข้อที่แก้"), user=editor)
    item_delete(item=item, user=editor)
    assert not draft.items.filter(code="o30").exists()
    assert actions(draft)[-3:] == ["ita.framework.item_added", "ita.framework.item_changed",
                                   "ita.framework.item_removed"]


# --- publishing ------------------------------------------------------------------------------------


def test_publishing_checks_the_framework_and_says_everything_wrong(draft, editor):
    draft.tools.filter(code="OIT").update(weight=30)
    draft.level_rules.order_by("-order").first().delete()
    Item.objects.filter(framework=draft, code="o1").update(code="O4")
    problems = publish_problems(draft)
    assert problems == [
        "The weights of the tools add up to 90, not 100.",
        "These item codes are used twice (capitals do not count): o4",
        "The last level rule must start at 0 with no minimum for each tool, so that every score gets a level.",
    ]
    with pytest.raises(AssessmentError, match="cannot be published yet"):
        framework_publish(framework=draft, user=editor)
    draft.refresh_from_db()
    assert draft.state == Framework.State.DRAFT


def test_a_published_framework_can_be_started_and_a_draft_cannot(draft, editor):
    phusang = Organisation.objects.get(slug="phusang")
    with pytest.raises(AssessmentError, match="not published"):
        assessment_start(organisation=phusang, framework=draft, user=None)
    framework_publish(framework=draft, user=editor)
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == editor and draft.published_at
    assessment_start(organisation=phusang, framework=draft, user=None)
    assert framework_in_use(draft)
    sentence = describe(AuditEntry.objects.filter(action="ita.framework.published").latest("pk"))
    assert sentence == "Published fiscal year 2571: offices can use it."


def test_unpublishing_is_only_for_a_framework_nothing_uses(draft, editor):
    framework_publish(framework=draft, user=editor)
    framework_unpublish(framework=draft, user=editor)
    draft.refresh_from_db()
    assert draft.state == Framework.State.DRAFT
    for year in (2566, 2567):  # the demo's assessments, OIT checklists and measures
        with pytest.raises(AssessmentError, match="Offices already use"):
            framework_unpublish(framework=Framework.objects.get(fiscal_year=year), user=editor)


# --- the rule for a published framework -----------------------------------------------------------


@pytest.fixture
def published(draft, editor):
    framework_publish(framework=draft, user=editor)
    draft.refresh_from_db()
    assessment_start(organisation=Organisation.objects.get(slug="phusang"), framework=draft, user=None)
    return draft


def test_a_published_frameworks_structure_is_frozen(published, editor):
    with pytest.raises(AssessmentError):
        framework_tools_save(framework=published, rows=tool_rows(published), user=editor)
    with pytest.raises(AssessmentError):
        framework_indicators_save(framework=published, rows=_rows(published), user=editor)
    rows = level_rows(published)
    rows[0].min_overall = Decimal(96)
    with pytest.raises(AssessmentError, match="thresholds"):
        framework_levels_save(framework=published, rows=rows, user=editor)
    with pytest.raises(AssessmentError, match="cannot be removed"):
        item_delete(item=published.items.first(), user=editor)
    with pytest.raises(FieldsError) as pass_mark:
        framework_settings_save(framework=published, user=editor, name=published.name, source="", pass_mark=Decimal(80),
                                provisional=True, provisional_source="")
    assert "pass_mark" in pass_mark.value.errors
    with pytest.raises(AssessmentError, match="cannot be deleted|Only a draft"):
        framework_delete(framework=published, user=editor)


def test_a_published_framework_takes_the_corrections_that_change_no_recorded_figure(published, editor):
    rows = level_rows(published)
    rows[0].provisional, rows[0].provisional_source = False, "คู่มือ ITA 2571 หน้า 12"
    framework_levels_save(framework=published, rows=rows, user=editor)
    assert published.level_rules.get(order=0).provisional_source == "คู่มือ ITA 2571 หน้า 12"
    # A provisional item's code, indicator and text are corrected from the manual, then confirmed.
    item = published.items.get(code="o25")
    item_save(framework=published, item=item, data=spec(item, code="o24b", indicator="10.2", provisional=False,
                                                          provisional_source=""), user=editor)
    item.refresh_from_db()
    assert (item.code, item.indicator.number, item.provisional) == ("o24b", "10.2", False)
    # Once confirmed, its code and indicator are frozen, its wording is not.
    with pytest.raises(FieldsError) as frozen:
        item_save(framework=published, item=item, data=spec(item, code="o25", indicator="9.1"), user=editor)
    assert set(frozen.value.errors) == {"code", "indicator"}
    item_save(framework=published, item=item, data=spec(item, text="ข้อความที่ถูกต้อง"), user=editor)
    with pytest.raises(FieldsError) as tool:
        item_save(framework=published, item=item, data=spec(item, tool="IIT", indicator=None), user=editor)
    assert "tool" in tool.value.errors
    # A gap is filled from the manual.
    item_save(framework=published, item=None, data=ItemSpec("o2", "ข้อมูลผู้บริหาร", "OIT", "9.1"), user=editor)
    assert published.items.filter(code="o2").exists()
    entry = AuditEntry.objects.filter(action="ita.framework.item_changed").latest("pk")
    assert entry.organisation is None and entry.actor == editor and entry.data["changes"]["text"][1] == "ข้อความที่ถูกต้อง"


def test_an_assessment_keeps_the_level_rules_it_started_with(published, editor):
    assessment = Assessment.objects.get(framework=published)
    rows = level_rows(published)
    rows[1].provisional = False
    framework_levels_save(framework=published, rows=rows, user=editor)
    assessment.refresh_from_db()
    assert assessment.level_rules[1]["provisional"] is True
