"""Who each office is (planned for all before any is built) and its people: units, positions,
logins and the approval chain."""

import random
from collections.abc import Iterable
from datetime import timedelta

from itaportal.accounts.models import Department, Membership, Organisation, Position, Role, User
from itaportal.thai import fiscal_year_bounds
from reports.models import ApprovalChain, ChainLevel, Delegation
from reports.services.composing import HEAD_OFFICE

from .places import TAILS, Place, place_name
from .words import (
    ADMIN_TITLES, AUDITOR_TITLE, AUDIT_UNIT, DEPARTMENTS, HEALTH, KINDS, MAYOR_TITLES, PLACE_TAILS,
    STAFF_TITLES, WELFARE,
)
from .world import Context, Identity, Rows, World, choose, office_time, slug_of


def plan_identities(ctx: Context, numbers: list[int]) -> dict[int, Identity]:
    identities = {}
    for number in numbers:
        rng = random.Random(f"{ctx.seed}:{number}:identity")
        place = rng.choice(ctx.places)
        kind = choose(rng, KINDS)
        used = ctx.names_in_use.setdefault(place.province.pk, set())
        # A city municipality carries its province's name; other offices a place name, unique in the province.
        if kind == Organisation.Kind.CITY_MUNICIPALITY and place.province.name not in used:
            name, roman = place.province.name, place.name_en
        else:
            kind = Organisation.Kind.TOWN_MUNICIPALITY if kind == Organisation.Kind.CITY_MUNICIPALITY else kind
            name, roman = place_name(rng)
            while name in used:
                name, roman = place_name(rng)
                if rng.random() < 0.3:
                    tail = rng.choice(TAILS)
                    name, roman = name + tail, roman + PLACE_TAILS[tail]
        used.add(name)
        district = place.districts[0] if rng.random() < 0.25 else rng.choice(place.districts)
        identities[number] = Identity(number, place, kind, name, district, _website_host(ctx, roman, place))
    return identities


def build_organisation(ctx: Context, identity: Identity) -> World:
    number, place, host = identity.number, identity.place, identity.host
    rng = random.Random(f"{ctx.seed}:{number}")
    first_year = fiscal_year_bounds(ctx.work_years[0])[0]
    organisation = Organisation(
        slug=slug_of(number), kind=identity.kind, name=identity.name, province=place.province,
        district=identity.district, document_code=f"{place.province.abbreviation} 7{place.number:02d}{number % 100:02d}",
        website=f"https://www.{host}", email=f"saraban@{host}", is_active=True,
        created_at=office_time(first_year - timedelta(days=rng.randint(10, 60)), rng),
    )
    # Like the national ITA of local offices: most score 70–100, two in three reach 85, a tail is far below.
    quality = choose(rng, [((0.75, 1.0), 0.6), ((0.45, 0.75), 0.28), ((0.0, 0.45), 0.12)])
    return World(number=number, rng=rng, organisation=organisation, quality=rng.uniform(*quality))


def _website_host(ctx: Context, roman: str, place: Place) -> str:
    """www.<name>.go.th, with the province's letters where another office has the name (wangthongnb)."""
    host, suffix = f"{roman}.go.th", 1
    while host in ctx.websites_in_use:
        host = f"{roman}{place.abbreviation_en}{'' if suffix == 1 else suffix}.go.th"
        suffix += 1
    ctx.websites_in_use.add(host)
    return host


def build_people(ctx: Context, world: World, rows: Rows) -> None:
    """Units, positions, the people with their logins, and the approval chain (3 or 4 levels)."""
    rng, organisation = world.rng, world.organisation
    names = list(DEPARTMENTS)
    if organisation.kind != Organisation.Kind.SAO:
        names.append(HEALTH)
    if rng.random() < 0.4:
        names.append(WELFARE)
    names.append(AUDIT_UNIT)
    for order, name in enumerate(names):
        world.departments[name] = rows.add(Department(organisation_id=organisation.pk, name=name, order=order))
    head_office, audit_unit = world.departments[HEAD_OFFICE], world.departments[AUDIT_UNIT]
    four_levels = rng.random() < 0.15
    specs = [
        ("staff", rng.choice(STAFF_TITLES), head_office, False),
        ("head", "หัวหน้าสำนักปลัด", head_office, False),
        *([("deputy", "รองปลัด", None, True)] if four_levels else []),
        ("palad", "ปลัด", None, True),
        ("nayok", MAYOR_TITLES[organisation.kind] + organisation.name, None, False)
        if organisation.kind in MAYOR_TITLES else ("nayok", "นายก", None, True),
        ("admin", rng.choice(ADMIN_TITLES), head_office, False),
        ("auditor", AUDITOR_TITLE, audit_unit, False),
    ]
    for order, (login, title, department, qualified) in enumerate(specs):
        world.positions[login] = rows.add(Position(
            organisation=organisation, department=department, title=title, qualified=qualified, order=order))
    users = create_users(ctx, world, [spec[0] for spec in specs])
    roles = {"staff": Role.STAFF, "admin": Role.ADMIN, "auditor": Role.AUDITOR}
    for login, _title, department, _qualified in specs:
        world.users[login] = rows.add(users[login])
        rows.values(
            Membership, user_id=users[login].pk, organisation_id=organisation.pk,
            department_id=department.pk if department else None, position_id=world.positions[login].pk,
            role=roles.get(login, Role.EXECUTIVE), is_active=True, created_at=organisation.created_at)
    world.chain = [world.positions[login] for login in ("head", "deputy", "palad", "nayok") if login in world.positions]
    world.address_via = rng.random() < 0.3
    chain = rows.add(ApprovalChain(organisation_id=organisation.pk, kind="", address_via=world.address_via))
    for order, position in enumerate(world.chain, start=1):
        rows.values(ChainLevel, chain_id=chain.pk, order=order, position_id=position.pk)
    # Some offices have their ปลัด acted for by the head of สำนักปลัด for a while, as in reference 000.
    if rng.random() < 0.06:
        start = fiscal_year_bounds(ctx.work_years[-1])[0] + timedelta(days=rng.randint(20, 120))
        world.acting = rows.add(Delegation(
            organisation=organisation, position=world.positions["palad"], person=users["head"],
            kind=Delegation.Kind.ACTING, start=start, end=start + timedelta(days=rng.randint(30, 90)),
            note="คำสั่งให้รักษาราชการแทนปลัด", created_at=office_time(start - timedelta(days=3), rng)))


def create_users(ctx: Context, world: World, logins: Iterable[str]) -> dict[str, User]:
    """The organisation's people, `<login>.<slug>`, all with the run's one password hash (hashing each
    would take hours with argon2). The one place to extend when people need more, such as a device."""
    rng, users = world.rng, {}
    for login in logins:
        female = rng.random() < 0.55
        users[login] = User(
            username=f"{login}.{world.organisation.slug}",
            password=ctx.password_hash,
            name_prefix=rng.choice(["นาง", "นางสาว"]) if female else "นาย",
            first_name=rng.choice(ctx.female if female else ctx.male),
            last_name=rng.choice(ctx.family),
            email=f"{login}.{world.organisation.slug}@{world.organisation.website.split('www.', 1)[-1]}",
            is_active=True,
            date_joined=world.organisation.created_at,
        )
    return users
