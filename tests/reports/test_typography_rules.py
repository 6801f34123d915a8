"""The typography checker (reports/typography): every rule on known-bad and known-good lines, the
PDF reader on a PDF from the project's renderer with a planted bad break, and the page reader in
Chromium on a tiny page with one."""

import shutil
from dataclasses import replace

import pytest
import yaml

from reports.documents import CELL_BREAKS
from reports.rendering import FONT_DIR, html_to_pdf
from reports.typography import allowed as allow_list
from reports.typography.lines import Finding, Line, PageFill, Reading, RowSplit
from reports.typography.pdf import read_pdf
from reports.typography.rules import LINE_RULES, RULE_NAMES, check, page_economy, row_split, wrapped
from reports.typography.words import Vocabulary

NAMES = ["ภูซาง", "นาโสม", "หทัยทิพย์", "วงศ์ทะนา", "องค์การบริหารส่วนตำบลภูซาง"]


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary(NAMES, CELL_BREAKS)


def wrap(first: str, second: str, **second_fields) -> list[Line]:
    """Two lines of one block, the second wrapped from the first (no measure: every break a wrap)."""
    return [Line(first, "fixture", number=1, block="b"),
            Line(second, "fixture", number=2, block="b", **second_fields)]


def heading(*texts: str, tag: str = "h2") -> list[Line]:
    return [Line(text, "fixture", number=n, block="h", heading=tag) for n, text in enumerate(texts, start=1)]


# (rule, first line, second line, bad?) — the break is between the two lines.
PAIRS = [
    ("word-break", "มาตรการส่ง", "เสริมคุณธรรม", True),
    ("word-break", "ภายในหน่วย", "งานประจำปีงบประมาณ", True),  # newmm alone reads หน่วย|งานประจำ
    ("word-break", "เผยแพร่บนเว็บไซต์องค์", "การบริหารส่วนตำบล", True),
    ("word-break", "อำเภอภู", "ซาง จังหวัดพะเยา", True),  # a place's name is one word
    ("word-break", "นางสาวหทัย", "ทิพย์ วงศ์ทะนา", True),  # and a person's
    ("word-break", "จึงเรียนมาเพื่อโปรดเห็น", "ชอบ", True),
    ("word-break", "เลข", "ที่ ๑๒๐", True),
    ("word-break", "ตามหลักธร", "รมาภิบาล", True),
    ("word-break", "ปฏิบัติการให้เจ้า", "หน้าที่สามารถ", True),
    ("word-break", "ผู้รับ", "ผิดชอบ", True),
    ("word-break", "การกำกับ", "ติดตาม", True),  # a domain term
    ("word-break", "คะแนนภาพรวม ๙๙.", "๗๘ คะแนน", True),  # a number
    ("word-break", "แผนปฏิบัติการ", "ป้องกันการทุจริต", False),  # read either way: a boundary
    ("word-break", "องค์การบริหาร", "ส่วนตำบลภูซาง", False),  # a break the documents allow in a cell
    ("word-break", "เจ้าหน้าที่ของ", "รัฐ", False),  # a compound the corpus never counts
    ("word-break", "ประชาสัมพันธ์", "ข้อมูลข่าวสาร", False),
    ("word-break", "ทุกสำนัก ", "ทุกกอง", False),  # at a space
    ("word-break", "SHA-256 eb72ee28", "6b4c1f77", False),  # a hash may break anywhere
    ("word-break", "เมื่อ ๔ มกราคม ๒๕๖๖", "๒. มีคู่มือการปฏิบัติงาน", False),  # the list's next item
    ("cluster-break", "กำหนดการส", "่งเสริม", True),  # a tone mark starts the line
    ("cluster-break", "ดำเนินการเ", "พื่อให้", True),  # a leading vowel ends the line
    ("cluster-break", "ข่าวสารต่าง", "ๆ ของหน่วยงาน", True),
    ("cluster-break", "ชมรมกำนัน", "ฯ ภูซาง", True),
    ("cluster-break", "การใช้รถยนต์ราชการ", "ฯลฯ เมื่อ ๔ เม.ย. ๖๕", False),
    ("cluster-break", "ข่าวสารต่าง ๆ", "ของหน่วยงาน", False),
    ("bracket", "คณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (", "สำนักงาน ป.ป.ช.)", True),
    ("bracket", "เป็นต้น (๓", ") ปัญหา/อุปสรรค", True),
    ("bracket", "facebook ชื่อ “", "องค์การบริหารส่วนตำบลภูซาง”", True),
    ("bracket", 'ชื่อ "', 'อบต.ภูซาง"', True),
    ("bracket", "(สำนักงาน ป.ป.ช.)", "เรื่อง การประเมิน", False),
    ("bracket", 'ชื่อ "อบต.ภูซาง"', "ต่อไป", False),
    ("bracket", "ตามข้อ (๑)", "และ (๒)", False),
    ("date-apart", "ประจำปีงบประมาณ พ.ศ.", "๒๕๖๘", True),
    ("date-apart", "บังคับใช้ในปี พ.ศ", "๒๕๖๖", True),
    ("date-apart", "เมื่อวันที่ ๑๕", "มกราคม ๒๕๖๖", True),
    ("date-apart", "เมื่อวันที่ ๔ มกราคม", "๒๕๖๖", True),
    ("date-apart", "๑ ต.ค. ๖๗ – ๓๐ ก.ย.", "๖๘", True),
    ("date-apart", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", "ในเรื่อง", False),
    ("date-apart", "๑ ต.ค. ๖๗", "– ๓๐ ก.ย. ๖๘", False),
    ("date-apart", "๑๕ มกราคม ๒๕๖๖", "เป็นต้นไป", False),
    ("date-apart", "รายงานต่อผู้บริหารทุก ๓", "เดือน", False),  # a count of months, the unit rule's
    ("number-unit", "รายงานต่อผู้บริหารทุก ๓", "เดือน", True),
    ("number-unit", "มีความชัดเจน (๙๙.๗๘", "คะแนน)", True),
    ("number-unit", "ดำเนินการแล้ว ๔๓", "ข้อ", True),
    ("number-unit", "ผ่านเกณฑ์ร้อยละ", "๘๕ ของหน่วยงาน", True),
    ("number-unit", "ตามตัวชี้วัดที่", "๙ การเปิดเผยข้อมูล", True),
    ("number-unit", "ผลการดำเนินงานประจำปี รอบ", "๖ เดือน", True),
    ("number-unit", "คะแนนเพิ่มขึ้น ๕", "% จากปีก่อน", True),
    ("number-unit", "จำนวน ๑๐", "ข้อมูลที่เผยแพร่", False),  # ข้อมูล is not ข้อ
    ("number-unit", "ผ่านเกณฑ์ร้อยละ ๘๕", "ของหน่วยงาน", False),
    ("number-unit", "ภายในปี พ.ศ.", "๒๕๖๘", False),  # the date rule's
]
# (rule, heading lines, bad?)
HEADINGS = [
    ("heading-runt", heading("รายงานผลการดำเนินงานตามมาตรการส่งเสริม", "คุณธรรม"), True),
    ("heading-runt", heading("ข้อเสนอ", "แนะ", tag="th"), True),
    ("heading-runt", heading("รายงานผลการดำเนินงาน", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"), False),
    ("heading-runt", heading("ผลการประเมินคุณธรรมและความโปร่งใส"), False),
    ("heading-runt", [Line("ข้อความของย่อหน้าที่ยาวพอสมควร", "fixture", number=1, block="p"),
                      Line("ครับ", "fixture", number=2, block="p")], False),  # not a heading
]
# (rule, one line, bad?)
SINGLE = [
    ("thai-latin", "ผลการประเมินอยู่ในระดับB", True),
    ("thai-latin", "ตัวชี้วัดที่9 การเปิดเผยข้อมูล", True),
    ("thai-latin", "ผลการประเมินอยู่ในระดับ B", False),
    ("thai-latin", "ประจำปีงบประมาณ พ.ศ.2568", False),
    ("thai-latin", "(ITA)ประจำปี", False),  # Latin then Thai: left alone, the rule is kept narrow
    ("thai-latin", "ข้อ o1 โครงสร้าง", False),
]
ROWS = [
    (RowSplit("fixture", 3, 1, 8, "๓ ดำเนินการแล้ว"), True),
    (RowSplit("fixture", 3, 6, 1, "๔"), True),
    (RowSplit("fixture", 3, 2, 2, "๕"), False),
    (RowSplit("fixture", 3, 4, 12, "๖"), False),
]
FILLS = [
    (PageFill("fixture", 4, 0.2, next_continues_table=True), "short-page"),
    (PageFill("fixture", 4, 0.2, next_continues_table=False), None),  # the table ended: the last page
    (PageFill("fixture", 4, 0.5, next_continues_table=True), None),
    (PageFill("fixture", 2, 0.9, False, ends_with_heading="ความเห็นปลัดองค์การบริหารส่วนตำบลภูซาง"),
     "heading-at-foot"),
    (PageFill("fixture", 2, 0.9, False), None),
]


def rule_findings(rule: str, lines: list[Line], vocabulary) -> list[Finding]:
    check = next(r.check for r in LINE_RULES if r.name == rule)
    return list(check(lines, vocabulary))


def test_the_fixture_has_bad_and_good_cases_for_every_rule():
    cases = [(rule, bad) for rule, _a, _b, bad in PAIRS] + [(rule, bad) for rule, _l, bad in HEADINGS] \
        + [(rule, bad) for rule, _t, bad in SINGLE] + [("row-split", bad) for _s, bad in ROWS] \
        + [(rule or "short-page", rule is not None) for _f, rule in FILLS]
    assert len(cases) >= 40
    for rule in RULE_NAMES:
        if rule == "heading-at-foot":
            continue  # its good case is the page without a heading at its foot, counted with short-page
        assert {bad for name, bad in cases if name == rule} == {True, False}, rule


@pytest.mark.parametrize(("rule", "first", "second", "bad"), PAIRS,
                         ids=[f"{r}:{a}|{b}" for r, a, b, _ in PAIRS])
def test_pair(vocabulary, rule, first, second, bad):
    found = rule_findings(rule, wrap(first, second), vocabulary)
    assert bool(found) == bad, found
    if bad:
        assert found[0].line == 1 and found[0].source == "fixture"
        assert found[0].text.endswith(second.lstrip()) or "…" in found[0].text


@pytest.mark.parametrize(("rule", "lines", "bad"), HEADINGS,
                         ids=[" / ".join(line.text for line in case[1]) for case in HEADINGS])
def test_heading(vocabulary, rule, lines, bad):
    assert bool(rule_findings(rule, lines, vocabulary)) == bad


@pytest.mark.parametrize(("rule", "text", "bad"), SINGLE, ids=[t for _r, t, _b in SINGLE])
def test_single_line(vocabulary, rule, text, bad):
    assert bool(rule_findings(rule, [Line(text, "fixture", number=1, block="b")], vocabulary)) == bad


@pytest.mark.parametrize(("split", "bad"), ROWS)
def test_row_split(split, bad):
    assert bool(list(row_split([split]))) == bad


@pytest.mark.parametrize(("fill", "rule"), FILLS)
def test_page_economy(fill, rule):
    assert [f.rule for f in page_economy([fill])] == ([rule] if rule else [])


def test_a_forced_break_is_not_a_wrap(vocabulary):
    assert not rule_findings("word-break", wrap("มาตรการส่ง", "เสริมคุณธรรม", hard_break=True), vocabulary)
    other_blocks = [Line("มาตรการส่ง", "a", block="b"), Line("เสริม", "a", block="c")]
    assert not rule_findings("word-break", other_blocks, vocabulary)


def test_a_line_with_room_for_the_next_word_did_not_wrap():
    first = Line("มาตรการส่ง", "pdf", block="b", room=120.0, size=14.0)
    second = Line("เสริมคุณธรรม", "pdf", block="b", size=14.0, advance=7.5, first_piece=75.0,
                  first_piece_text="เสริมคุณธรรม")
    assert not wrapped(first, second, "เสริม")
    assert wrapped(replace(first, room=20.0), second, "เสริม")
    # Measured from the drawn piece: "คะแนน)" is 46pt wide and did not fit in 45.5pt.
    piece = Line("คะแนน)", "pdf", block="b", size=14.0, advance=7.7, first_piece=46.3,
                 first_piece_text="คะแนน)")
    assert wrapped(replace(first, room=45.5), piece, "คะแนน)")


def test_the_allow_list_explains_one_finding_with_its_reason(tmp_path):
    listed = tmp_path / "allowed.yaml"
    listed.write_text(yaml.safe_dump([{"rule": "word-break", "text": "เลข | ที่", "reason": "a test"}],
                                     allow_unicode=True), encoding="utf-8")
    allowed = allow_list.load(listed, RULE_NAMES)
    findings = [Finding("word-break", "a", 1, 3, "เลข | ที่ ๑๒๐", "split"),
                Finding("word-break", "a", 1, 4, "มาตรการส่ง | เสริม", "split")]
    standing, explained = allow_list.split(findings, allowed)
    assert standing == findings[1:] and explained == [(findings[0], allowed[0])]


@pytest.mark.parametrize("entry", [{"rule": "word-break", "text": "เลข | ที่"},
                                   {"rule": "word-break", "text": "|", "reason": "too broad"},
                                   {"rule": "no-such-rule", "text": "เลข | ที่", "reason": "x"}])
def test_the_allow_list_refuses_an_entry_without_a_reason_or_too_broad(tmp_path, entry):
    listed = tmp_path / "allowed.yaml"
    listed.write_text(yaml.safe_dump([entry], allow_unicode=True), encoding="utf-8")
    with pytest.raises(allow_list.AllowListError):
        allow_list.load(listed, RULE_NAMES)


def test_the_shipped_allow_list_loads():
    allow_list.load(rules=RULE_NAMES)


# --- the readers -------------------------------------------------------------------------------------

PLANTED = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><style>
  @font-face {{ font-family: "Sarabun"; src: url("{FONT_DIR.as_uri()}/Sarabun-Regular.ttf"); }}
  @page {{ size: A4; margin: 2cm 2cm 2cm 3cm; }}
  body {{ font-family: "Sarabun"; font-size: 16pt; }}
  table {{ border-collapse: collapse; }} td {{ border: .5pt solid #000; padding: 1pt 3pt; width: 3.2cm; }}
  .w {{ white-space: nowrap; }}
</style></head><body>
<p>ผลการดำเนินงานตามมาตรการ</p>
<table><tr><td><span class="w">มาตรการส่ง</span>&#8203;<span class="w">เสริมคุณธรรม</span></td>
<td>ทุกสำนัก ทุกกอง</td></tr></table>
</body></html>"""


def test_a_pdf_from_the_renderer_shows_its_planted_break(vocabulary):
    pdf, pages = html_to_pdf(PLANTED)
    reading = read_pdf(pdf, "planted")
    assert pages == 1
    texts = [line.text for line in reading.lines]
    assert texts[0] == "ผลการดำเนินงานตามมาตรการ" and not reading.lines[0].in_table
    # The cell's two lines, read from the exact text layer, in the cell drawn around them.
    cell = [line for line in reading.lines if line.in_table and line.text.startswith(("มาตรการ", "เสริม"))]
    assert [line.text for line in cell] == ["มาตรการส่ง", "เสริมคุณธรรม"]
    assert len({line.block for line in cell}) == 1 and not cell[1].hard_break
    found = check(reading, vocabulary)
    assert [(f.rule, f.page, f.text) for f in found] == [("word-break", 1, "มาตรการส่ง | เสริมคุณธรรม")]


@pytest.mark.django_db
def test_a_demo_document_is_read_as_its_table_cells(vocabulary):
    from itaportal.accounts.models import Organisation
    from reports.documents import build_content, content_to_pdf

    content = build_content("measures", Organisation.objects.get(slug="phusang"), 2568)
    pdf, pages = content_to_pdf("measures", content, draft=True)
    reading = read_pdf(pdf, "measures phusang 2568")
    assert {line.page for line in reading.lines} == set(range(1, pages + 1))
    cells = [line.text.strip() for line in reading.lines if line.in_table]
    for measure in content["measures"]:
        number = str(measure["number"]).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
        assert any(text.startswith(f"{number}.") for text in cells), number
    assert len(reading.pages) == pages and all(0 < page.fill <= 1 for page in reading.pages)


@pytest.mark.browser
def test_a_page_in_chromium_shows_its_planted_break(browser, vocabulary):
    # The suite's one Chromium: Playwright's sync API allows one running instance per thread.
    from reports.typography.pages import read_widths

    html = """<!doctype html><html lang="th"><body style="font: 16px sans-serif">
      <div style="width: 130px"><span style="white-space: nowrap">มาตรการส่ง</span><wbr><span
        style="white-space: nowrap">เสริมคุณธรรม</span></div>
      <p style="width: 600px">ผลการดำเนินงาน<br>มาตรการส่งเสริมคุณธรรม</p>
      <h2 style="width: 600px">รายงานผล</h2>
      <span style="position: absolute; width: 1px; height: 1px; overflow: hidden">ซ่อน ไว้</span>
    </body></html>"""
    page = browser.new_page()
    try:
        page.set_content(html)
        narrow, wide = read_widths(page, "tiny")
    finally:
        page.close()
    assert narrow.source == "tiny @390" and wide.source == "tiny @1366"
    lines = [(line.text, line.hard_break, line.heading) for line in narrow.lines]
    assert lines == [("มาตรการส่ง", True, ""), ("เสริมคุณธรรม", False, ""), ("ผลการดำเนินงาน", True, ""),
                     ("มาตรการส่งเสริมคุณธรรม", True, ""), ("รายงานผล", True, "h2")]
    found = check(narrow, vocabulary)
    assert [(f.rule, f.line, f.text) for f in found] == [("word-break", 1, "มาตรการส่ง | เสริมคุณธรรม")]
    assert isinstance(wide, Reading)
