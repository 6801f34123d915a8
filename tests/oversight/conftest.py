"""Areas of organisations with a year's worth of facts, built through the owning apps' services where
the facts are derived (scores, rounds) and directly where only the state matters (memos, documents)."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from assessments.models import Framework
from assessments.services import assessment_save_scores, assessment_start
from itaportal.accounts.models import Department, District, Membership, Organisation, Province, User
from itaportal.audit.services import audit
from oversight.models import OversightMembership
from measures.models import Measure, ProgressEntry, ReportingRound
from measures.services.plan import rounds_configure
from reports.models import Document, Memo, MemoVersion

_serial = itertools.count(1)


@pytest.fixture
def province():
    """A province of its own with two districts, so that the demo organisations stay out of the counts.
    Its codes are outside the register's (DOPA's run to 96)."""
    made = Province.objects.create(code="98", name="ทดสอบเหนือ", abbreviation="ทน")
    District.objects.create(province=made, code="9801", name="เมืองทดสอบ")
    District.objects.create(province=made, code="9802", name="ดอยทดสอบ")
    return made


@pytest.fixture
def other_province():
    made = Province.objects.create(code="99", name="ทดสอบใต้", abbreviation="ทต")
    District.objects.create(province=made, code="9901", name="ทะเลทดสอบ")
    return made


@pytest.fixture
def make_org():
    def make(province: Province, name: str | None = None, district: str | None = "เมืองทดสอบ", kind="sao") -> Organisation:
        number = next(_serial)
        return Organisation.objects.create(
            slug=f"test-org-{number}",
            kind=kind,
            name=name or f"ทดสอบ{number:04d}",
            province=province,
            district=District.objects.get(province=province, name=district) if district else None,
        )

    return make


@pytest.fixture
def overseer():
    """A person with an oversight scope: overseer(province) or overseer(province, "ดอยทดสอบ")."""

    def make(province: Province, district: str | None = None, username: str | None = None) -> OversightMembership:
        user = User.objects.create_user(username or f"oversight.test{next(_serial)}", password="x")
        return OversightMembership.objects.create(
            user=user,
            province=province,
            district=District.objects.get(province=province, name=district) if district else None,
        )

    return make


@pytest.fixture
def scores():
    """Record a year's scores through the assessments service: scores(org, 2567, overall="90.00",
    tools={"IIT": "90"}, indicators={"1": "88"})."""

    def record(organisation, year, overall=None, tools=None, indicators=None, level=""):
        framework = Framework.objects.get(fiscal_year=year)
        assessment = assessment_start(organisation=organisation, framework=framework, user=None)
        by_code = {t.code: t for t in framework.tools.all()}
        by_number = {i.number: i for i in framework.indicators.all()}
        assessment_save_scores(
            assessment=assessment,
            user=None,
            published_overall=None if overall is None else Decimal(overall),
            published_level=level,
            tool_scores={by_code[code]: Decimal(value) for code, value in (tools or {}).items()},
            indicator_scores={by_number[number]: Decimal(value) for number, value in (indicators or {}).items()},
            item_scores={},
        )
        return assessment

    return record


@pytest.fixture
def rounds():
    """The two half-year rounds of the year, through the measures service; `due` and `locked` per round."""

    def make(organisation, year, due=(None, None), locked=(False, False)) -> list[ReportingRound]:
        made = rounds_configure(organisation=organisation, fiscal_year=year, scheme="half")
        for round, due_date, is_locked in zip(made, due, locked):
            if due_date:
                round.due_date = due_date
            if is_locked:
                round.locked_at = timezone.now()
            round.save()
        return made

    return make


@pytest.fixture
def measure():
    def make(organisation, year, start: date, end: date) -> Measure:
        return Measure.objects.create(
            organisation=organisation,
            fiscal_year=year,
            number=Measure.objects.filter(organisation=organisation, fiscal_year=year).count() + 1,
            title="มาตรการทดสอบ",
            start_date=start,
            end_date=end,
        )

    return make


@pytest.fixture
def entry():
    def make(measure, round, status=ProgressEntry.Status.IN_PROGRESS) -> ProgressEntry:
        return ProgressEntry.objects.create(measure=measure, round=round, status=status)

    return make


def _author(organisation) -> tuple[User, Department]:
    department, _ = Department.objects.get_or_create(organisation=organisation, name="สำนักปลัด")
    user, _ = User.objects.get_or_create(username=f"staff.{organisation.slug}", defaults={"first_name": "ลับ"})
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": "staff"})
    return user, department


@pytest.fixture
def memo():
    """A memo in a state; an in-review one waits since `since` (its last trail entry that moved it)."""

    def make(organisation, year, state=Memo.State.IN_REVIEW, since: datetime | None = None,
             subject="เรื่องลับเฉพาะของหน่วยงาน") -> Memo:
        author, department = _author(organisation)
        made = Memo.objects.create(
            organisation=organisation, kind="general", fiscal_year=year, department=department,
            subject=subject, facts="ข้อเท็จจริงลับ", author=author, author_position="นักจัดการงานทั่วไป",
            state=state, levels=[{"position_id": 0, "title": "ปลัด"}], current_level=1, review=1,
        )
        if state == Memo.State.IN_REVIEW:
            with mock.patch("django.utils.timezone.now", return_value=since or timezone.now()):
                audit(organisation=organisation, action="ita.memo.submitted", target=made, actor=author)
        return made

    return make


@pytest.fixture
def document(memo):
    """A rendered document of an approved memo (approved=True), or of a memo in another state."""

    def make(organisation, year, approved=True, ready=True) -> Document:
        source = memo(organisation, year, state=Memo.State.APPROVED if approved else Memo.State.REJECTED)
        version = MemoVersion.objects.create(memo=source, content={}, sha256=f"{next(_serial):064x}")
        return Document.objects.create(
            organisation=organisation, kind=Document.Kind.MEMO, version=version,
            content_hash=f"{next(_serial):064x}",
            state=Document.State.READY if ready else Document.State.FAILED,
        )

    return make


@pytest.fixture
def long_ago():
    return lambda days: timezone.now() - timedelta(days=days)
