"""The form of one OIT checklist entry."""

from django import forms
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import Department

from .models import OitEntry


class WebURLField(forms.URLField):
    # Only addresses a browser opens as a web page: the URL is shown as a link on the checklist.
    default_validators = [URLValidator(schemes=["http", "https"])]


class OitEntryForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner unit"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Not assigned yet"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=OitEntry.Status.choices)
    url = WebURLField(
        label=_("Public URL"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("The page of the organisation's website where the item is published."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, departments: QuerySet[Department], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = departments

    @staticmethod
    def initial_for(entry: OitEntry | None) -> dict:
        if entry is None:
            return {"status": OitEntry.Status.NOT_STARTED}
        return {"owner": entry.owner_id, "status": entry.status, "url": entry.url, "note": entry.note}
