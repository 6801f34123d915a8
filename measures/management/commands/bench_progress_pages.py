"""Benchmark: server time and query count of the measures dashboard and the progress form with
many measures and rounds. It writes a throwaway organisation, so run it on a scratch database."""

import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from itaportal.accounts.models import Membership, Organisation, Province, Role, User
from measures.models import Activity, ProgressEntry
from measures.services.plan import MeasureData, measure_create, rounds_configure


class Command(BaseCommand):
    help = "Time the measures dashboard and the progress form (default: 200 measures × 12 monthly rounds)."

    def add_arguments(self, parser):
        parser.add_argument("--measures", type=int, default=200)
        parser.add_argument("--repeat", type=int, default=10)
        parser.add_argument("--yes", action="store_true", help="confirm that this database is a scratch one")

    def handle(self, *args, measures: int, repeat: int, yes: bool, **options):
        if not yes:
            raise CommandError("This writes a benchmark organisation; pass --yes on a scratch database.")
        organisation, measure, round = self._data(measures)
        client = Client()
        client.force_login(User.objects.get(username="bench-admin"))
        pages = {
            "dashboard": f"/o/{organisation.slug}/measures/?year=2568",
            "progress form": f"/o/{organisation.slug}/measures/m/{measure.pk}/r/{round.pk}/",
            "round report": f"/o/{organisation.slug}/measures/2568/rounds/{round.pk}/",
        }
        self.stdout.write(f"{measures} measures × 12 rounds, {repeat} requests each")
        self.stdout.write(f"{'page':<15} {'queries':>8} {'median ms':>10} {'max ms':>8}")
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            for name, url in pages.items():
                queries = []
                # Counted by a wrapper rather than the debug cursor, which the request cycle resets.
                with connection.execute_wrapper(lambda execute, *a: queries.append(1) or execute(*a)):
                    assert client.get(url).status_code == 200, url
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                self.stdout.write(f"{name:<15} {len(queries):>8} {statistics.median(times):>10.1f} {max(times):>8.1f}")

    @transaction.atomic
    def _data(self, count: int):
        province, _ = Province.objects.get_or_create(name="เบนช์มาร์ก")
        organisation, created = Organisation.objects.get_or_create(
            slug="bench-measures", defaults={"name": "ทดสอบความเร็ว", "province": province}
        )
        user, _ = User.objects.get_or_create(username="bench-admin")
        Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.ADMIN})
        if created:
            rounds = rounds_configure(organisation=organisation, fiscal_year=2568, scheme="month")
            for number in range(count):
                measure = measure_create(
                    organisation=organisation,
                    fiscal_year=2568,
                    data=MeasureData(kind="measure", title=f"มาตรการที่ {number + 1}", steps=["ขั้นตอน ๑", "ขั้นตอน ๒"],
                                     all_units=True),
                )
                entries = ProgressEntry.objects.bulk_create(
                    ProgressEntry(measure=measure, round=r, status="in_progress", outcome="ดำเนินการแล้วบางส่วน")
                    for r in rounds
                )
                Activity.objects.bulk_create(
                    Activity(entry=e, order=1, date=e.round.period_end - timedelta(days=3), description="ประชุม")
                    for e in entries
                )
        measure = organisation.measures.order_by("number").first()
        return organisation, measure, organisation.rounds.order_by("number").last()
