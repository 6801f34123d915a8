"""Every database gets the national register: the 77 provinces and 928 districts, the rows made before by
name (the demo's) matched to it and given their codes."""

from django.db import migrations


def load(apps, schema_editor):
    from itaportal.accounts import register

    register.load(apps, say=print)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_register_fields"),
        # The loader refuses to drop a district that an oversight scope names.
        ("oversight", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
