"""The database refuses an office whose district is in another province, a position in another office's
department, and a member with another office's department or position (itaportal/accounts/consistency.py).

What the Django admin saved before these rules (an office of นครนายก with a district of เชียงราย) cannot
say which half is right: the district, department or position is cleared, the province and organisation
kept, and each row named on the console, so that a person sets it again through the portal."""

from django.db import migrations
from django.db.models import F

from itaportal.accounts import consistency


def clear_contradictions(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Position = apps.get_model("accounts", "Position")
    Membership = apps.get_model("accounts", "Membership")
    own = F("organisation")
    cases = [
        (Organisation.objects.exclude(district=None).exclude(district__province=F("province")), "district"),
        (Position.objects.exclude(department=None).exclude(department__organisation=own), "department"),
        (Membership.objects.exclude(department=None).exclude(department__organisation=own), "department"),
        (Membership.objects.exclude(position=None).exclude(position__organisation=own), "position"),
    ]
    for rows, column in cases:
        for pk in rows.values_list("pk", flat=True):
            print(f"\n  {rows.model.__name__} {pk}: {column} of another province or organisation cleared")
        rows.model.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).update(**{column: None})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_register_codes_required")]

    operations = [
        migrations.RunPython(clear_contradictions, migrations.RunPython.noop),
        migrations.RunPython(consistency.install, consistency.uninstall),
    ]
