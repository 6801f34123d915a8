"""The office admin's own pages: members, departments, positions, profile; each change audited."""

import pytest
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.accounts.models import Department, Membership, Organisation, Position, Role, User
from itaportal.accounts.services import (
    AdministrationError,
    department_create,
    department_remove,
    department_update,
    membership_deactivate,
    membership_reactivate,
    membership_reset_two_step,
    membership_update,
    position_create,
    position_remove,
    position_update,
)
from itaportal.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """The services' messages read in English here (they are matched below); pages follow the request."""
    with translation.override("en"):
        yield


@pytest.fixture
def phusang():
    return Organisation.objects.get(slug="phusang")


@pytest.fixture
def admin():
    return User.objects.get(username="admin.phusang")


def membership(username: str) -> Membership:
    return Membership.objects.select_related("organisation", "user").get(user__username=username)


# --- services ----------------------------------------------------------------------------------


def test_changing_a_member_is_audited_with_before_and_after(phusang, admin):
    staff = membership("staff.phusang")
    position = Position.objects.get(organisation=phusang, title="นักวิเคราะห์นโยบายและแผนชำนาญการ")
    membership_update(membership=staff, department=None, position=position, role=Role.EXECUTIVE, user=admin)
    staff.refresh_from_db()
    assert (staff.position, staff.department.name, staff.role) == (position, "สำนักปลัด", Role.EXECUTIVE)
    entry = AuditEntry.objects.get(action="ita.member.changed", object_id=staff.pk)
    assert entry.actor == admin and entry.data["changes"]["role"] == ["staff", "executive"]
    assert "นักทรัพยากรบุคคลชำนาญการ" in entry.data["changes"]["position"][0]


def test_nothing_changed_writes_nothing(admin):
    staff = membership("staff.phusang")
    membership_update(membership=staff, department=staff.department, position=staff.position, role=staff.role,
                      user=admin)
    assert not AuditEntry.objects.filter(action="ita.member.changed").exists()


def test_another_offices_department_or_position_is_refused(admin):
    staff = membership("staff.phusang")
    nasom = Organisation.objects.get(slug="nasom")
    with pytest.raises(AdministrationError) as refused:
        membership_update(membership=staff, department=Department.objects.filter(organisation=nasom).first(),
                          position=None, role=Role.STAFF, user=admin)
    assert refused.value.field == "department"
    with pytest.raises(AdministrationError) as refused:
        membership_update(membership=staff, department=None, role=Role.STAFF, user=admin,
                          position=Position.objects.filter(organisation=nasom).first())
    assert refused.value.field == "position"


def test_the_last_admin_can_neither_demote_nor_deactivate_themself(admin):
    own = membership("admin.phusang")
    with pytest.raises(AdministrationError, match="only admin") as refused:
        membership_update(membership=own, department=own.department, position=own.position, role=Role.STAFF,
                          user=admin)
    assert refused.value.field == "role"
    with pytest.raises(AdministrationError, match="only admin"):
        membership_deactivate(membership=own, user=admin)
    own.refresh_from_db()
    assert own.role == Role.ADMIN and own.is_active


def test_with_a_second_admin_the_first_may_step_down(admin):
    staff = membership("staff.phusang")
    membership_update(membership=staff, department=staff.department, position=staff.position, role=Role.ADMIN,
                      user=admin)
    own = membership("admin.phusang")
    membership_update(membership=own, department=own.department, position=own.position, role=Role.STAFF,
                      user=admin)
    assert membership("admin.phusang").role == Role.STAFF


def test_deactivating_keeps_the_person_and_their_history_and_can_be_undone(admin):
    staff = membership("staff.phusang")
    membership_deactivate(membership=staff, user=admin)
    staff.refresh_from_db()
    assert not staff.is_active and User.objects.filter(username="staff.phusang").exists()
    with pytest.raises(AdministrationError, match="already inactive"):
        membership_deactivate(membership=staff, user=admin)
    membership_reactivate(membership=staff, user=admin)
    assert membership("staff.phusang").is_active
    assert list(AuditEntry.objects.filter(object_id=staff.pk, object_type="accounts.membership")
                .values_list("action", flat=True)) == ["ita.member.deactivated", "ita.member.reactivated"]


def test_resetting_two_step_removes_the_devices_of_someone_else_only(admin):
    head = membership("head.phusang")
    assert TOTPDevice.objects.filter(user=head.user).exists()
    membership_reset_two_step(membership=head, user=admin)
    assert not TOTPDevice.objects.filter(user=head.user).exists()
    with pytest.raises(AdministrationError, match="not set up"):
        membership_reset_two_step(membership=head, user=admin)
    with pytest.raises(AdministrationError):
        membership_reset_two_step(membership=membership("admin.phusang"), user=admin)
    assert AuditEntry.objects.filter(action="ita.member.two_step_reset", object_id=head.pk).count() == 1


def test_departments_are_added_renamed_and_removed_only_when_unused(phusang, admin):
    department = department_create(organisation=phusang, name="  กองสาธารณสุข  และสิ่งแวดล้อม ",
                                   abbreviation="กองสาธารณสุขฯ", user=admin)
    assert department.name == "กองสาธารณสุข และสิ่งแวดล้อม"
    assert department.order == Department.objects.filter(organisation=phusang).count() - 1
    with pytest.raises(AdministrationError) as refused:
        department_create(organisation=phusang, name="กองคลัง", abbreviation="", user=admin)
    assert refused.value.field == "name"
    with pytest.raises(AdministrationError) as refused:
        department_create(organisation=phusang, name="กองใหม่", abbreviation="กองสาธารณสุขฯ", user=admin)
    assert refused.value.field == "abbreviation"
    department_update(department=department, name="กองสาธารณสุขและสิ่งแวดล้อม", abbreviation="กองสาธารณสุขฯ",
                      order=9, user=admin)
    used = Department.objects.get(organisation=phusang, name="สำนักปลัด")
    with pytest.raises(AdministrationError, match="refer to it"):
        department_remove(department=used, user=admin)
    pk = department.pk
    department_remove(department=department, user=admin)
    assert not Department.objects.filter(pk=pk).exists()
    assert list(AuditEntry.objects.filter(object_type="accounts.department", object_id=pk)
                .values_list("action", flat=True)) == ["ita.department.created", "ita.department.changed",
                                                       "ita.department.removed"]


def test_positions_stay_in_a_department_of_their_office(phusang, admin):
    nasom_department = Department.objects.filter(organisation=Organisation.objects.get(slug="nasom")).first()
    with pytest.raises(AdministrationError) as refused:
        position_create(organisation=phusang, title="นักวิชาการเงินและบัญชี", department=nasom_department,
                        qualified=False, user=admin)
    assert refused.value.field == "department"
    finance = Department.objects.get(organisation=phusang, name="กองคลัง")
    position = position_create(organisation=phusang, title="นักวิชาการเงินและบัญชี", department=finance,
                               qualified=False, user=admin)
    with pytest.raises(AdministrationError) as refused:
        position_update(position=position, title="นักวิชาการเงินและบัญชี", department=nasom_department,
                        qualified=False, order=0, user=admin)
    assert refused.value.field == "department"
    with pytest.raises(AdministrationError, match="refer to it"):
        position_remove(position=Position.objects.get(organisation=phusang, title="ปลัด"), user=admin)
    pk = position.pk
    position_remove(position=position, user=admin)
    assert not Position.objects.filter(pk=pk).exists()


# --- views ---------------------------------------------------------------------------------------


def test_the_members_page_lists_people_invitations_and_history(login):
    html = login("admin.phusang").get("/o/phusang/members/").content.decode()
    assert "หทัยทิพย์" in html and 'id="invite-member"' in html and 'id="history-title"' in html


def test_a_member_is_changed_on_their_page(login, phusang):
    staff = membership("staff.phusang")
    position = Position.objects.get(organisation=phusang, title="นักวิเคราะห์นโยบายและแผนชำนาญการ")
    client = login("admin.phusang")
    response = client.post(f"/o/phusang/members/{staff.pk}/", {"department": "", "position": position.pk,
                                                               "role": "staff"})
    assert response.status_code == 302
    assert membership("staff.phusang").position == position
    html = client.get(f"/o/phusang/members/{staff.pk}/").content.decode()
    assert "นักวิเคราะห์นโยบายและแผนชำนาญการ" in html


def test_the_last_admin_sees_why_next_to_the_role_and_keeps_what_was_typed(login):
    own = membership("admin.phusang")
    response = login("admin.phusang").post(f"/o/phusang/members/{own.pk}/",
                                           {"department": own.department_id, "position": own.position_id,
                                            "role": "staff"}, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert '<option value="staff" selected>' in response.content.decode()
    assert membership("admin.phusang").role == Role.ADMIN


@pytest.mark.parametrize("url", ["members/{pk}/", "members/{pk}/deactivate/", "members/{pk}/reactivate/",
                                 "members/{pk}/reset-two-step/"])
def test_member_pages_check_ownership_and_role(login, url):
    staff = membership("staff.phusang")
    path = "/o/phusang/" + url.format(pk=staff.pk)
    assert login("admin.nasom").post(path).status_code == 404
    # A membership of another office under one's own slug is not found either.
    other = membership("staff.nasom")
    assert login("admin.phusang").post("/o/phusang/" + url.format(pk=other.pk)).status_code == 404
    assert login("staff.phusang").post(path).status_code == 403
    assert login("head.phusang").post(path).status_code == 403
    assert membership("staff.phusang").is_active and membership("staff.nasom").is_active


@pytest.mark.parametrize("url", ["members/{pk}/deactivate/", "members/{pk}/reactivate/",
                                 "members/{pk}/reset-two-step/", "departments/{dept}/remove/",
                                 "positions/{pos}/remove/"])
def test_actions_reject_get(login, phusang, url):
    path = "/o/phusang/" + url.format(pk=membership("staff.phusang").pk,
                                      dept=Department.objects.filter(organisation=phusang).first().pk,
                                      pos=Position.objects.filter(organisation=phusang).first().pk)
    assert login("admin.phusang").get(path).status_code == 405


@pytest.mark.parametrize("url", ["members/", "departments/", "positions/", "profile/"])
def test_pages_reject_put(login, url):
    assert login("admin.phusang").put(f"/o/phusang/{url}").status_code == 405


def test_deactivating_through_the_page(login):
    staff = membership("staff.phusang")
    response = login("admin.phusang").post(f"/o/phusang/members/{staff.pk}/deactivate/")
    assert response.status_code == 302 and not membership("staff.phusang").is_active


def test_a_department_is_added_and_a_duplicate_is_refused_next_to_the_name(login):
    client = login("admin.phusang")
    response = client.post("/o/phusang/departments/", {"name": "กองสวัสดิการสังคม", "abbreviation": "",
                                                       "order": ""})
    assert response.status_code == 302
    response = client.post("/o/phusang/departments/", {"name": "กองคลัง", "abbreviation": "กค.", "order": "3"},
                           HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert 'value="กค."' in response.content.decode()


@pytest.mark.parametrize("url", ["departments/", "positions/"])
def test_department_and_position_pages_check_ownership_and_role(login, url):
    assert login("admin.nasom").post(f"/o/phusang/{url}", {"name": "x", "title": "x"}).status_code == 404
    assert login("staff.phusang").post(f"/o/phusang/{url}", {"name": "x", "title": "x"}).status_code == 403
    assert not Department.objects.filter(name="x").exists() and not Position.objects.filter(title="x").exists()


def test_editing_another_offices_department_or_position_is_not_found(login):
    nasom = Organisation.objects.get(slug="nasom")
    client = login("admin.phusang")
    department = Department.objects.filter(organisation=nasom).first()
    position = Position.objects.filter(organisation=nasom).first()
    assert client.get(f"/o/phusang/departments/{department.pk}/").status_code == 404
    assert client.get(f"/o/phusang/positions/{position.pk}/").status_code == 404
    assert client.post(f"/o/phusang/departments/{department.pk}/remove/").status_code == 404


def test_a_position_is_added_in_a_department(login, phusang):
    finance = Department.objects.get(organisation=phusang, name="กองคลัง")
    response = login("admin.phusang").post("/o/phusang/positions/", {"title": "นักวิชาการคลัง",
                                                                     "department": finance.pk, "order": ""})
    assert response.status_code == 302
    assert Position.objects.get(organisation=phusang, title="นักวิชาการคลัง").department == finance


def test_the_profile_change_is_audited_and_shown_in_its_history(login, phusang):
    client = login("admin.phusang")
    client.post("/o/phusang/profile/", {"document_code": "พย ๗๒๔๐๑", "website": "https://www.phusang.go.th",
                                        "email": "saraban@phusang.go.th"})
    entry = AuditEntry.objects.get(action="ita.organisation.changed", organisation=phusang)
    assert entry.data["changes"]["email"] == ["", "saraban@phusang.go.th"]
    assert "saraban@phusang.go.th" in client.get("/o/phusang/profile/").content.decode()


def test_a_code_of_another_provinces_letters_is_refused(login):
    response = login("admin.phusang").post("/o/phusang/profile/", {"document_code": "นก ๗๒๔๐๑", "website": "",
                                                                   "email": ""}, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200 and response.context["form"].errors["document_code"]
