"""Read every document kind and the main pages of each role as they were laid out, and report where a
line breaks as a careful Thai typesetter would not (reports/typography)."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.urls import Resolver404, resolve

from assessments.selectors import assessments_of
from itaportal.accounts.models import Department, District, Organisation, Position, Province, User
from measures.models import Measure, ReportingRound
from reports.documents import CELL_BREAKS, build_content, content_to_pdf, render_pdf
from reports.models import Memo
from reports.snapshots import memo_snapshot
from reports.typography import allowed as allow_list
from reports.typography import pages as page_reader
from reports.typography.lines import Reading
from reports.typography.pdf import read_pdf
from reports.typography.rules import RULE_NAMES, check
from reports.typography.words import Vocabulary

ROLES = ("staff.phusang", "head.phusang", "palad.phusang", "auditor.phusang", "admin.phusang")
PASSWORD = "ita-demo-2568"
CHROMIUM = os.environ.get("ITA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def vocabulary() -> Vocabulary:
    """The dictionary plus every person's, place's and office's name, each one word."""
    names: list[str] = []
    for first, last in User.objects.values_list("first_name", "last_name"):
        names += [first, last]
    names += Province.objects.values_list("name", flat=True)
    names += District.objects.values_list("name", flat=True)
    # An office's own name is one word (ภูซาง, อบต.ภูซาง); its full name may break after its kind
    # (องค์การบริหารส่วนตำบล | ภูซาง) as the documents' narrow cells do (reports.documents.cell_keep).
    for organisation in Organisation.objects.all():
        names += [organisation.name, organisation.short_name]
    names += Department.objects.values_list("name", flat=True)
    names += Position.objects.values_list("title", flat=True)
    return Vocabulary(names, CELL_BREAKS)


def demo_documents():
    """(name, kind, render) for every document the data holds: each kind as a draft from live data,
    each memo in review as a draft, and every document of each approved memo as signed."""
    for organisation in Organisation.objects.order_by("slug"):
        slug = organisation.slug
        years = set(Measure.objects.filter(organisation=organisation).values_list("fiscal_year", flat=True))
        for assessment in assessments_of(organisation):
            year = assessment.framework.fiscal_year
            years.add(year)
            yield f"analysis {slug} {year}", "analysis", _draft("analysis", organisation, year)
        for year in sorted(set(Measure.objects.filter(organisation=organisation)
                               .values_list("fiscal_year", flat=True))):
            yield f"measures {slug} {year}", "measures", _draft("measures", organisation, year)
        rounds = ReportingRound.objects.filter(organisation=organisation).order_by("fiscal_year", "number")
        for round in rounds:
            yield (f"progress {slug} {round.fiscal_year} r{round.number}", "progress",
                   _draft("progress", organisation, round.fiscal_year, round.number))
        for year in sorted(years):
            yield f"oit {slug} {year}", "oit", _draft("oit", organisation, year)
        for memo in Memo.objects.filter(organisation=organisation).select_related("version").order_by("pk"):
            if memo.state == Memo.State.APPROVED and getattr(memo, "version", None) is not None:
                for document in memo.version.documents.order_by("kind"):
                    name = f"{document.kind} {slug} {memo.fiscal_year} memo#{memo.pk} approved"
                    yield name, document.kind, lambda document=document: render_pdf(document)[0]
            elif memo.state != Memo.State.APPROVED:
                yield f"memo {slug} {memo.fiscal_year} memo#{memo.pk} {memo.state}", "memo", _memo_draft(memo)


def _memo_draft(memo):
    return lambda: content_to_pdf("memo", memo_snapshot(memo, with_documents=False), draft=True)[0]


def _draft(kind, organisation, year, round=None):
    def render():
        try:
            content = build_content(kind, organisation, year, round)
        except Http404:
            return None
        if kind == "oit" and not content.get("total"):
            return None
        return content_to_pdf(kind, content, draft=True)[0]

    return render


def _url_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def runserver():
    """The portal on a free port, with this process's settings and database."""
    port = _free_port()
    # The server logs every request: to a file, as a pipe nobody reads fills up and stops the server.
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "runserver", "--noreload",
         f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=log, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise CommandError(f"runserver did not start: {log.read().decode()[-2000:]}")
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def log_in(page, username: str) -> None:
    """The login form, then the two-step code for the accounts that need it (the demo's device)."""
    from itaportal.accounts.twofactor import confirmed_device, current_code

    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if urlsplit(page.url).path.startswith("/login/code"):
        page.fill("input[name=code]", current_code(confirmed_device(User.objects.get(username=username))))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    if urlsplit(page.url).path.startswith("/login"):
        raise CommandError(f"{username} could not log in")


class Command(BaseCommand):
    help = ("Check Thai typography: lines breaking inside words, brackets, dates, numbers and units, "
            "headings, table rows and half-empty pages, in every document kind and the main pages.")

    def add_arguments(self, parser):
        parser.add_argument("--documents", action="store_true", help="render and read every demo document")
        parser.add_argument("--pages", action="store_true",
                            help="walk the main pages of each role in Chromium")
        parser.add_argument("--pdf", nargs="*", type=Path, default=[], help="PDF files to read")
        parser.add_argument("--roles", nargs="*", default=list(ROLES))
        parser.add_argument("--limit", type=int, default=60, help="pages per role")
        parser.add_argument("--base-url", help="a running portal (default: a runserver of its own)")
        parser.add_argument("--json", dest="json_path", type=Path, help="write the findings to this file")
        parser.add_argument("--fail", action="store_true", help="exit with status 1 when a finding stands")

    def handle(self, *args, documents, pages, pdf, roles, limit, base_url, json_path, fail, **options):
        if not (documents or pages or pdf):
            raise CommandError("nothing to check: give --documents, --pages or --pdf FILE")
        started = time.monotonic()
        words = vocabulary()
        allowed = allow_list.load(rules=RULE_NAMES)
        findings, kinds, counted = [], {}, Counter()

        def take(reading: Reading, kind: str):
            found = check(reading, words)
            findings.extend(found)
            kinds[reading.source] = kind
            counted["lines"] += len(reading.lines)
            counted["sources"] += 1

        for path in pdf:
            take(read_pdf(path.read_bytes(), path.name), "pdf")
        if documents:
            for name, kind, render in demo_documents():
                begun = time.monotonic()
                data = render()
                if data is None:
                    continue
                take(read_pdf(data, name), kind)
                self.stdout.write(f"  {name}: {time.monotonic() - begun:.1f} s")
        if pages:
            self._pages(roles, limit, base_url, take)
        standing, explained = allow_list.split(findings, allowed)
        for finding in standing:
            self.stdout.write(str(finding))
        for finding, entry in explained:
            self.stdout.write(f"(allowed: {entry.reason}) {finding}")
        self._summary(standing, kinds, counted, time.monotonic() - started)
        if json_path:
            json_path.write_text(_dumps(standing, explained, kinds), encoding="utf-8")
        if fail and standing:
            raise CommandError(f"{len(standing)} typography finding(s)")

    def _pages(self, roles, limit, base_url, take):
        from playwright.sync_api import sync_playwright

        # Playwright's sync API runs an event loop in this thread; the ORM calls made here (the
        # two-step code) are still synchronous, so Django's async guard must stand aside.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        server = runserver() if base_url is None else _given(base_url)
        with server as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                for username in roles:
                    context = browser.new_context(base_url=url, locale="th-TH",
                                                  viewport={"width": 1366, "height": page_reader.HEIGHT})
                    page = context.new_page()
                    log_in(page, username)
                    walked, skipped = 0, []
                    for address in page_reader.walk(page, "/", _url_name, limit, skipped):
                        walked += 1
                        for reading in page_reader.read_widths(page, f"{username} {address}"):
                            take(reading, f"page @{reading.source.rsplit('@', 1)[-1]}")
                    self.stdout.write(f"  {username}: {walked} pages")
                    for note in skipped:
                        self.stdout.write(f"    {note}")
                    context.close()
            finally:
                browser.close()

    def _summary(self, standing, kinds, counted, seconds):
        self.stdout.write("")
        self.stdout.write(f"{counted['sources']} sources, {counted['lines']} lines, "
                          f"{len(standing)} findings, {seconds:.0f} s")
        by_kind: dict[str, Counter] = {}
        for finding in standing:
            by_kind.setdefault(kinds.get(finding.source, "?"), Counter())[finding.rule] += 1
        kinds_found = sorted(by_kind)
        if not kinds_found:
            return
        self.stdout.write("rule".ljust(16) + "".join(kind.rjust(12) for kind in kinds_found))
        for rule in RULE_NAMES:
            counts = "".join(str(by_kind[kind][rule]).rjust(12) for kind in kinds_found)
            self.stdout.write(rule.ljust(16) + counts)


@contextmanager
def _given(url):
    yield url.rstrip("/")


def _dumps(standing, explained, kinds) -> str:
    def row(finding, reason=""):
        return {"rule": finding.rule, "source": finding.source, "kind": kinds.get(finding.source, ""),
                "page": finding.page, "line": finding.line, "text": finding.text, "message": finding.message,
                **({"allowed": reason} if reason else {})}

    return json.dumps([row(f) for f in standing] + [row(f, a.reason) for f, a in explained],
                      ensure_ascii=False, indent=1)
