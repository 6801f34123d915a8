"""The audit trail covers every state change: a service that writes a row writes an audit entry with it.

Every public function of every services module is found by import (so a new one is found without a
change here) and must be in one of three tables:
- CASES: run on the demo data while every SQL statement is captured. A run that INSERTs, UPDATEs or
  DELETEs a row of any table but the trail's must also INSERT into the trail, in the same transaction
  (the test's); and it must write something, or the case would prove nothing.
- READS: run, and must write nothing at all.
- ALLOWED: not run, with the reason it writes no entry of its own.
A few writers that live outside services modules (the score and plan imports) are in CASES too.

Then: every entry the cases write reads as a sentence in Thai and in English from the data its
service wrote (no action falls back to its bare name), every registered action is written by some
case (or said here why not), and every "ita.…" name in the code is a registered action or a
notification kind, so that a typo fails here and not in production.
"""

import ast
import importlib
import inspect
import pkgutil
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import Assessment, Framework, Item, ItemSuccession
from itaportal.accounts.models import Department, District, Membership, Organisation, Position, Role, User
from itaportal.audit.models import AuditEntry
from itaportal.audit.registry import ACTIONS, describe
from itaportal.notifications.registry import KINDS
from itaportal.onboarding.models import Invitation
from measures.models import Evidence, Measure, OitEntry, ReportingRound
from reports.models import Memo

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SERVICE_PACKAGES = [
    "assessments.services",
    "measures.services",
    "reports.services",
    "itaportal.accounts.services",
    "itaportal.onboarding.services",
    "itaportal.notifications.services",
]
# Writers outside the services modules, run like the services.
OTHER_WRITERS = [
    "assessments.importing.import_scores",
    "measures.excel.import_plan",
]
TRAIL = AuditEntry._meta.db_table
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
TOKEN = "coverage-test-invitation-token"
PASSWORD = "A-long-enough-passphrase-2570"


def public_services() -> dict[str, object]:
    """Every public function defined in a services module (not merely imported into one)."""
    modules = []
    for name in SERVICE_PACKAGES:
        module = importlib.import_module(name)
        modules.append(module)
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            modules.append(importlib.import_module(f"{name}.{info.name}"))
    return {
        f"{module.__name__}.{name}": function
        for module in modules
        for name, function in vars(module).items()
        if inspect.isfunction(function) and function.__module__ == module.__name__
        and not name.startswith("_")
    }


def function(path: str):
    module, _dot, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


# --- the demo data the cases use --------------------------------------------------------------


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def person(username: str) -> User:
    return User.objects.get(username=username)


def membership(username: str) -> Membership:
    return Membership.objects.select_related("organisation").get(user__username=username)


def assessment(slug: str = "phusang", year: int = 2567) -> Assessment:
    return Assessment.objects.get(organisation__slug=slug, framework__fiscal_year=year)


def measure(slug: str = "phusang", year: int = 2568, number: int = 1) -> Measure:
    return Measure.objects.get(organisation__slug=slug, fiscal_year=year, number=number)


def round_of(slug: str = "phusang", year: int = 2568, number: int = 1) -> ReportingRound:
    return ReportingRound.objects.get(organisation__slug=slug, fiscal_year=year, number=number)


def position(slug: str, title: str) -> Position:
    return Position.objects.get(organisation__slug=slug, title=title)


def item_spec(*args, **fields):
    # Imported late: assessments.framework_format imported first, before assessments.services, meets an
    # import circle (framework_format → services.errors → services/__init__ → seeds → framework_format).
    from assessments.framework_format import ItemSpec

    return ItemSpec(*args, **fields)


def spec_of(item: Item, **changes):
    return item_spec(**{
        "code": item.code, "text": item.text, "tool": item.tool.code,
        "indicator": item.indicator.number if item.indicator_id else None,
        "data_elements": item.data_elements, "provisional": item.provisional,
        "provisional_source": item.provisional_source, **changes,
    })


def editor() -> User:
    return User.objects.get(username="admin")


def draft() -> Framework:
    from assessments.services.frameworks import framework_copy

    return framework_copy(source=Framework.objects.get(fiscal_year=2570), fiscal_year=2571, user=editor())


def measure_data(source: Measure, **changes):
    from measures.services.plan import MeasureData

    values = dict(
        kind=source.kind, title=source.title, steps=[s.text for s in source.steps.order_by("order")],
        all_units=source.all_units, departments=list(source.departments.all()),
        positions=list(source.positions.all()), issues=list(source.issues.all()),
        indicators=list(source.indicators.all()), oit_items=list(source.oit_items.all()),
        monitoring=source.monitoring, planned_budget=source.planned_budget, target=source.target,
    )
    return MeasureData(**{**values, **changes})


def invitation(email: str = "somchai@example.org", slug: str = "phusang") -> Invitation:
    """A pending invitation whose link is TOKEN (the real one is only ever mailed)."""
    from itaportal.onboarding.services.invitations import invitation_create, token_hash

    made = invitation_create(organisation=org(slug), email=email, name_prefix="นาย", first_name="สมชาย",
                             last_name="ใจดี", department=None, position=None, role=Role.STAFF,
                             user=person(f"admin.{slug}"))
    Invitation.objects.filter(pk=made.pk).update(token_hash=token_hash(TOKEN))
    return Invitation.objects.get(pk=made.pk)


def composed_memo() -> Memo:
    from reports.services.composing import compose_memo

    return compose_memo(organisation=org("phusang"), membership=membership("staff.phusang"), kind="general",
                        fiscal_year=2570)


def decider(memo: Memo) -> User:
    position_id = memo.levels[memo.current_level - 1]["position_id"]
    holder = Membership.objects.get(organisation=memo.organisation, position_id=position_id, is_active=True)
    return holder.user


# --- the table ---------------------------------------------------------------------------------
# Each case prepares what it needs (not captured) and returns the call to capture.

CASES = {}


def case(path: str):
    def register(build):
        CASES[path] = build
        return build

    return register


# assessments: an office's results and analysis


@case("assessments.services.assessment_start")
def _start():
    from assessments.services import assessment_start

    year = Framework.objects.get(fiscal_year=2567)
    office = org("wangthong")
    return lambda: assessment_start(organisation=office, framework=year, user=person("staff.wangthong"))


def _scores(target: Assessment, **changes) -> dict:
    values = dict(
        published_overall=target.published_overall,
        published_level=target.published_level,
        tool_scores={s.tool: s.score for s in target.tool_scores.select_related("tool")},
        indicator_scores={s.indicator: s.score for s in target.indicator_scores.select_related("indicator")},
        item_scores={s.item: s.score for s in target.item_scores.select_related("item")},
    )
    return {**values, **changes}


@case("assessments.services.assessment_save_scores")
def _save_scores():
    from assessments.services import assessment_save_scores

    target = assessment()
    scores = _scores(target, published_overall=Decimal("97.12"))
    return lambda: assessment_save_scores(assessment=target, user=person("staff.phusang"), **scores)


@case("assessments.services.assessment_acknowledge_warning")
def _acknowledge():
    from assessments.selectors import scoreboard_of
    from assessments.services import assessment_acknowledge_warning, assessment_save_scores

    target = assessment()
    assessment_save_scores(assessment=target, user=None, **_scores(target, published_level="ต้องปรับปรุง"))
    key = scoreboard_of(target).open_warnings[0].key
    return lambda: assessment_acknowledge_warning(assessment=target, key=key, open_keys={key},
                                                  user=person("staff.phusang"))


@case("assessments.services.issue_create")
def _issue_create():
    from assessments.services import issue_create

    target = assessment()
    tool = target.framework.tools.get(code="IIT")
    return lambda: issue_create(assessment=target, title="การสื่อสารภายใน", tool=tool, items=[],
                                analysis="ผลการวิเคราะห์", kind="develop", user=person("staff.phusang"))


@case("assessments.services.issue_update")
def _issue_update():
    from assessments.services import issue_update

    issue = assessment().issues.order_by("order").first()
    return lambda: issue_update(issue=issue, title=f"{issue.title} (ปรับ)", tool=issue.tool,
                                items=list(issue.items.all()), analysis=issue.analysis, kind="urgent",
                                indicator=issue.indicator, recommendation="ข้อเสนอแนะ",
                                user=person("staff.phusang"))


@case("assessments.services.issue_delete")
def _issue_delete():
    from assessments.services import issue_delete

    issue = assessment().issues.order_by("order").last()
    return lambda: issue_delete(issue=issue, user=person("staff.phusang"))


@case("assessments.services.issue_move")
def _issue_move():
    from assessments.services import issue_move

    issue = assessment().issues.order_by("order")[1]
    return lambda: issue_move(issue=issue, offset=-1, user=person("staff.phusang"))


@case("assessments.services.analysis_carry_over")
def _carry_over():
    from assessments.services import analysis_carry_over, assessment_start

    year = Framework.objects.get(fiscal_year=2568)
    new = assessment_start(organisation=org("phusang"), framework=year, user=None)
    return lambda: analysis_carry_over(assessment=new, source=assessment(), user=person("staff.phusang"))


@case("assessments.importing.import_scores")
def _import_scores():
    from assessments.importing import OVERALL, export_rows, import_scores

    headers, rows = export_rows([assessment()])
    rows[0][headers.index(OVERALL)] = "96.50"
    table = [headers, *[["" if cell is None else str(cell) for cell in row] for row in rows]]
    return lambda: import_scores(table=table, user=person("staff.phusang"), only_organisation=org("phusang"))


# assessments: the framework editor (platform actions)


@case("assessments.services.crosswalk.crosswalk_save")
def _crosswalk():
    from assessments.services.crosswalk import UNDECIDED, crosswalk_save

    framework = Framework.objects.get(fiscal_year=2569)
    item = framework.items.order_by("order").first()
    decided = ItemSuccession.objects.filter(item=item).exists()
    decisions = {item: UNDECIDED if decided else None}
    return lambda: crosswalk_save(framework=framework, decisions=decisions, user=editor())


@case("assessments.services.frameworks.framework_copy")
def _copy():
    from assessments.services.frameworks import framework_copy

    source = Framework.objects.get(fiscal_year=2570)
    return lambda: framework_copy(source=source, fiscal_year=2571, user=editor())


@case("assessments.services.frameworks.framework_settings_save")
def _settings():
    from assessments.services.frameworks import framework_settings_save

    year = draft()
    return lambda: framework_settings_save(framework=year, user=editor(), name=f"{year.name} (ร่าง)",
                                           source=year.source, pass_mark=year.pass_mark,
                                           provisional=year.provisional,
                                           provisional_source=year.provisional_source)


@case("assessments.services.frameworks.framework_tools_save")
def _tools():
    from assessments.services.frameworks import ToolRow, framework_tools_save

    year = draft()
    tools = list(year.tools.order_by("order"))
    rows = [ToolRow(t, t.code, t.name, t.weight, t.checklist) for t in tools]
    rows[0].weight, rows[-1].weight = rows[0].weight - 5, rows[-1].weight + 5
    return lambda: framework_tools_save(framework=year, rows=rows, user=editor())


@case("assessments.services.frameworks.framework_indicators_save")
def _indicators():
    from assessments.services.frameworks import IndicatorRow, framework_indicators_save

    year = draft()
    rows = [IndicatorRow(i, i.number, f"{i.name}.", i.tool, i.parent.number if i.parent_id else "")
            for i in year.indicators.select_related("parent").order_by("order")]
    return lambda: framework_indicators_save(framework=year, rows=rows, user=editor())


@case("assessments.services.frameworks.framework_levels_save")
def _levels():
    from assessments.services.frameworks import LevelRow, framework_levels_save

    year = draft()
    rows = [LevelRow(r, r.name, r.min_overall, r.min_each_tool, not r.provisional, "คู่มือ")
            for r in year.level_rules.order_by("order")]
    return lambda: framework_levels_save(framework=year, rows=rows, user=editor())


@case("assessments.services.frameworks.item_save")
def _item_save():
    from assessments.services.frameworks import item_save

    year = draft()
    spec = item_spec(code="o99", text="ข้อมูลทดสอบ", tool="OIT")
    return lambda: item_save(framework=year, item=None, data=spec, user=editor())


@case("assessments.services.frameworks.item_delete")
def _item_delete():
    from assessments.services.frameworks import item_delete

    item = draft().items.order_by("order").last()
    return lambda: item_delete(item=item, user=editor())


@case("assessments.services.frameworks.items_replace")
def _items_replace():
    from assessments.services.frameworks import items_replace

    year = draft()
    specs = [spec_of(item) for item in year.items.select_related("tool", "indicator").order_by("order")][:-1]
    return lambda: items_replace(framework=year, items=specs, user=editor())


@case("assessments.services.frameworks.framework_publish")
def _publish():
    from assessments.services.frameworks import framework_publish

    year = draft()
    return lambda: framework_publish(framework=year, user=editor())


@case("assessments.services.frameworks.framework_unpublish")
def _unpublish():
    from assessments.services.frameworks import framework_publish, framework_unpublish

    year = framework_publish(framework=draft(), user=editor())
    return lambda: framework_unpublish(framework=year, user=editor())


@case("assessments.services.frameworks.framework_delete")
def _framework_delete():
    from assessments.services.frameworks import framework_delete

    year = draft()
    return lambda: framework_delete(framework=year, user=editor())


def _stale_seed() -> Path:
    """FY 2570 as an earlier version of its seed file left it, so that loading the file applies it."""
    from assessments.services import FRAMEWORK_DIR

    Framework.objects.filter(fiscal_year=2570).update(data_hash="an-earlier-version-of-the-file")
    return FRAMEWORK_DIR / "fy2570.yaml"


@case("assessments.services.seeds.load_framework")
def _load_framework():
    from assessments.services.seeds import load_framework

    path = _stale_seed()
    return lambda: load_framework(path=path)


@case("assessments.services.seeds.load_all_frameworks")
def _load_all():
    from assessments.services.seeds import load_all_frameworks

    _stale_seed()
    return lambda: load_all_frameworks()


# measures


@case("measures.services.plan.measure_create")
def _measure_create():
    from measures.services.plan import MeasureData, measure_create

    data = MeasureData(kind="measure", title="จัดทำคู่มือการปฏิบัติงาน", steps=["ขั้นที่หนึ่ง"],
                       all_units=True)
    return lambda: measure_create(organisation=org("phusang"), fiscal_year=2568, data=data,
                                  user=person("staff.phusang"))


@case("measures.services.plan.measure_update")
def _measure_update():
    from measures.services.plan import measure_update

    target = measure()
    data = measure_data(target, planned_budget=Decimal("15000"), monitoring="รายงานทุกไตรมาส")
    return lambda: measure_update(measure=target, data=data, user=person("staff.phusang"))


@case("measures.services.plan.measure_delete")
def _measure_delete():
    from measures.services.plan import measure_delete

    target = measure(number=8)
    return lambda: measure_delete(measure=target, user=person("staff.phusang"))


@case("measures.excel.import_plan")
def _import_plan():
    from measures.excel import import_plan

    table = [["title", "steps", "units"], ["จัดอบรมคุณธรรม", "จัดอบรม", "all"]]
    return lambda: import_plan(organisation=org("phusang"), year=2569, table=table,
                               user=person("staff.phusang"))


@case("measures.services.carry.measure_carry_forward")
def _measure_carry():
    from measures.services.carry import measure_carry_forward

    target = measure()
    return lambda: measure_carry_forward(measure=target, user=person("staff.phusang"))


@case("measures.services.plan.rounds_configure")
def _rounds():
    from measures.services.plan import rounds_configure

    return lambda: rounds_configure(organisation=org("phusang"), fiscal_year=2569, scheme="quarter",
                                    user=person("staff.phusang"))


@case("measures.services.plan.round_update_due_date")
def _due_date():
    from measures.services.plan import round_update_due_date

    target = round_of()
    return lambda: round_update_due_date(round=target, due_date=target.due_date + timedelta(days=7),
                                         user=person("staff.phusang"))


@case("measures.services.progress.round_lock")
def _lock():
    from measures.services.progress import round_lock

    return lambda: round_lock(round=round_of(), user=person("nayok.phusang"))


def _progress(**fields):
    from measures.services.progress import ActivityData, progress_save

    values = dict(measure=measure(), round=round_of(), user=person("staff.phusang"), status="in_progress",
                  outcome="ประชาชนได้รับบริการรวดเร็วขึ้น", suggestions="", budget_used=Decimal("1200"),
                  activities=[ActivityData(date(2025, 1, 15), "ประชุมชี้แจง")])
    return lambda: progress_save(**{**values, **fields})


@case("measures.services.progress.progress_save")
def _progress_save():
    return _progress()


@case("measures.services.progress.progress_save_draft")
def _progress_draft():
    from measures.services.progress import progress_save_draft

    return lambda: progress_save_draft(measure=measure(), round=round_of(), user=person("staff.phusang"),
                                       raw={"status": ["done"], "budget_used": ["หนึ่งพัน"]})


def _open_entry_of_nasom() -> tuple[Measure, ReportingRound]:
    return measure("nasom", 2566, 1), round_of("nasom", 2566, 1)


@case("measures.services.evidence.evidence_add_file")
def _evidence_file():
    from measures.services.evidence import evidence_add_file

    target, open_round = _open_entry_of_nasom()
    upload = SimpleUploadedFile("คำสั่ง.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "application/pdf")
    return lambda: evidence_add_file(measure=target, round=open_round, user=person("staff.nasom"),
                                     upload=upload)


@case("measures.services.evidence.evidence_add_link")
def _evidence_link():
    from measures.services.evidence import evidence_add_link

    target, open_round = _open_entry_of_nasom()
    return lambda: evidence_add_link(measure=target, round=open_round, user=person("staff.nasom"),
                                     url="https://www.nasom.go.th/ita/o1", title="ประกาศ")


@case("measures.services.evidence.evidence_remove")
def _evidence_remove():
    from measures.services.evidence import evidence_add_link, evidence_remove

    target, open_round = _open_entry_of_nasom()
    link = evidence_add_link(measure=target, round=open_round, user=person("staff.nasom"),
                             url="https://www.nasom.go.th/ita/o2", title="")
    return lambda: evidence_remove(evidence=Evidence.objects.get(pk=link.pk), user=person("staff.nasom"))


@case("measures.services.oit.oit_entry_save")
def _oit_save():
    from measures.services.oit import oit_entry_save

    entry = OitEntry.objects.select_related("item", "owner").filter(
        organisation__slug="nasom", item__framework__fiscal_year=2566).order_by("item__order").first()
    return lambda: oit_entry_save(organisation=org("nasom"), item=entry.item, user=person("staff.nasom"),
                                  owner=entry.owner, status=OitEntry.Status.IN_PROGRESS,
                                  url="https://www.nasom.go.th/ita/o1", note="ตรวจแล้ว")


@case("measures.services.carry.oit_checklist_carry_forward")
def _oit_carry():
    from measures.services.carry import oit_checklist_carry_forward

    # The crosswalk line of the first item, so that the carry has something to carry.
    item = OitEntry.objects.filter(organisation__slug="nasom", item__framework__fiscal_year=2566).order_by(
        "item__order").first().item
    successor = Item.objects.get(framework__fiscal_year=2567, code=item.code)
    ItemSuccession.objects.update_or_create(item=item, defaults={"successor": successor})
    return lambda: oit_checklist_carry_forward(organisation=org("nasom"), from_year=2566,
                                               user=person("staff.nasom"))


# reports


@case("reports.services.composing.compose_memo")
def _compose():
    from reports.services.composing import compose_memo

    author = membership("staff.phusang")
    return lambda: compose_memo(organisation=author.organisation, membership=author, kind="general",
                                fiscal_year=2570)


@case("reports.services.memos.memo_update_text")
def _memo_text():
    from reports.services.memos import memo_update_text

    memo = composed_memo()
    return lambda: memo_update_text(memo=memo, user=person("staff.phusang"), subject="ขอรายงานผล",
                                    background="", facts="ข้อเท็จจริง", considerations="", proposal="",
                                    closing=memo.closing)


@case("reports.services.memos.memo_submit")
def _memo_submit():
    from reports.services.memos import memo_submit, memo_update_text

    memo = memo_update_text(memo=composed_memo(), user=person("staff.phusang"), subject="ขอรายงานผล",
                            background="", facts="ข้อเท็จจริง", considerations="", proposal="", closing="")
    return lambda: memo_submit(memo=memo, user=person("staff.phusang"), override_reason="ตรวจแล้ว")


@case("reports.services.memos.memo_decide")
def _memo_decide():
    from reports.services.memos import memo_decide

    memo = Memo.objects.get(organisation__slug="phusang", kind="analysis", state=Memo.State.IN_REVIEW)
    return lambda: memo_decide(memo=memo, user=decider(memo), level=memo.current_level, action="return",
                               comment="แก้ไขตัวเลข")


@case("reports.services.memos.memo_cancel")
def _memo_cancel():
    from reports.services.memos import memo_cancel

    memo = Memo.objects.get(organisation__slug="wangthong", kind="general", state=Memo.State.IN_REVIEW)
    return lambda: memo_cancel(memo=memo, user=memo.author)


@case("reports.services.freeze.freeze_and_render")
def _freeze():
    from reports.services.freeze import freeze_and_render

    # As memo_decide leaves it, a moment before it freezes: approved, no version yet.
    memo = _memo_in_review()
    Memo.objects.filter(pk=memo.pk).update(state=Memo.State.APPROVED)
    memo.refresh_from_db()
    return lambda: freeze_and_render(memo=memo, user=decider(memo))


@case("reports.services.documents.request_draft")
def _draft():
    from reports.services.documents import request_draft

    return lambda: request_draft(organisation=org("phusang"), kind="measures", fiscal_year=2568,
                                 user=person("staff.phusang"))


@case("reports.services.config.chain_set")
def _chain_set():
    from reports.services.config import chain_set

    levels = [position("phusang", "ปลัด"), position("phusang", "นายก")]
    return lambda: chain_set(organisation=org("phusang"), kind="analysis", positions=levels, address_via=True,
                             user=person("admin.phusang"))


@case("reports.services.config.chain_remove")
def _chain_remove():
    from reports.services.config import chain_remove, chain_set

    chain_set(organisation=org("phusang"), kind="progress", positions=[position("phusang", "ปลัด")],
              address_via=False, user=person("admin.phusang"))
    return lambda: chain_remove(organisation=org("phusang"), kind="progress", user=person("admin.phusang"))


@case("reports.services.config.delegation_create")
def _delegation_create():
    from reports.services.config import delegation_create

    return lambda: delegation_create(organisation=org("phusang"), position=position("phusang", "นายก"),
                                     person=person("palad.phusang"), kind="acting", start=date(2027, 1, 4),
                                     end=date(2027, 1, 29), note="คำสั่งที่ ๑/๒๕๗๐",
                                     user=person("admin.phusang"))


@case("reports.services.config.delegation_end")
def _delegation_end():
    from reports.models import Delegation
    from reports.services.config import delegation_end

    appointment = Delegation.objects.get(organisation__slug="phusang")
    return lambda: delegation_end(delegation=appointment, user=person("admin.phusang"),
                                  on=appointment.start + timedelta(days=14))


# accounts: the office's own administration


@case("itaportal.accounts.services.organisation_update_profile")
def _profile():
    from itaportal.accounts.services import organisation_update_profile

    office = org("phusang")
    return lambda: organisation_update_profile(
        organisation=office, website="https://www.phusang.go.th/ita", email="saraban@phusang.go.th",
        document_code=office.document_code, user=person("admin.phusang"))


@case("itaportal.accounts.services.membership_update")
def _member_update():
    from itaportal.accounts.services import membership_update

    member = membership("staff.phusang")
    return lambda: membership_update(membership=member, department=member.department,
                                     position=member.position, role=Role.AUDITOR,
                                     user=person("admin.phusang"))


@case("itaportal.accounts.services.membership_deactivate")
def _deactivate():
    from itaportal.accounts.services import membership_deactivate

    return lambda: membership_deactivate(membership=membership("staff.phusang"), user=person("admin.phusang"))


@case("itaportal.accounts.services.membership_reactivate")
def _reactivate():
    from itaportal.accounts.services import membership_deactivate, membership_reactivate

    member = membership_deactivate(membership=membership("staff.phusang"), user=person("admin.phusang"))
    return lambda: membership_reactivate(membership=member, user=person("admin.phusang"))


@case("itaportal.accounts.services.membership_reset_two_step")
def _reset_two_step():
    from itaportal.accounts.services import membership_reset_two_step

    TOTPDevice.objects.create(user=person("staff.phusang"), name="phone", confirmed=True)
    member = membership("staff.phusang")
    return lambda: membership_reset_two_step(membership=member, user=person("admin.phusang"))


@case("itaportal.accounts.services.department_create")
def _department_create():
    from itaportal.accounts.services import department_create

    return lambda: department_create(organisation=org("phusang"), name="กองสวัสดิการสังคม",
                                     abbreviation="กสว.", user=person("admin.phusang"))


def _new_department() -> Department:
    from itaportal.accounts.services import department_create

    return department_create(organisation=org("phusang"), name="กองสวัสดิการสังคม", abbreviation="",
                             user=person("admin.phusang"))


@case("itaportal.accounts.services.department_update")
def _department_update():
    from itaportal.accounts.services import department_update

    unit = _new_department()
    return lambda: department_update(department=unit, name=unit.name, abbreviation="กสว.", order=unit.order,
                                     user=person("admin.phusang"))


@case("itaportal.accounts.services.department_remove")
def _department_remove():
    from itaportal.accounts.services import department_remove

    unit = _new_department()
    return lambda: department_remove(department=unit, user=person("admin.phusang"))


@case("itaportal.accounts.services.position_create")
def _position_create():
    from itaportal.accounts.services import position_create

    return lambda: position_create(organisation=org("phusang"), title="นักพัฒนาชุมชน", department=None,
                                   qualified=False, user=person("admin.phusang"))


def _new_position() -> Position:
    from itaportal.accounts.services import position_create

    return position_create(organisation=org("phusang"), title="นักพัฒนาชุมชน", department=None,
                           qualified=False, user=person("admin.phusang"))


@case("itaportal.accounts.services.position_update")
def _position_update():
    from itaportal.accounts.services import position_update

    post = _new_position()
    return lambda: position_update(position=post, title="นักพัฒนาชุมชนชำนาญการ", department=None,
                                   qualified=False, order=post.order, user=person("admin.phusang"))


@case("itaportal.accounts.services.position_remove")
def _position_remove():
    from itaportal.accounts.services import position_remove

    post = _new_position()
    return lambda: position_remove(position=post, user=person("admin.phusang"))


# onboarding


@case("itaportal.onboarding.services.invitations.invitation_create")
def _invite():
    from itaportal.onboarding.services.invitations import invitation_create

    return lambda: invitation_create(organisation=org("phusang"), email="somchai@example.org",
                                     name_prefix="นาย", first_name="สมชาย", last_name="ใจดี", department=None,
                                     position=None, role=Role.STAFF, user=person("admin.phusang"))


@case("itaportal.onboarding.services.invitations.invitation_resend")
def _resend():
    from itaportal.onboarding.services.invitations import invitation_resend

    pending = invitation()
    return lambda: invitation_resend(invitation=pending, user=person("admin.phusang"))


@case("itaportal.onboarding.services.invitations.invitation_revoke")
def _revoke():
    from itaportal.onboarding.services.invitations import invitation_revoke

    pending = invitation()
    return lambda: invitation_revoke(invitation=pending, user=person("admin.phusang"))


@case("itaportal.onboarding.services.invitations.invitation_accept")
def _accept():
    from itaportal.onboarding.services.invitations import invitation_accept

    invitation()
    return lambda: invitation_accept(token=TOKEN, password=PASSWORD)


@case("itaportal.onboarding.services.invitations.invitation_join")
def _join():
    from itaportal.onboarding.services.invitations import invitation_join

    someone = person("staff.nasom")
    User.objects.filter(pk=someone.pk).update(email="staff@nasom.go.th")
    invitation(email="staff@nasom.go.th")
    return lambda: invitation_join(token=TOKEN, user=person("staff.nasom"))


@case("itaportal.onboarding.services.offices.organisation_register")
def _register():
    from itaportal.onboarding.services.offices import FirstAdmin, organisation_register

    admin = FirstAdmin(name_prefix="นาง", first_name="สมศรี", last_name="มีสุข", email="somsri@maechai.go.th")
    return lambda: organisation_register(kind="sao", name="แม่ใจ", district=maechai(), province=None,
                                         document_code="พย ๗๒๕๐๑", website="https://www.maechai.go.th",
                                         email="", admin=admin, user=editor())


# Other paths of services in CASES, whose actions no case above reaches; checked the same way.
VARIANTS = {}


def variant(name: str):
    def register(build):
        VARIANTS[name] = build
        return build

    return register


def _memo_in_review() -> Memo:
    return Memo.objects.get(organisation__slug="phusang", kind="analysis", state=Memo.State.IN_REVIEW)


@variant("memo_decide forwards a level")
def _forward():
    from reports.services.memos import memo_decide

    memo = _memo_in_review()
    if memo.current_level == len(memo.levels):
        pytest.skip("the demo memo waits at its last level")
    return lambda: memo_decide(memo=memo, user=decider(memo), level=memo.current_level, action="approve")


@variant("memo_decide approves at the last level")
def _approve():
    from reports.services.memos import memo_decide

    memo = _memo_in_review()
    while memo.current_level < len(memo.levels):
        memo = memo_decide(memo=memo, user=decider(memo), level=memo.current_level, action="approve")
    return lambda: memo_decide(memo=memo, user=decider(memo), level=memo.current_level, action="approve",
                               comment="ทราบ เห็นชอบ")


@variant("memo_decide rejects")
def _reject():
    from reports.services.memos import memo_decide

    memo = _memo_in_review()
    return lambda: memo_decide(memo=memo, user=decider(memo), level=memo.current_level, action="reject",
                               comment="ไม่เห็นชอบ")


@variant("item_save changes an item")
def _item_change():
    from assessments.services.frameworks import item_save

    year = draft()
    item = year.items.select_related("tool", "indicator").order_by("order").first()
    spec = spec_of(item, text=f"{item.text} (แก้ไข)")
    return lambda: item_save(framework=year, item=item, data=spec, user=editor())


@variant("progress_save autosaved as typed")
def _autosave():
    _progress()()
    return _progress(outcome="พิมพ์ต่อ", autosave=True)


# --- what writes nothing, and what writes no entry of its own ----------------------------------

def year_2570() -> Framework:
    return Framework.objects.get(fiscal_year=2570)


def maechai() -> District:
    return District.objects.get(code="5607")


# Each: the arguments to call it with, as (positional, keyword).
READS = {
    "assessments.services.figure": lambda: ((Decimal("99.9"),), {}),
    "assessments.services.frameworks.framework_in_use": lambda: ((year_2570(),), {}),
    "assessments.services.frameworks.publish_problems": lambda: ((year_2570(),), {}),
    "measures.services.oit.oit_year_items": lambda: ((2566,), {}),
    "measures.services.plan.default_rounds": lambda: ((2570, "half"), {}),
    "reports.services.composing.render_part": lambda: (
        ("analysis", "subject", {"organisation": org("phusang"), "fiscal_year": 2568}), {}),
    "reports.services.composing.issuing_department": lambda: ((org("phusang"), membership("staff.phusang")), {}),
    "reports.services.composing.thai_list": lambda: ((["ผลการดำเนินการ", "ผลลัพธ์"],), {}),
    "reports.services.composing.report_parts": lambda: (
        ({"summary": True, "outcome": False, "suggestions": True},), {}),
    "reports.services.composing.oit_recorded": lambda: ((org("nasom"), 2566), {}),
    "itaportal.accounts.services.own_position_title": lambda: ((person("staff.phusang"), org("phusang")), {}),
    "itaportal.accounts.services.same_office_or_error": lambda: (
        (org("phusang"), None, position("phusang", "ปลัด")), {}),
    "itaportal.accounts.services.lock_organisation": lambda: ((org("phusang"),), {}),
    "itaportal.accounts.services.references_to": lambda: ((position("phusang", "ปลัด"),), {}),
    "itaportal.accounts.services.check_code_matches_province": lambda: (
        (org("phusang").document_code, org("phusang")), {}),
    "itaportal.onboarding.services.invitations.normalised_email": lambda: ((" Somchai@Example.ORG ",), {}),
    "itaportal.onboarding.services.invitations.check_not_a_member": lambda: (
        (org("phusang"), "nobody@example.org"), {}),
    "itaportal.onboarding.services.invitations.refusal": lambda: ((None,), {}),
    "itaportal.onboarding.services.invitations.existing_account": lambda: (("nobody@example.org",), {}),
    "itaportal.onboarding.services.invitations.needs_two_step": lambda: ((Invitation(role=Role.ADMIN),), {}),
    "itaportal.onboarding.services.offices.place_name": lambda: (("sao", "อบต.แม่ใจ"), {}),
    "itaportal.onboarding.services.offices.new_slug": lambda: (
        ("sao", "https://www.maechai.go.th", maechai(), None), {}),
    "itaportal.onboarding.services.offices.duplicate_of": lambda: (("sao", "แม่ใจ", maechai(), None), {}),
}


ALLOWED = {
    "assessments.services.frameworks.record": "writes the framework editor's entry itself, and nothing else",
    "measures.services.record": "writes the measures app's entry itself, and nothing else",
    "assessments.services.frameworks.write_structure": (
        "a step of framework_copy and load_framework, whose entries (ita.framework.created/seeded) cover it"),
    "assessments.services.frameworks.apply_header": "sets fields of an instance its caller saves and records",
    "assessments.services.frameworks.item_fields": "computes the values of an item's fields; no database",
    "assessments.services.frameworks.item_problems": "checks an item against the rule; touches no database",
    "measures.services.evidence.sanitise_name": "cleans a file name; touches no database",
    "measures.services.evidence.detect_kind": "reads the bytes of an upload; touches no database",
    "reports.services.memos.allocate_number": (
        "a step of memo_submit, whose entry ita.memo.submitted records the number it takes"),
    "reports.services.notify.notify_level": (
        "tells the deciders of a level that a memo waits (a notification): the change it tells of is audited "
        "by memo_submit or memo_decide, and the trail records changes of records, not who was told"),
    "reports.services.notify.notify_author": "tells the author of a decision that memo_decide has audited",
    "itaportal.notifications.services.notify": (
        "a message to one person about a change that its own service audits; the trail records changes of "
        "records, not messages"),
    "itaportal.notifications.services.send_notification_email": "sends a notification's mail; writes no row",
    "itaportal.notifications.services.mark_read": (
        "a person marks their own message read: no record of the office changes and nobody else sees it, "
        "and an entry per click would log people's reading habits"),
    "itaportal.notifications.services.mark_all_read": "as mark_read, for all of a person's messages at once",
}
# Actions that no case writes, and why: each is written outside the services, or only on a path the demo
# data cannot reach without a worker.
ACTIONS_WITHOUT_A_CASE = {
    "ita.document.rendered": "written by the render task (reports.tasks) once an approved version's PDF exists",
}


# --- capturing ---------------------------------------------------------------------------------


class Writes:
    """The tables each statement of a block INSERTs into, UPDATEs or DELETEs from."""

    def __init__(self):
        self.tables: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            self.tables.append(match.group(1).lower())
        return execute(sql, params, many, context)

    @property
    def outside_the_trail(self) -> set[str]:
        return {table for table in self.tables if table != TRAIL}


def run(call) -> tuple[Writes, list[AuditEntry]]:
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    writes = Writes()
    with connection.execute_wrapper(writes):
        call()
    return writes, list(AuditEntry.objects.filter(pk__gt=before).order_by("pk"))


def reads_as_a_sentence(entry: AuditEntry) -> list[str]:
    """The languages in which the entry does not read as a sentence (its bare action is the fallback)."""
    failed = []
    for language in ("th", "en"):
        with translation.override(language):
            text = describe(entry)
        if not text or text == entry.action or "%(" in text:
            failed.append(language)
    return failed


# --- the tests ---------------------------------------------------------------------------------


def test_every_public_service_is_in_the_table_or_says_why_not():
    found = set(public_services()) | set(OTHER_WRITERS)
    listed = set(CASES) | set(READS) | set(ALLOWED)
    missing, stale = sorted(found - listed), sorted(listed - found)
    assert not missing, f"add these services to CASES (or READS/ALLOWED with a reason): {missing}"
    assert not stale, f"these entries name no service any more: {stale}"
    assert not set(CASES) & (set(READS) | set(ALLOWED)) and not set(READS) & set(ALLOWED)


@pytest.mark.parametrize("path", [*sorted(CASES), *VARIANTS])
def test_a_service_that_writes_writes_an_audit_entry(path, media_root):
    writes, entries = run({**CASES, **VARIANTS}[path]())
    assert writes.outside_the_trail, f"{path} wrote nothing: the case proves nothing"
    assert TRAIL in writes.tables, f"{path} wrote {sorted(writes.outside_the_trail)} without an audit entry"
    for entry in entries:
        assert entry.action in ACTIONS and entry.object_id
        assert not reads_as_a_sentence(entry), f"{entry.action} does not read as a sentence from {entry.data}"


@pytest.mark.parametrize("path", sorted(READS))
def test_a_reading_service_writes_nothing(path):
    def call():
        args, kwargs = READS[path]()
        result = function(path)(*args, **kwargs)
        # A queryset is read when it is evaluated.
        return list(result) if isinstance(result, QuerySet) else result

    writes, _entries = run(call)
    assert not writes.tables, f"{path} wrote {sorted(set(writes.tables))}: give it a case in CASES"


def test_every_registered_action_is_written_by_some_case(media_root):
    """Each case in a savepoint of its own, rolled back: the actions they write together."""
    written = set()
    for build in [*CASES.values(), *VARIANTS.values()]:
        with transaction.atomic():
            _writes, entries = run(build())
            written |= {entry.action for entry in entries}
            transaction.set_rollback(True)
    missing = sorted(set(ACTIONS) - written - set(ACTIONS_WITHOUT_A_CASE))
    assert not missing, f"no case writes {missing}: add one, or say why in ACTIONS_WITHOUT_A_CASE"


def test_autosaves_are_coalesced_and_a_status_change_is_always_recorded(monkeypatch):
    from measures.services import progress

    def trail():
        entry = progress.ProgressEntry.objects.get(measure=measure(), round=round_of())
        return list(AuditEntry.objects.filter(object_type="measures.progressentry", object_id=entry.pk)
                    .order_by("pk").values_list("action", flat=True))

    _progress()()  # the report saved from its button
    _progress(outcome="พิมพ์ต่อ", autosave=True)()
    _progress(outcome="พิมพ์ต่ออีก", autosave=True)()
    function("measures.services.progress.progress_save_draft")(
        measure=measure(), round=round_of(), user=person("staff.phusang"), raw={"budget_used": ["x"]})
    assert trail() == ["ita.progress.saved", "ita.progress.autosaved"]
    _progress(status="done", autosave=True)()  # a status change is a fact of the report: recorded at once
    assert trail()[-1] == "ita.progress.saved"
    later = timezone.now() + progress.AUTOSAVE_WINDOW + timedelta(minutes=1)
    monkeypatch.setattr(progress.timezone, "now", lambda: later)
    _progress(status="done", outcome="ยังพิมพ์อยู่", autosave=True)()
    _progress(status="done", outcome="ยังพิมพ์อยู่อีก", autosave=True)()
    assert trail()[-2:] == ["ita.progress.saved", "ita.progress.autosaved"]


def _ita_names_in_the_code() -> dict[str, str]:
    """Every string literal of the apps that looks like a dotted action, with where it is."""
    names = {}
    packages = [folder for folder in ROOT.iterdir() if (folder / "__init__.py").exists() and folder.name != "tests"]
    for folder in packages:
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    if re.fullmatch(r"ita(\.[a-z_]+){2,}", node.value):
                        names.setdefault(node.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return names


def test_every_action_named_in_the_code_is_registered():
    unknown = {name: where for name, where in _ita_names_in_the_code().items()
               if name not in ACTIONS and name not in KINDS}
    assert not unknown, f"these actions are written but not registered (audit() would refuse them): {unknown}"
