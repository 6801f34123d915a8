"""PDF rendering benchmark (issue 7): the progress report at about 3, 12 and 50 pages of generated
data, rendered by the portal's path and, from the same HTML file, by `chromium --headless
--print-to-pdf`, in one run; prints a table of medians and the ratio.

    .venv/bin/python bench/pdf.py [--repeat 3] [--pages 3 12 50] [--chromium /usr/bin/chromium]

With the demo data loaded (the first quick-start command) it also measures what asking again for an
unchanged document costs (`reports.services.documents.request_draft` finding the ready job) against
rendering it.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itaportal.settings")

import django  # noqa: E402

django.setup()

from demo.samples import progress_sample  # noqa: E402
from reports import rendering  # noqa: E402
from reports.documents import content_to_pdf, render_html  # noqa: E402

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--no-pdf-header-footer"]


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def chromium_render(chromium: str, html_file: Path, out: Path) -> None:
    subprocess.run([chromium, *CHROMIUM_FLAGS, f"--print-to-pdf={out}", html_file.as_uri()],
                   check=True, capture_output=True, timeout=300)


def rows_for(pages: int, rows_per_page: float) -> int:
    return max(1, round(pages * rows_per_page))


def dedupe_figures(repeat: int) -> list[tuple[str, float, float]]:
    """Asking again for each demo organisation's progress report: the lookup against the first
    request and render. The bench's own drafts are deleted first, so the first request renders."""
    from measures.models import ReportingRound
    from reports.models import Document
    from reports.services.documents import request_draft
    from reports.tasks import render_document

    figures = []
    for reporting_round in ReportingRound.objects.select_related("organisation").order_by("organisation__slug")[:3]:
        args = dict(organisation=reporting_round.organisation, kind="progress",
                    fiscal_year=reporting_round.fiscal_year, round=reporting_round.number, user=None)
        for stale in Document.objects.filter(organisation=reporting_round.organisation, kind="progress",
                                             version=None, round_number=reporting_round.number):
            stale.pdf.delete(save=False)
            stale.delete()

        def first():
            document = request_draft(**args)
            render_document(document.pk)
            return document

        render_time, document = timed(first, 1)
        again_time, again = timed(lambda: request_draft(**args), repeat)
        assert again.pk == document.pk and again.state == Document.State.READY
        figures.append((f"{reporting_round.organisation.slug} {reporting_round.name}", render_time, again_time))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[3, 12, 50])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    # Calibrate rows per page once on a mid-sized report.
    probe_rows = 40
    _pdf, probe_pages = rendering.html_to_pdf(render_html("progress", progress_sample(probe_rows), draft=True))
    rows_per_page = probe_rows / probe_pages

    # portal: the whole path from the content (template, word segmentation, parallel sections, join);
    # one pass: the same HTML Chromium gets, through WeasyPrint in one process.
    print(f"{'pages':>5} {'rows':>5} {'portal':>8} {'one pass':>9} {'chromium':>9} {'ratio':>6}  chromium pages")
    with tempfile.TemporaryDirectory() as tmp:
        for target in args.pages:
            rows = rows_for(target, rows_per_page)
            content = progress_sample(rows)
            html = render_html("progress", content, draft=True)
            html_file = Path(tmp) / f"progress-{target}.html"
            html_file.write_text(html, encoding="utf-8")
            chromium_pdf = Path(tmp) / f"progress-{target}-chromium.pdf"
            ours, (_pdf, pages) = timed(lambda: content_to_pdf("progress", content, draft=True), args.repeat)
            single, _ = timed(lambda: rendering.html_to_pdf(html), args.repeat)
            theirs, _ = timed(lambda: chromium_render(args.chromium, html_file, chromium_pdf), args.repeat)
            print(f"{pages:>5} {rows:>5} {ours:>7.2f}s {single:>8.2f}s {theirs:>8.2f}s {ours / theirs:>5.2f}×  "
                  f"{pdf_pages(chromium_pdf)}")

    figures = dedupe_figures(args.repeat)
    if not figures:
        print("\nno reporting round in this database (load the demo data): re-requests not measured")
        return
    print(f"\n{'unchanged document asked again':<34} {'render':>8} {'again':>8} {'share':>6}")
    for label, render_time, again_time in figures:
        print(f"{label:<34} {render_time:>7.2f}s {again_time * 1000:>6.0f}ms {again_time / render_time:>6.1%}")


if __name__ == "__main__":
    main()
