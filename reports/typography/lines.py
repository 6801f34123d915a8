"""What the checker reads: lines as they were laid out, from a PDF or a rendered page, and what it reports.

Every reader turns its source into `Line`s; the rules never look at a PDF or a browser, so they are
tested on plain lists of lines (tests/reports/test_typography_rules.py)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    text: str
    source: str  # the document ("measures phusang 2568") or the URL with the width ("/o/phusang/ @390")
    page: int | None = None  # a PDF page, from 1; None on a web page
    number: int = 0  # the line's number on its page (PDF) or in the page's reading order (web)
    y: float = 0.0  # the line's top: points from the top of the PDF page, CSS pixels from the top of the page
    # Lines of one block (a table cell on one page, a paragraph, an element on screen) follow one another:
    # only there does one line wrap onto the next.
    block: str = ""
    # The line starts after a forced break (<br>, a new paragraph, a block inside the block): its first
    # word was never on the line before, so there is no wrap to check.
    hard_break: bool = False
    heading: str = ""  # "h2", "th", "label", "bold"…: the line belongs to a heading
    in_table: bool = False
    # Geometry, where the reader cannot tell a forced break from a wrap (a PDF: <br> leaves no mark):
    # the free space after the line in its container, the font size, the mean advance of a character
    # and the width (and text) of the line's first drawn piece, all in the source's unit. `room` None: every
    # line not after a hard break wrapped.
    room: float | None = None
    size: float = 0.0
    advance: float = 0.0
    first_piece: float = 0.0
    first_piece_text: str = ""

    @property
    def where(self) -> str:
        page = f" p.{self.page}" if self.page is not None else ""
        return f"{self.source}{page} line {self.number}"


@dataclass(frozen=True)
class RowSplit:
    """A table row that a page break cut: how many lines of it each page shows."""

    source: str
    page: int  # the page where the row starts
    lines_before: int  # on `page`: the most lines any of its cells shows there
    lines_after: int  # on the next page
    text: str  # the row's first line, to find it


@dataclass(frozen=True)
class PageFill:
    source: str
    page: int
    fill: float  # how far down the text area the page's content reaches, 0 to 1
    next_continues_table: bool  # the next page starts with the table that ends this page's content
    ends_with_heading: str = ""  # the page's last line belongs to a heading (and more content follows)


@dataclass
class Reading:
    """One source read: its lines, and for a PDF its rows split over pages and its pages' fill."""

    source: str
    lines: list[Line] = field(default_factory=list)
    row_splits: list[RowSplit] = field(default_factory=list)
    pages: list[PageFill] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    rule: str
    source: str
    page: int | None
    line: int
    text: str  # an excerpt, "…end of a line | start of the next…" where the break is the fault
    message: str

    @property
    def where(self) -> str:
        page = f" p.{self.page}" if self.page is not None else ""
        return f"{self.source}{page} line {self.line}"

    def __str__(self) -> str:
        return f"[{self.rule}] {self.where}: {self.message}: {self.text}"


def advance_chars(text: str) -> int:
    """Characters that take a horizontal place (Thai marks above and below the line do not)."""
    return sum(1 for ch in text
               if not (ch == "\u0e31" or "\u0e34" <= ch <= "\u0e3a" or "\u0e47" <= ch <= "\u0e4e"))


def pairs(lines: list[Line]):
    """Each line with the next line of its block, when the second may have wrapped from the first."""
    for first, second in zip(lines, lines[1:]):
        if first.block == second.block and first.source == second.source and not second.hard_break:
            yield first, second


def blocks(lines: list[Line]) -> list[list[Line]]:
    """Runs of consecutive lines of one block, a forced break starting a new run."""
    runs: list[list[Line]] = []
    for line in lines:
        if runs and runs[-1][-1].block == line.block and runs[-1][-1].source == line.source \
                and not line.hard_break:
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def excerpt(first: str, second: str, width: int = 24) -> str:
    head = first.rstrip()
    tail = second.lstrip()
    left = ("…" + head[-width:]) if len(head) > width else head
    right = (tail[:width] + "…") if len(tail) > width else tail
    return f"{left} | {right}"
