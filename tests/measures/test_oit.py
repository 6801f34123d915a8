import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Framework, Item
from itaportal.accounts.models import Department, Organisation, User
from measures.models import OitEntry
from measures.selectors.oit import oit_checklist, url_outside_website
from measures.services.oit import OitEntryError, oit_entry_save, oit_year_items

pytestmark = pytest.mark.django_db

SUB_INDICATORS_2566 = [("9.1", 10), ("9.2", 8), ("9.3", 4), ("9.4", 4), ("9.5", 4), ("10.1", 8), ("10.2", 5)]


@pytest.fixture(autouse=True)
def _no_entries():
    """Start from an empty checklist, whatever the demo data holds."""
    OitEntry.objects.all().delete()


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def unit(slug: str, name: str = "สำนักปลัด") -> Department:
    return Department.objects.get(organisation__slug=slug, name=name)


def item(code: str, year: int = 2566) -> Item:
    return Item.objects.get(framework__fiscal_year=year, code=code)


def save(slug: str, code: str, status="published", url="", owner=None, note="", **kwargs) -> OitEntry:
    return oit_entry_save(organisation=org(slug), item=item(code), user=None, owner=owner, status=status,
                          url=url, note=note, **kwargs)


def checklist_url(slug="nasom", year=2566):
    return f"/o/{slug}/oit/{year}/"


def edit_url(code="o1", slug="nasom", year=2566):
    return f"/o/{slug}/oit/{year}/{item(code, year).pk}/"


def form_data(slug="nasom", **fields):
    return {"owner": unit(slug).pk, "status": "in_progress", "url": "", "note": "", **fields}


# --- url_outside_website -----------------------------------------------------------------------

SITE = "https://www.phusang.go.th"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.phusang.go.th/news/1",
        "https://phusang.go.th/ita/o1.pdf",
        "http://ita.phusang.go.th/",
        "HTTPS://WWW.PHUSANG.GO.TH/Structure",
        "https://phusang.go.th:8443/o2",
        "https://phusang.go.th./o3",
        "www.phusang.go.th/o4",
    ],
)
def test_addresses_on_the_website_or_its_sub_domains_are_inside(url):
    assert url_outside_website(url, SITE) is False


@pytest.mark.parametrize(
    "url",
    [
        "https://evil-phusang.go.th/o1",
        "https://phusang.go.th.evil.com/o1",
        "https://muangkun.go.th/",
        "https://www.phusang.go.th@evil.com/",
        "https://evil.com\\@phusang.go.th/",
        "https://go.th/",
        "https://a..b/",
    ],
)
def test_addresses_elsewhere_are_outside(url):
    assert url_outside_website(url, SITE) is True


def test_international_domain_names_compare_in_either_spelling():
    assert url_outside_website("https://xn--72ch6dtd7a.go.th/o1", "https://ภูซาง.go.th") is False
    assert url_outside_website("https://www.ภูซาง.go.th/o1", "https://xn--72ch6dtd7a.go.th/") is False
    assert url_outside_website("https://ภูซาง.go.th.evil.com/", "https://ภูซาง.go.th") is True


def test_the_website_without_www_accepts_the_www_variant():
    assert url_outside_website("https://www.phusang.go.th/o1", "https://phusang.go.th") is False


def test_nothing_is_flagged_without_a_website_or_without_an_address():
    assert url_outside_website("https://anything.example/", "") is False
    assert url_outside_website("", SITE) is False


# --- oit_entry_save ----------------------------------------------------------------------------


def test_an_entry_is_created_then_updated_in_place():
    staff = User.objects.get(username="staff.nasom")
    first = save("nasom", "o1", status="in_progress", owner=unit("nasom"), note=" กำลังจัดทำ ")
    second = oit_entry_save(organisation=org("nasom"), item=item("o1"), user=staff,
                            owner=unit("nasom", "กองคลัง"), status="published",
                            url=" https://nasom.example/o1 ", note="เผยแพร่แล้ว")
    assert first.pk == second.pk and OitEntry.objects.filter(organisation=org("nasom")).count() == 1
    second.refresh_from_db()
    assert (second.status, second.url, second.owner.name, second.note, second.updated_by) == (
        "published", "https://nasom.example/o1", "กองคลัง", "เผยแพร่แล้ว", staff)
    assert first.note == "กำลังจัดทำ"


def test_published_needs_a_url():
    with pytest.raises(OitEntryError) as error:
        save("nasom", "o1", status="published", url="  ")
    assert error.value.field == "url"
    assert not OitEntry.objects.exists()


def test_a_url_that_is_not_a_web_address_is_refused():
    with pytest.raises(OitEntryError) as error:
        save("nasom", "o1", url="javascript:alert(1)")
    assert error.value.field == "url"


def test_an_item_that_is_not_on_the_oit_checklist_is_refused():
    with pytest.raises(OitEntryError):
        save("nasom", "i2", status="in_progress")
    assert not OitEntry.objects.exists()


def test_the_owner_must_be_a_unit_of_the_organisation():
    with pytest.raises(OitEntryError) as error:
        save("nasom", "o1", status="in_progress", owner=unit("wangthong"))
    assert error.value.field == "owner"
    assert not OitEntry.objects.exists()


def without_oit_items(year: int) -> None:
    Item.objects.filter(framework__fiscal_year=year, tool__checklist=True).delete()


def test_the_year_items_are_the_checklist_of_its_framework():
    assert [i.code for i in oit_year_items(2566)] == [f"o{n}" for n in range(1, 44)]
    without_oit_items(2568)
    assert not oit_year_items(2568).exists()


def test_a_draft_frameworks_items_are_on_no_checklist():
    Framework.objects.filter(fiscal_year=2566).update(state=Framework.State.DRAFT)
    assert not oit_year_items(2566).exists()


# --- oit_checklist -----------------------------------------------------------------------------


def test_the_checklist_has_every_item_and_completion_per_sub_indicator():
    save("nasom", "o1", url="https://nasom.example/o1")
    save("nasom", "o2", status="in_progress")
    save("nasom", "o40", url="https://nasom.example/o40")
    save("phusang", "o3", url="https://phusang.go.th/o3")
    rows, completion = oit_checklist(org("nasom"), 2566)
    assert len(rows) == 43
    assert [(r.item.code, r.status) for r in rows[:4]] == [
        ("o1", "published"), ("o2", "in_progress"), ("o3", "not_started"), ("o4", "not_started")]
    assert rows[2].entry is None
    tallies = [(g.indicator.number, g.tally.published, g.tally.total) for g in completion.groups]
    assert tallies == [(n, {"9.1": 1, "10.2": 1}.get(n, 0), total) for n, total in SUB_INDICATORS_2566]
    assert (completion.overall.published, completion.overall.total, completion.overall.percent) == (2, 43, 4)
    assert completion.groups[-1].tally.percent == 20


def test_the_checklist_takes_two_queries_however_many_entries():
    for code in ("o1", "o2", "o3", "o20", "o43"):
        save("nasom", code, url=f"https://nasom.example/{code}", owner=unit("nasom"))
    nasom = org("nasom")
    with CaptureQueriesContext(connection) as queries:
        rows, _completion = oit_checklist(nasom, 2566)
        [(r.entry.owner.name if r.entry else None, r.item.indicator.number) for r in rows]
    assert len(queries) == 2


def test_a_year_without_oit_items_has_an_empty_checklist():
    without_oit_items(2568)
    rows, completion = oit_checklist(org("nasom"), 2568)
    assert rows == [] and completion.overall.total == 0 and completion.overall.percent == 0


# --- checklist view ----------------------------------------------------------------------------


def test_the_checklist_page_lists_the_43_items_grouped_by_sub_indicator(login):
    save("nasom", "o1", url="https://nasom.example/o1", owner=unit("nasom"), note="บันทึก <b>ทดสอบ</b>")
    response = login("staff.nasom").get(checklist_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<tr id="oit-(o\d+)"', html) == [f"o{n}" for n in range(1, 44)]
    assert html.count("<details") == 43
    totals = [g.tally.total for g in response.context["completion"].groups]
    assert totals == [t for _n, t in SUB_INDICATORS_2566]
    assert '<a href="https://nasom.example/o1" rel="noopener noreferrer"' in html
    assert "บันทึก &lt;b&gt;ทดสอบ&lt;/b&gt;" in html
    assert html.count(f'href="{edit_url("o1")}"') == 1
    # นาโสม records no website: nothing can be flagged, and the page says why.
    assert 'id="oit-website-unknown"' in html and "outside our website" not in html


def test_an_address_outside_the_website_is_flagged(login):
    Organisation.objects.filter(slug="phusang").update(website="https://www.phusang.go.th")
    save("phusang", "o1", url="https://muangkun.go.th/o1")
    save("phusang", "o2", url="https://phusang.go.th/o2")
    response = login("head.phusang").get(checklist_url("phusang"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    rows = {r.item.code: r for r in response.context["completion"].groups[0].rows}
    assert (rows["o1"].url_outside, rows["o2"].url_outside) == (True, False)
    assert html.count("outside our website") == 1
    o1_row = html[html.index('<tr id="oit-o1"'):html.index('<tr id="oit-o2"')]
    assert "outside our website" in o1_row
    assert 'id="oit-website-unknown"' not in html


@pytest.mark.parametrize("username", ["head.nasom", "nayok.nasom", "auditor.nasom"])
def test_every_role_reads_the_checklist_but_only_editors_see_edit(login, username):
    html = login(username).get(checklist_url()).content.decode()
    assert 'id="oit-o43"' in html and edit_url("o1") not in html


def test_the_checklist_checks_ownership(login):
    assert login("staff.wangthong").get(checklist_url()).status_code == 404


def test_the_checklist_rejects_post(login):
    assert login("staff.nasom").post(checklist_url()).status_code == 405


@pytest.mark.parametrize("year", [2599, 2568])
def test_a_year_without_framework_or_oit_items_shows_an_empty_checklist(login, year):
    without_oit_items(year)
    response = login("staff.nasom").get(checklist_url(year=year), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "lists no OIT items yet" in response.content.decode()


# --- entry_edit view ---------------------------------------------------------------------------


def test_staff_saves_an_entry(login):
    data = form_data(owner=unit("nasom", "กองคลัง").pk, status="published", url="https://nasom.example/o19",
                     note="เผยแพร่แล้ว")
    response = login("staff.nasom").post(edit_url("o19"), data)
    assert response.status_code == 302 and response["Location"] == f"{checklist_url()}#oit-o19"
    entry = OitEntry.objects.get(organisation__slug="nasom", item__code="o19")
    assert (entry.owner.name, entry.status, entry.url, entry.note, entry.updated_by.username) == (
        "กองคลัง", "published", "https://nasom.example/o19", "เผยแพร่แล้ว", "staff.nasom")


def test_the_admin_edits_and_the_page_opens_the_row_as_a_form(login):
    save("nasom", "o5", status="in_progress", owner=unit("nasom", "กองช่าง"), note="ร่าง")
    response = login("admin.nasom").get(edit_url("o5"))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    row = html[html.index('<tr id="oit-o5"'):html.index('<tr id="oit-o6"')]
    assert "<form" in row and "ร่าง" in row
    assert re.search(rf'<option value="{unit("nasom", "กองช่าง").pk}" selected>', row)
    # Only the organisation's own units can be chosen.
    units = Department.objects.filter(organisation__slug="nasom").count()
    assert len(re.findall(r'<option value="\d+"', row)) == units
    assert str(unit("wangthong").pk) not in re.findall(r'<option value="(\d+)"', row)


def test_published_without_url_is_refused_next_to_the_field_keeping_what_was_typed(login):
    data = form_data(owner=unit("nasom", "กองคลัง").pk, status="published", url="", note="ข้อความที่พิมพ์ไว้")
    response = login("staff.nasom").post(edit_url("o2"), data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert not OitEntry.objects.exists()
    url_field = re.search(r'<input[^>]*name="url"[^>]*>', html).group(0)
    assert "is-invalid" in url_field
    assert "A published item needs the public URL where it can be seen." in html
    assert html.count("is-invalid") == 1
    assert "ข้อความที่พิมพ์ไว้" in html
    assert re.search(rf'<option value="{unit("nasom", "กองคลัง").pk}" selected>', html)
    assert re.search(r'<option value="published" selected>', html)


def test_an_invalid_url_keeps_what_was_typed(login):
    response = login("staff.nasom").post(edit_url("o2"), form_data(url="ไม่ใช่ลิงก์ :://"))
    html = response.content.decode()
    assert response.status_code == 200 and "ไม่ใช่ลิงก์ :://" in html and "is-invalid" in html
    assert not OitEntry.objects.exists()


def test_an_owner_of_another_organisation_is_refused(login):
    response = login("staff.nasom").post(edit_url("o3"), form_data(owner=unit("wangthong").pk))
    html = response.content.decode()
    assert response.status_code == 200
    owner_field = re.search(r'<select[^>]*name="owner"[^>]*>', html).group(0)
    assert "is-invalid" in owner_field
    assert not OitEntry.objects.exists()


def test_an_item_of_another_year_or_tool_is_404(login):
    client = login("staff.nasom")
    assert client.get(f"/o/nasom/oit/2567/{item('o1').pk}/").status_code == 404
    assert client.post(f"/o/nasom/oit/2566/{item('i2').pk}/", form_data()).status_code == 404
    assert client.get("/o/nasom/oit/2566/999999/").status_code == 404
    assert not OitEntry.objects.exists()


def test_entry_edit_checks_ownership(login):
    client = login("staff.wangthong")
    assert client.get(edit_url("o1")).status_code == 404
    assert client.post(edit_url("o1"), form_data("wangthong", status="in_progress")).status_code == 404
    assert not OitEntry.objects.exists()


@pytest.mark.parametrize("username", ["auditor.nasom", "head.nasom", "palad.nasom", "nayok.nasom"])
def test_entry_edit_requires_an_editor(login, username):
    client = login(username)
    assert client.get(edit_url("o1")).status_code == 403
    assert client.post(edit_url("o1"), form_data()).status_code == 403
    assert not OitEntry.objects.exists()


def test_entry_edit_rejects_put(login):
    assert login("staff.nasom").put(edit_url("o1")).status_code == 405


def test_htmx_gets_and_saves_only_the_row(login):
    client = login("staff.nasom")
    response = client.get(edit_url("o7"), HTTP_HX_REQUEST="true")
    html = response.content.decode().strip()
    assert response.status_code == 200
    assert html.startswith('<tr id="oit-o7"') and html.endswith("</tr>") and html.count("<tr") == 1
    assert "<form" in html and "<html" not in html

    response = client.post(edit_url("o7"), form_data(status="published", url="https://nasom.example/o7"),
                           HTTP_HX_REQUEST="true")
    html = response.content.decode().strip()
    assert response.status_code == 200 and response["HX-Trigger"] == "oitChanged"
    assert html.startswith('<tr id="oit-o7"') and html.count("<tr") == 1 and "<form" not in html
    assert "https://nasom.example/o7" in html and "เผยแพร่แล้ว" in html
    assert OitEntry.objects.get(item__code="o7").status == "published"


def test_htmx_errors_come_back_in_the_row(login):
    response = login("staff.nasom").post(edit_url("o8"), form_data(status="published", note="พิมพ์แล้ว"),
                                         HTTP_HX_REQUEST="true")
    html = response.content.decode().strip()
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert html.startswith('<tr id="oit-o8"') and "<form" in html
    assert "is-invalid" in html and "พิมพ์แล้ว" in html
    assert not OitEntry.objects.exists()


# --- demo data ---------------------------------------------------------------------------------


def test_the_demo_loads_nasoms_43_entries_once():
    from demo import oit as demo_oit

    demo_oit.load()
    demo_oit.load()
    entries = OitEntry.objects.filter(organisation__slug="nasom").select_related("item", "owner")
    assert entries.count() == 43 and OitEntry.objects.count() == 43
    by_code = {e.item.code: e for e in entries}
    assert {e.status for e in entries} == {"published"} and {e.url for e in entries} == {""}
    assert by_code["o19"].owner.name == "กองคลัง"
    assert by_code["o14"].owner.name == "สำนักปลัด"
    assert by_code["o14"].note.endswith("\nผู้รับผิดชอบร่วม: กองช่าง, กองคลัง")
    assert by_code["o1"].note == "เปิดเผยข้อมูลบนเว็บไซต์หลักของหน่วยงานครบตามองค์ประกอบ"
    assert all("<" not in e.note and e.note for e in entries)
    rows, completion = oit_checklist(org("nasom"), 2566)
    assert completion.overall.percent == 100 and all(r.url_missing and not r.url_outside for r in rows)


def test_the_demo_leaves_an_entry_edited_in_the_portal_alone():
    from demo import oit as demo_oit

    demo_oit.load()
    staff = User.objects.get(username="staff.nasom")
    oit_entry_save(organisation=org("nasom"), item=item("o1"), user=staff, owner=unit("nasom"),
                   status="published", url="https://nasom.example/o1", note="แก้ไขแล้ว")
    demo_oit.load()
    assert OitEntry.objects.get(organisation__slug="nasom", item__code="o1").note == "แก้ไขแล้ว"
    assert OitEntry.objects.filter(organisation__slug="nasom").count() == 43
