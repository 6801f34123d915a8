"""Documents say only what the record says (issue 15.2), and the consistency check covers what the
attachments print (15.3). Every document is read back from its PDF: the words and where they stand."""

import html
import io
import re
import subprocess
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pypdf
import pytest

from assessments.models import AnalysisIssue, Assessment, Framework, Indicator, Item
from assessments.selectors import scoreboard_of
from assessments.services import assessment_save_scores, assessment_start, issue_create
from itaportal import thai
from itaportal.accounts.models import Membership, Organisation, User
from measures.models import Activity, Measure, OitEntry, ProgressEntry, ReportingRound
from reports.services.composing import compose_memo
from reports.consistency import check_memo, mismatch_message
from reports.documents import build_content, content_hash, content_to_pdf, document_filename
from reports.models import Document, Memo
from reports.selectors.documents import draft_options
from reports.services.memos import InconsistentMemo, memo_decide, memo_submit
from reports.snapshots import memo_snapshot

pytestmark = pytest.mark.django_db

PROGRESS_HEADINGS = ["ลำดับ", "มาตรการ", "ขั้นตอน/วิธีการ", "ผู้รับผิดชอบ", "ระยะเวลา", "สรุปผลการดำเนินการ",
                     "ผลลัพธ์/ความสำเร็จ", "ข้อเสนอแนะ", "หลักฐาน"]
OUTCOME = "ครบเป้าหมายทุกหมู่บ้าน"
SUGGESTION = "ควรขยายผลปีหน้า"


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def words(pdf: bytes) -> list[Word]:
    """Each run of text pdftotext reads, with its box and page."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    found = []
    for page, body in enumerate(out.stdout.decode("utf-8").split("<page ")[1:], start=1):
        for x0, y0, x1, y1, text in WORD.findall(body):
            found.append(Word(page, float(x0), float(y0), float(x1), float(y1), html.unescape(text)))
    return found


def pdf_text(pdf: bytes, first: int | None = None, last: int | None = None) -> str:
    """The text without whitespace, so that a phrase wrapped over lines still matches."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    out = subprocess.run(["pdftotext", *pages, "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def layout_lines(pdf: bytes) -> list[str]:
    """Each printed line as pdftotext -layout reads it, without whitespace: a table row, one per line."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return [squeeze(line) for line in out.stdout.decode("utf-8").splitlines() if line.strip()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def digits(value) -> str:
    return thai.to_thai_digits(str(value))


def header_columns(page_words: list[Word]) -> list[tuple[str, float, float]]:
    """The table's header cells on a page, left to right, as (text, left, right): the lines around the
    row's first heading (ลำดับ, one line, vertically centred like the two-line headings beside it),
    grouped by the columns they overlap."""
    first = next(w for w in page_words if w.text == "ลำดับ")
    line = first.y1 - first.y0
    band = sorted((w for w in page_words if first.y0 - line <= w.y0 <= first.y0 + line * 0.75),
                  key=lambda w: w.x0)
    cells: list[list[Word]] = []
    for word in band:
        if cells and word.x0 < max(w.x1 for w in cells[-1]):
            cells[-1].append(word)
        else:
            cells.append([word])
    return [("".join(w.text.strip() for w in sorted(cell, key=lambda w: w.y0)),
             min(w.x0 for w in cell), max(w.x1 for w in cell)) for cell in cells]


def column_of(columns: list[tuple[str, float, float]], x: float) -> str:
    """The heading of the column a point lies in: the one whose centre is nearest."""
    return min(columns, key=lambda c: abs((c[1] + c[2]) / 2 - x))[0]


def member(username: str) -> Membership:
    return Membership.objects.select_related("organisation", "position", "department").get(user__username=username)


def a_round(slug: str, year: int, number: int) -> ReportingRound:
    return ReportingRound.objects.get(organisation__slug=slug, fiscal_year=year, number=number)


def compose(username: str, kind: str, fiscal_year: int, **kwargs) -> Memo:
    membership = member(username)
    return compose_memo(organisation=membership.organisation, membership=membership, kind=kind,
                        fiscal_year=fiscal_year, **kwargs)


def render(slug: str, kind: str, year: int, round: int | None = None) -> tuple[dict, bytes]:
    content = build_content(kind, Organisation.objects.get(slug=slug), year, round)
    return content, content_to_pdf(kind, content, draft=True)[0]


# --- the progress report -------------------------------------------------------------------------


@pytest.fixture
def nasom_outcome():
    """nasom's first measure reports, in the 12-month round, an outcome and a suggestion of its own."""
    entry = ProgressEntry.objects.get(round=a_round("nasom", 2566, 2), measure__number=1)
    entry.outcome, entry.suggestions = OUTCOME, SUGGESTION
    entry.save(update_fields=["outcome", "suggestions"])
    return entry


def test_the_progress_report_has_the_columns_of_sub_indicator_10_2_with_the_outcome_in_its_own(nasom_outcome):
    _content, pdf = render("nasom", "progress", 2566, 2)
    found = words(pdf)
    first_page = [w for w in found if w.page == 1]
    columns = header_columns(first_page)
    assert [text for text, _left, _right in columns] == PROGRESS_HEADINGS
    for text, heading in ((OUTCOME, "ผลลัพธ์/ความสำเร็จ"), (SUGGESTION, "ข้อเสนอแนะ")):
        # The text may wrap: its lines, read top to bottom, are the whole text, all in its column.
        lines = sorted((w for w in first_page if len(w.text.strip()) > 2 and w.text.strip() in text),
                       key=lambda w: w.y0)
        assert "".join(w.text.strip() for w in lines) == text
        assert {column_of(columns, w.centre) for w in lines} == {heading}
    status = next(w for w in first_page if w.text.strip() == "ดำเนินการแล้ว")
    assert column_of(columns, status.centre) == "สรุปผลการดำเนินการ"


def test_every_page_of_the_progress_report_repeats_the_header_row(nasom_outcome):
    _content, pdf = render("nasom", "progress", 2566, 2)
    found = words(pdf)
    pages = max(w.page for w in found)
    assert pages > 1
    for page in range(1, pages + 1):
        texts = [text for text, _l, _r in header_columns([w for w in found if w.page == page])]
        assert texts == PROGRESS_HEADINGS, page


def test_the_progress_report_names_the_district_and_province_in_its_heading():
    _content, pdf = render("nasom", "progress", 2566, 2)
    heading = pdf_text(pdf, 1, 1).split("ลำดับ")[0]
    assert "องค์การบริหารส่วนตำบลนาโสมอำเภอชัยบาดาลจังหวัดลพบุรี" in heading
    assert "ประจำปีงบประมาณพ.ศ.๒๕๖๖รอบ๑๒เดือน" in heading


def test_an_office_without_a_district_prints_its_province_only():
    _content, pdf = render("wangthong", "progress", 2566, 1)
    heading = pdf_text(pdf, 1, 1).split("ลำดับ")[0]
    assert "องค์การบริหารส่วนตำบลวังทองจังหวัดหนองบัวลำภู" in heading
    assert "อำเภอ" not in heading


# --- the analysis report -------------------------------------------------------------------------


def test_the_analysis_is_titled_with_the_year_of_its_results():
    content, pdf = render("phusang", "analysis", 2567)
    cover = pdf_text(pdf, 1, 1)
    assert cover.startswith("รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ")
    assert "ประจำปีงบประมาณพ.ศ.๒๕๖๗" in cover and "องค์การบริหารส่วนตำบลภูซางอำเภอภูซางจังหวัดพะเยา" in cover
    assert "๒๕๖๘" not in pdf_text(pdf)  # the plan year is the measures' document, not this one's


def test_the_analysis_states_its_highest_and_lowest_indicators_from_the_data():
    content, pdf = render("phusang", "analysis", 2567)
    text = pdf_text(pdf)
    # FY 2567 (reference 000): 5, 9 and 10 score 100; 2 (การใช้งบประมาณ) 98.92 is the lowest.
    assert ("ตัวชี้วัดที่ได้คะแนนสูงสุดได้แก่ตัวชี้วัดที่๕การแก้ไขปัญหาการทุจริตตัวชี้วัดที่๙การเปิดเผยข้อมูล"
            "และตัวชี้วัดที่๑๐การป้องกันการทุจริต(๑๐๐.๐๐คะแนน)") in text
    assert "ตัวชี้วัดที่ได้คะแนนต่ำสุดได้แก่ตัวชี้วัดที่๒การใช้งบประมาณ(๙๘.๙๒คะแนน)" in text


def test_the_analysis_prints_the_levels_of_its_year_with_the_tool_minimums():
    _content, pdf = render("nasom", "analysis", 2566)
    text = pdf_text(pdf)
    assert "เกณฑ์ระดับผลการประเมินประจำปีงบประมาณพ.ศ.๒๕๖๖" in text
    assert "คะแนนแต่ละเครื่องมือไม่ต่ำกว่า" in text
    # 95.15 overall with EIT at 94.00: ผ่านดี, the row marked as the office's.
    assert "ผ่านดีเยี่ยม†๙๕–๑๐๐๙๕" in text
    assert "ผ่านดี†(ผลของหน่วยงาน)๘๕–๑๐๐๘๕" in text
    assert "ต้องปรับปรุง†๗๐–๘๔.๙๙" in text and "ต้องปรับปรุงโดยด่วน๐–๖๙.๙๙" in text
    assert "†เกณฑ์ตามแหล่งข้อมูลสาธารณะ" in text


@pytest.fixture
def fy2564():
    """wangthong's FY 2564 result as typed from the NACC's page: the indicators and a published total
    that their means do not explain (DOMAIN.md: 0.23 apart for one office), no tool scores."""
    organisation = Organisation.objects.get(slug="wangthong")
    framework = Framework.objects.get(fiscal_year=2564)
    assessment = assessment_start(organisation=organisation, framework=framework, user=None)
    scores = dict(zip(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
                      ["90.00", "85.00", "88.00", "91.00", "80.00", "92.00", "93.00", "94.00", "70.00", "75.00"]))
    indicators = {i: Decimal(scores[i.number]) for i in framework.indicators.filter(number__in=scores)}
    assessment_save_scores(assessment=assessment, user=None, published_overall=Decimal("85.00"), published_level="",
                           tool_scores={}, indicator_scores=indicators, item_scores={})
    return assessment


def test_an_analysis_of_fy_2564_results_is_titled_2564_with_that_years_bands(fy2564):
    _content, pdf = render("wangthong", "analysis", 2564)
    text = pdf_text(pdf)
    assert "ประจำปีงบประมาณพ.ศ.๒๕๖๔" in pdf_text(pdf, 1, 1) and "๒๕๖๕" not in text
    lines = layout_lines(pdf)
    for band in ("AA๙๕–๑๐๐", "A(ผลของหน่วยงาน)๘๕–๙๔.๙๙", "B๗๕–๘๔.๙๙", "E๕๐–๕๔.๙๙", "F๐–๔๙.๙๙"):
        assert band in lines, band
    # FY 2564's bands ask nothing of each tool: no column for it.
    assert "คะแนนแต่ละเครื่องมือ" not in text and "†" not in text


def test_derived_tool_scores_are_marked_and_the_published_total_warning_is_repeated(fy2564):
    content, pdf = render("wangthong", "analysis", 2564)
    text = pdf_text(pdf)
    assert [tool["derived"] for tool in content["tools"]] == [True, True, True]
    for tool in content["tools"]:
        assert f"{thai.format_number(tool['score'])}*" in text
    assert "*คำนวณจากคะแนนรายตัวชี้วัด(ค่าเฉลี่ย)" in text
    [gap] = content["gaps"]
    assert gap["of"] == "overall" and gap["published"] == "85.00"
    assert (f"หมายเหตุคะแนนภาพรวมที่ประกาศ๘๕.๐๐ต่างจากผลรวมตามน้ำหนักของคะแนนรายเครื่องมือ"
            f"({thai.format_number(gap['derived'])})เกินกว่าที่การปัดเศษจะอธิบายได้") in text


def test_the_warning_is_repeated_even_once_a_person_checked_the_figures(fy2564):
    key = next(w.key for w in scoreboard_of(fy2564).warnings)
    Assessment.objects.filter(pk=fy2564.pk).update(acknowledged_warnings={key: {"by": "staff", "at": "x"}})
    _content, pdf = render("wangthong", "analysis", 2564)
    assert "หมายเหตุคะแนนภาพรวมที่ประกาศ๘๕.๐๐" in pdf_text(pdf)


def test_no_column_the_year_leaves_empty(fy2564):
    organisation = Organisation.objects.get(slug="wangthong")
    iit = fy2564.framework.tools.get(code="IIT")
    issue_create(assessment=fy2564, title="การใช้งบประมาณ", tool=iit, items=[], analysis="วิเคราะห์แล้ว",
                 kind="urgent")
    _content, pdf = render("wangthong", "analysis", 2564)
    text = pdf_text(pdf)
    # No sub-indicator scored, no item cited, no indicator named, no recommendation: none of their columns.
    for heading in ("ตัวชี้วัดย่อย", "ข้อคำถาม", "ข้อเสนอแนะ"):
        assert heading not in text, heading
    assert "ประเด็นเครื่องมือการวิเคราะห์ผลการประเมิน" in layout_lines(pdf)
    sub = fy2564.framework.indicators.get(number="9.1")
    fy2564.indicator_scores.create(indicator=sub, score=Decimal("66.00"))
    issue = AnalysisIssue.objects.get(assessment=fy2564)
    issue.indicator = fy2564.framework.indicators.get(number="2")
    issue.recommendation = "ควรเผยแพร่แผนการใช้จ่ายงบประมาณ"
    issue.save()
    _content, pdf = render("wangthong", "analysis", 2564)
    text = pdf_text(pdf)
    assert "ตัวชี้วัดตัวชี้วัดย่อยคะแนน" in text and "ตัวชี้วัดย่อยที่๙.๑" in text
    assert "ตัวชี้วัดที่๒การใช้งบประมาณ" in text and "ควรเผยแพร่แผนการใช้จ่ายงบประมาณ" in text
    # Five columns do not fit a portrait page: the issues are set in landscape, the rest stays portrait.
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    landscape = [page.mediabox.width > page.mediabox.height for page in reader.pages]
    assert landscape[0] is False and landscape[-1] is True
    assert organisation.slug == "wangthong"


def test_each_issue_heading_is_on_the_page_of_its_table():
    content, pdf = render("phusang", "analysis", 2567)
    pages = max(w.page for w in words(pdf))
    by_page = {page: pdf_text(pdf, page, page) for page in range(1, pages + 1)}
    for issue in content["issues"]:
        heading = f"ประเด็นที่{digits(issue['order'])}{squeeze(issue['title'])}"
        [page] = [page for page, text in by_page.items() if heading in text]
        assert by_page[page].index(heading) < by_page[page].index("การวิเคราะห์ผลการประเมิน", by_page[page].index(heading))


# --- the memo and its attachments ---------------------------------------------------------------


def test_an_office_without_oit_data_gets_no_oit_attachment_and_no_oit_sentence():
    OitEntry.objects.filter(organisation__slug="nasom").delete()
    memo = compose("staff.nasom", "progress", 2566, round=a_round("nasom", 2566, 2))
    assert memo.attachments == ["progress"]
    # The OIT tool's score in the result stays; the checklist's sentence and its mention go.
    assert "การเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปีงบประมาณ" not in memo.facts
    assert "เผยแพร่บนเว็บไซต์ของหน่วยงานแล้ว" not in memo.facts
    assert "OIT" not in memo.considerations
    assert "oit" not in memo_snapshot(memo)["documents"]
    assert not any(o.kind == "oit" for year in draft_options(memo.organisation) for o in year.options)


def test_an_office_that_recorded_oit_gets_it_attached_and_told():
    memo = compose("staff.nasom", "progress", 2566, round=a_round("nasom", 2566, 2))
    published = OitEntry.objects.filter(organisation__slug="nasom", status="published").count()
    assert memo.attachments == ["progress", "oit"]
    assert f"เผยแพร่บนเว็บไซต์ของหน่วยงานแล้ว {digits(published)} ข้อ" in memo.facts
    assert "(OIT)" in memo.considerations


def test_the_memo_names_only_the_parts_the_progress_report_holds():
    round = a_round("nasom", 2566, 2)
    memo = compose("staff.nasom", "progress", 2566, round=round)
    # nasom recorded outcomes but no suggestion.
    assert "ผลลัพธ์" in memo.considerations and "ข้อเสนอแนะ" not in memo.considerations
    ProgressEntry.objects.filter(round=round).update(outcome="")
    ProgressEntry.objects.filter(round=round, measure__number=3).update(suggestions=SUGGESTION)
    memo = compose("staff.nasom", "progress", 2566, round=round)
    assert "ผลลัพธ์" not in memo.considerations
    assert "ซึ่งแสดงสรุปผลการดำเนินการ และข้อเสนอแนะของแต่ละมาตรการ" in memo.considerations


def test_a_progress_memo_of_a_round_nobody_reported_names_no_part():
    memo = compose("staff.phusang", "progress", 2568, round=a_round("phusang", 2568, 2))
    assert ProgressEntry.objects.filter(round=memo.round).count() == 0
    assert "ซึ่งแสดง" not in memo.considerations and "ผลลัพธ์" not in memo.considerations


def test_an_analysis_memo_attaches_the_measures_only_when_there_are_some():
    assessment = Assessment.objects.get(organisation__slug="phusang")
    memo = compose("staff.phusang", "analysis", 2568, assessment=assessment)
    assert memo.attachments == ["analysis", "measures"]
    Measure.objects.filter(organisation__slug="phusang", fiscal_year=2568).delete()
    memo = compose("staff.phusang", "analysis", 2568, assessment=assessment)
    assert memo.attachments == ["analysis"]
    assert "ได้กำหนดมาตรการ" not in memo.considerations


def test_the_memo_names_each_attachment_with_its_own_year_and_round():
    analysis = compose("staff.phusang", "analysis", 2568, assessment=Assessment.objects.get(organisation__slug="phusang"))
    titles = memo_snapshot(analysis, with_documents=False)["attachment_titles"]
    assert titles[0].endswith("ภาครัฐ ประจำปีงบประมาณ พ.ศ. ๒๕๖๗")
    assert titles[1].endswith("ภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘")
    progress = compose("staff.nasom", "progress", 2566, round=a_round("nasom", 2566, 2))
    titles = memo_snapshot(progress, with_documents=False)["attachment_titles"]
    assert titles[0].endswith("ความโปร่งใส รอบ ๑๒ เดือน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖")


# --- file names ---------------------------------------------------------------------------------


def approve(memo: Memo, chain: list[str]) -> dict[str, Document]:
    """The memo approved level by level, and its documents by kind (an equal content approved before,
    by the demo, keeps the document it has: one PDF per content)."""
    memo = memo_submit(memo=memo, user=memo.author)
    for level, username in enumerate(chain, start=1):
        memo = memo_decide(memo=memo, user=User.objects.get(username=username), level=level, action="approve")
    content = memo.version.content
    parts = {"memo": content, **{kind: {**part, "organisation": content["organisation"]}
                                 for kind, part in content["documents"].items()}}
    return {kind: Document.objects.select_related("organisation").get(
        organisation=memo.organisation, kind=kind, content_hash=content_hash(kind, part, draft=False))
        for kind, part in parts.items()}


def test_approved_files_carry_the_documents_own_fiscal_year_and_round():
    chain = ["head.phusang", "palad.phusang", "nayok.phusang"]
    analysis = compose("staff.phusang", "analysis", 2568, assessment=Assessment.objects.get(organisation__slug="phusang"))
    documents = approve(analysis, chain)
    assert (documents["analysis"].fiscal_year, documents["measures"].fiscal_year) == (2567, 2568)
    code = documents["analysis"].code
    assert document_filename(documents["analysis"]) == f"analysis-phusang-2567-{code}.pdf"
    assert document_filename(documents["memo"]) == f"memo-phusang-2568-{documents['memo'].code}.pdf"
    assert Memo.objects.get(pk=analysis.pk).number_year == 2570
    assert "2570" not in document_filename(documents["analysis"])

    document = approve(compose("staff.phusang", "progress", 2568, round=a_round("phusang", 2568, 1)), chain)["progress"]
    assert (document.fiscal_year, document.round_number) == (2568, 1)
    assert document_filename(document) == f"progress-phusang-2568-round1-{document.code}.pdf"


def test_a_draft_is_named_with_its_year_round_and_number():
    document = Document(organisation=Organisation.objects.get(slug="nasom"), kind="progress", fiscal_year=2566,
                        round_number=2, pk=41)
    assert document_filename(document) == "progress-nasom-2566-round2-draft-41.pdf"


# --- messages -----------------------------------------------------------------------------------


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_no_message_of_the_submit_flow_shows_a_python_value(login, chain):
    chain("phusang", ["หัวหน้าสำนักปลัด", "ปลัด", "นายก"])
    memo = compose("staff.phusang", "analysis", 2568, assessment=Assessment.objects.get(organisation__slug="phusang"))
    client = login("staff.phusang")
    memo.facts += " ผลการประเมินอยู่ในระดับต้องปรับปรุง"
    memo.save(update_fields=["facts"])
    refused = client.post(f"/o/phusang/memos/{memo.pk}/submit/", follow=True)
    sent = client.post(f"/o/phusang/memos/{memo.pk}/submit/", {"override_reason": "ตามประกาศ"}, follow=True)
    texts = messages_of(refused) + messages_of(sent)
    assert texts and not any(re.search(r"\bNone\b|\[|\{|<", text) for text in texts), texts
    memo.refresh_from_db()
    number = thai.to_thai_digits(f"{memo.organisation.document_code}/{memo.number}")
    assert any(number in text for text in messages_of(sent)), messages_of(sent)


# --- the consistency check of the attachments -----------------------------------------------------


def findings(memo: Memo, kind: str) -> list:
    return [m for m in check_memo(memo) if m.kind == kind]


def test_an_activity_dated_outside_its_measure_and_round_is_found():
    round = a_round("nasom", 2566, 2)
    entry = ProgressEntry.objects.get(round=round, measure__number=1)
    Activity.objects.create(entry=entry, order=9, date=date(2023, 10, 15), description="ประชุมสรุปผล")
    memo = compose("staff.nasom", "progress", 2566, round=round)
    [finding] = findings(memo, "activity_date")
    assert finding.in_attachment and "๑๕ ต.ค. ๖๖" in finding.phrase
    assert "measure" in finding.expected or "มาตรการ" in finding.expected
    assert "None" not in mismatch_message(finding)


def test_a_measure_ended_at_six_months_and_unfinished_in_the_12_month_report_is_found():
    round = a_round("nasom", 2566, 2)
    Measure.objects.filter(organisation__slug="nasom", fiscal_year=2566, number=2).update(end_date=date(2023, 3, 31))
    ProgressEntry.objects.filter(round=round, measure__number=2).update(status="in_progress")
    memo = compose("staff.nasom", "progress", 2566, round=round)
    [finding] = findings(memo, "measure_period")
    assert "2" in finding.phrase and round.name in finding.expected
    ProgressEntry.objects.filter(round=round, measure__number=2).update(status="done")
    assert findings(memo, "measure_period") == []  # cumulative: listed again as done is right


def test_an_issue_citing_an_item_of_another_tool_is_found():
    assessment = Assessment.objects.get(organisation__slug="phusang")
    issue = AnalysisIssue.objects.get(assessment=assessment, order=1)  # an IIT issue
    issue.items.add(Item.objects.filter(framework=assessment.framework, tool__code="EIT").first())
    memo = compose("staff.phusang", "analysis", 2568, assessment=assessment)
    [finding] = findings(memo, "issue_tool")
    assert "EIT" in finding.expected and "IIT" in finding.expected


def test_a_measure_answering_an_indicator_its_issue_does_not_name_is_found():
    assessment = Assessment.objects.get(organisation__slug="phusang")
    issue = AnalysisIssue.objects.get(assessment=assessment, order=1)
    issue.indicator = Indicator.objects.get(framework=assessment.framework, number="1")
    issue.save(update_fields=["indicator"])
    measure = Measure.objects.get(organisation__slug="phusang", fiscal_year=2568, number=1)
    framework = Framework.objects.get(fiscal_year=2568)
    measure.indicators.set([framework.indicators.get(number="7")])
    memo = compose("staff.phusang", "analysis", 2568, assessment=assessment)
    [finding] = findings(memo, "measure_indicator")
    assert "7" in finding.expected and "1" in finding.expected
    measure.indicators.set([framework.indicators.get(number="1")])
    assert findings(memo, "measure_indicator") == []


def test_an_attachment_finding_blocks_submission_until_a_reason_is_given(chain):
    chain("phusang", ["หัวหน้าสำนักปลัด", "ปลัด", "นายก"])
    assessment = Assessment.objects.get(organisation__slug="phusang")
    AnalysisIssue.objects.get(assessment=assessment, order=1).items.add(
        Item.objects.filter(framework=assessment.framework, tool__code="EIT").first())
    memo = compose("staff.phusang", "analysis", 2568, assessment=assessment)
    with pytest.raises(InconsistentMemo) as refused:
        memo_submit(memo=memo, user=memo.author)
    assert [m.kind for m in refused.value.mismatches] == ["issue_tool"]
    memo = memo_submit(memo=memo, user=memo.author, override_reason="จะแก้ในรอบหน้า")
    assert memo.state == Memo.State.IN_REVIEW


def test_the_memo_page_lists_attachment_findings_apart_from_the_text(login):
    assessment = Assessment.objects.get(organisation__slug="phusang")
    AnalysisIssue.objects.get(assessment=assessment, order=1).items.add(
        Item.objects.filter(framework=assessment.framework, tool__code="EIT").first())
    memo = compose("staff.phusang", "analysis", 2568, assessment=assessment)
    response = login("staff.phusang").get(f"/o/phusang/memos/{memo.pk}/")
    assert [m.kind for m in response.context["attachment_mismatches"]] == ["issue_tool"]
    assert response.context["text_mismatches"] == []


# --- the issue form -----------------------------------------------------------------------------


def test_the_issue_form_takes_an_indicator_of_its_tool_and_a_recommendation(login):
    assessment = Assessment.objects.get(organisation__slug="phusang")
    framework = assessment.framework
    iit, indicator = framework.tools.get(code="IIT"), framework.indicators.get(number="2")
    other = framework.indicators.get(number="7")  # an EIT indicator
    client = login("staff.phusang")
    data = {"title": "การใช้งบประมาณ", "tool": iit.pk, "analysis": "ต่ำกว่าตัวชี้วัดอื่น", "kind": "urgent",
            "recommendation": "เผยแพร่แผนการใช้จ่ายงบประมาณทุกไตรมาส"}
    refused = client.post("/o/phusang/assessments/2567/analysis/new/", {**data, "indicator": other.pk})
    assert refused.status_code == 200 and "indicator" in refused.context["form"].errors
    client.post("/o/phusang/assessments/2567/analysis/new/", {**data, "indicator": indicator.pk})
    issue = AnalysisIssue.objects.get(assessment=assessment, title="การใช้งบประมาณ")
    assert (issue.indicator, issue.recommendation) == (indicator, "เผยแพร่แผนการใช้จ่ายงบประมาณทุกไตรมาส")
    page = client.get("/o/phusang/assessments/2567/analysis/").content.decode()
    assert "เผยแพร่แผนการใช้จ่ายงบประมาณทุกไตรมาส" in page
    edit = client.get(f"/o/phusang/assessments/2567/analysis/{issue.pk}/")
    assert edit.context["form"].initial["indicator"] == indicator
    _content, pdf = render("phusang", "analysis", 2567)
    text = pdf_text(pdf)
    assert "ข้อเสนอแนะ" in text and "เผยแพร่แผนการใช้จ่ายงบประมาณทุกไตรมาส" in text


def test_a_failed_render_shows_no_exception_text(login):
    document = Document.objects.create(organisation=Organisation.objects.get(slug="phusang"), kind="measures",
                                       fiscal_year=2568, content={}, content_hash="x" * 64,
                                       state=Document.State.FAILED, error="KeyError: 'rows' at documents.py:212")
    for path in (f"/o/phusang/documents/{document.pk}/", f"/o/phusang/documents/{document.pk}/status/"):
        page = login("staff.phusang").get(path).content.decode()
        assert "KeyError" not in page and "documents.py" not in page
        assert "could not be made" in page or "ไม่สำเร็จ" in page or "ไม่ได้" in page
