import pytest

from tests.browser.conftest import log_in
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_staff_logs_in_sees_thai_in_sarabun_and_switches_language(page):
    log_in(page, "staff.phusang")
    page.wait_for_url("**/o/phusang/")
    heading = page.locator("h1")
    assert heading.inner_text() == "องค์การบริหารส่วนตำบลภูซาง"
    assert page.locator("html").get_attribute("lang") == "th"
    assert "Sarabun" in heading.evaluate("el => getComputedStyle(el).fontFamily")
    # The face must really be loaded from our static files, not silently replaced by a fallback.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ภูซาง')")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Sarabun') && f.status === 'loaded')")
    assert "อบต.ภูซาง" in page.locator("#org-switcher").inner_text()
    page.click("#org-switcher")
    who = page.locator("#whoami").inner_text()
    assert "นักทรัพยากรบุคคลชำนาญการ" in who and "เจ้าหน้าที่" in who
    page.screenshot(path=ARTIFACTS / "foundation-home-th.png", full_page=True)

    page.click("#language-switch button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Overview").is_visible()
    assert heading.inner_text() == "องค์การบริหารส่วนตำบลภูซาง"
    page.screenshot(path=ARTIFACTS / "foundation-home-en.png", full_page=True)

    page.click("#language-switch button[value=th]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_role("link", name="ภาพรวม").is_visible()
