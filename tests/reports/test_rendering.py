"""The levers of rendering speed keep the documents right: parallel sections joined with their page
numbers, plain text where the renderer breaks Thai words correctly, the short user-agent sheet."""

import re
import subprocess
from collections import Counter
from datetime import date

import pytest
from weasyprint import HTML

from demo.samples import progress_sample
from itaportal.templatetags.thai import ZWSP, thai_wrap
from itaportal.thai import thai_date, to_thai_digits
from reports import rendering
from reports.documents import SECTION_MIN_ROWS, content_to_pdf


def page_texts(pdf: bytes) -> list[str]:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return [re.sub(r"\s+", "", page) for page in result.stdout.decode("utf-8").split("\f")[:-1]]


@pytest.fixture(scope="module")
def sections_and_single():
    content = progress_sample(SECTION_MIN_ROWS + 6)
    parallel = content_to_pdf("progress", content, draft=True)
    return content, parallel


def test_a_long_table_renders_in_sections_joined_with_page_numbers_in_order(sections_and_single, settings):
    content, (pdf, pages) = sections_and_single
    texts = page_texts(pdf)
    assert len(texts) == pages > 2
    assert "-๑-" not in texts[0]  # the first page carries no number
    for number, text in enumerate(texts[1:], start=2):
        assert f"-{to_thai_digits(number)}-" in text or f"-{to_thai_digits(number)}" in text
    whole = "".join(texts)
    # The title once, every row once and in order, the watermark on every page.
    assert whole.count("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส") == 1
    assert all("ฉบับร่าง" in text for text in texts)
    positions = [whole.find(row["title"].replace(" ", "")) for row in content["rows"][:1]]
    assert positions[0] >= 0
    assert ZWSP not in whole


def test_sections_and_one_pass_print_every_activity_of_every_row(sections_and_single, settings):
    content, (parallel_pdf, _pages) = sections_and_single
    settings.ITA_PDF_PROCESSES = 1
    single_pdf, _ = content_to_pdf("progress", content, draft=True)
    # Dates are kept whole on one line, so their count is that of the content whatever the layout.
    dates = Counter(thai_date(date.fromisoformat(a["date"]), "abbr").replace(" ", "")
                    for row in content["rows"] for a in row["activities"])
    for pdf in (parallel_pdf, single_pdf):
        whole = "".join(page_texts(pdf))
        assert {day: whole.count(day) for day in dates} == dict(dates)


def test_print_wrap_boxes_only_the_words_the_renderer_would_split():
    keep = rendering.PrintPhrases(["ภูซาง"])
    html = str(thai_wrap("ตัวชี้วัดที่ ๙ ของ อบต.ภูซาง", keep))
    # libthai breaks ตัว|ชี้วัด and ภู|ซาง inside the word and the name: both boxed, kept whole.
    assert '<span class="w">ตัวชี้วัด</span>' in html and '<span class="w">ภูซาง</span>' in html
    # What libthai leaves whole stays plain text: far fewer boxes for the renderer to lay out.
    assert html.count("<span") == 2
    # Plain words between boxes carry a zero-width space where a line may break.
    assert ZWSP in html
    screen = str(thai_wrap("ผลประโยชน์ส่วนรวม"))
    assert screen.count('<span class="w">') == len(re.findall("<wbr>", screen)) + 1


def test_print_wrap_escapes_hostile_text():
    html = str(thai_wrap('<img src="file:///etc/passwd">ประโยชน์', rendering.PrintPhrases([])))
    assert "<img" not in html and "&lt;img" in html


def test_the_user_agent_sheet_override_is_the_one_weasyprint_calls():
    # If a WeasyPrint release renames the hook, the short sheet silently stops applying: fail here.
    assert callable(getattr(HTML, "_ua_stylesheets", None))
    assert rendering.DocumentHTML(string="<p>x</p>")._ua_stylesheets() == [rendering.UA_STYLESHEET]


def test_sections_come_back_in_order_and_a_failing_one_fails_the_render():
    assert rendering._fork_map(lambda x: x * 2, [(1,), (2,), (3,)]) == [2, 4, 6]
    with pytest.raises(rendering.SectionFailed, match="ZeroDivisionError"):
        rendering._fork_map(lambda x: 1 / x, [(1,), (0,)])
