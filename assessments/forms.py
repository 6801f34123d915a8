from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from itaportal.thai import parse_decimal

from .models import AnalysisIssue, Framework, Indicator, Item, Tool


def clean_score(text: str) -> Decimal | None:
    """A score as typed: Thai or Arabic digits, 0–100, at most two decimals; blank means none.

    Raises ValidationError with a message that says what is wrong, for the field it came from.
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = parse_decimal(text)
    except (ValueError, InvalidOperation):
        raise forms.ValidationError(_("Type a number such as 85.25 or ๘๕.๒๕."), code="invalid") from None
    if not Decimal(0) <= value <= Decimal(100):
        raise forms.ValidationError(_("A score is between 0 and 100."), code="range")
    if value.as_tuple().exponent < -2:
        raise forms.ValidationError(_("A score has at most two decimals, as the NACC publishes it."), code="places")
    return value.quantize(Decimal("0.01"))


class ScoreField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=12, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "class": "form-control score-input"})

    def clean(self, value):
        return clean_score(super().clean(value))


def _display(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


class ScoresForm(forms.Form):
    """One form for every figure of an assessment: overall, level, tools, indicators and items."""

    published_overall = ScoreField(label=_("Published overall score"))
    published_level = forms.ChoiceField(label=_("Published level"), required=False)

    def __init__(self, *args, framework: Framework, level_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_level"].choices = [("", "—")] + [(name, name) for name in level_names]
        self.tools = list(framework.tools.order_by("order"))
        self.indicators = list(framework.indicators.select_related("tool").order_by("order"))
        self.items = list(framework.items.select_related("tool").order_by("order"))
        for tool in self.tools:
            self.fields[f"tool_{tool.code}"] = ScoreField(label=_("Published %(tool)s score") % {"tool": tool.code})
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.number}"] = ScoreField(label=f"{indicator.number} {indicator.name}")
        for item in self.items:
            self.fields[f"item_{item.code}"] = ScoreField(label=f"{item.code} {item.text}")

    @staticmethod
    def initial_for(assessment) -> dict:
        initial = {
            "published_overall": _display(assessment.published_overall),
            "published_level": assessment.published_level,
        }
        initial.update({f"tool_{s.tool.code}": _display(s.score) for s in assessment.tool_scores.all()})
        initial.update(
            {f"indicator_{s.indicator.number}": _display(s.score) for s in assessment.indicator_scores.all()}
        )
        initial.update({f"item_{s.item.code}": _display(s.score) for s in assessment.item_scores.select_related("item")})
        return initial

    def sections(self) -> list[dict]:
        """The bound fields grouped by tool, for the template."""
        sections = []
        for tool in self.tools:
            item_fields = [(item, self[f"item_{item.code}"]) for item in self.items if item.tool_id == tool.pk]
            sections.append(
                {
                    "tool": tool,
                    "tool_field": self[f"tool_{tool.code}"],
                    "indicator_fields": [
                        (ind, self[f"indicator_{ind.number}"]) for ind in self.indicators if ind.tool_id == tool.pk
                    ],
                    "item_fields": item_fields,
                    # Items stay folded unless something in them was typed or needs correcting.
                    "items_open": any(field.errors or field.value() for _item, field in item_fields),
                }
            )
        return sections

    def scores(self) -> dict:
        data = self.cleaned_data
        return {
            "published_overall": data["published_overall"],
            "published_level": data["published_level"],
            "tool_scores": {tool: data[f"tool_{tool.code}"] for tool in self.tools},
            "indicator_scores": {ind: data[f"indicator_{ind.number}"] for ind in self.indicators},
            "item_scores": {item: data[f"item_{item.code}"] for item in self.items},
        }


class StartAssessmentForm(forms.Form):
    framework = forms.ModelChoiceField(label=_("Fiscal year"), queryset=Framework.objects.none(), empty_label=None)

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks
        self.fields["framework"].label_from_instance = lambda fw: f"{fw.fiscal_year} – {fw.name}"


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Issue"), max_length=255)
    tool = forms.ModelChoiceField(label=_("Tool"), queryset=Tool.objects.none(), empty_label=None)
    items = forms.ModelMultipleChoiceField(
        label=_("Items"), queryset=Item.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), required=False,
        help_text=_("The indicator the issue is about; the measures answering the issue are checked against it."),
    )
    analysis = forms.CharField(label=_("Analysis"), widget=forms.Textarea(attrs={"rows": 6}))
    recommendation = forms.CharField(
        label=_("Recommendation"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed in the analysis report as ข้อเสนอแนะ."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AnalysisIssue.Kind.choices, widget=forms.RadioSelect)

    def __init__(self, *args, framework: Framework, item_scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tool"].queryset = framework.tools.order_by("order")
        self.fields["tool"].label_from_instance = lambda tool: f"{tool.code} {tool.name}"
        self.fields["indicator"].queryset = framework.indicators.select_related("tool").order_by("order")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.tool.code} {i.number} {i.name}"
        self.fields["items"].queryset = framework.items.select_related("tool").order_by("order")

        def item_label(item: Item) -> str:
            score = item_scores.get(item.pk)
            suffix = f" ({score.score:.2f})" if score else ""
            return f"{item.code} {item.text}{suffix}"

        self.fields["items"].label_from_instance = item_label

    def clean(self):
        data = super().clean()
        tool, items = data.get("tool"), data.get("items")
        if tool and items and any(item.tool_id != tool.pk for item in items):
            self.add_error("items", _("Choose only items of the tool this issue is about."))
        indicator = data.get("indicator")
        if tool and indicator and indicator.tool_id != tool.pk:
            self.add_error("indicator", _("Choose an indicator of the tool this issue is about."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class AcknowledgeForm(forms.Form):
    key = forms.CharField(max_length=300)

