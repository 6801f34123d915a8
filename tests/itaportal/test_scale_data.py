"""Scale data (demo/scale/): what it makes holds together the way the portal's own services
and readers would have it, and a generated office's pages answer.

Generated once for the module (12 organisations × 2 years, about ten seconds with its four or five
real PDFs) inside a transaction that is rolled back at the end; each test runs in a savepoint of it.
"""

import hashlib
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from assessments.models import Assessment, Framework, IndicatorScore, ItemScore, ToolScore
from assessments.selectors import assessments_of, scoreboard_of
from demo.scale.places import ScaleError
from demo.scale.run import generate
from demo.scale.world import SLUG_PREFIX
from itaportal.accounts.models import Membership, Organisation, Role, User
from itaportal.thai import ce_year
from measures.models import Measure, OitEntry, ProgressEntry, ReportingRound
from reports.consistency import check_memo
from reports.documents import content_hash, document_content, render_html, verification
from reports.models import Document, Memo, MemoCounter
from reports.services.composing import TEXT_PARTS, compose_memo
from reports.snapshots import canonical_hash, memo_snapshot

pytestmark = pytest.mark.django_db

ORGS, YEARS, SEED = 12, 2, 7
PASSWORD = "scale-test-password"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGINS = {"staff": Role.STAFF, "head": Role.EXECUTIVE, "palad": Role.EXECUTIVE, "nayok": Role.EXECUTIVE,
          "admin": Role.ADMIN, "auditor": Role.AUDITOR}


def newest_years() -> list[int]:
    return sorted(Framework.objects.values_list("fiscal_year", flat=True))[-YEARS:]


def as_of() -> datetime:
    """Some weeks after the last work year ended: its second round is the newest, its memos in flight."""
    return datetime(ce_year(newest_years()[-1] + 1), 11, 23, 18, 0, tzinfo=ZoneInfo("Asia/Bangkok"))


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, media_root):
    with (django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=FAST_HASHERS),
          transaction.atomic()):
        report = generate(orgs=ORGS, years=YEARS, seed=SEED, batch_size=5, password=PASSWORD, now=as_of())
        yield report
        transaction.set_rollback(True)


def generated_orgs():
    return Organisation.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug")


def memos():
    return Memo.objects.filter(organisation__slug__startswith=SLUG_PREFIX)


def test_it_creates_the_organisations_with_their_years(generated):
    assert generated.created == [f"s{n:05d}" for n in range(1, ORGS + 1)]
    assert generated_orgs().count() == ORGS
    assert generated.years == newest_years() and generated.work_years == [y + 1 for y in newest_years()]
    assert Assessment.objects.filter(organisation__in=generated_orgs()).count() == ORGS * YEARS
    assert ReportingRound.objects.filter(organisation__in=generated_orgs()).count() == ORGS * YEARS * 2
    per_year = Counter(Measure.objects.filter(organisation__in=generated_orgs()).values_list("organisation", "fiscal_year"))
    assert len(per_year) == ORGS * YEARS and all(5 <= count <= 8 for count in per_year.values())
    assert ProgressEntry.objects.filter(measure__organisation__in=generated_orgs()).exists()
    assert OitEntry.objects.filter(organisation__in=generated_orgs()).exists()
    kinds = set(generated_orgs().values_list("kind", flat=True))
    assert Organisation.Kind.SAO in kinds and len(kinds) >= 2
    for organisation in generated_orgs().select_related("district", "province"):
        assert organisation.district.province_id == organisation.province_id
        assert organisation.document_code.startswith(organisation.province.abbreviation + " ")
    assert generated.counts["reports.Memo"] == memos().count()


def test_every_organisation_has_its_people_with_predictable_logins(generated):
    for organisation in generated_orgs():
        memberships = {m.user.username: m for m in Membership.objects.filter(organisation=organisation)
                       .select_related("user", "position")}
        for login, role in LOGINS.items():
            membership = memberships[f"{login}.{organisation.slug}"]
            assert membership.role == role and membership.position is not None
    user = User.objects.get(username="staff.s00001")
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        assert user.check_password(PASSWORD)
    assert user.display_name != user.username


def test_admins_and_executives_have_the_demo_key_and_each_province_an_oversight_login(generated):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from itaportal.accounts.twofactor import two_factor_required
    from oversight.models import OversightMembership

    for user in User.objects.filter(username__regex=r"\.s\d+$"):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        assert (device is not None) == two_factor_required(user), user.username
        if device:
            assert device.verify_token(totp(device.bin_key))
    provinces = set(generated_orgs().values_list("province__name", flat=True))
    scopes = OversightMembership.objects.filter(user__username__in=generated.oversight).select_related("province")
    assert sorted(s.province.name for s in scopes) == sorted(provinces)
    assert [s.user.username for s in scopes.order_by("province__name")] == generated.oversight


def test_scores_are_in_range_and_the_levels_are_the_rules(generated):
    for model in (ToolScore, IndicatorScore, ItemScore):
        scores = model.objects.filter(assessment__organisation__in=generated_orgs()).values_list("score", flat=True)
        assert scores and all(0 <= score <= 100 for score in scores)
    levels = Counter()
    for organisation in generated_orgs():
        for assessment in assessments_of(organisation):
            board = scoreboard_of(assessment)
            assert board.open_warnings == []
            assert assessment.published_overall == board.derived_overall
            assert assessment.published_level in ("", board.level.name)
            levels[board.level.name] += 1
    assert len(levels) >= 2


def test_memos_are_in_every_state_and_numbered_without_a_gap_or_twin(generated):
    states = Counter(memos().values_list("state", flat=True))
    assert {Memo.State.APPROVED, Memo.State.IN_REVIEW, Memo.State.RETURNED, Memo.State.DRAFT,
            Memo.State.CANCELLED} <= set(states)
    stuck = memos().filter(state=Memo.State.IN_REVIEW, updated_at__lt=as_of() - timedelta(days=14))
    assert stuck.exists()
    numbered = list(memos().exclude(number=None).values_list("organisation", "department", "number_year", "number"))
    assert len(numbered) == len(set(numbered))
    for counter in MemoCounter.objects.filter(organisation__in=generated_orgs()):
        numbers = sorted(n for o, d, y, n in numbered
                         if (o, d, y) == (counter.organisation_id, counter.department_id, counter.fiscal_year))
        assert numbers == list(range(1, counter.last_number + 1))
    assert not memos().filter(state=Memo.State.DRAFT).exclude(number=None).exists()


def test_some_office_has_not_reported_the_newest_round(generated):
    newest = ReportingRound.objects.filter(organisation__in=generated_orgs(), fiscal_year=generated.work_years[-1],
                                           number=2)
    silent = newest.exclude(entries__isnull=False)
    assert silent.exists() and silent.count() < newest.count()
    assert not memos().filter(round__in=silent).exists()


def test_approved_memos_froze_what_the_real_snapshot_gives(generated):
    approved = memos().filter(state=Memo.State.APPROVED, organisation__in=generated_orgs()[:4]).select_related(
        "organisation", "department", "author", "round", "version")
    assert approved.exists()
    with translation.override("th"):
        for memo in approved:
            assert memo.version.content == memo_snapshot(memo), memo.pk
            assert memo.version.sha256 == canonical_hash(memo.version.content)
    for document in Document.objects.filter(version__memo__in=approved).select_related("version"):
        assert document.content_hash == content_hash(document.kind, document_content(document), draft=False)
    locked = ReportingRound.objects.filter(memos__state=Memo.State.APPROVED, organisation__in=generated_orgs())
    assert locked.exists() and not locked.filter(locked_at=None).exists()


def test_memo_texts_are_what_the_composer_writes_from_the_records(generated):
    checked = Counter()
    for memo in memos().filter(organisation__in=generated_orgs()[:3]).select_related("organisation"):
        membership = Membership.objects.get(user=memo.author, organisation=memo.organisation)
        composed = compose_memo(organisation=memo.organisation, membership=membership, kind=memo.kind,
                                fiscal_year=memo.fiscal_year, round=memo.round,
                                assessment=memo.assessment if memo.kind == "analysis" else None)
        for part in TEXT_PARTS:
            assert getattr(memo, part) == getattr(composed, part), (memo.pk, part)
        assert (memo.assessment_id, memo.attachments) == (composed.assessment_id, composed.attachments)
        checked[memo.kind] += 1
    assert checked["analysis"] and checked["progress"]


def test_composed_texts_pass_the_consistency_check(generated):
    # The texts, as composed, agree with the records; the records themselves may disagree (a measure
    # over since the first round still unfinished in the second), which the check of the attachments
    # reports, as it would to a real office.
    for memo in memos().exclude(state=Memo.State.APPROVED).select_related("organisation"):
        assert [m for m in check_memo(memo) if not m.in_attachment] == [], memo.pk


def test_approved_documents_belong_to_approved_memos_and_have_their_file(generated):
    documents = Document.objects.filter(organisation__in=generated_orgs()).select_related("version__memo")
    assert documents.exists()
    assert set(documents.values_list("kind", flat=True)) >= {"memo", "analysis", "measures", "progress"}
    files = {}
    for document in documents:
        memo = document.version.memo
        assert memo.state == Memo.State.APPROVED and memo.organisation_id == document.organisation_id
        assert document.state == Document.State.READY
        if document.pdf.name not in files:
            with document.pdf.open("rb") as handle:
                files[document.pdf.name] = hashlib.sha256(handle.read()).hexdigest()
        assert files[document.pdf.name] == document.sha256
    assert len({d.code for d in documents}) == documents.count()
    # One real PDF per kind, shared by every document of that kind.
    assert len(files) == len(set(documents.values_list("kind", flat=True)))
    assert not Document.objects.filter(organisation__in=generated_orgs()).exclude(
        version__memo__state=Memo.State.APPROVED).exists()


def test_a_generated_approved_document_renders(generated):
    organisation = generated_orgs().last()
    for kind in ("memo", "analysis", "measures", "progress"):
        document = Document.objects.filter(organisation=organisation, kind=kind).select_related("version").first()
        html = render_html(kind, document_content(document), draft=False, verify=verification(document))
        assert organisation.full_name in html and f"/v/{document.code}/" in html


def test_a_generated_office_answers_its_pages(generated, client):
    organisation = generated_orgs().first()
    slug = organisation.slug
    client.force_login(User.objects.get(username=f"staff.{slug}"))
    assert client.get(f"/o/{slug}/").status_code == 200
    assert client.get(f"/o/{slug}/measures/").status_code == 200
    year = generated.work_years[-1]
    assert client.get(f"/o/{slug}/measures/?year={year}").status_code == 200
    round = ReportingRound.objects.get(organisation=organisation, fiscal_year=year, number=1)
    assert client.get(f"/o/{slug}/measures/{year}/rounds/{round.pk}/").status_code == 200
    assert client.get(f"/o/{slug}/oit/{generated.years[-1]}/").status_code == 200
    for memo in memos().filter(organisation=organisation):
        assert client.get(f"/o/{slug}/memos/{memo.pk}/").status_code == 200, memo.state
    client.force_login(User.objects.get(username=f"auditor.{slug}"))
    page = client.get(f"/o/{slug}/documents/")
    assert page.status_code == 200
    document = Document.objects.filter(organisation=organisation, kind="memo").first()
    assert f"/v/{document.code}/" in page.content.decode()
    download = client.get(f"/o/{slug}/documents/{document.pk}/pdf/")
    assert download.status_code == 200 and download["X-Document-SHA256"] == document.sha256
    client.logout()
    verified = client.get(f"/v/{document.code}/")
    assert verified.status_code == 200 and organisation.full_name in verified.content.decode()


def test_a_second_run_adds_nothing_and_a_larger_one_only_the_missing(generated):
    before = memos().count(), Document.objects.count(), User.objects.count()
    again = generate(orgs=ORGS, years=YEARS, seed=SEED, password=PASSWORD, now=as_of())
    assert again.created == [] and again.skipped == ORGS
    assert (memos().count(), Document.objects.count(), User.objects.count()) == before
    more = generate(orgs=ORGS + 1, years=YEARS, seed=SEED, password=PASSWORD, now=as_of())
    assert more.created == [f"s{ORGS + 1:05d}"]
    assert generated_orgs().count() == ORGS + 1
    # The new office's documents share the files already made, rather than rendering new ones.
    files = Counter(kind for kind, _name in Document.objects.filter(organisation__in=generated_orgs())
                    .order_by().values_list("kind", "pdf").distinct())
    assert set(files.values()) == {1}


def test_it_refuses_more_years_than_there_are_frameworks(generated):
    with pytest.raises(ScaleError, match="have a framework"):
        generate(orgs=ORGS + 5, years=99)
    assert generated_orgs().count() == ORGS
