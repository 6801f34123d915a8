from pathlib import Path

import pytest

from assessments.models import Framework, Item, LevelRule, Tool
from assessments.services import FRAMEWORK_DIR, AssessmentError, load_all_frameworks, load_framework


@pytest.mark.django_db
def test_every_shipped_framework_is_loaded_with_weights_summing_to_100():
    years = sorted(Framework.objects.values_list("fiscal_year", flat=True))
    assert {2564, 2566, 2567, 2568} <= set(years)
    for framework in Framework.objects.all():
        assert sum(t.weight for t in framework.tools.all()) == 100, framework
        rules = list(framework.level_rules.order_by("order"))
        assert rules[-1].min_overall == 0, framework


@pytest.mark.django_db
def test_2564_has_seven_bands_and_2566_five_levels_over_every_tool():
    assert list(LevelRule.objects.filter(framework__fiscal_year=2564).values_list("name", flat=True)) == [
        "AA", "A", "B", "C", "D", "E", "F"
    ]
    rules = LevelRule.objects.filter(framework__fiscal_year=2566).order_by("order")
    assert [r.name for r in rules] == ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ต้องปรับปรุง", "ต้องปรับปรุงโดยด่วน"]
    assert rules[0].min_each_tool == 95 and rules[1].min_each_tool == 85 and rules[2].min_each_tool is None


@pytest.mark.django_db
def test_2566_carries_the_oit_list_of_001():
    items = Item.objects.filter(framework__fiscal_year=2566, tool__code="OIT")
    assert items.count() == 43
    o1 = items.get(code="o1")
    assert o1.text == "โครงสร้าง" and o1.indicator.number == "9.1" and "แผนผัง" in o1.data_elements
    assert Tool.objects.get(framework__fiscal_year=2566, code="OIT").checklist


@pytest.mark.django_db
def test_the_items_000_cites_exist_in_2567():
    codes = set(Item.objects.filter(framework__fiscal_year=2567).values_list("code", flat=True))
    assert {"i2", "e3", "e5", "i11", "i5", "i7", "i8", "i13", "i14", "i15"} <= codes


@pytest.mark.django_db
def test_reloading_an_unchanged_file_changes_nothing():
    assert all(changed is False for _framework, changed in load_all_frameworks())


@pytest.mark.django_db
def test_a_file_that_drops_an_item_in_use_is_refused(tmp_path, make_assessment):
    assessment = make_assessment("phusang", 2566)
    item = Item.objects.get(framework__fiscal_year=2566, code="o1")
    assessment.item_scores.create(item=item, score=100)
    source = (FRAMEWORK_DIR / "fy2566.yaml").read_text(encoding="utf-8")
    import yaml

    data = yaml.safe_load(source)
    data["items"] = [i for i in data["items"] if i["code"] != "o1"]
    path = Path(tmp_path) / "fy2566.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(AssessmentError):
        load_framework(path=path)
    assert Item.objects.filter(framework__fiscal_year=2566, code="o1").exists()
