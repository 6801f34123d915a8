import pytest

from itaportal.accounts.models import Organisation, Position
from reports.models import ApprovalChain, ChainLevel, Memo
from tests.browser.conftest import log_in
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def as_user(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, locale="th-TH", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, username)
    return context, page


def test_staff_submits_and_three_executives_approve_in_turn(page, browser, live_server):
    phusang = Organisation.objects.get(slug="phusang")
    ApprovalChain.objects.filter(organisation=phusang, kind="").delete()
    chain = ApprovalChain.objects.create(organisation=phusang, kind="")
    for order, title in enumerate(["หัวหน้าสำนักปลัด", "ปลัด", "นายก"], start=1):
        ChainLevel.objects.create(chain=chain, order=order, position=Position.objects.get(organisation=phusang,
                                                                                          title=title))

    log_in(page, "staff.phusang")
    page.goto("/o/phusang/memos/new/")
    page.check("input[name=kind][value=analysis]")
    page.select_option("select[name=assessment]", label="2567")
    page.click("main form button")
    page.wait_for_selector(".memo-paper")
    assert "๙๙.๗๘" in page.locator(".memo-paper").inner_text()
    page.click("form[action$='/submit/'] button")
    page.wait_for_load_state()
    memo = Memo.objects.filter(organisation=phusang, kind="analysis", author__username="staff.phusang").latest("pk")
    assert memo.state == "in_review", memo.state
    page.screenshot(path=ARTIFACTS / "memo-1-staff-submitted.png", full_page=True)

    for number, username in enumerate(["head.phusang", "palad.phusang", "nayok.phusang"], start=1):
        context, executive = as_user(browser, live_server, username)
        executive.goto("/o/phusang/memos/inbox/")
        executive.get_by_text(memo.subject[:30]).first.click()
        executive.fill("#decide textarea[name=comment]", "เห็นชอบ" if number == 3 else "เห็นควรเสนอ")
        executive.screenshot(path=ARTIFACTS / f"memo-{number + 1}-{username}-deciding.png", full_page=True)
        executive.click("#decide button[value=approve]")
        executive.wait_for_load_state()
        memo.refresh_from_db()
        assert memo.decisions.filter(level=number, actor__username=username).exists()
        if number == 3:
            executive.screenshot(path=ARTIFACTS / "memo-5-approved.png", full_page=True)
        context.close()
    assert memo.state == "approved" and memo.version.sha256
