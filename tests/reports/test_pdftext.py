"""The PDFs' text layer reads back as the Thai that was written (reports/pdftext.py, Kozea/WeasyPrint#2841)."""

import re
import subprocess

import pytest
from weasyprint.draw import text as weasy_text

from reports import pdftext
from reports.models import Document, Memo
from reports.documents import render_pdf
from reports.rendering import FONT_DIR, html_to_pdf

PHRASES = [
    "น้ำ", "ที่", "คำสั่ง", "กำกับ", "ผู้รับผิดชอบ", "องค์การบริหารส่วนตำบลภูซาง", "นางนภาพร ธาคำดี",
    "ความเห็น / คำสั่ง", "๙๙.๗๘", "ผ่านดีเยี่ยม", "ปีงบประมาณ พ.ศ. ๒๕๖๘", "ทุกสำนัก ทุกกอง", "ข้อเท็จจริง",
]
# Long enough to wrap over several lines of A4; every word is a <span class=w> so lines break between words.
PARAGRAPH = ("ตามที่องค์การบริหารส่วนตำบลภูซาง ได้เข้าร่วมการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน"
             " ของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ โดยมอบหมายผู้รับผิดชอบกำกับติดตามทุกสำนัก ทุกกอง"
             " ให้ดำเนินการตามคำสั่งที่กำหนด และรายงานผลการใช้น้ำประปาของสำนักงานตามข้อเท็จจริง")


def page(body: str) -> str:
    return f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><style>
      @font-face {{ font-family: "Sarabun"; src: url("{FONT_DIR.as_uri()}/Sarabun-Regular.ttf"); font-weight: 400; }}
      @font-face {{ font-family: "Sarabun"; src: url("{FONT_DIR.as_uri()}/Sarabun-Bold.ttf"); font-weight: 700; }}
      @page {{ size: A4; margin: 2cm 2cm 2cm 3cm; }}
      html {{ font-family: "Sarabun"; font-size: 16pt; line-height: 1.35; }} p {{ margin: 0; }}
      .w {{ white-space: nowrap; }}
    </style></head><body>{body}</body></html>"""


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


def words_pdf() -> bytes:
    # Sentences where า comes before ำ and where ำ comes first, in regular and bold faces.
    body = "".join(f"<p>{phrase}</p><p><b>{phrase}</b></p>" for phrase in ["นางนภาพร", *PHRASES])
    return html_to_pdf(page(body))[0]


def test_every_phrase_reads_back_exactly_in_regular_and_bold():
    assert lines(pdf_text(words_pdf())) == [line for phrase in ["นางนภาพร", *PHRASES] for line in (phrase, phrase)]


def test_a_wrapped_paragraph_reads_back_word_for_word():
    words = PARAGRAPH.split(" ")
    pdf, pages = html_to_pdf(page("<p>" + " ".join(f'<span class="w">{word}</span>' for word in words) + "</p>"))
    text = lines(pdf_text(pdf))
    assert pages == 1 and len(text) >= 3
    assert " ".join(text) == PARAGRAPH


@pytest.mark.django_db
def test_the_approved_demo_memo_reads_back():
    memo = Memo.objects.get(organisation__slug="phusang", number=120, state=Memo.State.APPROVED)
    document = Document(kind=Document.Kind.MEMO, version=memo.version)
    pdf, pages = render_pdf(document)
    text = pdf_text(pdf)
    assert pages >= 2
    for phrase in ["องค์การบริหารส่วนตำบลภูซาง", "นางนภาพร ธาคำดี", "นายวรารุญ ฝาใจมา", "ความเห็น / คำสั่ง",
                   "ปีงบประมาณ พ.ศ. ๒๕๖๘", "ข้อเท็จจริง", "๙๙.๗๘", "ผ่านดีเยี่ยม", "นักทรัพยากรบุคคลชำนาญการ"]:
        assert phrase in text, phrase


def test_installing_twice_wraps_once():
    assert pdftext.install() and pdftext.install()
    assert not hasattr(weasy_text.draw_first_line.wrapped, "wrapped")


def test_ascii_text_is_left_alone():
    pdf = html_to_pdf(page("<p>Integrity and Transparency Assessment: ITA</p>"))[0]
    assert b"ActualText" not in pdf
    assert lines(pdf_text(pdf)) == ["Integrity and Transparency Assessment: ITA"]


def test_newer_weasyprint_is_left_to_upstream(monkeypatch):
    assert pdftext.needed("70.0") and not pdftext.needed(f"{pdftext.LAST_CHECKED_VERSION + 1}.0")
    monkeypatch.setattr(weasy_text, "draw_first_line", weasy_text.draw_first_line.wrapped)
    monkeypatch.setattr(pdftext, "needed", lambda: False)
    assert not pdftext.install() and not hasattr(weasy_text.draw_first_line, "wrapped")


def test_unpatched_weasyprint_still_garbles_thai(monkeypatch):
    """When this fails, upstream fixed #2841: drop reports/pdftext.py."""
    monkeypatch.setattr(weasy_text, "draw_first_line", weasy_text.draw_first_line.wrapped)
    monkeypatch.setattr(pdftext, "needed", lambda: False)
    assert lines(pdf_text(words_pdf())) != [line for phrase in ["นางนภาพร", *PHRASES] for line in (phrase, phrase)]


@pytest.fixture(autouse=True)
def _installed():
    # The tests that take the patch off need it on first, whatever test ran before.
    pdftext.install()
