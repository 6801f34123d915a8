"""Render one document synchronously for the shell: an approved memo from its frozen version, or
another document from live data as a draft."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from itaportal.accounts.models import Organisation
from reports.documents import DOCUMENT_TEMPLATES, build_content, content_to_pdf, render_pdf
from reports.models import Document
from reports.models import Memo


def approved_memo(organisation: Organisation, fiscal_year: int, round_number: int | None) -> Memo:
    memos = Memo.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year, state=Memo.State.APPROVED, version__isnull=False
    ).select_related("version")
    if round_number is not None:
        memos = memos.filter(round__number=round_number)
    memo = memos.order_by("-version__frozen_at", "-pk").first()
    if memo is None:
        raise CommandError(f"no approved memo of {organisation.slug} for fiscal year {fiscal_year}")
    return memo


class Command(BaseCommand):
    help = "Render a document to a PDF file: the approved memo, or a draft of another document from live data."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--year", required=True, type=int, help="fiscal year (B.E.)")
        parser.add_argument("--kind", required=True, choices=list(DOCUMENT_TEMPLATES))
        parser.add_argument("--round", type=int, help="reporting round number (progress)")
        parser.add_argument("--out", required=True, type=Path, help="PDF file to write")

    def handle(self, *args, org, year, kind, round, out, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"no organisation {org!r}")
        if kind == "progress" and round is None:
            raise CommandError("--round is required for the progress report")
        if kind == "memo":
            version = approved_memo(organisation, year, round).version
            pdf, pages = render_pdf(version.documents.get(kind=Document.Kind.MEMO))
        else:
            try:
                content = build_content(kind, organisation, year, round)
            except Http404:
                raise CommandError(f"no {kind} data of {org} for fiscal year {year}") from None
            pdf, pages = content_to_pdf(kind, content, draft=True)
        out.write_bytes(pdf)
        self.stdout.write(f"{out}: {pages} pages, SHA-256 {hashlib.sha256(pdf).hexdigest()}")
