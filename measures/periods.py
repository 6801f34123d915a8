"""Plan periods and the dates of what was done in them.

An activity is dated as the office dates it, even outside the measure's period or the round's (work
started early, a meeting recorded late): the portal says so next to the date and saves it all the same,
since refusing would push people to type a false date.
"""

from datetime import date

from django.utils.translation import gettext as _

from itaportal.dates import screen_period

from .models import Measure, ReportingRound


def activity_date_warning(measure: Measure, round: ReportingRound, day: date | None) -> str:
    """Empty when the day is within both periods, or when the activity is undated."""
    if day is None:
        return ""
    problems = []
    if not measure.start_date <= day <= measure.end_date:
        problems.append(
            _("This date is outside the measure's period (%(period)s).")
            % {"period": screen_period(measure.start_date, measure.end_date, measure.period_style)}
        )
    if not round.period_start <= day <= round.period_end:
        problems.append(
            _("This date is outside the period of %(round)s (%(period)s).")
            % {"round": round.name, "period": screen_period(round.period_start, round.period_end)}
        )
    return " ".join(problems)
