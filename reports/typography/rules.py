"""The rules of Thai typography the checker holds every document and page to.

Each rule is a pure function of lines (or of a PDF's rows and pages) and the vocabulary, returning
findings. A pair of lines is judged only where the second may have wrapped from the first: in the same
block, not after a forced break, and (where the reader measured it) with too little room left on the
first line for the second line's first word."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .lines import Finding, Line, PageFill, Reading, RowSplit, advance_chars, blocks, excerpt, pairs
from .words import Vocabulary

THAI_LETTER = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"
IS_THAI_LETTER = re.compile(f"[{THAI_LETTER}]")
DIGIT = "0-9\u0e50-\u0e59"
IS_DIGIT = re.compile(f"[{DIGIT}]")

# A vowel or tone mark written after (above, below, right of) its consonant: it cannot start a line.
FOLLOWING_MARKS = set("ะัาำิีึืุู็่้๊๋์ํ๎ฺๅ")
# A vowel written before its consonant: it cannot end a line.
LEADING_VOWELS = set("เแโใไ")
# Repetition and abbreviation marks belong to the word before them.
TRAILING_SIGNS = set("ๆฯ")

OPENING = set("([{“‘«〈《")
CLOSING = set(")]}”’»〉》")
STRAIGHT_QUOTES = set("\"'")
GLUED_AFTER = CLOSING | STRAIGHT_QUOTES | set(",.:;!?%") | TRAILING_SIGNS

FULL_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
ABBR_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS = FULL_MONTHS + ABBR_MONTHS
NUMBER = f"[{DIGIT}]+(?:[.,][{DIGIT}]+)*"
ENDS_WITH_ERA = re.compile(r"(?:พ\.ศ\.?|ค\.ศ\.?)$")
ENDS_WITH_DAY = re.compile(f"(?:^|[^{DIGIT}.,/:])[{DIGIT}]{{1,2}}$")
STARTS_WITH_YEAR = re.compile(f"^(?:[{DIGIT}]{{2}}|[{DIGIT}]{{4}})(?![{DIGIT}])")
ENDS_WITH_NUMBER = re.compile(f"(?<![{DIGIT}A-Za-z/:.,])({NUMBER})%?$")
STARTS_WITH_NUMBER = re.compile(f"^(?:{NUMBER}|[oie][0-9]+\\b)")

# Words that count what the number before them counts (๖ | เดือน, ๙๙.๗๘ | คะแนน, ๑๐ | ข้อ).
UNITS = frozenset({
    "เดือน", "วัน", "ปี", "สัปดาห์", "ไตรมาส", "ชั่วโมง", "นาที", "คะแนน", "ข้อ", "ครั้ง", "คน", "ราย", "รายการ",
    "บาท", "ล้าน", "แสน", "หมื่น", "พัน", "แห่ง", "เรื่อง", "ฉบับ", "ชิ้น", "หน้า", "เล่ม", "โครงการ", "กิจกรรม",
    "มาตรการ", "ประเด็น", "ตัวชี้วัด", "หน่วยงาน", "ส่วนราชการ", "ระดับ", "%",
})
# Words that name the number after them (ร้อยละ | ๘๕, ข้อ | ๑๐, ประเด็นที่ | ๑, รอบ | ๖ เดือน).
LABELS = frozenset({"ร้อยละ", "ข้อ", "ที่", "รอบ", "ปี", "ปีงบประมาณ", "หน้า", "ลำดับ", "เลขที่", "วันที่",
                    "ครั้งที่", "ข้อที่", "ลำดับที่", "ฉบับที่", "ตัวชี้วัดที่", "ประเด็นที่", "มาตรการที่", "หมู่ที่"})
LIST_ITEM = re.compile(f"[{DIGIT}]+[.)] ")
THAI_TAIL = re.compile(f"[{THAI_LETTER}]+$")
THAI_HEAD = re.compile(f"[{THAI_LETTER}]+")
THAI_THEN_LATIN = re.compile(f"[{THAI_LETTER}][A-Za-z0-9]")


def wrapped(first: Line, second: Line, word: str) -> bool:
    """Whether `second` may have wrapped from `first`, given its first word: without a measure, yes;
    with one, when the word would not have fitted in the room left on the first line. The word's width
    is measured where the second line's first drawn piece starts with it, else estimated from the
    line's mean advance (with a quarter for the estimate's error)."""
    if first.room is None:
        return True
    slack = 0.3 * (first.size or second.size)
    piece = second.first_piece_text.strip()
    if word and piece.startswith(word) and advance_chars(piece):
        return first.room < second.first_piece * advance_chars(word) / advance_chars(piece) + slack
    return first.room < advance_chars(word) * second.advance * 1.25 + slack


def first_unit(text: str, vocabulary: Vocabulary) -> str:
    """What must move to the next line with the line's first word: the word and the punctuation
    glued to it, ("(๙๘.๙๒ | คะแนน)": the closing bracket never starts a line, so "คะแนน)" moves whole)."""
    text = text.lstrip()
    opening = len(text) - len(text.lstrip("".join(OPENING | STRAIGHT_QUOTES)))
    word = vocabulary.first_word(text[opening:])
    end = opening + len(word)
    while end < len(text) and text[end] in GLUED_AFTER:
        end += 1
    return text[:end]


def _finding(rule: str, line: Line, text: str, message: str) -> Finding:
    return Finding(rule, line.source, line.page, line.number, text, message)


def _ends(first: Line, second: Line) -> tuple[str, str] | None:
    """The text either side of a break not at a space, or None when the break is at a space."""
    tail, head = first.text.rstrip(), second.text.lstrip()
    if not tail or not head or tail != first.text or head != second.text:
        return None
    return tail, head


# --- the rules -----------------------------------------------------------------------------------------

def word_break(lines: list[Line], vocabulary: Vocabulary) -> Iterable[Finding]:
    """A line ending inside a word: the end of the line and the start of the next, segmented together,
    make one dictionary word across the break. Also a number cut in two."""
    for first, second in pairs(lines):
        ends = _ends(first, second)
        if ends is None:
            continue
        tail, head = ends
        left = re.split(r"\s", tail)[-1][-30:]
        right = re.split(r"\s", head)[0][:30]
        if IS_DIGIT.match(right[0]) and (IS_DIGIT.match(left[-1]) or (
                left[-1] in ".," and len(left) > 1 and IS_DIGIT.match(left[-2]))):
            # A path, a time or a hash (hex digits) may break anywhere; a number may not. A line that starts
            # "๒. …" is the next item of a list, after a forced break the PDF does not show.
            if not re.search(r"[/:A-Za-z]", left + right) and not LIST_ITEM.match(head) \
                    and wrapped(first, second, right):
                yield _finding("word-break", first, excerpt(tail, head), "a number is cut in two")
            continue
        if not (IS_THAI_LETTER.match(left[-1]) and IS_THAI_LETTER.match(right[0])):
            continue
        if right[0] in FOLLOWING_MARKS or left[-1] in LEADING_VOWELS:
            continue  # the cluster rule's
        token = split_word(THAI_TAIL.search(left)[0], THAI_HEAD.match(right)[0], vocabulary)
        if token and wrapped(first, second, first_unit(head, vocabulary)):
            yield _finding("word-break", first, excerpt(tail, head), f"the word “{token}” is split")


# How much likelier (in natural log) the reading across a break must be than the best reading with the
# break between words: e² ≈ 7 times.
SPLIT_MARGIN = 2.0


def split_word(left: str, right: str, vocabulary: Vocabulary) -> str:
    """The word that `left` + `right` make across their junction, or "".

    newmm alone reads ambiguous text either way (หน่วย|งานประจำ or หน่วยงาน|ประจำ; ปฏิบัติ|การป้องกัน
    or ปฏิบัติการ|ป้องกัน), so the likeliest reading decides: the junction is inside a word when the best
    reading of the two sides together has a word across it and is clearly likelier than the best reading
    of each side apart. A compound the documents may break in a narrow cell (องค์การบริหาร|ส่วนตำบล,
    vocabulary.break_before) is not split there."""
    junction = len(left)
    together, words = vocabulary.best_reading(left + right)
    start = 0
    for word in words:
        end = start + len(word)
        if start < junction < end:
            if word not in vocabulary.words or vocabulary.may_break_before(word, junction - start):
                return ""
            apart = vocabulary.best_reading(left)[0] + vocabulary.best_reading(right)[0]
            return word if together > apart + SPLIT_MARGIN else ""
        start = end
    return ""


def cluster_break(lines: list[Line], vocabulary: Vocabulary) -> Iterable[Finding]:
    """A vowel or tone mark parted from its consonant: a following mark at a line's start, a leading
    vowel at a line's end; ๆ and ฯ parted from their word."""
    for first, second in pairs(lines):
        tail, head = first.text.rstrip(), second.text.lstrip()
        if not tail or not head:
            continue
        if head[0] in FOLLOWING_MARKS:
            yield _finding("cluster-break", first, excerpt(tail, head), f"“{head[0]}” starts a line")
        elif head[0] in TRAILING_SIGNS and not head.startswith("ฯลฯ"):
            yield _finding("cluster-break", first, excerpt(tail, head),
                           f"“{head[0]}” is parted from its word")
        elif tail[-1] in LEADING_VOWELS and tail == first.text:
            yield _finding("cluster-break", first, excerpt(tail, head), f"“{tail[-1]}” ends a line")


def bracket(lines: list[Line], vocabulary: Vocabulary) -> Iterable[Finding]:
    """An opening bracket or quote at a line's end, a closing one at a line's start."""
    for first, second in pairs(lines):
        tail, head = first.text.rstrip(), second.text.lstrip()
        if not tail or not head:
            continue
        if tail[-1] in OPENING:
            yield _finding("bracket", first, excerpt(tail, head), f"“{tail[-1]}” ends a line")
        elif tail[-1] in STRAIGHT_QUOTES and tail.count(tail[-1]) % 2 == 1 and (
                len(tail) == 1 or tail[-2].isspace()):
            yield _finding("bracket", first, excerpt(tail, head), f"the quote {tail[-1]} ends a line")
        if head[0] in CLOSING:
            yield _finding("bracket", first, excerpt(tail, head), f"“{head[0]}” starts a line")
        elif head[0] in STRAIGHT_QUOTES and head.count(head[0]) % 2 == 1 and tail.count(head[0]) % 2 == 1:
            yield _finding("bracket", first, excerpt(tail, head), f"the quote {head[0]} starts a line")


def _starts_with_month(text: str) -> str:
    return next((m for m in MONTHS if text.startswith(m)), "")


def _ends_with_month(text: str) -> str:
    return next((m for m in MONTHS if text.endswith(m)), "")


def date_apart(lines: list[Line], vocabulary: Vocabulary) -> Iterable[Finding]:
    """พ.ศ. apart from its year, a day apart from its month, a month apart from its year."""
    for first, second in pairs(lines):
        tail, head = first.text.rstrip(), second.text.lstrip()
        if not tail or not head or not wrapped(first, second, first_unit(head, vocabulary)):
            continue
        if ENDS_WITH_ERA.search(tail) and IS_DIGIT.match(head[0]):
            yield _finding("date-apart", first, excerpt(tail, head), "the era is parted from its year")
        elif ENDS_WITH_DAY.search(tail) and _starts_with_month(head):
            yield _finding("date-apart", first, excerpt(tail, head), "the day is parted from its month")
        elif _ends_with_month(tail) and (STARTS_WITH_YEAR.match(head) or head.startswith("พ.ศ.")):
            yield _finding("date-apart", first, excerpt(tail, head), "the month is parted from its year")


def number_unit(lines: list[Line], vocabulary: Vocabulary) -> Iterable[Finding]:
    """A number parted from the word that counts it (๖ | เดือน) or from the word that names it
    (ร้อยละ | ๘๕)."""
    for first, second in pairs(lines):
        tail, head = first.text.rstrip(), second.text.lstrip()
        if not tail or not head or _starts_with_month(head):
            continue  # a date is the date rule's
        if not wrapped(first, second, first_unit(head, vocabulary)):
            continue
        if ENDS_WITH_NUMBER.search(tail):
            unit = "%" if head.startswith("%") else vocabulary.first_word(head)
            if unit in UNITS:
                yield _finding("number-unit", first, excerpt(tail, head),
                               f"the number is parted from “{unit}”")
                continue
        if STARTS_WITH_NUMBER.match(head) and not ENDS_WITH_ERA.search(tail) and not _ends_with_month(tail):
            label = vocabulary.last_word(tail)
            if label in LABELS or (label.endswith("ที่") and label in vocabulary.words):
                yield _finding("number-unit", first, excerpt(tail, head),
                               f"“{label}” is parted from its number")


def _words(text: str, vocabulary: Vocabulary) -> list[str]:
    return [token for token in vocabulary.tokens(text.strip())
            if token.strip() and re.search(f"[{THAI_LETTER}{DIGIT}A-Za-z]", token)]


def heading_runt(lines: list[Line], vocabulary: Vocabulary) -> Iterable[Finding]:
    """A heading whose last line holds one short word: the word the line before could have taken."""
    for run in blocks(lines):
        if len(run) < 2 or not all(line.heading for line in run):
            continue
        before, last = run[-2], run[-1]
        words = _words(last.text, vocabulary)
        if len(words) == 1 and advance_chars(last.text.strip()) * 2 <= advance_chars(before.text.strip()) \
                and wrapped(before, last, words[0]):
            yield _finding("heading-runt", last, excerpt(before.text, last.text),
                           f"the heading's last word stands alone ({last.heading})")


def thai_latin(lines: list[Line], vocabulary: Vocabulary) -> Iterable[Finding]:
    """Thai letters run straight into Latin letters or Arabic digits (ระดับB): a space is missing."""
    for line in lines:
        for match in THAI_THEN_LATIN.finditer(line.text):
            start = max(0, match.start() - 12)
            yield _finding("thai-latin", line, line.text[start:match.end() + 12].strip(),
                           "no space between Thai and Latin text")


def row_split(splits: list[RowSplit]) -> Iterable[Finding]:
    """A table row cut by a page break with fewer than two of its lines on either page."""
    for split in splits:
        if split.lines_before < 2 or split.lines_after < 2:
            yield Finding("row-split", split.source, split.page, 0, split.text,
                          f"a row split {split.lines_before} line(s) | {split.lines_after} line(s)")


SHORT_PAGE = 1 / 3


def page_economy(fills: list[PageFill]) -> Iterable[Finding]:
    """A page less than a third full followed by the same table; a heading left at a page's foot."""
    for fill in fills:
        if fill.fill < SHORT_PAGE and fill.next_continues_table:
            yield Finding("short-page", fill.source, fill.page, 0, f"{fill.fill:.0%} full",
                          "the page is less than a third full and its table goes on overleaf")
        if fill.ends_with_heading:
            yield Finding("heading-at-foot", fill.source, fill.page, 0, fill.ends_with_heading,
                          "a heading ends the page, its text is overleaf")


@dataclass(frozen=True)
class Rule:
    name: str
    check: Callable
    about: str


LINE_RULES = (
    Rule("word-break", word_break, "a line ends inside a word (or a number)"),
    Rule("cluster-break", cluster_break, "a vowel or tone mark parted from its consonant"),
    Rule("bracket", bracket, "an opening bracket or quote at a line end, a closing one at a line start"),
    Rule("date-apart", date_apart, "พ.ศ., a day or a month parted from the rest of its date"),
    Rule("number-unit", number_unit, "a number parted from its unit or label"),
    Rule("heading-runt", heading_runt, "a heading's last word alone on a line"),
    Rule("thai-latin", thai_latin, "Thai run into Latin letters or digits without a space"),
)
RULE_NAMES = tuple(r.name for r in LINE_RULES) + ("row-split", "short-page", "heading-at-foot")


def check(reading: Reading, vocabulary: Vocabulary) -> list[Finding]:
    findings: list[Finding] = []
    for rule in LINE_RULES:
        findings.extend(rule.check(reading.lines, vocabulary))
    findings.extend(row_split(reading.row_splits))
    findings.extend(page_economy(reading.pages))
    return findings
