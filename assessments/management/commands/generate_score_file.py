"""Write a realistic national score file, for the import benchmark and for trying the import out.

The rows are for the organisations `bench-00001`…; `--create-orgs` creates the missing ones first.
The same --seed gives the same file.
"""

import random
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.importing import (
    FISCAL_YEAR,
    INDICATOR_PREFIX,
    LEVEL,
    ORGANISATION,
    OVERALL,
    PROVINCE,
    write_csv,
    write_xlsx,
)
from assessments.models import Framework
from assessments.scoring import ToolResult, evaluate_level, mean, round_score, weighted_overall
from itaportal.accounts.models import District, Organisation, Province
from itaportal.thai import to_thai_digits

# A handful of real provinces with some of their districts, so that the file looks national.
PROVINCES = {
    ("เชียงราย", "ชร"): ["เมืองเชียงราย", "แม่จัน", "เชียงของ"],
    ("ขอนแก่น", "ขก"): ["เมืองขอนแก่น", "ชุมแพ", "น้ำพอง"],
    ("นครราชสีมา", "นม"): ["เมืองนครราชสีมา", "ปากช่อง", "พิมาย"],
    ("สุราษฎร์ธานี", "สฎ"): ["เมืองสุราษฎร์ธานี", "เกาะสมุย", "ไชยา"],
    ("ชลบุรี", "ชบ"): ["เมืองชลบุรี", "ศรีราชา", "บางละมุง"],
}
WRITERS = {".csv": write_csv, ".xlsx": write_xlsx}


def bench_slug(number: int) -> str:
    return f"bench-{number:05d}"


class Command(BaseCommand):
    help = "Write a CSV or XLSX score file for N benchmark organisations (bench-00001…) and one fiscal year."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, required=True, help="how many organisations")
        parser.add_argument(
            "--year", type=int, required=True, help="fiscal year (B.E.) of a loaded framework"
        )
        parser.add_argument("--out", type=Path, required=True, help="the file to write: .csv or .xlsx")
        parser.add_argument(
            "--create-orgs", action="store_true", help="create the missing bench-… organisations"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, orgs: int, year: int, out: Path, create_orgs: bool, seed: int, **options):
        writer = WRITERS.get(out.suffix.lower())
        if writer is None:
            raise CommandError(_("The output file must end in .csv or .xlsx."))
        framework = (
            Framework.objects.filter(fiscal_year=year)
            .prefetch_related("tools__indicators", "level_rules")
            .first()
        )
        if framework is None:
            raise CommandError(_("No framework is loaded for fiscal year %(year)s.") % {"year": year})
        if create_orgs:
            created = self.create_organisations(orgs)
            self.stdout.write(_("Organisations created: %(count)s.") % {"count": created})
        provinces = dict(
            Organisation.objects.filter(slug__in=[bench_slug(n) for n in range(1, orgs + 1)]).values_list(
                "slug", "province__name"
            )
        )
        headers, rows = self.score_rows(framework, orgs, provinces, random.Random(seed))
        out.write_bytes(writer(headers, rows))
        self.stdout.write(
            self.style.SUCCESS(_("Rows written to %(file)s: %(count)s.") % {"count": len(rows), "file": out})
        )

    @transaction.atomic
    def create_organisations(self, count: int) -> int:
        places = []
        for (province_name, abbreviation), districts in PROVINCES.items():
            province, _created = Province.objects.get_or_create(
                name=province_name, defaults={"abbreviation": abbreviation}
            )
            for name in districts:
                places.append((province, District.objects.get_or_create(province=province, name=name)[0]))
        wanted = {bench_slug(n) for n in range(1, count + 1)}
        existing = set(Organisation.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        missing = [
            Organisation(
                slug=bench_slug(number),
                kind=Organisation.Kind.SAO,
                name=f"บ้านทดสอบ{to_thai_digits(f'{number:05d}')}",
                province=places[number % len(places)][0],
                district=places[number % len(places)][1],
            )
            for number in range(1, count + 1)
            if bench_slug(number) not in existing
        ]
        Organisation.objects.bulk_create(missing, batch_size=2000)
        return len(missing)

    @staticmethod
    def score_rows(framework: Framework, count: int, provinces: dict, rng: random.Random):
        tools = list(framework.tools.all())
        indicators = {tool.code: [i for i in tool.indicators.all() if i.parent_id is None] for tool in tools}
        rules = [rule.as_snapshot() for rule in framework.level_rules.all()]
        headers = [ORGANISATION, PROVINCE, FISCAL_YEAR, OVERALL, LEVEL] + [tool.code for tool in tools]
        headers += [f"{INDICATOR_PREFIX}{ind.number}" for tool in tools for ind in indicators[tool.code]]

        def score(centre: float, spread: float) -> Decimal:
            return round_score(Decimal(f"{min(100.0, max(0.0, rng.gauss(centre, spread))):.2f}"))

        rows = []
        for number in range(1, count + 1):
            # Offices differ more than their indicators do; the OIT checklist spreads the widest.
            centre = rng.uniform(60, 99)
            indicator_scores = {
                tool.code: [score(centre, 12 if tool.checklist else 5) for _ind in indicators[tool.code]]
                for tool in tools
            }
            tool_scores = [mean(indicator_scores[tool.code]) for tool in tools]
            overall = weighted_overall(
                [
                    ToolResult(t.code, t.name, t.weight, s, None)
                    for t, s in zip(tools, tool_scores, strict=True)
                ]
            )
            level = evaluate_level(rules, overall, tool_scores)
            slug = bench_slug(number)
            rows.append(
                [slug, provinces.get(slug, ""), framework.fiscal_year, overall, level.name if level else ""]
                + tool_scores
                + [value for tool in tools for value in indicator_scores[tool.code]]
            )
        return headers, rows
