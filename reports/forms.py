from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from measures.models import ReportingRound

from .models import Decision, Document, Memo, MemoKind


class MemoNewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of memo"), choices=MemoKind.choices, widget=forms.RadioSelect)
    assessment = forms.ModelChoiceField(
        label=_("Results analysed (analysis report)"), queryset=Assessment.objects.none(), required=False
    )
    round = forms.ModelChoiceField(
        label=_("Reporting round (progress report)"), queryset=ReportingRound.objects.none(), required=False
    )
    fiscal_year = forms.IntegerField(label=_("Fiscal year (general memo)"), min_value=2500, max_value=2700,
                                     required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = Assessment.objects.filter(organisation=organisation).select_related(
            "framework").order_by("-framework__fiscal_year")
        self.fields["assessment"].label_from_instance = lambda a: str(a.framework.fiscal_year)
        self.fields["round"].queryset = ReportingRound.objects.filter(
            organisation=organisation, locked_at=None).order_by("-fiscal_year", "number")
        self.fields["round"].label_from_instance = lambda r: f"{r.fiscal_year} · {r.name}"

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == MemoKind.ANALYSIS and not data.get("assessment"):
            self.add_error("assessment", _("Choose the results the analysis is about."))
        if kind == MemoKind.PROGRESS and not data.get("round"):
            self.add_error("round", _("Choose the reporting round."))
        if kind == MemoKind.GENERAL and not data.get("fiscal_year"):
            self.add_error("fiscal_year", _("Give the fiscal year of the memo."))
        return data


class MemoTextForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    background = forms.CharField(label="เรื่องเดิม", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    facts = forms.CharField(label="ข้อเท็จจริง", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    considerations = forms.CharField(label="ข้อพิจารณา", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    proposal = forms.CharField(label="ข้อเสนอ", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    closing = forms.ChoiceField(label=_("Closing"), choices=Memo.Closing.choices)

    @staticmethod
    def initial_for(memo: Memo) -> dict:
        return {f: getattr(memo, f) for f in ["subject", "background", "facts", "considerations", "proposal",
                                               "closing"]}


class SubmitForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for submitting despite the differences"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecideForm(forms.Form):
    level = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    action = forms.ChoiceField(choices=Decision.Action.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DraftRequestForm(forms.Form):
    """One button of the drafts page: a document the organisation's data can make (see draft_options)."""

    kind = forms.ChoiceField(choices=[(k, v) for k, v in Document.Kind.choices if k != Document.Kind.MEMO])
    fiscal_year = forms.IntegerField(min_value=2500, max_value=2700)
    round = forms.IntegerField(min_value=1, max_value=24, required=False)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.available = {
            (option.kind, year.year, option.round) for year in options for option in year.options
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            if cleaned["kind"] != Document.Kind.PROGRESS:
                cleaned["round"] = None
            if (cleaned["kind"], cleaned["fiscal_year"], cleaned["round"]) not in self.available:
                raise forms.ValidationError(_("There is no data for this document in this fiscal year."))
        return cleaned
