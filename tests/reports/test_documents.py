"""Every document of the demo organisations, rendered and read back with pdftotext: the facts are in
the PDF's text, in Thai digits, drafts carry their watermark, and hostile text stays text."""

import hashlib
import io
import re
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from itaportal import thai
from itaportal.accounts.models import Organisation
from demo import memos as demo_memos
from measures.models import Measure
from reports.documents import build_content, content_to_pdf, render_draft, render_html
from reports.management.commands.render_document import approved_memo

pytestmark = pytest.mark.django_db

DRAFTS = [
    ("phusang", "analysis", 2567, None),
    ("phusang", "measures", 2568, None),
    ("nasom", "progress", 2566, 2),
    ("nasom", "oit", 2566, None),
    ("wangthong", "progress", 2566, 1),
    ("wangthong", "measures", 2566, None),
]
MEMOS = [("phusang", 2568, None), ("nasom", 2566, 2), ("wangthong", 2566, 1)]
HOSTILE = '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/passwd">'


def pdf_text(pdf: bytes) -> str:
    """The text as pdftotext reads it, without whitespace: a phrase wrapped over two lines still matches."""
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", result.stdout.decode("utf-8"))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def year(value: int) -> str:
    return thai.to_thai_digits(str(value))


@pytest.fixture(scope="module")
def rendered():
    """Each document rendered once for the module: rendering is the slow part."""
    cache = {}

    def render(slug, kind, fiscal_year, round):
        key = (slug, kind, fiscal_year, round)
        if key not in cache:
            organisation = Organisation.objects.get(slug=slug)
            content = build_content(kind, organisation, fiscal_year, round)
            pdf, pages = content_to_pdf(kind, content, draft=True)
            cache[key] = (content, pdf_text(pdf), pages)
        return cache[key]

    return render


@pytest.mark.parametrize(("slug", "kind", "fiscal_year", "round"), DRAFTS)
def test_draft_names_the_organisation_and_year_and_is_marked(rendered, slug, kind, fiscal_year, round):
    content, text, pages = rendered(slug, kind, fiscal_year, round)
    assert pages >= 1
    assert squeeze(content["organisation"]["full_name"]) in text
    assert f"พ.ศ.{year(fiscal_year)}" in text
    assert "ฉบับร่าง" in text


def test_analysis_holds_the_scores_and_level_of_the_snapshot(rendered):
    content, text, _pages = rendered("phusang", "analysis", 2567, None)
    assert not re.search(r"[0-9]", text)
    # Titled with the year of the results it analyses, never the plan year after it (๒๕๖๘).
    assert f"พ.ศ.{year(2568)}" not in text
    assert f"เท่ากับ{thai.format_number(content['overall'])}คะแนน" in text
    assert content["level"] and f"อยู่ในระดับ{content['level']}" in text
    for indicator in content["indicators"]:
        assert f"ตัวชี้วัดที่{thai.to_thai_digits(indicator['number'])}" in text
        assert thai.format_number(indicator["score"]) in text
    for tool in content["tools"]:
        assert thai.format_number(tool["score"]) in text
    for issue in content["issues"]:
        assert f"ประเด็นที่{thai.to_thai_digits(str(issue['order']))}" in text
        for item in issue["items"]:
            if item["score"]:
                assert f"({thai.format_number(item['score'])}" in text


def test_analysis_words_are_exact_thai(rendered):
    _content, text, _pages = rendered("phusang", "analysis", 2567, None)
    for word in ("น้ำหนัก", "ตัวชี้วัดที่", "การวิเคราะห์", "ข้อคำถาม", "ประจำปีงบประมาณ", "ดำเนินงาน"):
        assert word in text


@pytest.mark.parametrize(("slug", "fiscal_year"), [("phusang", 2568), ("wangthong", 2566)])
def test_measures_table_lists_every_measure_with_its_period(rendered, slug, fiscal_year):
    content, text, _pages = rendered(slug, "measures", fiscal_year, None)
    assert content["measures"]
    # Header cells wrap, and pdftotext -layout interleaves their lines: only one-line headers are whole.
    assert "๒.ขั้นตอนหรือวิธีปฏิบัติ" in text and "๓.ระยะเวลา" in text
    for measure in content["measures"]:
        assert f"{thai.to_thai_digits(str(measure['number']))}." in text
        start = thai.thai_date(date.fromisoformat(measure["start"]), "abbr")
        assert squeeze(start) in text


@pytest.mark.parametrize(("slug", "round"), [("nasom", 2), ("wangthong", 1)])
def test_progress_report_shows_the_round_status_and_activities(rendered, slug, round):
    content, text, _pages = rendered(slug, "progress", 2566, round)
    # The round is printed by its name (รอบ ๖ เดือน), once: not "รอบที่ ๑ รอบ ๖ เดือน".
    assert squeeze(thai.to_thai_digits(content["round"]["name"])) in text and "รอบที่" not in text
    # Every heading is checked, cell by cell, in test_documents_truthful.py; wrapped ones interleave here.
    assert "ผลลัพธ์/" in text and "หลักฐาน" in text
    for row in content["rows"]:
        for activity in row["activities"]:
            day = date.fromisoformat(activity["date"])
            assert squeeze(thai.thai_date(day, "abbr")) in text
    done = [row for row in content["rows"] if row["status"] == "done"]
    if done:
        assert "ดำเนินการแล้ว" in text


def test_oit_report_counts_per_sub_indicator(rendered):
    content, text, _pages = rendered("nasom", "oit", 2566, None)
    assert f"ดำเนินการแล้ว{year(content['published'])}จาก{year(content['total'])}ข้อ" in text
    for group in content["groups"]:
        assert f"ตัวชี้วัดย่อยที่{thai.to_thai_digits(group['number'])}" in text
        assert f"(ดำเนินการแล้ว{year(group['published'])}จาก{year(group['total'])}ข้อ)" in text
    assert "☑" in text


@pytest.fixture
def memos():
    demo_memos.load()


@pytest.mark.parametrize(("slug", "fiscal_year", "round"), MEMOS)
def test_approved_memo_holds_its_number_and_every_commenter(memos, slug, fiscal_year, round, tmp_path):
    memo = approved_memo(Organisation.objects.get(slug=slug), fiscal_year, round)
    content = memo.version.content
    out = tmp_path / "memo.pdf"
    call_command("render_document", "--org", slug, "--year", str(fiscal_year), "--kind", "memo",
                 *(["--round", str(round)] if round else []), "--out", str(out), stdout=io.StringIO())
    text = pdf_text(out.read_bytes())
    assert squeeze(thai.to_thai_digits(content["number"])) in text
    assert squeeze(content["organisation"]["full_name"]) in text
    assert content["decisions"]
    for decision in content["decisions"]:
        assert squeeze(decision["name"]) in text
        assert squeeze(decision["position"]) in text
    assert "ฉบับร่าง" not in text


def test_command_writes_the_pdf_and_prints_pages_and_sha256(tmp_path):
    out = tmp_path / "oit.pdf"
    stdout = io.StringIO()
    call_command("render_document", "--org", "nasom", "--year", "2566", "--kind", "oit", "--out", str(out),
                 stdout=stdout)
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() in stdout.getvalue()
    assert re.search(r"\d+ pages", stdout.getvalue())


def test_command_refuses_what_it_cannot_render(tmp_path):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError):
        call_command("render_document", "--org", "nasom", "--year", "2566", "--kind", "progress", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("render_document", "--org", "nowhere", "--year", "2566", "--kind", "oit", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("render_document", "--org", "nasom", "--year", "2599", "--kind", "memo", "--out", str(out))
    assert not out.exists()


def test_hostile_measure_title_renders_as_text_and_attaches_nothing():
    organisation = Organisation.objects.get(slug="phusang")
    measure = Measure.objects.filter(organisation=organisation, fiscal_year=2568).first()
    Measure.objects.filter(pk=measure.pk).update(title=HOSTILE)
    html = render_html("measures", build_content("measures", organisation, 2568), draft=True)
    assert "&lt;img" in html and "&lt;link" in html
    assert "<img" not in html and "<link" not in html
    pdf = render_draft("measures", organisation, 2568)
    assert b"/EmbeddedFile" not in pdf and b"/FileAttachment" not in pdf and b"root:" not in pdf
    text = pdf_text(pdf)
    assert "<img" in text and "<link" in text and "file:///etc/passwd" in text
