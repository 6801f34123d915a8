"""A correct text layer for Thai in WeasyPrint's PDFs (Kozea/WeasyPrint#2841).

The bug (WeasyPrint 70, weasyprint/draw/text.py, draw_first_line): the text of a glyph is written
once per font, in the ToUnicode CMap, from the first cluster the glyph is met in. The first glyph
of a multi-glyph cluster gets an empty text and the last one the whole cluster. Thai shaping breaks
this: HarfBuzz decomposes SARA AM (ำ) into NIKHAHIT + SARA AA and puts the nikhahit before any tone
mark, so the SARA AA glyph that draws every า also draws the end of every ำ. If `น้ำ` comes first,
that glyph reads "้ำ" everywhere (องค์การ → องค์ก้ำร); if `การ` comes first, every ำ reads า
(องค์กำร). No single text per glyph can be right, so ToUnicode alone cannot be fixed.

The fix: every text fragment drawn with a non-ASCII character is wrapped in a marked-content
sequence `/Span <</ActualText (its real text)>> BDC … EMC`, which text extraction (poppler's
pdftotext, PDFium in Chromium, pdf.js, Acrobat) takes instead of the glyphs' ToUnicode text. The
glyphs, the layout and the CMap are left as they are; ASCII text, which never goes wrong, is not
wrapped; zero-width spaces (line-break opportunities between Thai words) are left out of the
actual text. Marked content may nest, so tagged PDFs (pdf_tags) keep their structure.

`install()` patches the module attribute `weasyprint.draw.text.draw_first_line`, which both HTML
text (draw_text) and SVG text look up at call time. It is idempotent and does nothing on versions
newer than the last one checked: after an upgrade, tests/reports/test_pdftext.py tells whether
upstream fixed the bug (then delete this module) or LAST_CHECKED_VERSION should be raised.
"""

import pydyf
import weasyprint
from weasyprint.draw import text as weasy_text

LAST_CHECKED_VERSION = 70
ZWSP = "\u200b"


def _major(version: str) -> int:
    return int(version.split(".")[0])


def _first_line_text(textbox) -> str:
    # draw_first_line may have changed the layout's text (ellipsis); Pango's index is in UTF-8 bytes.
    _, next_line_start = textbox.pango_layout.get_first_line()
    text = textbox.pango_layout.text
    if next_line_start is None:
        return text
    return text.encode()[:next_line_start].decode()


def _with_actual_text(draw_first_line):
    def draw_first_line_with_actual_text(stream, textbox, *args, **kwargs):
        start = len(stream.stream)
        result = draw_first_line(stream, textbox, *args, **kwargs)
        if len(stream.stream) > start:
            text = _first_line_text(textbox)
            if not text.isascii():
                # Zero-width spaces only offer line breaks between Thai words: a search or a copy
                # must find "มาตรการส่งเสริม", not the words apart.
                actual_text = pydyf.Dictionary({"ActualText": pydyf.String(text.replace(ZWSP, ""))})
                stream.stream[start:start] = [b"/Span", actual_text, b"BDC"]
                stream.stream.append(b"EMC")
        return result

    draw_first_line_with_actual_text.wrapped = draw_first_line
    return draw_first_line_with_actual_text


def needed(version: str = weasyprint.__version__) -> bool:
    return _major(version) <= LAST_CHECKED_VERSION


def install() -> bool:
    """Patch WeasyPrint's text drawing if this version needs it; True when the patch is in place."""
    if hasattr(weasy_text.draw_first_line, "wrapped"):
        return True
    if not needed():
        return False
    weasy_text.draw_first_line = _with_actual_text(weasy_text.draw_first_line)
    return True
