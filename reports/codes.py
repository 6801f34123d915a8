"""The short address and QR code by which anyone checks an approved document: printed on each of its
pages, shown to auditors and on the public pages."""

import functools
import io

import segno
from django.conf import settings
from django.urls import reverse

QR_SIZE_MM = 25
QR_BORDER = 2


def code_url(code: str) -> str:
    """The short address printed on the document itself (its SHA-256 cannot be: it would change it)."""
    return settings.PORTAL_URL + reverse("verify_code", args=[code])


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str, size_mm: float = QR_SIZE_MM, best_mask: bool = True) -> str:
    """An inline SVG with attributes only (no <style>: the pages' CSP forbids inline styles).

    A code depends on its address alone, so it is made once per process. Choosing the best of the
    eight masks costs four fifths of the time (4 ms a code); any mask reads, so a page listing many
    codes on screen takes the first (`best_mask=False`) and printed documents keep the best."""
    code = segno.make(url, error="m", mask=None if best_mask else 0)
    width, _height = code.symbol_size(scale=1, border=QR_BORDER)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, border=QR_BORDER, unit="mm",
              scale=size_mm / width, svgclass="qr", lineclass=None, title=url)
    return out.getvalue().decode()
