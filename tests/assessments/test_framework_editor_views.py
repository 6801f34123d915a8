"""The framework editor's pages: only for people with the assessments.edit_framework permission (404
to anyone else, as platform pages are), each change through one service, errors next to what caused them."""

import io

import openpyxl
import pytest
import yaml
from django.test import Client
from django.utils import translation

from assessments.models import Framework, Item, ItemSuccession
from assessments.services.frameworks import framework_publish

pytestmark = pytest.mark.django_db

BASE = "/platform/frameworks/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_of(client):
    def as_user(user):
        client.force_login(user)
        # The pages in English, as the assertions read them (the interface is Thai by default).
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return as_user


@pytest.fixture
def as_editor(client_of, editor):
    return client_of(editor)


def html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("username", ["admin.phusang", "staff.phusang", "head.phusang", "auditor.phusang"])
@pytest.mark.parametrize("path", ["", "2570/", "2570/items/new/", "2569/crosswalk/", "2570/items.xlsx",
                                  "2570/export.yaml"])
def test_the_pages_are_404_to_anyone_without_the_permission(login, username, path):
    assert login(username).get(f"{BASE}{path}").status_code == 404


def test_a_change_is_404_to_anyone_without_the_permission(login):
    response = login("admin.phusang").post(f"{BASE}2570/unpublish/")
    assert response.status_code == 404
    assert Framework.objects.get(fiscal_year=2570).is_published


def test_an_anonymous_visitor_is_sent_to_log_in():
    response = Client().get(BASE)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_list_rejects_other_methods(as_editor, method):
    assert getattr(as_editor, method)(BASE).status_code == 405


@pytest.mark.parametrize("path", ["copy/", "2570/publish/", "2570/unpublish/", "2570/delete/",
                                  "2570/items/1/remove/"])
def test_state_changes_reject_get(as_editor, path):
    assert as_editor.get(f"{BASE}{path}").status_code == 405


def test_the_list_shows_every_year_with_its_state_and_counts(as_editor):
    response = as_editor.get(BASE)
    page = html(response)
    assert response.status_code == 200
    assert f'<a class="nav-link" href="{BASE}">Frameworks</a>' in page  # the way in, from every page
    for fiscal_year in range(2564, 2571):
        assert f'href="{BASE}{fiscal_year}/"' in page
    assert response.context["form"].initial["fiscal_year"] == 2571
    row = next(f for f in response.context["frameworks"] if f.fiscal_year == 2569)
    assert (row.item_count, row.provisional_items) == (32, 32)


def test_copying_a_year_opens_the_new_draft(as_editor):
    source = Framework.objects.get(fiscal_year=2570)
    response = as_editor.post(f"{BASE}copy/", {"source": source.pk, "fiscal_year": "๒๕๗๑"})
    assert response.status_code == 302 and response["Location"] == f"{BASE}2571/"
    assert Framework.objects.get(fiscal_year=2571).state == Framework.State.DRAFT
    response = as_editor.post(f"{BASE}copy/", {"source": source.pk, "fiscal_year": "2571"})
    assert response.status_code == 200 and "Fiscal year 2571 already has a framework." in html(response)
    response = as_editor.post(f"{BASE}copy/", {"source": source.pk, "fiscal_year": "2028"})
    assert "Type the fiscal year in the Buddhist Era" in html(response)


def test_a_draft_is_published_from_its_page_once_it_is_right(as_editor, draft):
    page = html(as_editor.get(f"{BASE}2571/"))
    assert "Publish" in page and "Before it can be published" not in page
    draft.tools.filter(code="OIT").update(weight=30)
    page = html(as_editor.get(f"{BASE}2571/"))
    assert "Before it can be published" in page and "add up to 90" in page
    response = as_editor.post(f"{BASE}2571/publish/", follow=True)
    assert "cannot be published yet" in html(response)
    draft.tools.filter(code="OIT").update(weight=40)
    as_editor.post(f"{BASE}2571/publish/")
    draft.refresh_from_db()
    assert draft.is_published
    page = html(as_editor.get(f"{BASE}2571/"))
    assert "Published fiscal year 2571: offices can use it." in page  # the history


def test_the_weights_page_keeps_what_was_typed_when_they_do_not_add_up(as_editor, draft):
    tools = list(draft.tools.order_by("order"))
    data = {"tools-TOTAL_FORMS": "4", "tools-INITIAL_FORMS": "3", "tools-MIN_NUM_FORMS": "0",
            "tools-MAX_NUM_FORMS": "1000"}
    for index, (tool, weight) in enumerate(zip(tools, ["30", "30", "๓๕"], strict=True)):
        data.update({f"tools-{index}-pk": tool.pk, f"tools-{index}-code": tool.code, f"tools-{index}-name": tool.name,
                     f"tools-{index}-weight": weight})
    data["tools-2-checklist"] = "on"
    response = as_editor.post(f"{BASE}2571/tools/", data)
    assert response.status_code == 200
    assert "The weights add up to 95; they must add up to 100." in html(response) and 'value="๓๕"' in html(response)
    data["tools-2-weight"] = "๔๐"
    response = as_editor.post(f"{BASE}2571/tools/", data)
    assert response.status_code == 302
    assert draft.tools.get(code="OIT").weight == 40


def test_the_weights_of_a_published_framework_are_shown_but_cannot_be_posted(as_editor):
    framework = Framework.objects.get(fiscal_year=2570)
    page = html(as_editor.get(f"{BASE}2570/tools/"))
    assert "disabled" in page and "Save" not in page.split("<form", 1)[1]
    tool = framework.tools.get(code="OIT")
    data = {"tools-TOTAL_FORMS": "1", "tools-INITIAL_FORMS": "1", "tools-MIN_NUM_FORMS": "0",
            "tools-MAX_NUM_FORMS": "1000", "tools-0-pk": tool.pk, "tools-0-code": "OIT", "tools-0-name": tool.name,
            "tools-0-weight": "100"}
    response = as_editor.post(f"{BASE}2570/tools/", data, follow=True)
    assert "cannot change" in html(response)
    assert framework.tools.get(code="OIT").weight == 40


def test_an_item_is_added_and_a_confirmed_published_items_code_cannot_be_tampered_with(as_editor):
    response = as_editor.post(f"{BASE}2570/items/new/", {"code": "o2", "tool": "OIT", "indicator": "9.1",
                                                        "text": "ข้อมูลผู้บริหาร", "provisional": "on",
                                                        "provisional_source": "คู่มือ 2570"})
    added = Item.objects.get(framework__fiscal_year=2570, code="o2")
    assert response.status_code == 302 and response["Location"] == f"{BASE}2570/#item-{added.pk}"
    Item.objects.filter(pk=added.pk).update(provisional=False)
    response = as_editor.post(f"{BASE}2570/items/{added.pk}/", {"code": "o99", "tool": "IIT", "indicator": "1",
                                                               "text": "ข้อมูลผู้บริหารสูงสุด"})
    added.refresh_from_db()
    assert response.status_code == 302
    assert (added.code, added.tool.code, added.indicator.number, added.text) == ("o2", "OIT", "9.1",
                                                                                 "ข้อมูลผู้บริหารสูงสุด")


def test_an_item_of_another_year_is_404(as_editor):
    other = Item.objects.get(framework__fiscal_year=2569, code="o1")
    assert as_editor.get(f"{BASE}2570/items/{other.pk}/").status_code == 404
    assert as_editor.get(f"{BASE}2599/").status_code == 404


def test_a_duplicate_code_is_said_next_to_the_field(as_editor):
    response = as_editor.post(f"{BASE}2570/items/new/", {"code": "O1", "tool": "OIT", "text": "ซ้ำ"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Another item of this year has the code O1."]


def test_the_item_table_is_exported_and_a_bad_import_lists_every_cell(as_editor, draft):
    response = as_editor.get(f"{BASE}2571/items.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["code", "tool", "indicator", "text"] and len(rows) == 33
    rows[2][0] = rows[1][0]
    rows[3][2] = "9.9"
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "items.xlsx"
    response = as_editor.post(f"{BASE}2571/items/import/", {"file": buffer})
    assert response.status_code == 200, response.context["form"].errors
    assert [(e.row, e.column_letter) for e in response.context["errors"]] == [(3, "A"), (4, "C")]
    assert "Nothing was imported" in html(response)


def test_the_yaml_export_is_the_seed_format(as_editor):
    response = as_editor.get(f"{BASE}2569/export.yaml")
    assert response["Content-Disposition"] == 'attachment; filename="fy2569.yaml"'
    data = yaml.safe_load(response.content.decode("utf-8"))
    assert data["fiscal_year"] == 2569 and len(data["items"]) == 32 and data["items"][0]["successor"] == "i2"


def test_the_crosswalk_page_fills_in_the_suggestions_and_saves_them(as_editor):
    response = as_editor.get(f"{BASE}2566/crosswalk/")
    form = response.context["form"]
    o43 = Item.objects.get(framework__fiscal_year=2566, code="o43")
    o35 = Item.objects.get(framework__fiscal_year=2567, code="o35")
    assert form[f"item_{o43.pk}"].initial == str(o35.pk)
    assert "suggested: same text" in html(response)
    data = {name: field.initial or "" for name, field in form.fields.items()}
    o4 = Item.objects.get(framework__fiscal_year=2566, code="o4")
    data[f"item_{o4.pk}"] = "none"
    response = as_editor.post(f"{BASE}2566/crosswalk/", data)
    assert response.status_code == 302
    assert ItemSuccession.objects.get(item=o43).successor == o35
    assert ItemSuccession.objects.get(item=o4).successor is None
    assert not ItemSuccession.objects.filter(item__code="o6", item__framework__fiscal_year=2566).exists()


def test_the_crosswalk_of_the_last_year_goes_back_with_a_message(as_editor):
    response = as_editor.get(f"{BASE}2570/crosswalk/", follow=True)
    assert "Fiscal year 2571 has no framework yet to link to." in html(response)


def test_a_published_year_nothing_uses_goes_back_to_a_draft_and_one_in_use_does_not(as_editor, draft, editor):
    framework_publish(framework=draft, user=editor)
    as_editor.post(f"{BASE}2571/unpublish/")
    draft.refresh_from_db()
    assert not draft.is_published
    response = as_editor.post(f"{BASE}2566/unpublish/", follow=True)
    assert "Offices already use this framework" in html(response)
    assert Framework.objects.get(fiscal_year=2566).is_published
    response = as_editor.post(f"{BASE}2571/delete/")
    assert response["Location"] == BASE and not Framework.objects.filter(fiscal_year=2571).exists()


def test_the_levels_of_a_published_year_take_only_their_provisional_marks(as_editor):
    framework = Framework.objects.get(fiscal_year=2570)
    rules = list(framework.level_rules.order_by("order"))
    data = {"levels-TOTAL_FORMS": str(len(rules)), "levels-INITIAL_FORMS": str(len(rules)),
            "levels-MIN_NUM_FORMS": "0", "levels-MAX_NUM_FORMS": "1000"}
    for index, rule in enumerate(rules):
        # The thresholds are posted changed: the page ignores them, as its fields are disabled.
        data.update({f"levels-{index}-pk": rule.pk, f"levels-{index}-name": "อื่น", f"levels-{index}-min_overall": "1",
                     f"levels-{index}-provisional": "on", f"levels-{index}-provisional_source": rule.provisional_source})
    del data["levels-0-provisional"]
    data["levels-0-provisional_source"] = ""
    response = as_editor.post(f"{BASE}2570/levels/", data)
    assert response.status_code == 302
    first = framework.level_rules.get(order=0)
    assert (first.name, first.min_overall, first.provisional, first.provisional_source) == ("ผ่านดีเยี่ยม", 95, False, "")
    assert framework.level_rules.get(order=1).provisional
