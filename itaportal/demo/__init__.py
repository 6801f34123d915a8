"""Demo data: the three reference organisations, loaded idempotently by `manage.py load_demo`.

Each feature adds its part as a function taking the loaded organisations by slug; running the
loader twice leaves the database as after one run.
"""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from itaportal.accounts import register
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


@transaction.atomic
def load_assessments() -> None:
    """The scores and analyses of the reference documents; an analysis already edited is left alone."""
    from assessments.models import Assessment, Framework
    from assessments.services import assessment_save_scores, assessment_start, issue_create, load_all_frameworks

    load_all_frameworks()
    for spec in read("assessments.yaml")["assessments"]:
        organisation = Organisation.objects.get(slug=spec["organisation"])
        framework = Framework.objects.get(fiscal_year=spec["fiscal_year"])
        assessment = Assessment.objects.filter(organisation=organisation, framework=framework).first()
        if assessment is None:
            assessment = assessment_start(organisation=organisation, framework=framework, user=None)
        tools = {t.code: t for t in framework.tools.all()}
        indicators = {i.number: i for i in framework.indicators.all()}
        items = {i.code: i for i in framework.items.all()}

        def scores(section: str, targets: dict) -> dict:
            return {targets[str(key)]: _score(value) for key, value in (spec.get(section) or {}).items()}

        assessment_save_scores(
            assessment=assessment,
            user=None,
            published_overall=_score(spec.get("published_overall")),
            published_level=spec.get("published_level", ""),
            tool_scores=scores("tools", tools),
            indicator_scores=scores("indicators", indicators),
            item_scores=scores("items", items),
        )
        if not assessment.issues.exists():
            for issue in spec.get("issues", []):
                issue_create(
                    assessment=assessment,
                    title=issue["title"],
                    tool=tools[issue["tool"]],
                    items=[items[code] for code in issue.get("items", [])],
                    analysis=issue["analysis"],
                    kind=issue["kind"],
                )


def _score(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def load() -> list[DemoLogin]:
    from itaportal.oversight import demo as oversight

    from . import measures, memos, oit, twofactor

    if not Province.objects.exists():
        # Migration 0003 loads the register, but a test that commits its data empties every table after it.
        register.load()
    logins = load_organisations()
    logins += oversight.load()
    load_assessments()
    oit.load()
    measures.load()
    memos.load()
    twofactor.load([login.username for login in logins])
    return logins
