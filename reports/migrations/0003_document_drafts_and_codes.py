import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import reports.models


def give_codes(apps, schema_editor):
    # A unique random code per existing document: the field's default runs once per row only here.
    Document = apps.get_model("reports", "Document")
    for document in Document.objects.filter(code__isnull=True).only("pk"):
        document.code = reports.models.new_document_code()
        document.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_alter_document_error"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="content",
            field=models.JSONField(blank=True, null=True, verbose_name="draft content"),
        ),
        migrations.AddField(
            model_name="document",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="fiscal year (BE)"),
        ),
        migrations.AddField(
            model_name="document",
            name="round_number",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="round"),
        ),
        migrations.AddField(
            model_name="document",
            name="requested_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="requested by",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="code",
            field=models.CharField(max_length=10, null=True, verbose_name="verification code"),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="document",
            name="code",
            field=models.CharField(
                default=reports.models.new_document_code, max_length=10, unique=True, verbose_name="verification code"
            ),
        ),
    ]
