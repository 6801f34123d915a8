"""HTML to PDF with WeasyPrint, fetching nothing but the portal's own bundled files, and long
documents rendered in parallel sections joined with their page numbers."""

import io
import os
import pickle
from pathlib import Path
from urllib.parse import unquote, urlsplit

import fontpkg_sarabun
import pypdf
from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.line_break import get_log_attrs
from weasyprint.urls import URLFetcher

from . import pdftext

FONT_DIR = Path(fontpkg_sarabun.ROOT) / "files"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
ALLOWED_DIRS = (FONT_DIR.resolve(), STATIC_DIR.resolve())
UA_STYLESHEET = CSS(filename=str(Path(__file__).with_name("pdfcss") / "ua.css"))


class FetchRefused(ValueError):
    pass


class PortalURLFetcher(URLFetcher):
    """Fetches only files under the bundled font and static folders: no network, no data: URI
    smuggling a file in, no other local file (a hostile `<img src=file:///etc/passwd>` in a
    user's text, a `<link rel=attachment>`), whatever the template or the data contain."""

    def __init__(self):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"refused to fetch {url[:80]}")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(allowed) for allowed in ALLOWED_DIRS) or not path.is_file():
            raise FetchRefused(f"refused to fetch {path}")
        return super().fetch(path.as_uri(), headers)


class PrintPhrases(tuple):
    """The phrases a document keeps whole (see the thai_wrap filter), which also tell the filter where
    WeasyPrint would break a run of text: Pango breaks Thai with libthai, whose dictionary cuts
    compounds the portal keeps whole (ผล|ประโยชน์, ตัว|ชี้วัด); only those words need a box of their own."""

    @staticmethod
    def renderer_breaks(text: str) -> list[int]:
        attrs = get_log_attrs(text, "th")
        return [i for i in range(1, len(text)) if attrs[i].is_line_break]


class DocumentHTML(HTML):
    # WeasyPrint has no public switch for its user-agent sheet; `_ua_stylesheets` is the method it
    # calls (tests/reports/test_rendering.py fails if a release renames it, rather than going slow).
    def _ua_stylesheets(self, forms=False):
        return [UA_STYLESHEET]


def html_to_pdf(html: str) -> tuple[bytes, int]:
    pdftext.install()
    rendered = DocumentHTML(string=html, url_fetcher=PortalURLFetcher(), base_url=STATIC_DIR.as_uri() + "/").render()
    return rendered.write_pdf(), len(rendered.pages)


def processes() -> int:
    return max(1, min(settings.ITA_PDF_PROCESSES, os.cpu_count() or 1))


class SectionFailed(RuntimeError):
    pass


def _fork_map(function, arguments: list[tuple]) -> list:
    """`function(*args)` for each args, the first in this process and the others in forked children,
    side by side. A bare fork, not multiprocessing: its after-fork hooks would make each child close
    the parent's broker connections (kombu registers one), which hangs on a socket they share. The
    children inherit the warm WeasyPrint, templates and fonts, touch no database or broker, and
    leave with os._exit, so nothing of the parent is cleaned up twice."""
    children = []
    for args in arguments[1:]:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read)
                try:
                    payload = ("ok", function(*args))
                except BaseException as error:  # reported to the parent, which raises it
                    payload = ("error", f"{type(error).__name__}: {error}")
                with os.fdopen(write, "wb") as out:
                    pickle.dump(payload, out)
            finally:
                os._exit(0)
        os.close(write)
        children.append((pid, read))
    results = [function(*arguments[0])] if arguments else []
    for pid, read in children:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        status, value = pickle.loads(data) if data else ("error", "the section's process died")
        if status != "ok":
            raise SectionFailed(value)
        results.append(value)
    return results


def sections_to_pdf(render_section, sections: list[tuple], numbers_html) -> tuple[bytes, int]:
    """Independent sections rendered side by side (`render_section(*section)` gives a PDF without page
    numbers), joined in order, then numbered: `numbers_html(sizes)` makes a document of blank pages
    carrying only the page numbers, laid over the joined pages."""
    parts = _fork_map(render_section, sections)
    writer = pypdf.PdfWriter()
    for pdf, _pages in parts:
        writer.append(pypdf.PdfReader(io.BytesIO(pdf)))
    sizes = [page.mediabox.width > page.mediabox.height for page in writer.pages]
    numbers = pypdf.PdfReader(io.BytesIO(html_to_pdf(numbers_html(sizes))[0]))
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)
        page.compress_content_streams()
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)
