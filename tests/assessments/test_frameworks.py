from pathlib import Path

import pytest
import yaml
from django.utils import translation

from assessments.framework_format import framework_data, framework_spec, framework_yaml, spec_from_data
from assessments.models import Framework, Item, ItemSuccession, LevelRule, Tool
from assessments.services import FRAMEWORK_DIR, AssessmentError, load_all_frameworks, load_framework
from assessments.services.frameworks import item_save

# Items and provisional items per shipped year, and its OIT items (the reference lists merged in).
SHIPPED = {
    2564: (43, 43, 43),
    2565: (43, 43, 43),
    2566: (53, 11, 43),
    2567: (15, 5, 5),
    2568: (32, 32, 22),
    2569: (32, 32, 22),
    2570: (32, 32, 22),
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def oit_codes(year: int) -> set[str]:
    return set(Item.objects.filter(framework__fiscal_year=year, tool__code="OIT").values_list("code", flat=True))


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / f"fy{data['fiscal_year']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_every_shipped_framework_is_loaded_published_with_weights_summing_to_100():
    years = sorted(Framework.objects.values_list("fiscal_year", flat=True))
    assert set(SHIPPED) <= set(years)
    for framework in Framework.objects.filter(fiscal_year__in=SHIPPED):
        assert framework.is_published and framework.published_at, framework
        assert sum(t.weight for t in framework.tools.all()) == 100, framework
        rules = list(framework.level_rules.order_by("order"))
        assert rules[-1].min_overall == 0, framework
        items = framework.items
        counts = (items.count(), items.filter(provisional=True).count(), items.filter(tool__code="OIT").count())
        assert counts == SHIPPED[framework.fiscal_year], framework.fiscal_year


@pytest.mark.django_db
def test_what_is_provisional_says_why():
    for framework in Framework.objects.filter(fiscal_year__in=SHIPPED):
        assert framework.provisional and framework.provisional_source, framework
    assert not Item.objects.filter(provisional=True, provisional_source="").exists()
    assert not LevelRule.objects.filter(provisional=True, provisional_source="").exists()


@pytest.mark.django_db
def test_the_gaps_of_the_reference_lists_stay_gaps():
    assert oit_codes(2568) == {"o1", "o3", "o4", *(f"o{n}" for n in range(8, 27))}
    # o3 of 2569 is a heading of the health ministry's MOIT on its only source: left out.
    assert oit_codes(2569) == {"o1", "o4", "o5", *(f"o{n}" for n in range(8, 27))}
    assert Item.objects.get(framework__fiscal_year=2569, code="o5").text == "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน"
    # 2567: the inferred copy of the 2566 list is not loaded; o35 is the progress report on the measures.
    assert oit_codes(2567) == {"o1", "o2", "o3", "o4", "o35"}
    assert Item.objects.get(framework__fiscal_year=2567, code="o35").text.startswith("การดำเนินการตามมาตรการ")


@pytest.mark.django_db
def test_2564_and_2565_have_seven_bands_and_the_later_years_five_levels_over_every_tool():
    for year in (2564, 2565):
        assert list(LevelRule.objects.filter(framework__fiscal_year=year).values_list("name", flat=True)) == [
            "AA", "A", "B", "C", "D", "E", "F"
        ]
    for year in (2566, 2567, 2568, 2569, 2570):
        rules = LevelRule.objects.filter(framework__fiscal_year=year).order_by("order")
        assert [r.name for r in rules] == ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ต้องปรับปรุง", "ต้องปรับปรุงโดยด่วน"]
        assert rules[0].min_each_tool == 95 and rules[1].min_each_tool == 85 and rules[2].min_each_tool is None


@pytest.mark.django_db
def test_2564_carries_the_public_list_with_its_sub_indicators():
    o6 = Item.objects.get(framework__fiscal_year=2564, code="o6")
    assert (o6.text, o6.indicator.number) == ("กฎหมายที่เกี่ยวข้อง", "9.1")
    assert "CMS64, UTT" in o6.provisional_source
    assert Item.objects.get(framework__fiscal_year=2564, code="o43").indicator.number == "10.2"


@pytest.mark.django_db
def test_the_copied_years_are_linked_to_their_source_in_the_crosswalk():
    for year in (2564, 2569):
        lines = ItemSuccession.objects.filter(item__framework__fiscal_year=year).select_related("item", "successor")
        assert lines.count() == Item.objects.filter(framework__fiscal_year=year).count()
        assert all(line.successor.framework.fiscal_year == year + 1 and line.successor.code == line.item.code
                   for line in lines)
    # Renumbered years are for a person to link.
    assert not ItemSuccession.objects.filter(item__framework__fiscal_year=2566).exists()


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
@pytest.mark.parametrize("year", sorted(SHIPPED))
def test_the_yaml_export_reads_back_as_the_same_framework(tmp_path, year):
    framework = Framework.objects.get(fiscal_year=year)
    data = yaml.safe_load(framework_yaml(framework))
    assert data == framework_data(framework)
    assert spec_from_data(data) == framework_spec(framework)
    # Loaded as another year, it is the same framework again.
    data["fiscal_year"] = 2590
    copy, changed = load_framework(path=write(tmp_path, {**data, "items": [
        {key: value for key, value in item.items() if key != "successor"} for item in data["items"]]}))
    assert changed
    assert framework_spec(copy).items == framework_spec(framework).items
    assert framework_spec(copy).levels == framework_spec(framework).levels
    assert framework_spec(copy).indicators == framework_spec(framework).indicators


@pytest.mark.django_db
def test_a_year_edited_in_the_portal_is_never_overwritten_by_its_file(tmp_path):
    framework = Framework.objects.get(fiscal_year=2569)
    item = framework.items.get(code="o5")
    from assessments.framework_format import ItemSpec

    item_save(framework=framework, item=item, user=None, data=ItemSpec(
        "o5", "แผนยุทธศาสตร์ (แก้จากคู่มือ)", "OIT", None, "", True, "คู่มือ 2569"))
    data = yaml.safe_load((FRAMEWORK_DIR / "fy2569.yaml").read_text(encoding="utf-8"))
    data["items"] = data["items"][:3]
    reported = []
    _framework, changed = load_framework(path=write(tmp_path, data), report=reported.append)
    assert not changed and reported == ["2569: edited in the portal, fy2569.yaml not applied"]
    assert framework.items.count() == 32 and framework.items.get(code="o5").text == "แผนยุทธศาสตร์ (แก้จากคู่มือ)"


@pytest.mark.django_db
def test_a_newer_seed_file_updates_a_year_in_use_only_where_the_rule_allows(tmp_path):
    data = yaml.safe_load((FRAMEWORK_DIR / "fy2566.yaml").read_text(encoding="utf-8"))
    data["items"].append({"code": "o44", "indicator": "10.2", "text": "ข้อใหม่", "provisional": True,
                          "provisional_source": "ทดสอบ"})
    data["items"][0]["text"] = "ข้อความที่แก้"
    framework, changed = load_framework(path=write(tmp_path, data))
    assert changed and framework.items.get(code="o44").order == 53
    assert framework.items.get(code="i2").text == "ข้อความที่แก้"
    data["tools"][0]["weight"], data["tools"][1]["weight"] = 35, 25
    with pytest.raises(AssessmentError, match="the tools or their weights"):
        load_framework(path=write(tmp_path, data))
    assert Tool.objects.get(framework=framework, code="IIT").weight == 30


@pytest.mark.django_db
def test_a_file_that_drops_an_item_in_use_is_refused(tmp_path, make_assessment):
    assessment = make_assessment("phusang", 2566)
    item = Item.objects.get(framework__fiscal_year=2566, code="o1")
    assessment.item_scores.create(item=item, score=100)
    data = yaml.safe_load((FRAMEWORK_DIR / "fy2566.yaml").read_text(encoding="utf-8"))
    data["items"] = [i for i in data["items"] if i["code"] != "o1"]
    with pytest.raises(AssessmentError, match="removes the items o1"):
        load_framework(path=write(tmp_path, data))
    assert Item.objects.filter(framework__fiscal_year=2566, code="o1").exists()


@pytest.mark.django_db
def test_a_seed_file_with_weights_off_100_is_refused(tmp_path):
    data = yaml.safe_load((FRAMEWORK_DIR / "fy2570.yaml").read_text(encoding="utf-8"))
    data["fiscal_year"] = 2591
    data["tools"][2]["weight"] = 30
    with pytest.raises(AssessmentError, match="fy2591.yaml: The weights of the tools add up to 90"):
        load_framework(path=write(tmp_path, data))
    assert not Framework.objects.filter(fiscal_year=2591).exists()
