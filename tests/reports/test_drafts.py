"""Draft documents from live data: asked for on a page, rendered once per content, shown to the
roles that may see unapproved data, and never verifiable."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from itaportal.accounts.models import Organisation, User
from measures.models import Measure
from reports.models import Document, Memo
from reports.services.documents import REQUEUE_AFTER, request_draft
from reports.tasks import render_document

pytestmark = pytest.mark.django_db

DRAFTS_URL = "/o/phusang/documents/drafts/"


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", result.stdout.decode("utf-8"))


@pytest.fixture
def phusang():
    return Organisation.objects.get(slug="phusang")


@pytest.fixture
def ask(phusang, django_capture_on_commit_callbacks):
    """Ask for phusang's measures table of 2568 as staff.phusang; returns the job and the renders queued."""

    def make(kind="measures", fiscal_year=2568, round=None):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            document = request_draft(organisation=phusang, kind=kind, fiscal_year=fiscal_year, round=round,
                                     user=User.objects.get(username="staff.phusang"))
        return document, len(queued)

    return make


def test_a_draft_is_rendered_once_and_unchanged_data_finds_it(ask):
    first, queued = ask()
    assert queued == 1 and first.state == Document.State.QUEUED and first.version is None
    assert first.content["measures"] and first.fiscal_year == 2568
    render_document(first.pk)
    again, queued = ask()
    assert again.pk == first.pk and queued == 0
    assert again.state == Document.State.READY
    assert Document.objects.filter(organisation=first.organisation, kind="measures", version=None).count() == 1


def test_changed_data_makes_a_new_draft(ask, phusang):
    first, _ = ask()
    render_document(first.pk)
    Measure.objects.filter(organisation=phusang, fiscal_year=2568, number=1).update(monitoring="รายงานทุกเดือน")
    changed, queued = ask()
    assert changed.pk != first.pk and queued == 1
    assert changed.content["measures"][0]["monitoring"] == "รายงานทุกเดือน"


def test_the_draft_renders_its_snapshot_not_the_data_of_render_time(ask, phusang):
    document, _ = ask()
    Measure.objects.filter(organisation=phusang, fiscal_year=2568, number=1).update(title="ชื่อที่แก้ภายหลัง")
    render_document(document.pk)
    document.refresh_from_db()
    with document.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "ชื่อที่แก้ภายหลัง" not in text and "ฉบับร่าง" in text
    assert "ตรวจสอบเอกสารนี้ได้ที่" not in text  # a draft cannot be verified: no QR code, no address


def test_a_failed_draft_is_queued_again_when_asked_for(ask):
    first, _ = ask()
    Document.objects.filter(pk=first.pk).update(state=Document.State.FAILED, error="font missing")
    again, queued = ask()
    assert again.pk == first.pk and queued == 1
    again.refresh_from_db()
    assert again.state == Document.State.QUEUED and again.error == ""


def test_a_job_lost_in_the_queue_is_sent_again_only_when_old(ask):
    first, _ = ask()
    _, queued = ask()
    assert queued == 0
    Document.objects.filter(pk=first.pk).update(created_at=timezone.now() - REQUEUE_AFTER - timedelta(seconds=1))
    _, queued = ask()
    assert queued == 1


# The page


def test_the_drafts_page_offers_each_document_of_the_data(login):
    response = login("staff.phusang").get(DRAFTS_URL)
    assert response.status_code == 200
    offered = {(o.kind, year.year, o.round) for year in response.context["years"] for o in year.options}
    assert ("analysis", 2567, None) in offered and ("measures", 2568, None) in offered
    assert all(kind != "memo" for kind, _year, _round in offered)


@pytest.mark.parametrize("username", ["staff.phusang", "head.phusang", "admin.phusang"])
def test_asking_for_a_draft_redirects_to_its_page(login, username):
    client = login(username)
    response = client.post(DRAFTS_URL, {"kind": "measures", "fiscal_year": "2568"})
    document = Document.objects.get(organisation__slug="phusang", kind="measures", version=None)
    assert response.status_code == 302 and response["Location"] == f"/o/phusang/documents/{document.pk}/"
    assert document.requested_by.username == username
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f'hx-get="/o/phusang/documents/{document.pk}/status/"' in page.content.decode()


def test_a_document_without_data_is_refused_and_nothing_is_made(login):
    response = login("staff.phusang").post(DRAFTS_URL, {"kind": "progress", "fiscal_year": "2568", "round": "9"})
    assert response.status_code == 200
    assert "There is no data for this document" in response.content.decode() or \
        "ไม่มีข้อมูล" in response.content.decode()
    assert not Document.objects.filter(organisation__slug="phusang", version=None).exists()


def test_auditors_may_not_ask_for_drafts(login):
    client = login("auditor.phusang")
    assert client.get(DRAFTS_URL).status_code == 403
    assert client.post(DRAFTS_URL, {"kind": "measures", "fiscal_year": "2568"}).status_code == 403


def test_another_organisation_gets_404_and_other_methods_405(login):
    assert login("staff.nasom").get(DRAFTS_URL).status_code == 404
    assert login("staff.phusang").put(DRAFTS_URL).status_code == 405


def test_auditors_never_see_a_draft_job(login, ask):
    document, _ = ask()
    render_document(document.pk)
    client = login("auditor.phusang")
    for suffix in ("", "status/", "pdf/"):
        assert client.get(f"/o/phusang/documents/{document.pk}/{suffix}").status_code == 404
    staff = login("staff.phusang")
    download = staff.get(f"/o/phusang/documents/{document.pk}/pdf/")
    assert download.status_code == 200 and "draft" in download["Content-Disposition"]


def test_another_organisations_document_is_404(login, ask):
    document, _ = ask()
    assert login("head.nasom").get(f"/o/nasom/documents/{document.pk}/").status_code == 404


# Verification by the code printed on approved documents


@pytest.fixture
def approved():
    document = Document.objects.get(organisation__slug="phusang", version__memo__state=Memo.State.APPROVED,
                                    kind=Document.Kind.MEMO)
    if document.state != Document.State.READY:
        render_document(document.pk)
        document.refresh_from_db()
    return document


def test_the_approved_pdf_prints_its_short_address_and_the_address_answers(client, approved):
    with approved.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "ตรวจสอบเอกสารนี้ได้ที่" in text and f"/v/{approved.code}/" in text
    response = client.get(f"/v/{approved.code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert approved.organisation.full_name in body and approved.sha256 in body
    assert approved.version.memo.subject not in body and "csrfmiddlewaretoken" not in body


def test_the_code_of_a_draft_or_an_unknown_code_answers_404_alike(client, ask):
    document, _ = ask()
    render_document(document.pk)
    draft = client.get(f"/v/{document.code}/")
    unknown = client.get("/v/2222222222/")
    assert draft.status_code == unknown.status_code == 404
    assert document.organisation.full_name not in draft.content.decode()


def test_each_attached_document_of_an_approved_memo_is_its_own_approved_pdf(approved):
    kinds = set(Document.objects.filter(version=approved.version).values_list("kind", flat=True))
    assert kinds == {"memo", *approved.version.content["documents"]}
    analysis = Document.objects.filter(version=approved.version, kind="analysis").first()
    if analysis is None:
        pytest.skip("the demo memo attaches no analysis")
    render_document(analysis.pk)
    analysis.refresh_from_db()
    with analysis.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "๙๙.๗๘" in text and "ฉบับร่าง" not in text and f"/v/{analysis.code}/" in text
