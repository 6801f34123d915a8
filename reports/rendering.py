"""HTML to PDF with WeasyPrint, fetching nothing but the portal's own bundled files."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

import fontpkg_sarabun
from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from . import pdftext

FONT_DIR = Path(fontpkg_sarabun.ROOT) / "files"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
ALLOWED_DIRS = (FONT_DIR.resolve(), STATIC_DIR.resolve())


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


def html_to_pdf(html: str) -> tuple[bytes, int]:
    pdftext.install()
    rendered = HTML(string=html, url_fetcher=PortalURLFetcher(), base_url=STATIC_DIR.as_uri() + "/").render()
    return rendered.write_pdf(), len(rendered.pages)
