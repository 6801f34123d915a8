"""One organisation, a batch, the run: `generate` (manage.py generate_scale_data), side by side in
several processes, and the oversight logins and two-step devices that follow."""

import multiprocessing
import os
import time as time_module
from base64 import b32decode
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

from assessments.models import Framework
from assessments.services import load_all_frameworks
from itaportal.accounts.models import Organisation, Province, Role, User
from oversight.models import OversightMembership
from reports.models import Document

from ..twofactor import DEMO_TOTP_KEY
from .assessments import build_assessment
from .measures import build_oit, build_plan, build_progress
from .memos import build_memos, freeze
from .people import build_organisation, build_people, plan_identities
from .places import ScaleError, assessment_years, ensure_places, read_framework
from .words import NEWEST_ROUND_CYCLE
from .world import DEFAULT_PASSWORD, SLUG_PREFIX, Context, Identity, Ids, Rows, World, Year, slug_of
from .writing import insert


def build_world(ctx: Context, identity: Identity, rows: Rows) -> World:
    number = identity.number
    world = build_organisation(ctx, identity)
    rows.add(world.organisation)
    build_people(ctx, world, rows)
    for index, year in enumerate(ctx.years):
        world.assessments[year] = build_assessment(ctx, world, rows, ctx.frameworks[year], index)
    scenario = NEWEST_ROUND_CYCLE[(number - 1) % len(NEWEST_ROUND_CYCLE)]
    for year in ctx.work_years:
        world.years[year] = Year(year, ctx.frameworks.get(year))
        build_plan(ctx, world, rows, world.years[year], world.assessments[year - 1])
        build_progress(ctx, world, rows, world.years[year], scenario if year == ctx.work_years[-1] else "")
    build_oit(ctx, world, rows)
    build_memos(ctx, world, rows, scenario)
    freeze(ctx, world, rows)
    return world


@dataclass
class Report:
    created: list[str]
    skipped: int
    counts: dict[str, int]
    years: list[int]
    work_years: list[int]
    password: str
    oversight: list[str] = field(default_factory=list)


def generate(*, orgs: int, years: int, seed: int = 1, batch_size: int = 100, password: str = DEFAULT_PASSWORD,
             now: datetime | None = None, jobs: int = 1, chunk: int = 2000,
             progress: Callable[[str], None] | None = None) -> Report:
    """Create organisations s00001…s<orgs> with their history. Those that exist already are left as
    they are (a second run adds nothing; a larger --orgs adds the missing ones).

    `jobs` processes build and write batches side by side (PostgreSQL only, and not inside a
    transaction, which other processes would not see). The first batch is made here first, so that
    the shared PDFs exist before the others start."""
    if orgs < 1 or orgs > 99999:
        raise ScaleError("--orgs must be between 1 and 99999.")
    load_all_frameworks()
    chosen = assessment_years(years)
    frameworks = {f.fiscal_year: read_framework(f) for f in Framework.objects.filter(
        fiscal_year__in=[*chosen, *[y + 1 for y in chosen]])}
    wanted = [n for n in range(1, orgs + 1)]
    existing = set(Organisation.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True))
    missing = [n for n in wanted if slug_of(n) not in existing]
    report = Report([], len(wanted) - len(missing), defaultdict(int), chosen, [y + 1 for y in chosen], password)
    if not missing:
        report.oversight = area_logins(make_password(password))
        two_factor_devices()
        return report
    names_in_use: dict[int, set[str]] = defaultdict(set)
    for province_id, name in Organisation.objects.values_list("province_id", "name"):
        names_in_use[province_id].add(name)
    ctx = Context(
        seed=seed, years=chosen, frameworks=frameworks, places=ensure_places(),
        password_hash=make_password(password), now=now or timezone.now(), names_in_use=names_in_use,
        websites_in_use={w.split("www.", 1)[-1] for w in Organisation.objects.exclude(website="").values_list(
            "website", flat=True)},
        codes_in_use=set(Document.objects.values_list("code", flat=True)),
        male=sorted(thai_male_names()), female=sorted(thai_female_names()), family=sorted(thai_family_names()),
        chunk=chunk, progress=progress,
    )
    ctx.identities = plan_identities(ctx, missing)
    batches = [missing[start:start + batch_size] for start in range(0, len(missing), batch_size)]
    if jobs > 1 and (connection.vendor != "postgresql" or connection.in_atomic_block):
        jobs = 1
    results = [run_batch(ctx, batches[0])]
    if jobs > 1 and len(batches) > 1:
        global _CHILD_CONTEXT
        _CHILD_CONTEXT = ctx
        # Children open connections of their own; one inherited from here would be shared and broken.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results += pool.imap_unordered(_run_in_child, batches[1:])
    else:
        results += (run_batch(ctx, numbers) for numbers in batches[1:])
    for numbers, counts in results:
        report.created += [slug_of(n) for n in numbers]
        for label, count in counts.items():
            report.counts[label] += count
    report.created.sort()
    report.oversight = area_logins(ctx.password_hash)
    two_factor_devices()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Until autovacuum comes round, the planner believes the tables as small as before the load and
        # hash-joins 8,000 organisations to find one person's membership (5 ms instead of 0.1 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return report


def area_logins(password_hash: str) -> list[str]:
    """One provincial oversight login per province that has generated organisations, `oversight.p01`…
    in the order of the provinces' names, so that a load scenario can pick any of them."""
    provinces = list(Province.objects.filter(organisations__slug__startswith=SLUG_PREFIX).distinct().order_by("name"))
    logins = [f"oversight.p{index:02d}" for index in range(1, len(provinces) + 1)]
    existing = set(User.objects.filter(username__in=logins).values_list("username", flat=True))
    User.objects.bulk_create([
        User(username=login, password=password_hash, first_name="กำกับ", last_name=f"จังหวัด{province.name}")
        for login, province in zip(logins, provinces) if login not in existing
    ])
    users = dict(User.objects.filter(username__in=logins).values_list("username", "pk"))
    OversightMembership.objects.bulk_create([
        OversightMembership(user_id=users[login], province=province) for login, province in zip(logins, provinces)
    ], ignore_conflicts=True)
    return logins


def two_factor_devices() -> None:
    """Generated admins and executives must log in in two steps; they get the demo's published key
    (demo/twofactor.py), so that a load scenario can compute their codes."""
    key = b32decode(DEMO_TOTP_KEY).hex()
    people = (User.objects.filter(username__regex=rf"\.{SLUG_PREFIX}\d+$", totpdevice__isnull=True,
                                  memberships__role__in=[Role.ADMIN, Role.EXECUTIVE]).distinct().values_list("pk", flat=True))
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user_id=pk, name="demo", key=key, confirmed=True) for pk in people.iterator()], batch_size=2000)


def run_batch(ctx: Context, numbers: list[int]) -> tuple[list[int], dict[str, int]]:
    """Build a batch of offices in memory, then write it in one transaction."""
    started = time_module.monotonic()
    rows = Rows(ctx.ids)
    for number in numbers:
        build_world(ctx, ctx.identities[number], rows)
    with transaction.atomic():
        insert(rows, ctx.chunk)
    if ctx.progress:
        ctx.progress(f"{slug_of(numbers[0])}–{slug_of(numbers[-1])} written in "
                     f"{time_module.monotonic() - started:.1f} s (process {os.getpid()})")
    return numbers, rows.counts()


_CHILD_CONTEXT: Context | None = None


def _run_in_child(numbers: list[int]) -> tuple[list[int], dict[str, int]]:
    ctx = _CHILD_CONTEXT
    if ctx.ids.pid != os.getpid():
        # The ids reserved before the fork are the parent's: every process reserves its own.
        ctx.ids = Ids()
    return run_batch(ctx, numbers)
