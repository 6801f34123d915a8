"""A new office from nothing to its first submitted memo, through the portal's pages only: the platform
administrator registers it, its admin accepts the invitation (password and two-step login in one step),
adds a department, a position and four people, sets the chain; a staff member accepts and lands on the
office's home; the admin submits a first memo. Every new page is photographed at 1366 and 390 px.

The clicks, the fields filled and the time are counted and printed (the journey's summary, for the issue).
"""

import re
import time
from base64 import b32decode
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_otp.oath import TOTP

from itaportal.accounts.models import Membership, Organisation
from reports.models import Memo
from tests.browser.conftest import log_in
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PASSWORD = "Sarabun-ใบบัว-2570"
WIDE, NARROW = 1366, 390
LINK = re.compile(r"https?://[^/\s]+(/invitation/[A-Za-z0-9_-]+/)")


class Journey:
    """Counts what a person does: clicks (buttons, links, choices in a list), fields typed into, pages."""

    def __init__(self, page, name: str):
        self.page, self.name = page, name
        self.clicks = self.fields = 0
        self.shooting = 0.0
        self.too_wide: list[str] = []  # pages that scroll sideways on a phone

    def click(self, selector: str) -> None:
        self.clicks += 1
        self.page.click(selector)
        self.page.wait_for_load_state()

    def fill(self, selector: str, value: str) -> None:
        self.fields += 1
        self.page.fill(selector, value)

    def choose(self, selector: str, **option) -> None:
        # Opening a list and picking an entry: two clicks for a person.
        self.clicks += 2
        self.page.select_option(selector, **option)

    def check(self, selector: str) -> None:
        self.clicks += 1
        self.page.check(selector)

    def goto(self, url: str) -> None:
        """Following a link from an e-mail: one click."""
        self.clicks += 1
        self.page.goto(url)

    def shoot(self, name: str) -> None:
        """The page at both widths, full length; the time it takes is not the journey's."""
        started = time.monotonic()
        for width in (WIDE, NARROW):
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.screenshot(path=ARTIFACTS / f"onboarding-{name}-{width}.png", full_page=True)
            if width == NARROW and self.page.evaluate("document.documentElement.scrollWidth > innerWidth"):
                self.too_wide.append(name)
        self.page.set_viewport_size({"width": WIDE, "height": 900})
        self.shooting += time.monotonic() - started


@pytest.fixture
def new_context(browser, live_server, demo):
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="th-TH",
                                      viewport={"width": WIDE, "height": 900})
        contexts.append(context)
        page = context.new_page()
        refused = []
        page.on("console", lambda msg: "Content Security Policy" in msg.text and refused.append(msg.text))
        page.csp_refusals = refused
        return page

    yield make
    for context in contexts:
        context.close()


def invitation_path(address: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    return LINK.search(message.body).group(1)


def code_from_page(page) -> str:
    key = b32decode(page.locator("#totp-key").inner_text().replace(" ", ""))
    return f"{TOTP(key).token():06d}"


def test_a_new_office_goes_from_nothing_to_its_first_submitted_memo(new_context):
    started = time.monotonic()
    journeys = []

    # --- the platform administrator registers the office --------------------------------------
    page = new_context()
    platform = Journey(page, "platform")
    journeys.append(platform)
    log_in(page, "admin")
    platform.clicks += 2  # the login's two buttons, filled as three fields
    platform.fields += 3
    assert urlsplit(page.url).path == "/platform/offices/"
    platform.shoot("office-list")
    platform.click("#register-office")
    platform.choose("#id_kind", value="sao")
    platform.fill("#id_name", "แม่ใจ")
    platform.choose("#id_province", label="พะเยา")
    # The district list shows the districts of พะเยา only.
    visible = page.locator("#id_district optgroup:not([hidden])")
    assert visible.count() == 1 and visible.get_attribute("label") == "พะเยา"
    platform.choose("#id_district", label="อำเภอแม่ใจ")
    platform.fill("#id_document_code", "พย 72501")
    platform.fill("#id_website", "https://www.maechai.go.th")
    platform.fill("#id_admin_prefix", "นาง")
    platform.fill("#id_admin_first_name", "สมศรี")
    platform.fill("#id_admin_last_name", "มีสุข")
    platform.fill("#id_admin_email", "somsri@maechai.go.th")
    platform.shoot("office-new")
    platform.click("#office-form button[type=submit]")
    assert urlsplit(page.url).path == "/platform/offices/"
    assert page.locator("#offices").get_by_text("องค์การบริหารส่วนตำบลแม่ใจ").count() == 1
    office = Organisation.objects.get(name="แม่ใจ")
    # A detour, not counted: a file with a bad row registers nothing and names the row and column.
    page.goto("/platform/offices/import/")
    platform.shoot("office-import")
    rows = ("kind,name,province,district,admin_first_name,admin_email\n"
            "อบต.,ดอกคำใต้,พะเยา,ดอกคำใต้,สมใจ,somjai@dokkham.go.th\n"
            "อบต.,บ้านถ้ำ,ลพบุรี,ดอกคำใต้,สมปอง,sompong@bantham.go.th\n")
    page.set_input_files("input[type=file]", files=[{"name": "offices.csv", "mimeType": "text/csv",
                                                     "buffer": rows.encode("utf-8")}])
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".alert-danger td").first.inner_text() == "3"
    assert not Organisation.objects.filter(name="ดอกคำใต้").exists()
    platform.shoot("office-import-errors")

    # --- its admin accepts: password and two-step login in one step ---------------------------
    page = new_context()
    admin = Journey(page, "admin")
    journeys.append(admin)
    admin.goto(invitation_path("somsri@maechai.go.th"))
    assert page.locator("#totp-qr svg").is_visible()
    admin.fill("#id_password1", PASSWORD)
    admin.fill("#id_password2", "another-" + PASSWORD)
    admin.fill("#id_code", code_from_page(page))
    admin.click("main form button[type=submit]")
    # The passwords differ: said next to the field, the page and its QR code kept.
    assert page.locator("#id_password2.is-invalid").is_visible()
    admin.shoot("invitation-accept-error")
    admin.fill("#id_password1", PASSWORD)
    admin.fill("#id_password2", PASSWORD)
    admin.fill("#id_code", code_from_page(page))
    admin.shoot("invitation-accept")
    admin.click("main form button[type=submit]")
    assert urlsplit(page.url).path == f"/o/{office.slug}/", page.content()[:3000]
    assert page.locator("#first-steps").is_visible()
    admin.shoot("org-home-empty")

    # A department, and a position in it.
    admin.click("#nav-main a[href$='/members/']")
    admin.shoot("members-before")
    admin.click("a[href$='/departments/']")
    admin.fill("#id_name", "กองสาธารณสุขและสิ่งแวดล้อม")
    admin.fill("#id_abbreviation", "กองสาธารณสุขฯ")
    admin.click("form:has(#id_name) [type=submit]")
    assert page.locator("#departments").get_by_text("กองสาธารณสุขและสิ่งแวดล้อม").count() == 1
    admin.shoot("departments")
    admin.click("a[href$='/positions/']")
    admin.fill("#id_title", "นักวิชาการสาธารณสุข")
    admin.choose("#id_department", label="กองสาธารณสุขและสิ่งแวดล้อม")
    admin.click("form:has(#id_title) [type=submit]")
    assert page.locator("#positions").get_by_text("นักวิชาการสาธารณสุข").count() == 1
    admin.shoot("positions")

    # Four people, each with a position.
    people = [
        ("นาง", "นภา", "ธาดา", "napa@maechai.go.th", "หัวหน้าสำนักปลัด (สำนักปลัด)", "executive"),
        ("นาย", "ภูมิ", "ใจงาม", "phum@maechai.go.th", "ปลัดองค์การบริหารส่วนตำบลแม่ใจ", "executive"),
        ("นาย", "วรา", "ฝาใจ", "wara@maechai.go.th", "นายกองค์การบริหารส่วนตำบลแม่ใจ", "executive"),
        ("นางสาว", "หทัย", "วงศ์ดี", "hathai@maechai.go.th", "นักวิชาการสาธารณสุข (กองสาธารณสุขและสิ่งแวดล้อม)",
         "staff"),
    ]
    admin.click("a[href$='/members/']")
    for number, (prefix, first, last, email, position, role) in enumerate(people):
        admin.click("#invite-member")
        if number == 0:
            admin.shoot("invitation-new")
        admin.fill("#id_name_prefix", prefix)
        admin.fill("#id_first_name", first)
        admin.fill("#id_last_name", last)
        admin.fill("#id_email", email)
        admin.choose("#id_position", label=position)
        admin.choose("#id_role", value=role)
        admin.click("main form button[type=submit]")
        assert urlsplit(page.url).path == f"/o/{office.slug}/members/"
    assert page.locator("#invitations li").count() == 4
    admin.shoot("members")

    # An address that is already invited: said next to the field, what was typed kept.
    admin.click("#invite-member")
    admin.fill("#id_first_name", "หทัย")
    admin.fill("#id_email", "HATHAI@maechai.go.th")
    admin.click("main form button[type=submit]")
    assert page.locator("#id_email.is-invalid").is_visible()
    assert page.input_value("#id_first_name") == "หทัย"
    admin.shoot("invitation-new-error")

    # The admin's own row: its page, with the history of the membership.
    page.goto(f"/o/{office.slug}/members/")
    own = Membership.objects.get(organisation=office, user__email="somsri@maechai.go.th")
    page.goto(f"/o/{office.slug}/members/{own.pk}/")
    admin.shoot("member-edit")
    page.goto(f"/o/{office.slug}/profile/")
    admin.shoot("profile")
    department = office.departments.get(name="กองสาธารณสุขและสิ่งแวดล้อม")
    page.goto(f"/o/{office.slug}/departments/{department.pk}/")
    admin.shoot("department-edit")
    position = office.positions.get(title="นักวิชาการสาธารณสุข")
    page.goto(f"/o/{office.slug}/positions/{position.pk}/")
    admin.shoot("position-edit")

    # The chain: the standard three levels, confirmed with the addressee line naming them.
    page.goto(f"/o/{office.slug}/members/")
    admin.click("a[href$='/memos/chain/']")
    # The general chain's fields carry their own ids (the kind "general memo" has a section of its own).
    assert page.input_value("#id_general_chain_level_1")
    admin.check("#id_general_chain_address_via")
    admin.click("form:has(#id_general_chain_address_via) button[type=submit]:not([name=remove])")
    assert "(ผ่าน" in page.locator("[data-addressee]").first.inner_text()
    admin.shoot("chain")

    # --- a staff member accepts and lands on the office's home ---------------------------------
    staff_page = new_context()
    staff = Journey(staff_page, "staff")
    journeys.append(staff)
    staff.goto(invitation_path("hathai@maechai.go.th"))
    assert staff_page.locator("#totp-qr").count() == 0
    staff.fill("#id_password1", PASSWORD)
    staff.fill("#id_password2", PASSWORD)
    staff.shoot("invitation-accept-staff")
    staff.click("main form button[type=submit]")
    assert urlsplit(staff_page.url).path == f"/o/{office.slug}/"
    assert "หทัย" in staff_page.locator("#whoami").inner_text()
    staff.shoot("org-home-staff")
    # The link works once.
    staff_page.goto(invitation_path("hathai@maechai.go.th"))
    assert staff_page.locator(".alert-warning").is_visible()
    staff.shoot("invitation-refused")

    # --- the admin submits the office's first memo ----------------------------------------------
    admin.click("a[href$='/memos/']")
    admin.click(f"a[href='/o/{office.slug}/memos/new/']")
    admin.check("input[name=kind][value=general]")
    admin.fill("input[name=fiscal_year]", "2570")
    admin.click("main form button.btn-primary")
    memo = Memo.objects.get(organisation=office)
    admin.click(f"a[href='/o/{office.slug}/memos/{memo.pk}/edit/']")
    admin.fill("textarea[name=subject]", "รายงานการเริ่มใช้ระบบติดตามมาตรการ ITA ของ อบต.แม่ใจ")
    admin.fill("textarea[name=facts]", "อบต.แม่ใจ ลงทะเบียนในระบบแล้ว และได้เชิญบุคลากรเข้าใช้งาน")
    admin.click("main form button.btn-primary")
    admin.click(f"form[action$='/memos/{memo.pk}/submit/'] button")
    memo.refresh_from_db()
    assert memo.state == Memo.State.IN_REVIEW and memo.number == 1
    assert "None" not in page.locator(".alert-success").inner_text()
    admin.shoot("memo-submitted")
    assert [level["title"] for level in memo.levels] == [
        "หัวหน้าสำนักปลัด", "ปลัดองค์การบริหารส่วนตำบลแม่ใจ", "นายกองค์การบริหารส่วนตำบลแม่ใจ"]

    elapsed = time.monotonic() - started
    shooting = sum(j.shooting for j in journeys)
    clicks = sum(j.clicks for j in journeys)
    fields = sum(j.fields for j in journeys)
    summary = (f"onboarding journey: {clicks} clicks and {fields} fields "
               f"({', '.join(f'{j.name} {j.clicks}/{j.fields}' for j in journeys)}), "
               f"{elapsed - shooting:.1f} s in the browser (+{shooting:.1f} s of screenshots)")
    print(summary)
    (ARTIFACTS / "onboarding-journey.txt").write_text(summary + "\n", encoding="utf-8")
    for journey in journeys:
        assert not journey.page.csp_refusals, journey.page.csp_refusals
        assert not journey.too_wide, f"wider than {NARROW} px: {journey.too_wide}"
