"""The contradictions the portal exists to prevent cannot be stored, whatever writes them: Model.save(),
QuerySet.update(), bulk_create() or raw SQL, and from either side of the relation (the parent moving away
from its children). The database refuses them (itaportal/accounts/consistency.py); run on SQLite (triggers)
and on PostgreSQL (composite foreign keys): DATABASE_URL=postgres://… pytest --create-db this file."""

import pytest
from django.db import IntegrityError, connection, transaction

from itaportal.accounts import consistency
from itaportal.accounts.models import Department, District, Membership, Organisation, Position

pytestmark = pytest.mark.django_db


def refused(rule: str, write) -> None:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        write()
    assert rule in str(error.value)


def raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def places():
    return {
        "phusang": Organisation.objects.get(slug="phusang"),
        "nasom": Organisation.objects.get(slug="nasom"),
        # อำเภอเมืองเชียงราย: a district of another province than ภูซาง's พะเยา.
        "chiang_rai": District.objects.get(code="5701"),
        "phu_sang": District.objects.get(code="5608"),
    }


def test_every_rule_is_in_the_database():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'f'")
            present = {name for (name,) in cursor.fetchall()}
        assert {rule.name for rule in consistency.RULES} <= present
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {name for (name,) in cursor.fetchall()}
        # A migration that rebuilds one of these tables on SQLite drops its triggers: this says so.
        parts = ("insert", "update", "parent")
        assert {f"{rule.name}_{part}" for rule in consistency.RULES for part in parts} <= present


RULE = "organisation_district_in_province"


def test_an_office_with_a_district_of_another_province_cannot_be_saved(places):
    phusang = places["phusang"]
    phusang.district = places["chiang_rai"]
    refused(RULE, phusang.save)
    refused(RULE, lambda: Organisation.objects.create(
        slug="new", name="ใหม่", province=phusang.province, district=places["chiang_rai"]
    ))
    refused(RULE, lambda: Organisation.objects.bulk_create([
        Organisation(slug="bulk", name="ใหม่", province=phusang.province, district=places["chiang_rai"])
    ]))


def test_nor_updated_into_one(places):
    phusang = places["phusang"]
    offices = Organisation.objects.filter(pk=phusang.pk)
    refused(RULE, lambda: offices.update(district=places["chiang_rai"]))
    # The other half of the pair: a province that is not the district's.
    refused(RULE, lambda: offices.update(province=places["nasom"].province))
    refused(RULE, lambda: raw("UPDATE accounts_organisation SET district_id = %s WHERE id = %s",
                              places["chiang_rai"].pk, phusang.pk))
    refused(RULE, lambda: raw(
        "INSERT INTO accounts_organisation (slug, kind, name, province_id, district_id, document_code, "
        "website, email, is_active, created_at) VALUES ('raw', 'sao', 'ดิบ', %s, %s, '', '', '', %s, %s)",
        phusang.province_id, places["chiang_rai"].pk, True, "2026-12-01 00:00:00+00:00",
    ))
    phusang.refresh_from_db()
    assert phusang.district == places["phu_sang"]


def test_a_district_cannot_move_to_another_province_under_its_offices(places):
    districts = District.objects.filter(pk=places["phu_sang"].pk)
    refused(RULE, lambda: districts.update(province=places["chiang_rai"].province))
    refused(RULE, lambda: raw("UPDATE accounts_district SET province_id = %s WHERE id = %s",
                              places["chiang_rai"].province_id, places["phu_sang"].pk))


def test_what_is_consistent_is_stored(places):
    wangthong = Organisation.objects.get(slug="wangthong")
    # No district: any province (วังทอง, an อบจ., กรุงเทพมหานคร).
    Organisation.objects.filter(pk=wangthong.pk).update(province=places["chiang_rai"].province)
    raw("UPDATE accounts_organisation SET district_id = NULL, province_id = %s WHERE id = %s",
        places["chiang_rai"].province_id, places["phusang"].pk)
    raw("UPDATE accounts_organisation SET district_id = %s WHERE id = %s",
        places["chiang_rai"].pk, places["phusang"].pk)
    # A district without offices may change (the register's loader corrects a province).
    empty = District.objects.filter(province__code="56").exclude(organisations__isnull=False).first()
    District.objects.filter(pk=empty.pk).update(province=places["chiang_rai"].province)


def foreign_department(places) -> Department:
    return places["nasom"].departments.get(name="สำนักปลัด")


def test_a_position_in_another_offices_department_cannot_be_stored(places):
    rule = "position_department_of_organisation"
    phusang, foreign = places["phusang"], foreign_department(places)
    # A unit and a position of their own, which nobody holds, so that only this rule is at stake.
    own = Department.objects.create(organisation=phusang, name="กองทดสอบ")
    position = Position.objects.create(organisation=phusang, title="ทดสอบ", department=own)
    position.department = foreign
    refused(rule, position.save)
    refused(rule, lambda: Position.objects.create(organisation=phusang, title="ใหม่", department=foreign))
    refused(rule, lambda: Position.objects.filter(pk=position.pk).update(department=foreign))
    refused(rule, lambda: Position.objects.filter(pk=position.pk).update(organisation=places["nasom"]))
    refused(rule, lambda: raw("UPDATE accounts_position SET department_id = %s WHERE id = %s",
                              foreign.pk, position.pk))
    # From the department's side: moving a unit to another office under its positions.
    refused(rule, lambda: Department.objects.filter(pk=own.pk).update(organisation=places["nasom"]))


def test_a_membership_with_another_offices_department_or_position_cannot_be_stored(places):
    phusang, nasom, foreign = places["phusang"], places["nasom"], foreign_department(places)
    membership = Membership.objects.get(user__username="staff.phusang")
    foreign_position = nasom.positions.first()
    memberships = Membership.objects.filter(pk=membership.pk)

    rule = "membership_department_of_organisation"
    membership.department = foreign
    refused(rule, membership.save)
    refused(rule, lambda: memberships.update(department=foreign))
    refused(rule, lambda: raw("UPDATE accounts_membership SET department_id = %s WHERE id = %s",
                              foreign.pk, membership.pk))

    rule = "membership_position_of_organisation"
    membership.refresh_from_db()
    membership.position = foreign_position
    refused(rule, membership.save)
    refused(rule, lambda: memberships.update(position=foreign_position))
    refused(rule, lambda: raw("UPDATE accounts_membership SET position_id = %s WHERE id = %s",
                              foreign_position.pk, membership.pk))
    # From the position's side; a position without memberships or a department may move.
    held = Position.objects.filter(pk=Membership.objects.get(pk=membership.pk).position_id)
    refused(rule, lambda: held.update(organisation=nasom))
    free = Position.objects.create(organisation=phusang, title="ว่าง")
    Position.objects.filter(pk=free.pk).update(organisation=nasom)

    # Both together, moved with the membership to the other office, are consistent.
    memberships.update(organisation=nasom, department=foreign, position=foreign_position)


def test_a_unit_or_position_deleted_leaves_its_people_without_it(places):
    """The foreign keys' SET_NULL still works under the rules."""
    phusang = places["phusang"]
    unit = Department.objects.create(organisation=phusang, name="กองทดสอบ")
    position = Position.objects.create(organisation=phusang, title="ผู้อำนวยการกองทดสอบ", department=unit)
    Membership.objects.filter(user__username="staff.phusang").update(department=unit, position=position)
    unit.delete()
    position.refresh_from_db()
    assert position.department is None
    assert Membership.objects.get(user__username="staff.phusang").department is None
    position.delete()
    assert Membership.objects.get(user__username="staff.phusang").position is None
