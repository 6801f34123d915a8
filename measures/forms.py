from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import AnalysisIssue, Indicator, Item
from itaportal.accounts.models import Department, Organisation, Position
from itaportal.date_fields import ThaiDateField, ThaiDayOrMonthField
from itaportal.dates import DateInputError, Month, parse_thai_date
from itaportal.thai import parse_decimal

from .models import Measure, ProgressEntry, ReportingRound
from .periods import activity_date_warning
from .services.plan import SCHEMES, MeasureData
from .services.progress import ActivityData


def clean_money(text: str) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = parse_decimal(text)
    except (ValueError, InvalidOperation):
        raise forms.ValidationError(_("Type an amount in baht such as 25000 or ๒๕,๐๐๐.๕๐."), code="invalid") from None
    if value < 0 or value.as_tuple().exponent < -2:
        raise forms.ValidationError(_("An amount is zero or more, with at most two decimals."), code="range")
    return value


class MoneyField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=20, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal"})

    def clean(self, value):
        return clean_money(super().clean(value))


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Measure.Kind.choices)
    title = forms.CharField(label=_("Measure, project or activity"), widget=forms.Textarea(attrs={"rows": 2}))
    steps = forms.CharField(
        label=_("Steps or method"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One step per line, in order."),
    )
    start_date = ThaiDayOrMonthField(label=_("Start"), required=False)
    end_date = ThaiDayOrMonthField(
        label=_("End"),
        required=False,
        help_text=_(
            "A day (15/01/2566) or a whole month (ต.ค. 2566, 10/2566), in the Buddhist Era. "
            "Leave both blank for the whole fiscal year."
        ),
    )
    all_units = forms.BooleanField(label=_("Every unit (ทุกสำนัก ทุกกอง)"), required=False)
    departments = forms.ModelMultipleChoiceField(
        label=_("Responsible departments"), queryset=Department.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    positions = forms.ModelMultipleChoiceField(
        label=_("Responsible positions"), queryset=Position.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("Issues of the analysis"), queryset=AnalysisIssue.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"), queryset=Indicator.objects.none(), required=False, widget=forms.SelectMultiple
    )
    oit_items = forms.ModelMultipleChoiceField(
        label=_("OIT items"), queryset=Item.objects.none(), required=False, widget=forms.SelectMultiple
    )
    monitoring = forms.CharField(
        label=_("Monitoring and reporting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_budget = MoneyField(label=_("Planned budget (baht)"))
    target = forms.CharField(label=_("Target"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organisation: Organisation, fiscal_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = organisation.departments.order_by("order")
        self.fields["positions"].queryset = organisation.positions.select_related("organisation").order_by("order")
        self.fields["positions"].label_from_instance = lambda p: p.full_title
        # Measures of a fiscal year answer the analysis of the year before (000: 2567 results → 2568 plan).
        self.fields["issues"].queryset = AnalysisIssue.objects.filter(
            assessment__organisation=organisation, assessment__framework__fiscal_year__in=[fiscal_year - 1, fiscal_year]
        ).select_related("assessment__framework").order_by("assessment__framework__fiscal_year", "order")
        self.fields["issues"].label_from_instance = lambda i: f"{i.assessment.framework.fiscal_year} · {i.order}. {i.title}"
        self.fields["indicators"].queryset = Indicator.objects.filter(framework__fiscal_year=fiscal_year).order_by("order")
        self.fields["indicators"].label_from_instance = lambda i: f"{i.number} {i.name}"
        self.fields["oit_items"].queryset = Item.objects.filter(
            framework__fiscal_year=fiscal_year, tool__checklist=True
        ).order_by("order")
        self.fields["oit_items"].label_from_instance = lambda i: f"{i.code} {i.text}"

    @staticmethod
    def initial_for(measure: Measure) -> dict:
        return {
            "kind": measure.kind,
            "title": measure.title,
            "steps": "\n".join(step.text for step in measure.steps.all()),
            # A period planned in months is shown as the months it was typed as.
            "start_date": Month(measure.start_date.year, measure.start_date.month)
            if measure.period_in_months
            else measure.start_date,
            "end_date": Month(measure.end_date.year, measure.end_date.month)
            if measure.period_in_months
            else measure.end_date,
            "all_units": measure.all_units,
            "departments": list(measure.departments.all()),
            "positions": list(measure.positions.all()),
            "issues": list(measure.issues.all()),
            "indicators": list(measure.indicators.all()),
            "oit_items": list(measure.oit_items.all()),
            "monitoring": measure.monitoring,
            "planned_budget": "" if measure.planned_budget is None else f"{measure.planned_budget:.2f}",
            "target": measure.target,
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        # A month typed as the start begins on its first day, one typed as the end ends on its last.
        data["period_in_months"] = isinstance(start, Month) and isinstance(end, Month)
        if isinstance(start, Month):
            start = data["start_date"] = start.first_day
        if isinstance(end, Month):
            end = data["end_date"] = end.last_day
        if bool(start) != bool(end):
            self.add_error("end_date", _("Give both the start and the end, or neither for the whole fiscal year."))
        elif start and end and end < start:
            self.add_error("end_date", _("The period ends before it starts."))
        if not (data.get("all_units") or data.get("departments") or data.get("positions")):
            self.add_error("departments", _("Name at least one responsible unit or position, or choose every unit."))
        return data

    def measure_data(self) -> MeasureData:
        data = self.cleaned_data
        return MeasureData(
            kind=data["kind"],
            title=data["title"],
            steps=data["steps"].splitlines(),
            start_date=data["start_date"],
            end_date=data["end_date"],
            period_in_months=data["period_in_months"],
            all_units=data["all_units"],
            departments=list(data["departments"]),
            positions=list(data["positions"]),
            issues=list(data["issues"]),
            indicators=list(data["indicators"]),
            oit_items=list(data["oit_items"]),
            monitoring=data["monitoring"],
            planned_budget=data["planned_budget"],
            target=data["target"],
        )


class RoundsForm(forms.Form):
    scheme = forms.ChoiceField(
        label=_("Reporting rounds"),
        choices=[
            ("half", _("Every 6 months (to 31 March and 30 September)")),
            ("quarter", _("Every quarter")),
            ("month", _("Every month")),
        ],
    )

    def clean_scheme(self) -> str:
        scheme = self.cleaned_data["scheme"]
        if scheme not in SCHEMES:
            raise forms.ValidationError(_("Unknown reporting scheme."))
        return scheme


class DueDateForm(forms.Form):
    due_date = ThaiDateField(label=_("Due date"))


class ProgressForm(forms.Form):
    """Status, outcome, suggestions, budget used and the activities (repeated inputs), each dated or,
    as a summary line, not. Given the measure and the round, a date outside the measure's period or
    the round's gets a warning next to it; it is still saved, as offices do record such work."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=ProgressEntry.Status.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    outcome = forms.CharField(
        label=_("Outcome or success"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    suggestions = forms.CharField(label=_("Suggestions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    budget_used = MoneyField(label=_("Budget used (baht)"))

    def __init__(self, data=None, *args, measure: Measure | None = None, round: ReportingRound | None = None,
                 **kwargs):
        super().__init__(data, *args, **kwargs)
        self.measure, self.round = measure, round
        self.activity_rows: list[dict] = []
        self.activity_errors: list[str] = []
        if data is not None:
            dates = data.getlist("activity_date") if hasattr(data, "getlist") else data.get("activity_date", [])
            texts = data.getlist("activity_text") if hasattr(data, "getlist") else data.get("activity_text", [])
            self.activity_rows = [{"date": d, "text": t} for d, t in zip(dates, texts, strict=False)]

    def set_activities(self, activities) -> None:
        self.activity_rows = [
            {"date": a.date, "text": a.description, "warning": self._warning(a.date)} for a in activities
        ]

    def _warning(self, day) -> str:
        if self.measure is None or self.round is None:
            return ""
        return activity_date_warning(self.measure, self.round, day)

    def clean(self):
        data = super().clean()
        activities, errors = [], []
        for number, row in enumerate(self.activity_rows, start=1):
            text, raw = row["text"].strip(), row["date"].strip()
            row["error"] = row["warning"] = ""
            if not text and not raw:
                continue
            day = None
            if raw:
                try:
                    day = parse_thai_date(raw)
                except DateInputError as error:
                    row["error"] = _("Activity %(number)s: %(problem)s") % {
                        "number": number, "problem": error.messages[0]}
            if not row["error"] and not text:
                row["error"] = _("Activity %(number)s needs a description of what was done.") % {"number": number}
            if row["error"]:
                errors.append(row["error"])
                continue
            row["warning"] = self._warning(day)
            activities.append(ActivityData(day, text))
        self.activity_errors = errors
        if errors:
            raise forms.ValidationError(errors)
        data["activities"] = activities
        return data
