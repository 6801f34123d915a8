"""The auditors' shelf: every approved document of the organisation, with its SHA-256 and QR code."""

from django.shortcuts import render

from itaportal.accounts.access import ALL_ROLES, organisation_view

from ..codes import code_url, qr_svg
from ..models import Document
from ..selectors.documents import approved_documents, approved_years, grouped_by_year_and_kind
from ..snapshots import number_text


def _year_filter(value: str, years: list[int]) -> int | None:
    return int(value) if value.isdigit() and int(value) in years else None


@organisation_view(roles=ALL_ROLES)
def auditor_documents(request):
    years = approved_years(request.organisation)
    year = _year_filter(request.GET.get("year", ""), years)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Document.Kind.values else ""
    documents = approved_documents(request.organisation)
    if year:
        documents = documents.filter(version__memo__fiscal_year=year)
    if kind:
        documents = documents.filter(kind=kind)
    documents = list(documents)
    for document in documents:
        document.memo_number = number_text(document.version.memo)
        document.verify_url = code_url(document.code)
        document.qr = qr_svg(document.verify_url, best_mask=False)
    return render(request, "reports/auditor_documents.html", {
        "groups": grouped_by_year_and_kind(documents),
        "years": years,
        "year": year,
        "kinds": Document.Kind.choices,
        "kind": kind,
    })
