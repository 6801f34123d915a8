import os
import resource
import time
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.scale.places import ScaleError
from demo.scale.run import generate
from demo.scale.world import DEFAULT_PASSWORD, slug_of
from demo.twofactor import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = (
        "Create N realistic organisations (s00001…) across Thailand's provinces with Y fiscal years of "
        "history each: people, scores and analysis, measures and progress, the OIT checklist, memos in "
        "every state, frozen versions and approved documents. Organisations that exist are left alone: "
        "a second run adds nothing, a larger --orgs adds the missing ones. Rows are built in memory and "
        "written in batches (COPY on PostgreSQL), by --jobs processes side by side. PDFs: one real PDF is rendered "
        "per document kind and every approved document of that kind shares the stored file (same name "
        "and SHA-256); each document has its own verification code (/v/<code>/), but a lookup by SHA-256 "
        "names the first holder of the file. See demo/scale/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, required=True, help="how many organisations (s00001…)")
        parser.add_argument(
            "--years", type=int, default=4,
            help="the most recent fiscal years with a framework, each an assessment year and the year it drives "
                 "(default 4)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed, the same data")
        parser.add_argument("--batch-size", type=int, default=100,
                            help="organisations per transaction; memory grows with it (default 100)")
        parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                            help="processes building and writing side by side, on PostgreSQL (default: the "
                                 "number of CPUs, at most 4)")
        parser.add_argument("--password", default=DEFAULT_PASSWORD,
                            help=f"password of every generated login (default {DEFAULT_PASSWORD})")
        parser.add_argument("--now", default="",
                            help="the moment the data is as of, YYYY-MM-DD[THH:MM] in Bangkok (default: now)")

    def say(self, line: str) -> None:
        # Worker processes write here too: flushed at once, so that no line waits in a buffer.
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args, orgs, years, seed, batch_size, jobs, password, now, **options):
        moment = None
        if now:
            try:
                moment = timezone.make_aware(datetime.fromisoformat(now))
            except ValueError as error:
                raise CommandError(f"--now: {error}") from None
        started = time.monotonic()
        try:
            report = generate(
                orgs=orgs, years=years, seed=seed, batch_size=max(1, batch_size), password=password, now=moment,
                jobs=max(1, jobs), progress=lambda line: self.say(f"  {line}, at {time.monotonic() - started:.0f} s"),
            )
        except ScaleError as error:
            raise CommandError(str(error)) from None
        elapsed = time.monotonic() - started
        if not report.created:
            self.stdout.write(self.style.WARNING(
                f"Nothing to add: the {report.skipped} organisations asked for exist already "
                "(existing organisations are never changed)."))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"{len(report.created)} organisations created ({report.created[0]}–{report.created[-1]}), "
                f"{report.skipped} existed already, in {elapsed:.1f} s."))
            self.stdout.write(f"Assessment years {report.years}; work years {report.work_years}.")
            for label, count in sorted(report.counts.items()):
                self.stdout.write(f"  {label:<40} {count:>10,}")
            peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
            self.stdout.write(f"  {'rows in all':<40} {sum(report.counts.values()):>10,}")
            self.stdout.write(f"Peak memory of one process: {peak // 1024} MB.")
        self.stdout.write(
            f"Logins: <role>.<slug>, e.g. staff.{slug_of(1)}, head.{slug_of(1)}, "
            f"palad.{slug_of(1)}, nayok.{slug_of(1)}, admin.{slug_of(1)}, "
            f"auditor.{slug_of(1)} (deputy.<slug> where the chain has four levels); password: "
            + (report.password if report.created else f"the one they were made with (default {DEFAULT_PASSWORD})"))
        if report.oversight:
            self.stdout.write(f"Oversight: {report.oversight[0]}–{report.oversight[-1]}, one per province in the "
                              "order of their names.")
        self.stdout.write(f"Admins and executives log in in two steps with the demo's key {DEMO_TOTP_KEY}.")
