"""The consistency check run before a memo is submitted: its text against the records, and the records
its attachments print against each other.

Typed memos contradict their own records (DOMAIN.md, "What goes wrong today"): 000 calls 99.78 points
"ระดับต้องปรับปรุง", 002 places its office in another province's district. The check reads the
subject and every part, finds each score, level word, fiscal year and organisation, place or unit
name, and compares it with the records. The attached documents are printed from the records, so they
cannot misquote them, but the records can disagree with each other, and the documents would show it:
an activity dated outside its measure's period or its round, a measure whose period ended in an earlier
round still unfinished in a later report, an issue citing items of another tool, a measure answering an
indicator its issues do not name. Pure reading: nothing is written.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from pythainlp.tokenize import word_tokenize

from django.db.models import Prefetch

from assessments.models import AnalysisIssue, Assessment
from assessments.selectors import assessments_of, issues_of, item_scores_of, scoreboard_of
from itaportal.accounts.models import Department, Organisation
from itaportal.dates import screen_date
from itaportal.thai import format_number, to_arabic_digits, to_thai_digits
from measures.models import Activity, Measure, ProgressEntry, ReportingRound
from measures.periods import activity_date_warning

from .models import Memo, MemoKind

# Findings in an attached document rather than in the memo's text.
ATTACHMENT_KINDS = frozenset({"activity_date", "measure_period", "issue_tool", "measure_indicator"})


@dataclass(frozen=True)
class Mismatch:
    """A phrase of the memo that contradicts the records, and what the records say; for an attached
    document, where it shows the contradiction and what is wrong there."""

    phrase: str  # as it stands in the memo, e.g. "ระดับต้องปรับปรุง"; or the place in the attachment
    expected: str  # what the records say, e.g. "ผ่านดีเยี่ยม"; or what is wrong in the attachment
    kind: str  # score | level | year | organisation | place | unit, or one of ATTACHMENT_KINDS

    @property
    def in_attachment(self) -> bool:
        return self.kind in ATTACHMENT_KINDS


def mismatch_message(mismatch: Mismatch) -> str:
    if mismatch.in_attachment:
        return _("%(where)s: %(problem)s") % {"where": mismatch.phrase, "problem": mismatch.expected}
    return _("“%(phrase)s” does not match the records: %(expected)s") % {
        "phrase": mismatch.phrase, "expected": mismatch.expected}


DIGIT = "[0-9๐-๙]"
# A level word counts when it follows "ระดับ" this closely ("อยู่ในระดับ A หรือ ผ่านดี" in 001).
LEVEL_CUE, LEVEL_REACH = "ระดับ", 25
# "ผ่าน" is also an everyday word (ผ่านมาแล้ว, ผ่านหัวหน้าสำนักปลัด): a level only right after ระดับ.
BARE_PASS = "ผ่าน"
SCORE = re.compile(rf"(?<![0-9๐-๙.,]){DIGIT}{{1,3}}\.{DIGIT}{{2}}(?!{DIGIT})")
SCORE_CUE, CUE_AFTER, CUE_BEFORE = "คะแนน", 8, 25
INDICATOR_LABEL = re.compile(rf"ตัวชี้วัดที่\s*({DIGIT}+(?:\.{DIGIT}+)?)")
YEAR = re.compile(rf"(?:ปีงบประมาณ|ประจำปี)\s*(?:พ\.\s*ศ\.\s*)?({DIGIT}{{4}})(?!{DIGIT})")
MISSPELT = "องค์กรบริหารส่วนตำบล"
ORGANISATION = re.compile(rf"องค์การบริหารส่วนตำบล|{MISSPELT}|อบต\.|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร")
PROVINCE, DISTRICT = "จังหวัด", "อำเภอ"
PLACE = re.compile(f"{PROVINCE}|{DISTRICT}")
UNIT = re.compile("กอง|สำนัก")
# A Thai word starts with a consonant or a leading vowel; anything else after a prefix (a space,
# "/", ".", "ฯ") is the generic noun: "ทุกสำนัก ทุกกอง", "สาธารณสุขอำเภอ เป็นต้น".
NAME_START = re.compile("[ก-ฮเ-ไ]")
STANDALONE = re.compile(r"([^\s()/:,.]{1,15})(?:[\s()/:,]|$)")


def latest_assessment(organisation: Organisation, up_to_year: int) -> Assessment | None:
    """The newest assessment of the organisation up to that fiscal year: the result a memo can cite."""
    return assessments_of(organisation).filter(framework__fiscal_year__lte=up_to_year).first()


def _first_word(text: str, known: tuple[str, ...] = ()) -> str:
    """The name a prefix is followed by, as the reader sees it. Place names are often two dictionary
    words (ภู|ซาง, เชียง|คำ), so a known name, or a short name standing alone before a space as in an
    address ("อำเภอหางดง จังหวัด…"), is quoted whole; otherwise the first word."""
    for name in known:
        if name and text.startswith(name):
            return name
    alone = STANDALONE.match(text)
    if alone:
        return alone.group(1)
    words = word_tokenize(text[:40], engine="newmm", keep_whitespace=False)
    return words[0] if words else ""


def _words_from(text: str, start: int) -> list[str]:
    """The words from `start` on, or none when `start` falls inside a word (นายกองค์การ holds no กอง)."""
    offset = max(0, start - 12)
    words = word_tokenize(text[offset : start + 40], engine="newmm")
    for at, word in enumerate(words):
        if offset == start:
            return [w for w in words[at:] if not w.isspace()]
        if offset > start:
            break
        offset += len(word)
    return []


def _named(rest: str) -> bool:
    return NAME_START.match(rest) is not None


class _Records:
    """What the memo may say, read once."""

    def __init__(self, memo: Memo):
        self.organisation = memo.organisation
        if memo.assessment_id:
            self.assessment = assessments_of(memo.organisation).filter(pk=memo.assessment_id).first()
        else:
            self.assessment = latest_assessment(memo.organisation, memo.fiscal_year)
        self.years = {memo.fiscal_year}
        if memo.kind == MemoKind.PROGRESS:
            self.years.add(memo.fiscal_year - 1)
        self.levels: list[str] = []
        self.level = None
        self.overall = None
        self.tools: dict[str, Decimal] = {}
        self.indicators: dict[str, Decimal] = {}
        self.figures: set[Decimal] = set()
        if self.assessment is not None:
            self._read_assessment(self.assessment)
        self.units = list(
            Department.objects.filter(organisation=self.organisation).order_by("order", "name").values_list(
                "name", flat=True
            )
        )

    def _read_assessment(self, assessment: Assessment) -> None:
        self.years.add(assessment.fiscal_year)
        board = scoreboard_of(assessment)
        # Longest first, so that ต้องปรับปรุงโดยด่วน is never read as ต้องปรับปรุง.
        self.levels = sorted({rule["name"] for rule in assessment.level_rules}, key=len, reverse=True)
        self.level = board.level.name if board.level else None
        self.overall = board.overall
        self.tools = {tool.code: tool.shown for tool in board.tools if tool.shown is not None}
        self.indicators = {s.indicator.number: s.score for s in assessment.indicator_scores.all()}
        self.figures = {*self.tools.values(), *self.indicators.values()}
        self.figures |= {s.score for s in item_scores_of(assessment).values()}
        if self.overall is not None:
            self.figures.add(self.overall)


def _levels(text: str, records: _Records) -> list[tuple[int, Mismatch]]:
    if not records.levels or records.level is None:
        return []
    found = []
    longest = len(records.levels[0])
    for cue in re.finditer(LEVEL_CUE, text):
        if text[max(0, cue.start() - 2) : cue.start()] == "ยก":
            continue  # ยกระดับ: to raise, not a level
        window = text[cue.end() : cue.end() + LEVEL_REACH + longest]
        best = None
        for name in records.levels:
            if name == BARE_PASS:
                stripped = window.lstrip()
                at = len(window) - len(stripped) if stripped.startswith(name) else -1
            else:
                at = window.find(name)
            if 0 <= at <= LEVEL_REACH and (best is None or at < best[0]):
                best = (at, name)
        if best is not None and best[1] != records.level:
            phrase = text[cue.start() : cue.end() + best[0] + len(best[1])]
            found.append((cue.start(), Mismatch(phrase, records.level, "level")))
    return found


def _expected_score(before: str, records: _Records) -> str:
    """The figure the words just before the number name (a tool, an indicator), else the overall."""
    labelled = []
    for code, score in records.tools.items():
        at = before.rfind(code)
        if at >= 0:
            labelled.append((at, score))
    for match in INDICATOR_LABEL.finditer(before):
        score = records.indicators.get(to_arabic_digits(match.group(1)))
        if score is not None:
            labelled.append((match.start(), score))
    if labelled:
        return format_number(max(labelled, key=lambda pair: pair[0])[1])
    return format_number(records.overall) if records.overall is not None else _("no ITA result is recorded")


def _scores(text: str, records: _Records) -> list[tuple[int, Mismatch]]:
    found = []
    for match in SCORE.finditer(text):
        after = text[match.end() : match.end() + CUE_AFTER]
        before = text[max(0, match.start() - CUE_BEFORE) : match.start()]
        if SCORE_CUE not in after and SCORE_CUE not in before:
            continue
        if Decimal(to_arabic_digits(match.group())) in records.figures:
            continue
        context = text[max(0, match.start() - 60) : match.start()]
        found.append((match.start(), Mismatch(match.group(), _expected_score(context, records), "score")))
    return found


# A year this far beyond the memo's is a national target (002 quotes the strategy's ปีงบประมาณ
# พ.ศ. ๒๕๘๐), not a mixed-up fiscal year; the mix-ups the check exists for are a year or two apart.
FUTURE_TARGET_GAP = 5


def _years(text: str, records: _Records) -> list[tuple[int, Mismatch]]:
    expected = " หรือ ".join(to_thai_digits(year) for year in sorted(records.years, reverse=True))
    found = []
    for match in YEAR.finditer(text):
        year = int(to_arabic_digits(match.group(1)))
        if year not in records.years and year <= max(records.years) + FUTURE_TARGET_GAP:
            found.append((match.start(), Mismatch(match.group(), expected, "year")))
    return found


def _organisations(text: str, records: _Records) -> list[tuple[int, Mismatch]]:
    organisation = records.organisation
    own_prefixes = {organisation.FULL_PREFIX[organisation.kind], organisation.SHORT_PREFIX[organisation.kind]}
    found = []
    for match in ORGANISATION.finditer(text):
        prefix, rest = match.group(), text[match.end() :]
        named = _named(rest)
        ours = prefix in own_prefixes and rest.startswith(organisation.name)
        if prefix != MISSPELT and (not named or ours):
            continue
        phrase = prefix + (_first_word(rest, (organisation.name,)) if named else "")
        found.append((match.start(), Mismatch(phrase, organisation.full_name, "organisation")))
    return found


def _places(text: str, records: _Records) -> list[tuple[int, Mismatch]]:
    organisation = records.organisation
    province = organisation.province.name
    district = organisation.district.name if organisation.district_id else ""
    found = []
    for match in PLACE.finditer(text):
        prefix, rest = match.group(), text[match.end() :]
        if not _named(rest):
            continue
        if prefix == PROVINCE:
            right, expected = rest.startswith(province), PROVINCE + province
        elif district:
            right, expected = rest.startswith(district), DISTRICT + district
        else:
            # 002 puts อบต.วังทอง in อำเภอหางดง, a district of another province: with no district
            # recorded there is nothing a mention could agree with.
            right, expected = False, _("the district of %(organisation)s is not recorded") % {
                "organisation": organisation.full_name
            }
        if not right:
            phrase = prefix + _first_word(rest, (province, district))
            found.append((match.start(), Mismatch(phrase, expected, "place")))
    return found


def _units(text: str, records: _Records) -> list[tuple[int, Mismatch]]:
    found = []
    for match in UNIT.finditer(text):
        prefix, here = match.group(), text[match.start() :]
        if any(here.startswith(name) for name in records.units) or not _named(text[match.end() :]):
            continue
        words = _words_from(text, match.start())
        # กองทุน, สำนักงาน (สำนักงาน ป.ป.ช.), สำนักนายกรัฐมนตรี are words of their own, not units.
        if not words or words[0] != prefix:
            continue
        unit = prefix + (words[1] if len(words) > 1 else "")
        # An abbreviated name (กองการศึกษาฯ) names the unit as well as the full one does.
        if any(name.startswith(unit) for name in records.units):
            continue
        found.append((match.start(), Mismatch(unit, ", ".join(records.units), "unit")))
    return found


CHECKS = (_levels, _scores, _years, _organisations, _places, _units)


# --- the attachments ---------------------------------------------------------------------------


def _measure_label(measure: Measure) -> str:
    return _("Measure %(number)s “%(title)s”") % {"number": measure.number, "title": _short(measure.title)}


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _issue_tools(assessment: Assessment) -> list[Mismatch]:
    """Each issue's items and indicator belong to its tool (the analysis prints them under it)."""
    tools = {tool.pk: tool.code for tool in assessment.framework.tools.all()}
    found = []
    for issue in issues_of(assessment):
        label = _("Issue %(order)s “%(title)s”") % {"order": issue.order, "title": _short(issue.title)}
        others = [item for item in issue.items.all() if item.tool_id != issue.tool_id]
        for item in others:
            problem = _("item %(code)s is an item of %(other)s, not of %(tool)s, the issue's tool.") % {
                "code": item.code, "other": tools.get(item.tool_id, ""), "tool": issue.tool.code}
            found.append(Mismatch(label, problem, "issue_tool"))
        if issue.indicator_id and issue.indicator.tool_id != issue.tool_id:
            problem = _("indicator %(number)s belongs to %(other)s, not to %(tool)s, the issue's tool.") % {
                "number": issue.indicator.number, "other": tools.get(issue.indicator.tool_id, ""),
                "tool": issue.tool.code}
            found.append(Mismatch(label, problem, "issue_tool"))
    return found


def _related(number: str, named: set[str]) -> bool:
    """Indicator numbers agree when equal or one is a sub-indicator of the other (9.1 under 9); by
    number, as a measure of year N may answer the indicators of N's framework and its issues N-1's."""
    return any(number == other or number.startswith(f"{other}.") or other.startswith(f"{number}.")
               for other in named)


def _measure_indicators(organisation: Organisation, fiscal_year: int) -> list[Mismatch]:
    """A measure answers the indicators its issues are about. An issue that names no indicator says
    nothing to check against, so a measure is checked only when some of its issues name one."""
    measures = Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).prefetch_related(
        Prefetch("issues", queryset=AnalysisIssue.objects.select_related("indicator")), "indicators",
    ).order_by("number")
    found = []
    for measure in measures:
        named = {issue.indicator.number for issue in measure.issues.all() if issue.indicator_id}
        if not named:
            continue
        for indicator in measure.indicators.all():
            if not _related(indicator.number, named):
                found.append(Mismatch(_measure_label(measure), _(
                    "it answers indicator %(number)s, which its issues do not name (they name %(named)s)."
                ) % {"number": indicator.number, "named": ", ".join(sorted(named))}, "measure_indicator"))
    return found


def _progress(round: ReportingRound) -> list[Mismatch]:
    """What the round's report prints: the dates of what was done, and measures that should be over."""
    year = {"organisation_id": round.organisation_id, "fiscal_year": round.fiscal_year}
    measures = list(Measure.objects.filter(**year, start_date__lte=round.period_end).order_by("number"))
    entries = {
        entry.measure_id: entry
        for entry in ProgressEntry.objects.filter(measure__in=measures, round=round).prefetch_related(
            Prefetch("activities", queryset=Activity.objects.all()))
    }
    earlier = list(ReportingRound.objects.filter(**year, number__lt=round.number).order_by("number"))
    found = []
    for measure in measures:
        entry = entries.get(measure.pk)
        for activity in entry.activities.all() if entry else ():
            warning = activity_date_warning(measure, round, activity.date)
            if warning:
                where = _("%(measure)s, the activity of %(date)s") % {
                    "measure": _measure_label(measure), "date": screen_date(activity.date, "abbr")}
                found.append(Mismatch(where, warning, "activity_date"))
        # Reports are cumulative, so a measure that ended in an earlier round is listed again; it
        # contradicts its own period only when this report does not say it was done.
        ended_in = next((r for r in earlier if measure.end_date <= r.period_end), None)
        if ended_in is not None and (entry is None or entry.status != ProgressEntry.Status.DONE):
            problem = _("its period ended on %(end)s, within %(earlier)s, yet the report of %(round)s "
                        "lists it as %(status)s.") % {
                "end": screen_date(measure.end_date, "abbr"), "earlier": ended_in.name, "round": round.name,
                "status": entry.get_status_display() if entry else _("not reported")}
            found.append(Mismatch(_measure_label(measure), problem, "measure_period"))
    return found


def check_attachments(memo: Memo) -> list[Mismatch]:
    """What the memo's attached documents would print that the records contradict, document by document."""
    found = []
    if "analysis" in memo.attachments and memo.assessment_id:
        assessment = assessments_of(memo.organisation).filter(pk=memo.assessment_id).first()
        if assessment is not None:
            found += _issue_tools(assessment)
    if "measures" in memo.attachments:
        found += _measure_indicators(memo.organisation, memo.fiscal_year)
    if "progress" in memo.attachments and memo.round_id:
        found += _progress(memo.round)
    return found


def check_memo(memo: Memo) -> list[Mismatch]:
    """Every phrase of the memo's text that contradicts the records, once each, in reading order; then
    what its attachments would print wrongly."""
    text = "\n".join([memo.subject, memo.background, memo.facts, memo.considerations, memo.proposal])
    records = _Records(memo)
    found = sorted((pair for check in CHECKS for pair in check(text, records)), key=lambda pair: pair[0])
    return list(dict.fromkeys([*(mismatch for _position, mismatch in found), *check_attachments(memo)]))
