"""The three reference organisations with their units, positions and people (organisations.yaml),
and the platform's superuser."""

from django.db import transaction

from itaportal.accounts.models import Department, District, Membership, Organisation, Position, Province
from itaportal.thai import to_arabic_digits

from .data import DemoLogin, demo_user, read


def _organisation(spec: dict) -> Organisation:
    # Places are the national register's (migration accounts 0003 loads it), never made here.
    province = Province.objects.get(name=spec["province"])
    district = District.objects.get(province=province, name=spec["district"]) if spec["district"] else None
    organisation, _ = Organisation.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "kind": spec["kind"],
            "name": spec["name"],
            "province": province,
            "district": district,
            "document_code": to_arabic_digits(spec["document_code"]),
            "website": spec["website"],
        },
    )
    return organisation


@transaction.atomic
def load() -> list[DemoLogin]:
    data = read("organisations.yaml")
    password = data["password"]
    logins = []
    superuser = demo_user(data["superuser"], password, is_staff=True, is_superuser=True, first_name="Platform admin")
    logins.append(DemoLogin(superuser.username, password, "–", "platform superuser", "–"))
    for spec in data["organisations"]:
        organisation = _organisation(spec)
        departments = {}
        for order, name in enumerate(spec["departments"]):
            departments[name], _ = Department.objects.update_or_create(
                organisation=organisation, name=name, defaults={"order": order}
            )
        positions = {}
        for order, position in enumerate(spec["positions"]):
            positions[position["title"]], _ = Position.objects.update_or_create(
                organisation=organisation,
                title=position["title"],
                defaults={
                    "order": order,
                    "qualified": position.get("qualified", False),
                    "department": departments.get(position.get("department")),
                },
            )
        for person in spec["people"]:
            username = f"{person['login']}.{organisation.slug}"
            user = demo_user(
                username,
                password,
                name_prefix=person["prefix"],
                first_name=person["first"],
                last_name=person["last"],
            )
            position = positions[person["position"]]
            Membership.objects.update_or_create(
                user=user,
                organisation=organisation,
                defaults={
                    "role": person["role"],
                    "position": position,
                    "department": departments.get(person.get("department")),
                    "is_active": True,
                },
            )
            logins.append(DemoLogin(username, password, organisation.slug, person["role"], position.full_title))
    return logins
