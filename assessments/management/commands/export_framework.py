from django.core.management.base import BaseCommand, CommandError

from assessments.models import Framework
from assessments.framework_format import framework_yaml
from assessments.services.seeds import FRAMEWORK_DIR


class Command(BaseCommand):
    help = (
        "Write a fiscal year's framework as edited in the portal in the seed format, to standard output or "
        "with --seed to assessments/frameworks/fy<year>.yaml (commit it to ship the year with the code)."
    )

    def add_arguments(self, parser):
        parser.add_argument("fiscal_year", type=int, help="the fiscal year in the Buddhist Era, such as 2570")
        parser.add_argument("--seed", action="store_true", help="write the seed file instead of printing")

    def handle(self, *args, fiscal_year: int, seed: bool, **options):
        framework = Framework.objects.filter(fiscal_year=fiscal_year).first()
        if framework is None:
            raise CommandError(f"No framework for fiscal year {fiscal_year}.")
        text = framework_yaml(framework)
        if not seed:
            self.stdout.write(text, ending="")
            return
        path = FRAMEWORK_DIR / f"fy{fiscal_year}.yaml"
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"{path}")
