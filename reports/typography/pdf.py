"""Lines of a PDF as they were laid out, read from its content streams with pypdf.

The portal's PDFs carry an exact Thai text layer: every fragment of text that WeasyPrint draws as one
piece (a line of a text box, a word kept whole in its own box) is wrapped in a marked-content span with
its real text as /ActualText (reports/pdftext.py); ASCII text is drawn as it is and read through the
font's ToUnicode map. This module interprets the page's operators (the graphics and text matrices,
glyph widths, marked content, drawn lines), so each fragment has its page, its baseline, its x extent,
its font size and weight.

Fragments on one baseline inside one container are one line. The container is the table cell drawn
around the text — the portal's document tables (table.doc) have a border on every cell — or the page's
text flow. A row whose cells have no bottom border at the foot of a page goes on to the next page
(WeasyPrint slices a split cell's borders), which is how a split row is found.
"""

import io
import re
from dataclasses import dataclass, field

import pypdf
from pypdf.generic import ContentStream, DictionaryObject

from .lines import Line, PageFill, Reading, RowSplit, advance_chars

# The portal's page margins (templates/reports/pdf/_base.html: @page margin 2cm 2cm 2cm 3cm): page
# numbers sit above the text area and the verification footer below it.
CM = 72 / 2.54
MARGIN_TOP = MARGIN_BOTTOM = 2 * CM
MARGIN_LEFT, MARGIN_RIGHT = 3 * CM, 2 * CM
CELL_PADDING = 4.5  # table.doc cells: .5pt border, 3pt padding, and some slack

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m, n):
    """m × n in PDF's row-vector convention: apply m, then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


@dataclass
class Font:
    bold: bool
    two_bytes: bool
    widths: dict[int, float]
    default_width: float
    to_unicode: dict[int, str]

    def codes(self, data: bytes) -> list[int]:
        if self.two_bytes:
            return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)

    def text(self, data: bytes) -> str:
        return "".join(self.to_unicode.get(code, "") for code in self.codes(data))


_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _unicode(hex_bytes: bytes) -> str:
    return bytes.fromhex(hex_bytes.decode()).decode("utf-16-be", errors="replace")


def read_to_unicode(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        values = _HEX.findall(section)
        for code, text in zip(values[::2], values[1::2]):
            mapping[int(code, 16)] = _unicode(text)
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in section.strip().splitlines():
            found = re.match(rb"\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(.*)", line)
            if not found:
                continue
            start, end, rest = int(found[1], 16), int(found[2], 16), found[3].strip()
            if rest.startswith(b"["):
                for offset, text in enumerate(_HEX.findall(rest)):
                    mapping[start + offset] = _unicode(text)
            else:
                first = _HEX.match(rest)
                if first:
                    base = _unicode(first[1])
                    for offset in range(end - start + 1):
                        mapping[start + offset] = base[:-1] + chr(ord(base[-1]) + offset)
    return mapping


def read_font(font: DictionaryObject) -> Font:
    font = font.get_object()
    bold = "bold" in str(font.get("/BaseFont", "")).lower()
    to_unicode = read_to_unicode(font["/ToUnicode"].get_object().get_data()) if "/ToUnicode" in font else {}
    widths: dict[int, float] = {}
    if font.get("/Subtype") == "/Type0":
        descendant = font["/DescendantFonts"][0].get_object()
        default = float(descendant.get("/DW", 1000))
        w = list(descendant.get("/W", []))
        i = 0
        while i < len(w):
            first = int(w[i])
            if isinstance(w[i + 1], list):
                for offset, width in enumerate(w[i + 1]):
                    widths[first + offset] = float(width)
                i += 2
            else:
                last, width = int(w[i + 1]), float(w[i + 2])
                for code in range(first, last + 1):
                    widths[code] = width
                i += 3
        return Font(bold, True, widths, default, to_unicode)
    first = int(font.get("/FirstChar", 0))
    for offset, width in enumerate(font.get("/Widths", [])):
        widths[first + offset] = float(width)
    return Font(bold, False, widths, 0.0, to_unicode)


@dataclass
class Fragment:
    x0: float
    x1: float
    baseline: float  # from the page's top
    size: float
    bold: bool
    text: str


@dataclass
class Segment:
    """A drawn straight line: a cell border (or a rule)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def vertical(self) -> bool:
        return abs(self.x1 - self.x0) < 0.5 and abs(self.y1 - self.y0) >= 0.5

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) < 0.5 and abs(self.x1 - self.x0) >= 0.5


@dataclass
class _Span:
    actual: str | None
    fragment: Fragment | None = None


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    fragments: list[Fragment] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


class _Interpreter:
    """Just enough of PDF's imaging model to place text and lines: q/Q/cm, BT/ET and the text
    operators, marked content with /ActualText, paths, and form XObjects."""

    def __init__(self, page: PageContent, reader):
        self.page = page
        self.reader = reader
        self.fonts: dict[int, Font] = {}

    def font(self, ref) -> Font:
        key = id(ref.get_object())
        if key not in self.fonts:
            self.fonts[key] = read_font(ref)
        return self.fonts[key]

    def to_page(self, x, y):
        return x, self.page.height - y

    def run(self, content, resources, ctm):
        operations = ContentStream(content, self.reader).operations
        stack = []
        tm = tlm = IDENTITY
        font, size, char_spacing, word_spacing, scale, leading, rise = None, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0
        spans: list[_Span] = []
        path: list[tuple[float, float]] = []
        path_segments: list[Segment] = []
        fonts = resources.get("/Font", {}) if resources else {}
        fonts = fonts.get_object() if hasattr(fonts, "get_object") else fonts

        def show(data: bytes):
            nonlocal tm
            if font is None:
                return
            trm = multiply((size * scale, 0, 0, size, 0, rise), multiply(tm, ctm))
            start = apply(trm, 0, 0)
            for code in font.codes(data):
                advance = font.widths.get(code, font.default_width) / 1000 * size + char_spacing
                if not font.two_bytes and code == 32:
                    advance += word_spacing
                tm = multiply((1, 0, 0, 1, advance * scale, 0), tm)
            end = apply(multiply((size * scale, 0, 0, size, 0, rise), multiply(tm, ctm)), 0, 0)
            rotated = abs(trm[1]) > 1e-3 or abs(trm[2]) > 1e-3
            if rotated:  # the draft watermark: not a line of the text
                return
            points = (self.to_page(*start), self.to_page(*end))
            height = abs(trm[3])
            actual = next((span for span in reversed(spans) if span.actual is not None), None)
            if actual is not None:
                if actual.fragment is None:
                    actual.fragment = Fragment(points[0][0], points[1][0], points[0][1], height, font.bold,
                                               actual.actual)
                    self.page.fragments.append(actual.fragment)
                else:
                    actual.fragment.x1 = max(actual.fragment.x1, points[1][0])
                return
            text = font.text(data)
            if text:
                self.page.fragments.append(
                    Fragment(points[0][0], points[1][0], points[0][1], height, font.bold, text))

        for operands, operator in operations:
            op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop() if stack else ctm
            elif op == "cm":
                ctm = multiply(tuple(float(v) for v in operands), ctm)
            elif op == "BT":
                tm = tlm = IDENTITY
            elif op == "Tf":
                font = self.font(fonts[operands[0]]) if operands[0] in fonts else None
                size = float(operands[1])
            elif op == "Tc":
                char_spacing = float(operands[0])
            elif op == "Tw":
                word_spacing = float(operands[0])
            elif op == "Tz":
                scale = float(operands[0]) / 100
            elif op == "TL":
                leading = float(operands[0])
            elif op == "Ts":
                rise = float(operands[0])
            elif op == "Tm":
                tm = tlm = tuple(float(v) for v in operands)
            elif op in ("Td", "TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if op == "TD":
                    leading = -ty
                tm = tlm = multiply((1, 0, 0, 1, tx, ty), tlm)
            elif op == "T*":
                tm = tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
            elif op == "Tj":
                show(_bytes(operands[0]))
            elif op in ("'", '"'):
                if op == '"':
                    word_spacing, char_spacing = float(operands[0]), float(operands[1])
                tm = tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
                show(_bytes(operands[-1]))
            elif op == "TJ":
                for item in operands[0]:
                    if isinstance(item, (int, float)) or hasattr(item, "as_numeric"):
                        tm = multiply((1, 0, 0, 1, -float(item) / 1000 * size * scale, 0), tm)
                    else:
                        show(_bytes(item))
            elif op == "BDC":
                properties = operands[1]
                if not isinstance(properties, dict):
                    named = (resources or {}).get("/Properties", {})
                    properties = named.get_object().get(properties, {}) if named else {}
                properties = properties.get_object() if hasattr(properties, "get_object") else properties
                actual = properties.get("/ActualText") if hasattr(properties, "get") else None
                spans.append(_Span(str(actual) if actual is not None else None))
            elif op == "BMC":
                spans.append(_Span(None))
            elif op == "EMC":
                if spans:
                    spans.pop()
            elif op == "m":
                path = [apply(ctm, float(operands[0]), float(operands[1]))]
            elif op == "l":
                point = apply(ctm, float(operands[0]), float(operands[1]))
                if path:
                    path_segments.append(Segment(*self.to_page(*path[-1]), *self.to_page(*point)))
                path.append(point)
            elif op == "re":
                x, y, w, h = (float(v) for v in operands)
                corners = [apply(ctm, x + dx, y + dy) for dx, dy in ((0, 0), (w, 0), (w, h), (0, h))]
                xs = [self.to_page(*p)[0] for p in corners]
                ys = [self.to_page(*p)[1] for p in corners]
                # A thin filled rectangle is a border drawn as a fill: keep it as its centre line.
                if max(xs) - min(xs) < 2.5:
                    middle = (max(xs) + min(xs)) / 2
                    path_segments.append(Segment(middle, min(ys), middle, max(ys)))
                elif max(ys) - min(ys) < 2.5:
                    middle = (max(ys) + min(ys)) / 2
                    path_segments.append(Segment(min(xs), middle, max(xs), middle))
            elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*"):
                self.page.segments.extend(s for s in path_segments if s.vertical or s.horizontal)
                path_segments, path = [], []
            elif op == "n":
                path_segments, path = [], []
            elif op == "Do":
                xobjects = (resources or {}).get("/XObject", {})
                xobject = xobjects.get_object().get(operands[0]) if xobjects else None
                if xobject is not None:
                    xobject = xobject.get_object()
                    if xobject.get("/Subtype") == "/Form":
                        matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                        self.run(xobject, xobject.get("/Resources", resources), multiply(matrix, ctm))


def _bytes(string) -> bytes:
    return bytes(string.original_bytes) if hasattr(string, "original_bytes") else bytes(string)


def read_pages(pdf: bytes) -> list[PageContent]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        content = PageContent(number, float(box.width), float(box.height))
        contents = page.get_contents()
        if contents is not None:
            _Interpreter(content, reader).run(contents, page.get("/Resources"), IDENTITY)
        pages.append(content)
    return pages


# --- from fragments to lines -------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    left: float
    right: float
    top: float | None  # None: no border above on this page (a row continued from the page before)
    bottom: float | None  # None: no border below (the row goes on to the next page)


def _cell_of(x: float, y: float, segments: list[Segment]) -> Cell | None:
    beside = [s.x0 for s in segments if s.vertical and min(s.y0, s.y1) <= y <= max(s.y0, s.y1)]
    lefts = [v for v in beside if v <= x + 0.5]
    rights = [v for v in beside if v > x + 0.5]
    if not lefts or not rights:
        return None
    left, right = max(lefts), min(rights)
    middle = (left + right) / 2
    covering = [s.y0 for s in segments if s.horizontal and min(s.x0, s.x1) <= middle <= max(s.x0, s.x1)]
    tops = [v for v in covering if v <= y]
    bottoms = [v for v in covering if v > y]
    return Cell(round(left, 1), round(right, 1), round(max(tops), 1) if tops else None,
                round(min(bottoms), 1) if bottoms else None)


@dataclass
class _Line:
    fragments: list[Fragment]
    cell: Cell | None

    @property
    def baseline(self) -> float:
        return self.fragments[0].baseline

    @property
    def size(self) -> float:
        return max(f.size for f in self.fragments)

    @property
    def x0(self) -> float:
        return min(f.x0 for f in self.fragments)

    @property
    def x1(self) -> float:
        return max(f.x1 for f in self.fragments)

    @property
    def text(self) -> str:
        """The fragments left to right; a space where WeasyPrint left a gap without drawing one."""
        parts, end = [], None
        for fragment in sorted(self.fragments, key=lambda f: f.x0):
            if end is not None and fragment.x0 - end > fragment.size * 0.15 and parts \
                    and not parts[-1].endswith(" ") and not fragment.text.startswith(" "):
                parts.append(" ")
            parts.append(fragment.text)
            end = fragment.x1
        return "".join(parts)

    @property
    def bold(self) -> bool:
        return all(f.bold for f in self.fragments if f.text.strip())


def _page_lines(page: PageContent) -> list[_Line]:
    """The page's fragments grouped into lines: one baseline, one container."""
    groups: dict[tuple, list[Fragment]] = {}
    cells: dict[tuple, Cell | None] = {}
    for fragment in page.fragments:
        if not fragment.text.strip() and fragment.text != " ":
            continue
        y = fragment.baseline - fragment.size * 0.3
        cell = _cell_of(fragment.x0 + 0.5, y, page.segments)
        baseline = round(fragment.baseline * 2) / 2
        key = (cell, baseline)
        # Fragments of one line may sit on baselines a fraction apart (mixed sizes): join the nearest.
        near = next((k for k in groups if k[0] == cell and abs(k[1] - baseline) < fragment.size * 0.25), None)
        groups.setdefault(near or key, []).append(fragment)
        cells[near or key] = cell
    lines = [_Line(fragments, cells[key]) for key, fragments in groups.items()
             if "".join(f.text for f in fragments).strip()]
    return lines


def read_pdf(pdf: bytes, source: str) -> Reading:
    pages = read_pages(pdf)
    reading = Reading(source)
    page_lines: list[list[_Line]] = []
    for page in pages:
        lines = [line for line in _page_lines(page)
                 if MARGIN_TOP - 2 < line.baseline < page.height - MARGIN_BOTTOM + 4]
        page_lines.append(lines)
        previous: dict[object, _Line] = {}
        for number, line in enumerate(_reading_order(lines), start=1):
            block = _block_key(line)
            before = previous.get(block)
            previous[block] = line
            # A new paragraph's space (or the block's first line) is a forced break; a <br> leaves no
            # mark, so the rules weigh the room left on the line before (`room`) against the next word.
            hard = before is None or line.baseline - before.baseline > max(line.size, before.size) * 1.9 \
                or (before.bold != line.bold and abs(before.size - line.size) > 0.5)  # a heading, then text
            right = line.cell.right - CELL_PADDING if line.cell else page.width - MARGIN_RIGHT
            text = line.text
            pieces = sorted(line.fragments, key=lambda f: f.x0)
            reading.lines.append(Line(
                text=text, source=source, page=page.number, number=number,
                y=round(line.baseline - line.size, 1), block=f"p{page.number}:{block}",
                hard_break=hard, heading=("th" if line.cell else "bold") if line.bold else "",
                in_table=line.cell is not None, room=round(right - line.x1, 1), size=round(line.size, 1),
                advance=round((line.x1 - line.x0) / max(advance_chars(text.strip()), 1), 2),
                first_piece=round(pieces[0].x1 - pieces[0].x0, 1), first_piece_text=pieces[0].text))
    reading.row_splits = _row_splits(source, pages, page_lines)
    reading.pages = _page_fills(source, pages, page_lines)
    return reading


def _block_key(line: _Line):
    if line.cell is None:
        return "flow"
    return (line.cell.left, line.cell.right, line.cell.top)


def _reading_order(lines: list[_Line]) -> list[_Line]:
    """Top to bottom; the lines of a table row's cells cell after cell, left to right."""
    def key(line: _Line):
        if line.cell is None:
            return (line.baseline, 0.0, line.baseline, line.x0)
        # Rows and free text interleave by their top; a cell's lines stay together.
        top = line.cell.top if line.cell.top is not None else 0.0
        return (top, line.cell.left, line.baseline, line.x0)

    return sorted(lines, key=key)


# --- rows over pages, and how full a page is -----------------------------------------------------------

def _bands(lines: list[_Line]) -> list[list[_Line]]:
    """The table lines of a page grouped by the top border of their cell, top to bottom."""
    by_top: dict[float | None, list[_Line]] = {}
    for line in lines:
        if line.cell is not None:
            by_top.setdefault(line.cell.top, []).append(line)
    return [by_top[top] for top in sorted(by_top, key=lambda t: -1.0 if t is None else t)]


def _band_lines(band: list[_Line]) -> int:
    per_cell: dict[Cell, set[float]] = {}
    for line in band:
        per_cell.setdefault(line.cell, set()).add(round(line.baseline))
    return max((len(v) for v in per_cell.values()), default=0)


def _band_text(band: list[_Line]) -> str:
    return " ".join(line.text.strip() for line in sorted(band, key=lambda l: (l.cell.left, l.baseline)))


def _row_splits(source: str, pages: list[PageContent], page_lines: list[list[_Line]]) -> list[RowSplit]:
    splits = []
    for index, lines in enumerate(page_lines[:-1]):
        bands = _bands(lines)
        if not bands:
            continue
        last = bands[-1]
        open_cells = [line for line in last if line.cell.bottom is None]
        if not open_cells:
            continue
        following = _bands(page_lines[index + 1])
        header = [b for b in bands if b is not last]
        # The next page repeats the header rows first: the row goes on in the first band after them.
        repeated = {_band_text(b) for b in header[:3]}
        rest = [b for b in following if _band_text(b) not in repeated]
        after = _band_lines(rest[0]) if rest else 0
        splits.append(RowSplit(source, pages[index].number, _band_lines(last), after,
                               sorted(last, key=lambda l: (l.cell.left, l.baseline))[0].text.strip()))
    return splits


def _columns(line: _Line, page: PageContent) -> tuple[float, ...]:
    y = line.baseline - line.size * 0.3
    return tuple(sorted({round(s.x0) for s in page.segments if s.vertical
                         and min(s.y0, s.y1) <= y <= max(s.y0, s.y1)}))


def _page_fills(source: str, pages: list[PageContent], page_lines: list[list[_Line]]) -> list[PageFill]:
    fills = []
    for index, (page, lines) in enumerate(zip(pages, page_lines)):
        if not lines:
            continue
        top, bottom = MARGIN_TOP, page.height - MARGIN_BOTTOM
        lowest = max(max(line.baseline for line in lines),
                     max((max(s.y0, s.y1) for s in page.segments if s.y0 < bottom), default=0.0))
        fill = max(0.0, min(1.0, (lowest - top) / (bottom - top)))
        last = max(lines, key=lambda line: line.baseline)
        continues = False
        if index + 1 < len(page_lines) and page_lines[index + 1] and last.cell is not None:
            first = min(page_lines[index + 1], key=lambda line: line.baseline)
            continues = first.cell is not None and _columns(first, pages[index + 1]) == _columns(last, page)
        heading = ""
        # A heading is alone at the foot when nothing follows it on the page, not even drawn lines (the
        # dotted line of a comment still to be written).
        drawn_below = any(min(s.y0, s.y1) > last.baseline for s in page.segments if s.y0 < bottom)
        if index + 1 < len(page_lines) and page_lines[index + 1] and last.cell is None and last.bold \
                and not drawn_below:
            heading = last.text.strip()
        fills.append(PageFill(source, page.number, round(fill, 3), continues, heading))
    return fills
