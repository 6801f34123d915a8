"""Approved documents were filed under their memo's fiscal year and round: an analysis of the FY 2567
results under 2568, an OIT checklist under the progress memo's round. Each now carries its own, read
from the content frozen in its version (reports.snapshots.own_year_and_round, restated here as a
migration must not follow later code)."""

from django.db import migrations


def own_year_and_round(kind, frozen):
    if kind == "memo":
        progress = frozen.get("documents", {}).get("progress")
        return frozen.get("fiscal_year"), progress["round"]["number"] if progress else None
    part = frozen.get("documents", {}).get(kind)
    if part is None:
        return None
    return part.get("fiscal_year"), part["round"]["number"] if kind == "progress" else None


def forwards(apps, schema_editor):
    Document = apps.get_model("reports", "Document")
    for document in Document.objects.exclude(version=None).select_related("version").iterator():
        found = own_year_and_round(document.kind, document.version.content)
        if found is not None and found != (document.fiscal_year, document.round_number):
            document.fiscal_year, document.round_number = found
            document.save(update_fields=["fiscal_year", "round_number"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_document_drafts_and_codes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
