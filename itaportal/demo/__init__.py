"""Demo data: the three reference organisations, loaded idempotently by `manage.py load_demo`.

Each feature adds its part as a function taking the loaded organisations by slug; running the
loader twice leaves the database as after one run.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from itaportal.accounts.models import Department, District, Membership, Organisation, Position, Province, User
from itaportal.thai import to_arabic_digits

DATA_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    organisation: str
    role: str
    position: str


def read(name: str) -> dict:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _user(username: str, password: str, **fields) -> User:
    user, _ = User.objects.update_or_create(username=username, defaults=fields)
    # Re-hashing an unchanged password on every run would only churn the table.
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _organisation(spec: dict) -> Organisation:
    province, _ = Province.objects.update_or_create(
        name=spec["province"], defaults={"abbreviation": spec["province_abbreviation"]}
    )
    district = None
    if spec["district"]:
        district, _ = District.objects.get_or_create(province=province, name=spec["district"])
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
def load_organisations() -> list[DemoLogin]:
    data = read("organisations.yaml")
    password = data["password"]
    logins = []
    superuser = _user(data["superuser"], password, is_staff=True, is_superuser=True, first_name="Platform admin")
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
            user = _user(
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


def load() -> list[DemoLogin]:
    return load_organisations()
