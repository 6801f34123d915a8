"""The rule of an office's document code (ที่ พย ๗๒๔๐๑/๑๒๐ opens with it), in one place for the
pages, the bulk import, the services and the model: the letters of the province, then the number,
Thai or Arabic digits as printed; stored with Arabic digits so that one code has one spelling."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from itaportal.thai import to_arabic_digits

# Thai consonants, an optional dot and space, then digits with dots: พย 72401, นก 79401.1
DOCUMENT_CODE_RE = re.compile(r"^[ก-ฮ]{1,3}\.?\s?[0-9]+(\.[0-9]+)*$")
DOCUMENT_CODE_MESSAGE = _("A document code is the province letters and a number, for example พย ๗๒๔๐๑.")


def normalise_document_code(code: str) -> str:
    """พย ๗๒๔๐๑, "พย  72401 " → พย 72401 (blank stays blank)."""
    return " ".join(to_arabic_digits(code or "").split())


def validate_document_code(code: str) -> None:
    """Accepts the code as typed or as stored; blank is allowed (an office may not have one yet)."""
    normalised = normalise_document_code(code)
    if normalised and not DOCUMENT_CODE_RE.match(normalised):
        raise ValidationError(DOCUMENT_CODE_MESSAGE, code="document_code")


def document_code_letters(code: str) -> str:
    """The letters a code opens with (พย of พย 72401), to compare with the province's abbreviation."""
    match = re.match(r"[ก-ฮ]+", normalise_document_code(code))
    return match.group(0) if match else ""
