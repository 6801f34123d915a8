"""Import a national score file: many organisations at once, all rows or none (docs/import.md)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.importing import ScoreFileError, import_scores, read_table


class Command(BaseCommand):
    help = "Import published ITA scores from a CSV or XLSX file, one row per organisation and fiscal year."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, but save nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        started = time.monotonic()
        try:
            with file.open("rb") as handle:
                table = read_table(handle, file.name)
        except OSError as error:
            message = _("Cannot open %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            raise CommandError(message) from None
        except ScoreFileError as error:
            raise CommandError(str(error)) from None
        # A dry run does the real writes and rolls them back, so it meets every constraint the
        # import would meet and counts exactly what the import would do.
        with transaction.atomic():
            result = import_scores(table=table, user=None)
            if dry_run:
                transaction.set_rollback(True)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Errors: %(count)s. Nothing was imported; correct the file and import it again.")
                % {"count": len(result.errors)}
            )
        message = _("Assessments: %(created)s created, %(updated)s updated, in %(seconds).1f s.") % {
            "created": result.created,
            "updated": result.updated,
            "seconds": time.monotonic() - started,
        }
        if dry_run:
            message += " " + _("Dry run: nothing was saved.")
        self.stdout.write(self.style.SUCCESS(message))
