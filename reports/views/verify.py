"""Public verification of a printed or downloaded document by its SHA-256: no login, no internal detail."""

import hashlib

from django import forms
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.access import public_view

from ..selectors.documents import SHA256_RE, verify_code, verify_sha256

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
RESULT_MAX_AGE = 300


class VerifyForm(forms.Form):
    sha256 = forms.CharField(
        label=_("SHA-256 of the document"), required=False, max_length=200, strip=True,
        help_text=_("64 hexadecimal characters, as shown in the portal or on the page the QR code opens"),
    )
    file = forms.FileField(label=_("Or the PDF file itself"), required=False,
                           help_text=_("At most 20 MB. The file is only hashed, never kept."))

    def clean_sha256(self) -> str:
        value = "".join(self.cleaned_data["sha256"].split()).lower()
        if value and not SHA256_RE.fullmatch(value):
            raise forms.ValidationError(_("A SHA-256 has exactly 64 characters, digits 0–9 and letters a–f."))
        return value

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("sha256") and not cleaned.get("file"):
            raise forms.ValidationError(_("Type or paste a SHA-256, or choose the PDF file."))
        return cleaned

    def digest(self) -> str:
        upload = self.cleaned_data.get("file")
        if not upload:
            return self.cleaned_data["sha256"]
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        return digest.hexdigest()


@public_view(methods=("GET", "POST"))
def verify(request):
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            return redirect("verify_result", sha256=form.digest())
    else:
        form = VerifyForm()
    return render(request, "reports/verify.html", {"form": form})


@public_view()
def verify_result(request, sha256: str):
    sha256 = sha256.lower()
    response = render(request, "reports/verify.html", {"sha256": sha256, "result": verify_sha256(sha256),
                                                      "answered": True})
    patch_cache_control(response, public=True, max_age=RESULT_MAX_AGE)
    return response


@public_view()
def verify_code_view(request, code: str):
    """Where a document's QR code leads: what it is, and the SHA-256 its file must have, to compare."""
    result = verify_code(code)
    response = render(request, "reports/verify.html", {
        "result": result, "sha256": result.sha256 if result else "", "answered": True, "by_code": True,
    }, status=200 if result else 404)
    patch_cache_control(response, public=True, max_age=RESULT_MAX_AGE)
    return response
