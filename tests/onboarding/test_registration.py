"""Registering offices, one on the page or many from a file: the standard setup, every rule of the
register, and a file with one bad row registers nothing."""

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from itaportal.accounts.models import Department, District, Organisation, Position, Province, Role, User
from itaportal.accounts.services import AdministrationError
from itaportal.audit.models import AuditEntry
from itaportal.onboarding.importing import import_offices
from itaportal.onboarding.models import Invitation
from itaportal.onboarding.services.offices import FirstAdmin, organisation_register
from reports.models import ApprovalChain

pytestmark = pytest.mark.django_db
ADMIN = FirstAdmin(name_prefix="นาง", first_name="สมศรี", last_name="มีสุข", email="somsri@maechai.go.th")


@pytest.fixture
def platform_admin():
    return User.objects.get(username="admin")


def register(platform_admin, **overrides):
    arguments = {"kind": "sao", "name": "แม่ใจ", "district": District.objects.get(code="5607"), "province": None,
                 "document_code": "พย ๗๒๕๐๑", "website": "https://www.maechai.go.th", "email": "", "admin": ADMIN,
                 "user": platform_admin, **overrides}
    return organisation_register(**arguments)


def test_a_new_office_starts_with_its_standard_units_positions_chain_and_an_invited_admin(
        platform_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        office = register(platform_admin)
    assert (office.full_name, office.slug, office.province.name, office.document_code) == (
        "องค์การบริหารส่วนตำบลแม่ใจ", "maechai", "พะเยา", "พย 72501")
    departments = list(Department.objects.filter(organisation=office).values_list("name", "abbreviation"))
    assert departments[0] == ("สำนักปลัด", "") and ("กองการศึกษา ศาสนาและวัฒนธรรม", "กองการศึกษาฯ") in departments
    palad = Position.objects.get(organisation=office, title="ปลัด")
    assert palad.qualified and palad.full_title == "ปลัดองค์การบริหารส่วนตำบลแม่ใจ"
    assert Position.objects.get(organisation=office, title="หัวหน้าสำนักปลัด").department.name == "สำนักปลัด"
    chain = ApprovalChain.objects.get(organisation=office, kind="")
    assert [level.position.title for level in chain.levels.order_by("order")] == ["หัวหน้าสำนักปลัด", "ปลัด", "นายก"]
    invitation = Invitation.objects.get(organisation=office)
    assert (invitation.email, invitation.role, invitation.invited_by) == ("somsri@maechai.go.th", Role.ADMIN,
                                                                          platform_admin)
    assert mail.outbox[-1].to == ["somsri@maechai.go.th"]
    entry = AuditEntry.objects.get(action="ita.office.registered", organisation=office)
    assert entry.actor == platform_admin and "สมศรี" in entry.data["admin"]
    assert AuditEntry.objects.filter(action="ita.chain.changed", organisation=office).exists()


@pytest.mark.parametrize("kind, first_unit, head", [
    ("tambon_municipality", "สำนักปลัดเทศบาล", "หัวหน้าสำนักปลัดเทศบาล"),
    ("town_municipality", "สำนักปลัดเทศบาล", "ผู้อำนวยการสำนักปลัดเทศบาล"),
])
def test_municipalities_start_with_their_own_units(platform_admin, kind, first_unit, head):
    office = register(platform_admin, kind=kind, website="")
    assert Department.objects.filter(organisation=office).first().name == first_unit
    chain = ApprovalChain.objects.get(organisation=office, kind="")
    assert chain.levels.order_by("order").first().position.title == head
    assert Department.objects.get(organisation=office, name=first_unit).abbreviation == "สำนักปลัด"
    mayor = chain.levels.order_by("order").last().position
    assert mayor.full_title == f"นายกเทศมนตรี{office.FULL_PREFIX[kind].removeprefix('เทศบาล')}แม่ใจ"


def test_a_provincial_office_takes_its_provinces_name_and_needs_no_district(platform_admin):
    office = register(platform_admin, kind="pao", name="", district=None, province=Province.objects.get(code="56"),
                      website="")
    assert office.full_name == "องค์การบริหารส่วนจังหวัดพะเยา" and office.district is None


def test_the_kind_typed_with_the_name_is_understood(platform_admin):
    assert register(platform_admin, name="อบต. แม่ใจ").name == "แม่ใจ"


@pytest.mark.parametrize("overrides, field", [
    ({"district": None, "province": None}, "district"),
    ({"province": "ลพบุรี"}, "district"),
    ({"document_code": "72501 พย"}, "document_code"),
    ({"document_code": "ลบ 72501"}, "document_code"),
    ({"admin": FirstAdmin("", "", "", "somsri@maechai.go.th")}, "admin_first_name"),
    ({"kind": "county"}, "kind"),
    ({"admin": FirstAdmin("", "สมศรี", "", "somsri@")}, "admin_email"),
    ({"website": "not a site"}, "website"),
])
def test_bad_input_names_its_field_and_saves_nothing(platform_admin, overrides, field):
    if overrides.get("province") == "ลพบุรี":
        overrides["province"] = Province.objects.get(name="ลพบุรี")
    offices = Organisation.objects.count()
    with pytest.raises(AdministrationError) as refused:
        register(platform_admin, **overrides)
    assert refused.value.field == field, str(refused.value)
    assert Organisation.objects.count() == offices and not Invitation.objects.exists()


def test_a_duplicate_same_kind_name_and_district_is_refused(platform_admin):
    register(platform_admin)
    with pytest.raises(AdministrationError, match="already registered") as refused:
        register(platform_admin, website="", document_code="", admin=FirstAdmin("", "ก", "", "other@example.org"))
    assert refused.value.field == "name"
    # Another kind of the same name in the same district is another office.
    assert register(platform_admin, kind="tambon_municipality", website="", document_code="",
                    admin=FirstAdmin("", "ก", "", "other@example.org")).pk


# --- the page ------------------------------------------------------------------------------------


def form_data(**overrides):
    return {"kind": "sao", "name": "แม่ใจ", "province": Province.objects.get(code="56").pk,
            "district": District.objects.get(code="5607").pk, "document_code": "พย 72501",
            "website": "https://www.maechai.go.th", "email": "saraban@maechai.go.th", "admin_prefix": "นาง",
            "admin_first_name": "สมศรี", "admin_last_name": "มีสุข", "admin_email": "somsri@maechai.go.th",
            **overrides}


def test_the_page_registers_an_office(login):
    client = login("admin")
    assert client.get("/platform/offices/new/").status_code == 200
    response = client.post("/platform/offices/new/", form_data())
    assert response.status_code == 302 and response["Location"] == "/platform/offices/"
    assert Organisation.objects.filter(name="แม่ใจ").exists()
    assert "องค์การบริหารส่วนตำบลแม่ใจ" in client.get("/platform/offices/").content.decode()


def test_a_district_of_another_province_is_refused_next_to_it_and_the_form_kept(login):
    data = form_data(province=Province.objects.get(name="ลพบุรี").pk)
    response = login("admin").post("/platform/offices/new/", data, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200 and response.context["form"].errors["district"]
    html = response.content.decode()
    assert 'value="somsri@maechai.go.th"' in html and 'value="แม่ใจ"' in html
    assert not Organisation.objects.filter(name="แม่ใจ").exists()


@pytest.mark.parametrize("username", ["admin.phusang", "staff.phusang", "nayok.phusang"])
def test_office_pages_are_not_found_by_an_office_s_people(login, username):
    client = login(username)
    for url in ["/platform/offices/", "/platform/offices/new/", "/platform/offices/import/",
                "/platform/offices/import/offices.xlsx"]:
        assert client.get(url).status_code == 404
    assert client.post("/platform/offices/new/", form_data()).status_code == 404
    assert not Organisation.objects.filter(name="แม่ใจ").exists()


def test_office_pages_reject_other_methods(login):
    client = login("admin")
    assert client.put("/platform/offices/new/").status_code == 405
    assert client.post("/platform/offices/").status_code == 405


def test_the_platform_admin_lands_on_the_offices(login):
    assert login("admin").get("/")["Location"] == "/platform/offices/"


# --- the file ------------------------------------------------------------------------------------

HEADER = ["kind", "name", "province", "district", "document_code", "website", "admin_first_name", "admin_email"]
ROWS = [
    ["อบต.", "แม่ใจ", "พะเยา", "แม่ใจ", "พย ๗๒๕๐๑", "https://www.maechai.go.th", "สมศรี", "a@maechai.go.th"],
    ["ทต", "บ้านต๋อม", "พะเยา", "เมืองพะเยา", "", "", "สมชาย", "b@bantom.go.th"],
    ["อบจ.", "", "พะเยา", "", "", "", "สมหญิง", "c@pyo.go.th"],
]


def csv_file(rows, header=HEADER) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("offices.csv", buffer.getvalue().encode("utf-8-sig"))


def xlsx_file(rows, header=HEADER) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("offices.xlsx", buffer.getvalue())


@pytest.mark.parametrize("make", [csv_file, xlsx_file])
def test_a_file_registers_every_row(platform_admin, make):
    result = import_offices(file=make(ROWS), filename=make(ROWS).name, user=platform_admin)
    assert result.errors == []
    assert [o.short_name for o in result.created] == ["อบต.แม่ใจ", "ทต.บ้านต๋อม", "อบจ.พะเยา"]
    assert Invitation.objects.filter(organisation__in=result.created).count() == 3


def test_one_bad_row_registers_nothing_and_names_its_row_and_column(platform_admin):
    rows = ROWS + [["อบต.", "ดอกคำใต้", "ลพบุรี", "ดอกคำใต้", "", "", "สมใจ", "d@dokkham.go.th"]]
    offices = Organisation.objects.count()
    result = import_offices(file=csv_file(rows), filename="offices.csv", user=platform_admin)
    assert Organisation.objects.count() == offices and result.created == [] and not Invitation.objects.exists()
    assert [(e.row, e.column_letter, e.header) for e in result.errors] == [(5, "D", "district")]
    assert "ลพบุรี" in result.errors[0].message


def test_a_duplicate_within_the_file_is_refused_on_its_second_row(platform_admin):
    rows = [ROWS[0], ROWS[1], ["อบต", "แม่ใจ", "พะเยา", "5607", "", "", "สมปอง", "e@maechai.go.th"]]
    result = import_offices(file=csv_file(rows), filename="offices.csv", user=platform_admin)
    assert [(e.row, e.column_letter) for e in result.errors] == [(4, "B")]
    assert not Organisation.objects.filter(name="แม่ใจ").exists()


def test_thai_column_names_and_errors_of_the_header(platform_admin):
    thai = ["ประเภท", "ชื่อ", "จังหวัด", "อำเภอ", "รหัสหนังสือ", "เว็บไซต์", "ชื่อผู้ดูแล", "อีเมลผู้ดูแล"]
    result = import_offices(file=csv_file(ROWS[:1], thai), filename="offices.csv", user=platform_admin)
    assert result.errors == [] and result.created[0].name == "แม่ใจ"
    result = import_offices(file=csv_file(ROWS[:1], ["kind", "name", "amphoe"]), filename="x.csv",
                            user=platform_admin)
    assert (result.errors[0].row, result.errors[0].column_letter) == (1, "C")
    assert any("admin_email" in e.message for e in result.errors)


def test_the_page_lists_every_error_in_thai_and_registers_nothing(login):
    rows = [ROWS[0], ["อบต.", "ดอกคำใต้", "พะเยา", "ดอกคำใต้", "12345", "", "สมใจ", "not-an-address"]]
    response = login("admin").post("/platform/offices/import/", {"file": csv_file(rows)},
                                   HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200
    errors = response.context["errors"]
    assert [(e.row, e.column_letter) for e in errors] == [(3, "E")]
    assert not Organisation.objects.filter(name__in=["แม่ใจ", "ดอกคำใต้"]).exists()


def test_the_page_registers_a_good_file_and_the_template_downloads(login):
    client = login("admin")
    response = client.post("/platform/offices/import/", {"file": xlsx_file(ROWS)})
    assert response.status_code == 302 and Organisation.objects.filter(name="บ้านต๋อม").exists()
    template = client.get("/platform/offices/import/offices.xlsx")
    header = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows(max_row=1))]
    assert header[:4] == ["kind", "name", "province", "district"]


def test_a_file_that_is_not_a_table_gets_a_message_next_to_the_field(login):
    response = login("admin").post("/platform/offices/import/",
                                   {"file": SimpleUploadedFile("offices.pdf", b"%PDF-1.4")})
    assert response.status_code == 200 and response.context["form"].errors["file"]
