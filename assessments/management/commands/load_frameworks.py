from django.core.management.base import BaseCommand

from assessments.services import load_all_frameworks


class Command(BaseCommand):
    help = "Load the ITA framework of every fiscal year from assessments/frameworks/fy*.yaml (unchanged files are skipped)."

    def handle(self, *args, **options):
        for framework, changed in load_all_frameworks():
            state = "loaded" if changed else "unchanged"
            provisional = " (provisional)" if framework.provisional else ""
            self.stdout.write(f"{framework.fiscal_year}: {state}{provisional} – {framework.items.count()} items")
