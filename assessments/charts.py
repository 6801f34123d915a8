"""Server-side SVG charts (pygal), the same markup on screen and, later, in the PDF documents.

Charts are inline SVG so that their Thai labels are shaped with the page's own Sarabun font; an
SVG inside <img> would fall back to whatever fonts the viewer's machine has.
"""

import re
from decimal import Decimal

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from itaportal.thai import format_number

PASS_MARK = 85
CHART_STYLE = Style(
    font_family="Sarabun, sans-serif",
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#adb5bd",
    colors=("#1f3c88", "#3f8f5f", "#c47f17"),
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    title_font_size=18,
    legend_font_size=14,
)
# The pass mark's guide line stands out; the others stay quiet.
_CSS = (
    "inline:{{id}} .axis .guides path.major.guide.line {stroke: #c0392b; stroke-width: 2; stroke-dasharray: 6,3;"
    " opacity: 1} {{id}} .axis text.major {fill: #c0392b; font-weight: bold}"
)
_ID_RE = re.compile(r"chart-[0-9a-f-]{36}")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)


def render_chart(chart: pygal.graph.graph.Graph, name: str, nonce: str | None) -> SafeString:
    """The chart's SVG, byte for byte the same for the same data, its style under the page's CSP nonce."""
    svg = chart.render(is_unicode=True)
    # A fixed id and no generation comment: the same data always gives the same bytes.
    svg = _COMMENT_RE.sub("", _ID_RE.sub(f"chart-{name}", svg))
    if nonce is not None:
        # str() evaluates django-csp's lazy nonce, which is what puts it into the header.
        svg = svg.replace('<style type="text/css">', f'<style type="text/css" nonce="{str(nonce)}">')
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-labelledby="chart-{name}-title" ', 1))


def _config(title: str, thai_digits: bool, **extra) -> dict:
    return {
        "js": [],
        "css": ["file://style.css", "file://graph.css", _CSS],
        "style": CHART_STYLE,
        "title": title,
        "disable_xml_declaration": True,
        "show_legend": False,
        "print_values": True,
        "value_formatter": lambda v: format_number(Decimal(str(v)), 2, thai=thai_digits),
        "y_labels": [0, 20, 40, 60, PASS_MARK, 100],
        "y_labels_major": [PASS_MARK],
        "range": (0, 100),
        "width": 900,
        "truncate_label": -1,
        **extra,
    }


def with_title(svg: SafeString, name: str, title: str) -> SafeString:
    """The title that the chart's aria-labelledby names, for screen readers."""
    return mark_safe(svg.replace("</svg>", f'<title id="chart-{name}-title">{escape(title)}</title></svg>', 1))


def indicator_chart(rows: list[tuple[str, Decimal]], title: str, *, nonce=None, thai_digits=False) -> SafeString:
    """Indicator scores as bars against the 85 line; `rows` are (label, score)."""
    chart = pygal.HorizontalBar(**_config(title, thai_digits, height=60 + 42 * max(len(rows), 1)))
    chart.x_labels = [label for label, _ in reversed(rows)]
    chart.add(title, [float(score) for _, score in reversed(rows)])
    return with_title(render_chart(chart, "indicators", nonce), "indicators", title)


def tool_chart(rows: list[tuple[str, Decimal | None]], title: str, *, nonce=None, thai_digits=False) -> SafeString:
    chart = pygal.Bar(**_config(title, thai_digits, height=360))
    chart.x_labels = [label for label, _ in rows]
    chart.add(title, [None if score is None else float(score) for _, score in rows])
    return with_title(render_chart(chart, "tools", nonce), "tools", title)


def trend_chart(rows: list[tuple[str, Decimal | None]], title: str, *, nonce=None, thai_digits=False) -> SafeString:
    """The overall score over the fiscal years; `rows` are (year label, score) in time order."""
    chart = pygal.Line(**_config(title, thai_digits, height=360, dots_size=5))
    chart.x_labels = [label for label, _ in rows]
    chart.add(title, [None if score is None else float(score) for _, score in rows])
    return with_title(render_chart(chart, "trend", nonce), "trend", title)
