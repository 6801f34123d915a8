"""Dates stored with a Buddhist year as if it were Christian (issue 14).

Before the portal read dates in พ.ศ., the browser's date box took `15/01/2566` as 15 January 2566 CE,
which printed "๑๕ ม.ค. ๐๙". No office records anything after 2100 CE, so a stored year from 2400 is a
พ.ศ. year typed into a Christian box: it is moved back 543 years. A day that does not exist in the
Christian year (29 February of 2568 BE = 2025) is left as it is rather than invented; it prints with its
four-digit year and stands out. A measure is repaired only when both ends stay in order.
"""

from datetime import date

from django.db import migrations

BE_OFFSET = 543
FIRST_BE_YEAR = 2400


def _repaired(day):
    if day is None or day.year < FIRST_BE_YEAR:
        return day
    try:
        return date(day.year - BE_OFFSET, day.month, day.day)
    except ValueError:
        return day


def repair(apps, schema_editor):
    Activity = apps.get_model("measures", "Activity")
    Measure = apps.get_model("measures", "Measure")
    ReportingRound = apps.get_model("measures", "ReportingRound")
    for activity in Activity.objects.filter(date__year__gte=FIRST_BE_YEAR):
        activity.date = _repaired(activity.date)
        activity.save(update_fields=["date"])
    for measure in Measure.objects.filter(start_date__year__gte=FIRST_BE_YEAR) | Measure.objects.filter(
        end_date__year__gte=FIRST_BE_YEAR
    ):
        start, end = _repaired(measure.start_date), _repaired(measure.end_date)
        if start <= end:
            measure.start_date, measure.end_date = start, end
            measure.save(update_fields=["start_date", "end_date"])
    for round in ReportingRound.objects.filter(due_date__year__gte=FIRST_BE_YEAR):
        round.due_date = _repaired(round.due_date)
        round.save(update_fields=["due_date"])


class Migration(migrations.Migration):
    dependencies = [("measures", "0003_undated_activities_month_periods")]

    # Nothing to undo: the repaired dates are the ones that were meant.
    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
