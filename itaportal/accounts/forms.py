import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from itaportal.thai import to_arabic_digits

# Thai consonants, an optional space, then digits with dots: พย 72401, นก 79401.1
DOCUMENT_CODE_RE = re.compile(r"^[ก-ฮ]{1,3}\.?\s?[0-9]+(\.[0-9]+)*$")


class OrganisationProfileForm(forms.Form):
    document_code = forms.CharField(
        label=_("Document code"),
        max_length=30,
        required=False,
        help_text=_("As printed after ที่ in your memos, for example พย ๗๒๔๐๑"),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_document_code(self) -> str:
        code = self.cleaned_data["document_code"].strip()
        if code and not DOCUMENT_CODE_RE.match(to_arabic_digits(code)):
            raise forms.ValidationError(
                _("A document code is the province letters and a number, for example พย ๗๒๔๐๑.")
            )
        return code
