"""The framework editor's forms. They check the format of what is typed; the rule of what may change
when is the services' (assessments.services.frameworks), and a field the rule freezes is disabled here
so that the page shows it and a tampered post cannot change it."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from itaportal.thai import to_arabic_digits

from .forms import clean_score
from .framework_format import ItemSpec
from .models import Framework, Item
from .services.frameworks import FIRST_YEAR, LAST_YEAR, IndicatorRow, LevelRow, ToolRow

TEXT_ROWS = {"rows": 3}


class RequiredScoreField(forms.CharField):
    """A figure from 0 to 100 with at most two decimals, in Thai or Arabic digits (weights, thresholds)."""

    def __init__(self, *, required: bool = True, **kwargs):
        super().__init__(required=required, max_length=12, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value):
        return clean_score(super().clean(value))

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".rstrip("0").rstrip(".")
        return value


class YearField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=8, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        text = to_arabic_digits(super().clean(value) or "").strip()
        if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
            raise forms.ValidationError(_("Type the fiscal year in the Buddhist Era, such as 2571."), code="year")
        return int(text)


class FrameworkCopyForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy from fiscal year"), queryset=Framework.objects.none(),
                                    empty_label=None)
    fiscal_year = YearField(label=_("New fiscal year (B.E.)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Framework.objects.order_by("-fiscal_year")
        self.fields["source"].label_from_instance = lambda framework: f"{framework.fiscal_year} – {framework.name}"


class FrameworkSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    source = forms.CharField(label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("Where the data comes from: the manual, its page, the date."))
    pass_mark = RequiredScoreField(label=_("Pass mark"))
    provisional = forms.BooleanField(label=_("Provisional: not yet confirmed against the NACC manual"),
                                     required=False)
    provisional_source = forms.CharField(label=_("Why provisional"), required=False,
                                         widget=forms.Textarea(attrs=TEXT_ROWS))

    def __init__(self, *args, framework: Framework, **kwargs):
        kwargs.setdefault("initial", {
            "name": framework.name, "source": framework.source, "pass_mark": framework.pass_mark,
            "provisional": framework.provisional, "provisional_source": framework.provisional_source,
        })
        super().__init__(*args, **kwargs)
        if framework.is_published:
            self.fields["pass_mark"].disabled = True
            self.fields["pass_mark"].help_text = _("Frozen: the framework is published.")


# --- formsets: a hidden `pk` names the stored row, blank for a new one ------------------------------


class _RowForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-select form-select-sm" if isinstance(
                    field.widget, forms.Select) else "form-control form-control-sm")
            if frozen and name not in self.open_when_frozen:
                field.disabled = True

    open_when_frozen: tuple[str, ...] = ()


class ToolForm(_RowForm):
    code = forms.CharField(label=_("Code"), max_length=10)
    name = forms.CharField(label=_("Name"), max_length=255)
    weight = RequiredScoreField(label=_("Weight (%)"))
    checklist = forms.BooleanField(label=_("Checklist (met or not)"), required=False)


class IndicatorForm(_RowForm):
    number = forms.CharField(label=_("Number"), max_length=10)
    name = forms.CharField(label=_("Name"), max_length=255)
    tool = forms.ChoiceField(label=_("Tool"))
    parent = forms.ChoiceField(label=_("Sub-indicator of"), required=False)

    def __init__(self, *args, tools: list[str], parents: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tool"].choices = [(code, code) for code in tools]
        self.fields["parent"].choices = [("", "—")] + [(number, number) for number in parents]


class LevelForm(_RowForm):
    name = forms.CharField(label=_("Level"), max_length=100)
    min_overall = RequiredScoreField(label=_("Minimum overall score"))
    min_each_tool = RequiredScoreField(label=_("Minimum score of each tool"), required=False)
    provisional = forms.BooleanField(label=_("Provisional"), required=False)
    provisional_source = forms.CharField(label=_("Why provisional"), required=False, max_length=2000)
    open_when_frozen = ("pk", "provisional", "provisional_source")


def _formset(form, extra: int, frozen: bool):
    return forms.formset_factory(form, extra=0 if frozen else extra, can_delete=not frozen)


def _row_pk(data: dict, stored: dict):
    """The stored row a form names, or None: a pk of another framework counts as a new row, never as
    that framework's."""
    return stored.get(data.get("pk"))


def tool_formset(framework: Framework, data=None):
    frozen = framework.is_published
    initial = [{"pk": t.pk, "code": t.code, "name": t.name, "weight": t.weight, "checklist": t.checklist}
               for t in framework.tools.order_by("order")]
    return _formset(ToolForm, 1, frozen)(data, initial=initial, prefix="tools", form_kwargs={"frozen": frozen})


def tool_rows(framework: Framework, formset) -> list[ToolRow]:
    stored = {tool.pk: tool for tool in framework.tools.all()}
    return [
        ToolRow(tool=_row_pk(form.cleaned_data, stored), code=form.cleaned_data["code"].strip(),
                name=form.cleaned_data["name"], weight=form.cleaned_data["weight"],
                checklist=form.cleaned_data["checklist"], delete=form.cleaned_data.get("DELETE", False))
        for form in formset.forms
        if form.has_changed() or form.initial
    ]


def indicator_formset(framework: Framework, data=None):
    frozen = framework.is_published
    indicators = list(framework.indicators.select_related("tool", "parent").order_by("order"))
    initial = [{"pk": i.pk, "number": i.number, "name": i.name, "tool": i.tool.code,
                "parent": i.parent.number if i.parent else ""} for i in indicators]
    kwargs = {"frozen": frozen, "tools": [t.code for t in framework.tools.order_by("order")],
              "parents": [i.number for i in indicators if i.parent_id is None]}
    return _formset(IndicatorForm, 2, frozen)(data, initial=initial, prefix="indicators", form_kwargs=kwargs)


def indicator_rows(framework: Framework, formset) -> list[IndicatorRow]:
    stored = {indicator.pk: indicator for indicator in framework.indicators.all()}
    tools = {tool.code: tool for tool in framework.tools.all()}
    return [
        IndicatorRow(indicator=_row_pk(form.cleaned_data, stored), number=form.cleaned_data["number"].strip(),
                     name=form.cleaned_data["name"], tool=tools[form.cleaned_data["tool"]],
                     parent=form.cleaned_data["parent"], delete=form.cleaned_data.get("DELETE", False))
        for form in formset.forms
        if form.has_changed() or form.initial
    ]


def level_formset(framework: Framework, data=None):
    frozen = framework.is_published
    initial = [{"pk": r.pk, "name": r.name, "min_overall": r.min_overall, "min_each_tool": r.min_each_tool,
                "provisional": r.provisional, "provisional_source": r.provisional_source}
               for r in framework.level_rules.order_by("order")]
    return _formset(LevelForm, 1, frozen)(data, initial=initial, prefix="levels", form_kwargs={"frozen": frozen})


def level_rows(framework: Framework, formset) -> list[LevelRow]:
    stored = {rule.pk: rule for rule in framework.level_rules.all()}
    return [
        LevelRow(rule=_row_pk(form.cleaned_data, stored), name=form.cleaned_data["name"].strip(),
                 min_overall=form.cleaned_data["min_overall"], min_each_tool=form.cleaned_data["min_each_tool"],
                 provisional=form.cleaned_data["provisional"],
                 provisional_source=form.cleaned_data["provisional_source"],
                 delete=form.cleaned_data.get("DELETE", False))
        for form in formset.forms
        if form.has_changed() or form.initial
    ]


# --- one item ---------------------------------------------------------------------------------------


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10, help_text=_("i1…, e1…, o1…, as the manual numbers it"))
    tool = forms.ChoiceField(label=_("Tool"))
    indicator = forms.ChoiceField(label=_("Indicator or sub-indicator"), required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs=TEXT_ROWS))
    data_elements = forms.CharField(label=_("Required data elements"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 6}),
                                    help_text=_("One element a line, as the manual lists them."))
    provisional = forms.BooleanField(label=_("Provisional: not yet confirmed against the NACC manual"),
                                     required=False)
    provisional_source = forms.CharField(label=_("Why provisional"), required=False,
                                         widget=forms.Textarea(attrs=TEXT_ROWS))

    def __init__(self, *args, framework: Framework, item: Item | None = None, **kwargs):
        if item is not None:
            kwargs.setdefault("initial", {
                "code": item.code, "tool": item.tool.code,
                "indicator": item.indicator.number if item.indicator_id else "", "text": item.text,
                "data_elements": item.data_elements, "provisional": item.provisional,
                "provisional_source": item.provisional_source,
            })
        super().__init__(*args, **kwargs)
        self.fields["tool"].choices = [(t.code, f"{t.code} {t.name}") for t in framework.tools.order_by("order")]
        self.fields["indicator"].choices = [("", "—")] + [
            (i.number, f"{i.number} {i.name}") for i in framework.indicators.order_by("order")
        ]
        if framework.is_published and item is not None:
            # The rule of assessments.models.Framework, as the page shows it.
            self.fields["tool"].disabled = True
            if not item.provisional:
                self.fields["code"].disabled = True
                self.fields["indicator"].disabled = True
                self.fields["code"].help_text = _("Frozen: a confirmed item of a published framework.")

    def spec(self) -> ItemSpec:
        data = self.cleaned_data
        return ItemSpec(
            code=data["code"].strip(), text=data["text"].strip(), tool=data["tool"],
            indicator=data["indicator"] or None, data_elements=data["data_elements"].strip(),
            provisional=data["provisional"], provisional_source=data["provisional_source"].strip(),
        )


class ItemTableForm(forms.Form):
    file = forms.FileField(label=_("XLSX file of the item table"))


# --- the crosswalk ----------------------------------------------------------------------------------

UNDECIDED, NO_SUCCESSOR = "", "none"


class CrosswalkForm(forms.Form):
    """One choice per item of year N: its successor among the next year's items of the same tool,
    "no successor", or undecided. Pre-filled with the decided line, else with the suggestion."""

    def __init__(self, *args, lines, following: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        targets = list(following.items.select_related("tool").order_by("order"))
        self.lines = lines
        for line in lines:
            pool = [t for t in targets if t.tool.code == line.item.tool.code] or targets
            field = forms.ChoiceField(
                label=f"{line.item.code} {line.item.text}",
                required=False,
                choices=[(UNDECIDED, _("— undecided —")), (NO_SUCCESSOR, _("No successor (dropped)"))]
                + [(str(t.pk), f"{t.code} {t.text[:90]}") for t in pool],
            )
            field.widget.attrs["class"] = "form-select form-select-sm"
            if line.decided:
                field.initial = str(line.line.successor_id) if line.line.successor_id else NO_SUCCESSOR
            elif line.proposed is not None:
                field.initial = str(line.proposed.pk)
            self.fields[f"item_{line.item.pk}"] = field
        self.targets = {str(t.pk): t for t in targets}

    def rows(self):
        return [(line, self[f"item_{line.item.pk}"]) for line in self.lines]

    def decisions(self, undecided) -> dict:
        result = {}
        for line in self.lines:
            value = self.cleaned_data[f"item_{line.item.pk}"]
            result[line.item] = (
                undecided if value == UNDECIDED else None if value == NO_SUCCESSOR else self.targets[value]
            )
        return result

