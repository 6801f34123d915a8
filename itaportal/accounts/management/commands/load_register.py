import geothai
from django.core.management.base import BaseCommand, CommandError

from itaportal.accounts import register


class Command(BaseCommand):
    help = (
        "Bring the provinces and districts in line with the national register of the installed geothai "
        "(after an upgrade: new districts, corrected names). Idempotent; abbreviations set in the admin stay."
    )

    def handle(self, *args, **options):
        try:
            summary = register.load(say=self.stdout.write)
        except register.RegisterError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Register {geothai.DATA_VERSION}: provinces {summary.provinces_created} added, "
            f"{summary.provinces_updated} updated; districts {summary.districts_created} added, "
            f"{summary.districts_updated} updated."
        ))
