"""The auditors' list of approved documents: scoped to the organisation, filtered, constant in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Document, Memo, MemoVersion
from reports.snapshots import number_text
from reports.tasks import render_document

pytestmark = pytest.mark.django_db

URL = "/o/phusang/documents/"


@pytest.fixture
def approved():
    document = Document.objects.select_related("version__memo__organisation").get(
        organisation__slug="phusang", version__memo__state=Memo.State.APPROVED, kind=Document.Kind.MEMO)
    if document.state != Document.State.READY:
        render_document(document.pk)
        document.refresh_from_db()
    return document


def copies(document, count: int) -> list[Document]:
    """More ready documents of the same approved version, as if its attachments had been rendered."""
    return [
        Document.objects.create(
            organisation=document.organisation, kind=kind, version=document.version, content_hash=f"copy-{n}",
            state=Document.State.READY, sha256=f"{n:064x}", pages=n + 1,
        )
        for n, kind in zip(range(1, count + 1), ["analysis", "measures", "progress", "oit", "analysis"])
    ]


def test_the_auditor_lists_the_approved_memo_document_and_downloads_it(login, approved):
    client = login("auditor.phusang")
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    memo = approved.version.memo
    assert memo.subject in body
    assert approved.sha256 in body and approved.sha256[:16] in body
    assert f"/o/phusang/documents/{approved.pk}/pdf/" in body
    assert f"/v/{approved.code}/" in body and "<svg" in body
    assert "<style" not in body.split("<main", 1)[1]
    digits = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    assert number_text(memo).translate(digits) in body
    assert str(memo.fiscal_year).translate(digits) in body
    download = client.get(f"/o/phusang/documents/{approved.pk}/pdf/")
    assert download.status_code == 200
    assert download["X-Document-SHA256"] == approved.sha256


def test_drafts_and_failed_documents_are_not_listed(login, approved):
    waiting = Memo.objects.filter(organisation__slug="phusang").exclude(state=Memo.State.APPROVED).first()
    version = MemoVersion.objects.create(memo=waiting, content={}, sha256="1" * 64)
    Document.objects.create(organisation=approved.organisation, kind="memo", version=version,
                            content_hash="waiting", state=Document.State.READY, sha256="a" * 64)
    Document.objects.create(organisation=approved.organisation, kind="memo", version=None,
                            content_hash="draft", state=Document.State.READY, sha256="b" * 64)
    Document.objects.create(organisation=approved.organisation, kind="oit", version=approved.version,
                            content_hash="failed", state=Document.State.FAILED, sha256="c" * 64)
    body = login("auditor.phusang").get(URL).content.decode()
    assert approved.sha256 in body
    for letter in "abc":
        assert letter * 64 not in body


def test_another_organisations_documents_are_not_listed(login, approved):
    body = login("auditor.nasom").get("/o/nasom/documents/").content.decode()
    assert approved.sha256 not in body
    nasom = Document.objects.get(organisation__slug="nasom", version__memo__state=Memo.State.APPROVED,
                                 kind=Document.Kind.MEMO)
    assert nasom.sha256 in body


def test_the_auditor_of_another_organisation_gets_404(login, approved):
    client = login("auditor.nasom")
    assert client.get(URL).status_code == 404
    assert client.get(f"/o/phusang/documents/{approved.pk}/pdf/").status_code == 404
    assert client.get(f"/o/nasom/documents/{approved.pk}/pdf/").status_code == 404


@pytest.mark.parametrize("username", ["staff.phusang", "nayok.phusang", "admin.phusang"])
def test_every_role_of_the_organisation_reads_the_list(login, approved, username):
    assert login(username).get(URL).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_post_is_405(login):
    assert login("auditor.phusang").post(URL).status_code == 405


def test_filters_by_year_and_kind(login, approved):
    extra = copies(approved, 2)
    client = login("auditor.phusang")
    year = approved.version.memo.fiscal_year
    body = client.get(URL, {"kind": "analysis"}).content.decode()
    assert extra[0].sha256 in body and approved.sha256 not in body and extra[1].sha256 not in body
    body = client.get(URL, {"year": year, "kind": "memo"}).content.decode()
    assert approved.sha256 in body and extra[0].sha256 not in body
    # A year without approved documents is not one of the choices: ignored like junk.
    assert approved.sha256 in client.get(URL, {"year": year - 1}).content.decode()


def test_the_year_filter_picks_the_memos_fiscal_year(login, approved, draft):
    older = draft(fiscal_year=approved.version.memo.fiscal_year - 1, state=Memo.State.APPROVED)
    version = MemoVersion.objects.create(memo=older, content={}, sha256="2" * 64)
    earlier = Document.objects.create(organisation=approved.organisation, kind="memo", version=version,
                                      content_hash="older", state=Document.State.READY, sha256="d" * 64, pages=1)
    client = login("auditor.phusang")
    groups = client.get(URL).context["groups"]
    assert [group.year for group in groups] == [older.fiscal_year + 1, older.fiscal_year]
    body = client.get(URL, {"year": older.fiscal_year}).content.decode()
    assert earlier.sha256 in body and approved.sha256 not in body


@pytest.mark.parametrize("junk", [{"year": "abc"}, {"year": "-1"}, {"kind": "<script>"}, {"year": "9" * 40}])
def test_junk_filters_are_ignored(login, approved, junk):
    response = login("auditor.phusang").get(URL, junk)
    assert response.status_code == 200
    assert approved.sha256 in response.content.decode()


def test_groups_are_by_year_then_kind(login, approved):
    copies(approved, 2)
    groups = login("auditor.phusang").get(URL).context["groups"]
    assert [group.year for group in groups] == [approved.version.memo.fiscal_year]
    assert [kind.kind for kind in groups[0].kinds] == ["analysis", "measures", "memo"]


def test_the_query_count_does_not_grow_with_the_documents(login, approved):
    client = login("auditor.phusang")
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        response = client.get(URL)
    listed = sum(len(kind.documents) for group in response.context["groups"] for kind in group.kinds)
    copies(approved, 4)
    with CaptureQueriesContext(connection) as more:
        response = client.get(URL)
    assert sum(len(kind.documents) for group in response.context["groups"] for kind in group.kinds) == listed + 4
    assert len(more) == len(one)
