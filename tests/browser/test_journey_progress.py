import pytest
from django.utils import timezone

from itaportal.accounts.models import Organisation
from itaportal.thai import fiscal_year
from measures.models import Evidence, ProgressEntry
from measures.services.plan import MeasureData, measure_create, rounds_configure
from tests.browser.conftest import log_in
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_staff_reports_a_round_with_a_file_and_a_link_and_the_head_sees_it(page, browser, live_server, tmp_path,
                                                                          settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    nasom = Organisation.objects.get(slug="nasom")
    year = fiscal_year(timezone.localdate())
    measure = measure_create(organisation=nasom, fiscal_year=year, data=MeasureData(
        kind="measure", title="มาตรการเผยแพร่ข้อมูลข่าวสารผ่านช่องทางที่หลากหลาย", steps=["จัดทำสื่อประชาสัมพันธ์"],
        all_units=True))
    first_round = rounds_configure(organisation=nasom, fiscal_year=year, scheme="half")[0]

    log_in(page, "staff.nasom")
    page.goto("/o/nasom/measures/mine/")
    # Every open round lists the measure: report it in the first.
    page.locator(f"#round-{first_round.pk}").get_by_text("มาตรการเผยแพร่ข้อมูลข่าวสาร").click()
    page.check("input[name=status][value=done]")
    page.fill("input[name=activity_date]", f"{timezone.localdate():%Y-%m-%d}")
    page.fill("textarea[name=activity_text]", "ประชุมชี้แจงเจ้าหน้าที่ทุกกอง")
    page.fill("textarea[name=outcome]", "เจ้าหน้าที่ทุกคนได้รับทราบแนวทางการเผยแพร่ข้อมูล")
    page.click("#progress-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() == 1

    report = tmp_path / "รายงานการประชุม.pdf"
    report.write_bytes(PDF)
    page.set_input_files("input[name=file]", str(report))
    page.click("form:has(input[name=file]) button")
    page.wait_for_selector("text=รายงานการประชุม.pdf")
    page.fill("input[name=url]", "https://www.facebook.com/nasom/posts/1")
    page.fill("input[name=title]", "โพสต์ประชาสัมพันธ์")
    page.click("form:has(input[name=url]) button")
    page.wait_for_selector("text=โพสต์ประชาสัมพันธ์")
    page.screenshot(path=ARTIFACTS / "progress-staff-nasom.png", full_page=True)

    entry = ProgressEntry.objects.get(measure=measure)
    assert entry.status == "done" and entry.activities.count() == 1
    assert sorted(Evidence.objects.filter(entry=entry).values_list("kind", flat=True)) == ["file", "link"]

    head = browser.new_context(base_url=live_server.url, locale="th-TH", viewport={"width": 1280, "height": 900})
    head_page = head.new_page()
    log_in(head_page, "head.nasom")
    head_page.goto(f"/o/nasom/measures/?year={year}")
    table = head_page.locator("table").first.inner_text()
    assert "ทุกสำนัก ทุกกอง" in table
    assert "1/1" in table
    head_page.screenshot(path=ARTIFACTS / "progress-dashboard-head-nasom.png", full_page=True)
    head.close()
