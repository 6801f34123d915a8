import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.accounts.twofactor import current_code
from tests.browser.conftest import log_in
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_an_executive_without_a_device_enrols_on_the_qr_page_then_logs_in_with_a_code(page):
    TOTPDevice.objects.filter(user__username="nayok.phusang").delete()
    refused = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and refused.append(msg.text))

    log_in(page, "nayok.phusang")
    page.wait_for_url("**/login/two-step/**")
    qr = page.locator("#totp-qr svg")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 150
    key = page.locator("#totp-key").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user__username="nayok.phusang")
    assert key in device.config_url
    page.screenshot(path=ARTIFACTS / "two-step-enrol.png", full_page=True)

    code = current_code(device)
    page.fill("input[name=code]", f"{(int(code) + 1) % 1_000_000:06d}")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("input[name=code].is-invalid").is_visible()
    assert page.locator(".invalid-feedback").first.is_visible()
    page.screenshot(path=ARTIFACTS / "two-step-enrol-wrong-code.png", full_page=True)

    # The wrong code throttled the device for a second: no waiting in a test.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None,
                                                   throttling_failure_count=0)
    page.fill("input[name=code]", current_code(device))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/o/phusang/")

    page.click("#org-switcher")
    page.click("form[action='/logout/'] button")
    page.wait_for_url("**/login/")
    log_in(page, "nayok.phusang")
    page.wait_for_url("**/o/phusang/")
    assert not refused, refused
