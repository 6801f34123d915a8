from django.core.management.base import BaseCommand

from assessments.services import load_all_frameworks


class Command(BaseCommand):
    help = (
        "Seed the ITA frameworks from assessments/frameworks/fy*.yaml: a fiscal year not in the database is "
        "created; a year edited in the portal is never overwritten (see assessments/frameworks/README.md)."
    )

    def handle(self, *args, **options):
        for framework, changed in load_all_frameworks(report=lambda line: self.stdout.write(line)):
            state = "loaded" if changed else "unchanged"
            provisional = ", provisional" if framework.provisional else ""
            items = framework.items.count()
            marked = framework.items.filter(provisional=True).count()
            self.stdout.write(
                f"{framework.fiscal_year}: {state} ({framework.state}{provisional}) – {items} items, {marked} provisional"
            )
