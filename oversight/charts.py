"""The distribution of an area's scores, drawn like the assessments' charts (inline pygal SVG)."""

import copy

import pygal
from django.utils.safestring import SafeString

from assessments.charts import CHART_STYLE, render_chart, with_title

from .selectors import Bin

# Amber below the pass mark, green from it up. Colours go through the series' CSS classes, inside the
# <style> that carries the CSP nonce: a colour per value would be a style attribute, which CSP blocks.
_STYLE_BY_PASS = copy.copy(CHART_STYLE)
_STYLE_BY_PASS.colors = ("#c47f17", "#3f8f5f")


def distribution_chart(bins: list[Bin], labels: tuple[str, str], title: str, *, nonce=None) -> SafeString:
    """Organisations per score bin, in two series (below the pass mark, from it up) stacked so that
    each bin keeps a full-width bar; `labels` name the two series in the legend."""
    most = max((b.count for b in bins), default=0)
    chart = pygal.StackedBar(
        js=[],
        css=["file://style.css", "file://graph.css"],
        style=_STYLE_BY_PASS,
        title=title,
        disable_xml_declaration=True,
        show_legend=True,
        legend_at_bottom=True,
        print_values=True,
        # Counts are whole organisations: no 0.5 on the axis, and no label at all on an empty bar.
        value_formatter=lambda value: f"{value:.0f}" if value else "",
        range=(0, max(most, 1)),
        y_labels=sorted({0, max(most, 1)}),
        width=900,
        height=320,
        truncate_label=-1,
    )
    chart.x_labels = [b.label for b in bins]
    under, passed = labels
    chart.add(under, [None if b.passed else b.count for b in bins])
    chart.add(passed, [b.count if b.passed else None for b in bins])
    return with_title(render_chart(chart, "distribution", nonce), "distribution", title)
