"""Platform actions (a fiscal year's framework edited or published) belong to no organisation."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # The organisation table exists from accounts' first migration; depending on a later one would tie
    # this change to the register's migrations for nothing.
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0002_append_only_trigger"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
    ]
