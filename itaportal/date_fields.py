"""The date box of every form: typed and shown in พ.ศ., read by itaportal.dates.

The box holds Arabic digits (`15/01/2566`): every phone keyboard has them and the numeric keypad it
opens has a separator, where Thai digits need a Thai layout and a shift. Pages that only show a date
print it in Thai digits (the thai_date filter), as the documents do. static/js/thai-date.js adds a
button that opens the browser's own calendar and writes the chosen day back in พ.ศ.; without
JavaScript the box is an ordinary text box, which is all the server needs.
"""

from datetime import date, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .dates import Month, input_text, month_input_text, parse_day_or_month, parse_thai_date

PLACEHOLDER = "วว/ดด/ปปปป"


class ThaiDateInput(forms.TextInput):
    """`months=True` for a plan period's start or end, which may be a whole month (ต.ค. 2564): its
    keyboard is the full one, since a month is typed by name."""

    def __init__(self, attrs=None, months: bool = False):
        defaults = {
            "placeholder": PLACEHOLDER,
            "inputmode": "text" if months else "decimal",
            "autocomplete": "off",
            "spellcheck": "false",
            "data-thai-date": "",
            "data-picker-label": _("Choose the day on a calendar"),
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        # A date or month from the database is shown in พ.ศ.; a string is what the person typed (or
        # a value being re-shown after an error) and comes back exactly as typed.
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, Month):
            return month_input_text(value.first_day)
        if isinstance(value, date):
            return input_text(value)
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """A date typed in พ.ศ. (or any form itaportal.dates reads); a Thai message names what is wrong."""

    widget = ThaiDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return parse_thai_date(str(value))


class ThaiDayOrMonthField(forms.Field):
    """A plan period's start or end: a day (a `date`) or a whole month (a `Month`), which the form
    turns into the month's first or last day and remembers that the period is in months."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", ThaiDateInput(months=True))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date | Month):
            return value
        return parse_day_or_month(str(value))
