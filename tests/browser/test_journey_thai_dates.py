"""A clerk types a date the way it is written on paper, in พ.ศ. with Thai digits, and finds it again on
the page, on the round's report and in the printed progress report (issue 14.5)."""

import re
import subprocess
from datetime import date

import pytest
from django.utils import timezone

from itaportal.accounts.models import Organisation
from itaportal.thai import fiscal_year, thai_date, to_thai_digits
from measures.models import Activity, ReportingRound
from measures.services.plan import MeasureData, measure_create, rounds_configure
from tests.browser.conftest import log_in
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _render_in_process(monkeypatch):
    """The draft PDF is made by the server itself: with Redis (CI) no worker runs beside this test."""
    from itaportal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def test_a_buddhist_date_typed_in_thai_digits_is_read_back_on_the_page_and_in_the_pdf(page, live_server):
    nasom = Organisation.objects.get(slug="nasom")
    today = timezone.localdate()
    year = fiscal_year(today)
    measure = measure_create(organisation=nasom, fiscal_year=year, data=MeasureData(
        kind="measure", title="มาตรการจัดทำคู่มือการให้บริการประชาชน", steps=["จัดทำคู่มือ"], all_units=True))
    rounds_configure(organisation=nasom, fiscal_year=year, scheme="half")
    round = ReportingRound.objects.get(organisation=nasom, fiscal_year=year, number=2)
    # The fiscal year's first day: inside the measure's period and the round's, whatever today is.
    day = date(year - 544, 10, 1)
    typed = to_thai_digits(f"{day.day}/{day.month}/{day.year + 543}")  # ๑/๑๐/๒๕๖๙

    log_in(page, "staff.nasom")
    page.goto(f"/o/nasom/measures/m/{measure.pk}/r/{round.pk}/")
    box = page.locator("input[name=activity_date]").first
    assert box.get_attribute("placeholder") == "วว/ดด/ปปปป"
    box.fill(typed)
    page.locator("textarea[name=activity_text]").first.fill("ประชุมชี้แจงแนวทางการให้บริการ")
    # A second activity chosen on the calendar: the picker's day comes back as dd/mm/พ.ศ.
    page.click("#add-activity")
    second = page.locator("input[name=activity_date]").nth(1)
    calendar_day = date(year - 543, 1, 15)
    page.locator(".thai-date-native").nth(1).evaluate(
        "(input, iso) => { input.value = iso; input.dispatchEvent(new Event('change', {bubbles: true})); }",
        calendar_day.isoformat(),
    )
    assert second.input_value() == f"{calendar_day:%d/%m}/{calendar_day.year + 543}"
    page.locator("textarea[name=activity_text]").nth(1).fill("เผยแพร่คู่มือบนเว็บไซต์")
    page.check("input[name=status][value=in_progress]")
    page.click("#progress-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() == 1
    assert sorted(a.date for a in Activity.objects.filter(entry__measure=measure)) == [day, calendar_day]
    # Back in the box as typed on paper, in Arabic digits that any keyboard can edit.
    assert page.locator("input[name=activity_date]").first.input_value() == f"01/10/{day.year + 543}"
    page.screenshot(path=ARTIFACTS / "progress-thai-date.png", full_page=True)

    page.goto(f"/o/nasom/measures/{year}/rounds/{round.pk}/")
    assert thai_date(day, "abbr") in page.locator("table").inner_text()

    page.goto("/o/nasom/documents/drafts/")
    page.click(f"form:has(input[name=kind][value=progress]):has(input[name=fiscal_year][value='{year}'])"
               f":has(input[name=round][value='2']) button")
    link = page.wait_for_selector(".document-status a[href$='/pdf/']", timeout=60_000).get_attribute("href")
    pdf = page.request.get(link).body()
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                             check=True).stdout.decode())
    # The table's lines come out across its columns: the date is read with the first word after it.
    assert re.sub(r"\s+", "", thai_date(day, "abbr")) + "–ประชุม" in text
    assert re.sub(r"\s+", "", thai_date(calendar_day, "abbr")) + "–เผยแพร่คู่มือ" in text
