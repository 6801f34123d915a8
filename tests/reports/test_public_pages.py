"""The public disclosure pages: what an organisation's website links to. Anyone may open them, and
they show approved documents and the content frozen in them, never anything unapproved or live."""

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone

from assessments.models import Assessment
from itaportal.accounts.models import Organisation, User
from measures.models import Measure, ProgressEntry, ReportingRound
from reports.models import Document, Memo, MemoVersion
from reports.services.documents import request_draft
from reports.services.memos import memo_cancel, memo_decide
from reports.snapshots import memo_snapshot, number_text
from reports.tasks import render_document

pytestmark = pytest.mark.django_db

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
PHUSANG = "/p/phusang/"
PHUSANG_2568 = "/p/phusang/2568/"
NASOM_2566 = "/p/nasom/2566/"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives a test's rolled-back data: each test starts without any page kept."""
    cache.clear()
    yield
    cache.clear()


def text_of(response) -> str:
    """The page as read: tags gone (thai_wrap puts each word in its own element), spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())))


def thai(value) -> str:
    return str(value).translate(THAI_DIGITS)


def shows_number(text: str, memo: Memo) -> bool:
    """The memo's number, not as the prefix of a longer one (พย ๗๒๔๐๑/๑ inside พย ๗๒๔๐๑/๑๒๐)."""
    return re.search(re.escape(thai(number_text(memo))) + r"(?![0-9๐-๙])", text) is not None


def approved_documents(slug: str) -> list[Document]:
    """The organisation's approved documents, rendered (the demo renders them when it loads)."""
    documents = Document.objects.filter(organisation__slug=slug, version__memo__state=Memo.State.APPROVED)
    for document in documents:
        if document.state != Document.State.READY:
            render_document(document.pk)
    return list(Document.objects.filter(pk__in=[d.pk for d in documents]).select_related("version__memo"))


def as_if_rendered(version: MemoVersion) -> None:
    """What the worker does after an approval, without the seconds a real PDF takes."""
    Document.objects.filter(version=version).update(state=Document.State.READY, rendered_at=timezone.now(),
                                                    sha256="e" * 64, pages=1)


@pytest.fixture
def phusang_documents():
    return approved_documents("phusang")


@pytest.fixture
def waiting():
    """phusang's demo memo of FY 2568, waiting at level 2 (ปลัด)."""
    return Memo.objects.get(organisation__slug="phusang", state=Memo.State.IN_REVIEW)


def test_the_year_page_shows_the_approved_documents_and_their_frozen_summary(client, phusang_documents):
    response = client.get(PHUSANG_2568)
    assert response.status_code == 200
    body, text = response.content.decode(), text_of(response)
    memo = phusang_documents[0].version.memo
    assert "องค์การบริหารส่วนตำบลภูซาง" in text and "อำเภอภูซาง จังหวัดพะเยา" in text
    assert shows_number(text, memo)
    # The day of the final decision, in the Buddhist Era, as the memo prints it.
    assert "๑๑ กุมภาพันธ์ ๒๕๖๘" in text
    for document in phusang_documents:
        assert f'href="/p/phusang/2568/{document.code}.pdf"' in body
        assert f'href="/v/{document.code}/"' in body
    frozen = memo.version.content["documents"]
    assert "๙๙.๗๘" in text and "ผ่านดีเยี่ยม" in text
    assert body.count('class="public-measure"') == len(frozen["measures"]["measures"])
    for measure in frozen["measures"]["measures"]:
        assert thai(measure["title"]) in text


def test_the_page_names_no_person_and_no_comment_of_the_approval_chain(client):
    documents = approved_documents("nasom")
    text = text_of(client.get(NASOM_2566))
    content = documents[0].version.content
    people = [content["author"]["name"], *(decision["name"] for decision in content["decisions"])]
    comments = [decision["comment"] for decision in content["decisions"] if decision["comment"]]
    assert people and comments
    for phrase in people + comments:
        assert phrase not in text
    assert "staff.nasom" not in text and content["author"]["position"] not in text


def test_the_page_carries_a_qr_code_of_its_own_address_and_a_print_layout(client, settings,
                                                                          phusang_documents):
    settings.PORTAL_URL = "https://ita.example.go.th"
    body = client.get(PHUSANG_2568).content.decode()
    assert "<svg" in body and "<title>https://ita.example.go.th/p/phusang/2568/</title>" in body
    assert "ita.example.go.th/p/phusang/2568/" in text_of(client.get(PHUSANG_2568))
    assert "/static/css/public.css" in body
    # Cached and shared by everyone: no inline style or script that a per-request nonce would have to allow.
    assert "<style" not in body and "<script" not in body


def test_the_organisation_page_lists_the_years_with_approved_documents(client):
    approved_documents("nasom")
    body = client.get("/p/nasom/").content.decode()
    assert set(re.findall(r'href="/p/nasom/(\d+)/"', body)) == {"2566"}
    assert "องค์การบริหารส่วนตำบลนาโสม" in text_of(client.get("/p/nasom/"))


def test_anonymous_visitors_get_no_cookie_and_a_public_cache_header(client, phusang_documents):
    pdf = f"/p/phusang/2568/{phusang_documents[0].code}.pdf"
    for url in (PHUSANG, PHUSANG_2568, pdf):
        for method in (client.get, client.head):
            response = method(url)
            assert response.status_code == 200, url
            assert not response.cookies, f"{url} sets {list(response.cookies)}"
            control = response["Cache-Control"]
            assert "public" in control and "max-age=" in control and "private" not in control
    assert not client.cookies


def test_the_pdf_of_an_approved_document_downloads(client, phusang_documents):
    document = next(d for d in phusang_documents if d.kind == Document.Kind.MEASURES)
    response = client.get(f"/p/phusang/2568/{document.code}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Document-SHA256"] == document.sha256


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_methods_other_than_get_and_head_are_refused(client, phusang_documents, method):
    for url in (PHUSANG, PHUSANG_2568, f"/p/phusang/2568/{phusang_documents[0].code}.pdf"):
        assert getattr(client, method)(url).status_code == 405, url


def test_the_views_declare_public_access():
    for url in (PHUSANG, PHUSANG_2568, "/p/phusang/2568/abcdefghjk.pdf"):
        view = resolve(url).func
        assert view.ita_access == "public" and view.ita_methods == ("GET", "HEAD")


def test_unknown_or_inactive_organisations_and_years_without_approved_documents_are_not_found(
        client, phusang_documents):
    code = phusang_documents[0].code
    for url in ("/p/nowhere/", "/p/nowhere/2568/", f"/p/nowhere/2568/{code}.pdf",
                # 2567 has a live assessment but no approved memo; 2566 has nothing at all.
                "/p/phusang/2567/", "/p/phusang/2566/", "/p/phusang/99999/"):
        assert client.get(url).status_code == 404, url
    Organisation.objects.filter(slug="phusang").update(is_active=False)
    for url in (PHUSANG, PHUSANG_2568, f"/p/phusang/2568/{code}.pdf"):
        assert client.get(url).status_code == 404, url


def test_a_document_is_found_only_under_its_own_organisation_and_year(client, phusang_documents):
    nasom = approved_documents("nasom")[0]
    for url in (f"/p/phusang/2566/{nasom.code}.pdf", f"/p/phusang/2568/{nasom.code}.pdf",
                f"/p/phusang/2567/{phusang_documents[0].code}.pdf"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/p/nasom/2566/{nasom.code}.pdf").status_code == 200
    assert nasom.code not in client.get(PHUSANG_2568).content.decode()


def test_a_draft_document_never_shows(client, phusang_documents):
    phusang = Organisation.objects.get(slug="phusang")
    Measure.objects.filter(organisation=phusang, fiscal_year=2568, number=1).update(
        title="มาตรการฉบับร่างทดลอง")
    draft = request_draft(organisation=phusang, kind="measures", fiscal_year=2568,
                          user=User.objects.get(username="staff.phusang"))
    Document.objects.filter(pk=draft.pk).update(state=Document.State.READY, sha256="d" * 64, pages=1,
                                                rendered_at=timezone.now())
    for url in (PHUSANG, PHUSANG_2568):
        response = client.get(url)
        assert "มาตรการฉบับร่างทดลอง" not in text_of(response)
        assert draft.code not in response.content.decode()
    assert client.get(f"/p/phusang/2568/{draft.code}.pdf").status_code == 404


def _returned(memo: Memo) -> Memo:
    return memo_decide(memo=memo, user=User.objects.get(username="palad.phusang"), level=2, action="return",
                       comment="ขอให้แก้ไขตัวเลข")


def _cancelled(memo: Memo) -> Memo:
    return memo_cancel(memo=memo, user=User.objects.get(username="staff.phusang"))


@pytest.mark.parametrize("outcome", [lambda memo: memo, _returned, _cancelled],
                         ids=["waiting at level 2", "returned", "cancelled"])
def test_an_unapproved_memo_and_its_attachments_never_show(client, phusang_documents, waiting, outcome):
    """Even with a frozen version and rendered documents, as a fault might leave behind: the page
    asks for the memo's approval, not for the documents' existence."""
    Memo.objects.filter(pk=waiting.pk).update(subject="บันทึกที่ยังไม่ได้รับอนุมัติ")
    Measure.objects.filter(organisation__slug="phusang", fiscal_year=2568, number=2).update(
        title="มาตรการที่ผู้บริหารยังไม่เห็นชอบ")
    memo = outcome(Memo.objects.get(pk=waiting.pk))
    assert memo.state != Memo.State.APPROVED
    content = memo_snapshot(memo)
    version = MemoVersion.objects.create(memo=memo, content=content, sha256="f" * 64)
    codes = [
        Document.objects.create(organisation=memo.organisation, kind=kind, version=version,
                                content_hash=f"unapproved-{kind}", state=Document.State.READY,
                                sha256="f" * 64, pages=1, rendered_at=timezone.now()).code
        for kind in ["memo", *content["documents"]]
    ]
    for url in (PHUSANG, PHUSANG_2568):
        response = client.get(url)
        body, text = response.content.decode(), text_of(response)
        assert "บันทึกที่ยังไม่ได้รับอนุมัติ" not in text and "มาตรการที่ผู้บริหารยังไม่เห็นชอบ" not in text
        assert not shows_number(text, memo)
        assert "ขอให้แก้ไขตัวเลข" not in text
        assert not any(code in body for code in codes)
    for code in codes:
        assert client.get(f"/p/phusang/2568/{code}.pdf").status_code == 404


def test_live_edits_after_approval_do_not_reach_the_page(client, phusang_documents):
    frozen = phusang_documents[0].version.content["documents"]
    Measure.objects.filter(organisation__slug="phusang", fiscal_year=2568, number=1).update(
        title="ชื่อมาตรการที่แก้ไขหลังอนุมัติ")
    Assessment.objects.filter(organisation__slug="phusang", framework__fiscal_year=2567).update(
        published_overall="90.00", published_level="ต้องปรับปรุง")
    text = text_of(client.get(PHUSANG_2568))
    assert "ชื่อมาตรการที่แก้ไขหลังอนุมัติ" not in text
    assert thai(frozen["measures"]["measures"][0]["title"]) in text
    assert "๙๙.๗๘" in text and "๙๐.๐๐" not in text and "ต้องปรับปรุง" not in text


def test_progress_shows_approved_rounds_as_frozen_and_nothing_of_an_unapproved_round(client):
    documents = approved_documents("nasom")
    frozen = next(d for d in documents if d.kind == Document.Kind.PROGRESS).version.content
    frozen_statuses = {str(row["number"]): row["status"] for row in frozen["documents"]["progress"]["rows"]}
    nasom = Organisation.objects.get(slug="nasom")
    approved_round = ReportingRound.objects.get(organisation=nasom, fiscal_year=2566, number=2)
    # After the approval: the approved round's statuses go back, and the unapproved round 1 is reported.
    ProgressEntry.objects.filter(round=approved_round).update(status=ProgressEntry.Status.NOT_STARTED)
    first_round = ReportingRound.objects.get(organisation=nasom, fiscal_year=2566, number=1)
    for measure in Measure.objects.filter(organisation=nasom, fiscal_year=2566):
        ProgressEntry.objects.create(measure=measure, round=first_round, status=ProgressEntry.Status.DONE,
                                     outcome="ผลลัพธ์ของรอบที่ยังไม่อนุมัติ")
    response = client.get(NASOM_2566)
    body, text = response.content.decode(), text_of(response)
    shown = dict(re.findall(r'class="public-progress" data-number="(\d+)" data-status="(\w+)"', body))
    assert shown == frozen_statuses and "done" in shown.values()
    assert 'id="progress-round-2"' in body and 'id="progress-round-1"' not in body
    assert thai(first_round.name) not in text and "ผลลัพธ์ของรอบที่ยังไม่อนุมัติ" not in text


def test_a_new_approval_shows_at_once_and_a_repeated_visit_costs_one_query(client, phusang_documents,
                                                                           waiting):
    with CaptureQueriesContext(connection) as first:
        assert not shows_number(text_of(client.get(PHUSANG_2568)), waiting)
    with CaptureQueriesContext(connection) as second:
        client.get(PHUSANG_2568)
    assert len(second) == 1 < len(first)
    organisation_page = client.get(PHUSANG).content.decode()

    for level, username in [(2, "palad.phusang"), (3, "nayok.phusang")]:
        waiting = memo_decide(memo=waiting, user=User.objects.get(username=username), level=level,
                              action="approve")
    memo = waiting
    assert memo.state == Memo.State.APPROVED
    # Approved but not rendered yet: nothing to download, so not listed.
    assert not shows_number(text_of(client.get(PHUSANG_2568)), memo)
    as_if_rendered(memo.version)
    assert shows_number(text_of(client.get(PHUSANG_2568)), memo)
    assert client.get(PHUSANG).content.decode() != organisation_page


def test_the_cached_copy_follows_the_visitors_language(client, phusang_documents):
    thai_page = client.get(PHUSANG_2568, HTTP_ACCEPT_LANGUAGE="th").content.decode()
    english_page = client.get(PHUSANG_2568, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "เอกสารฉบับที่ได้รับความเห็นชอบ" in thai_page and 'lang="th"' in thai_page
    assert "Approved documents" in english_page and 'lang="en"' in english_page
    assert "Accept-Language" in client.get(PHUSANG_2568)["Vary"]


class BrokenCache:
    def get(self, *args, **kwargs):
        raise ConnectionError("cache down")

    set = get


def test_the_page_answers_when_the_cache_is_down(client, monkeypatch, phusang_documents):
    monkeypatch.setattr("reports.views.public.cache", BrokenCache())
    response = client.get(PHUSANG_2568)
    assert response.status_code == 200 and "๙๙.๗๘" in text_of(response)
    assert client.get(PHUSANG).status_code == 200


def test_the_documents_page_gives_the_public_address_to_copy(login, settings, phusang_documents):
    settings.PORTAL_URL = "https://ita.example.go.th"
    body = login("auditor.phusang").get("/o/phusang/documents/").content.decode()
    assert 'value="https://ita.example.go.th/p/phusang/"' in body
    assert 'href="/p/phusang/2568/"' in body and "https://ita.example.go.th/p/phusang/2568/" in body
