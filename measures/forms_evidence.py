"""The two ways to add evidence to a progress entry: a file or a link.

The form only says which one was meant and that it is there; whether the file or the link is
acceptable is the service's decision (measures.services.evidence), which names the reason.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Evidence


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(choices=Evidence.Kind.choices, widget=forms.HiddenInput)
    # Empty files reach the service, which refuses them by name like every other refusal.
    file = forms.FileField(label=_("File"), required=False, allow_empty_file=True)
    url = forms.CharField(label=_("Link"), required=False)
    title = forms.CharField(label=_("Title"), required=False)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Evidence.Kind.FILE and not cleaned.get("file"):
            self.add_error("file", _("Choose a file to upload."))
        if kind == Evidence.Kind.LINK and not cleaned.get("url"):
            self.add_error("url", _("Type or paste the link."))
        return cleaned

    def first_error(self) -> str:
        return next((str(message) for errors in self.errors.values() for message in errors), "")
