"""Writes to organisations and memberships. Views call these; nothing else saves these models."""

from django.db import transaction

from itaportal.thai import to_arabic_digits

from .models import Organisation


@transaction.atomic
def organisation_update_profile(
    *, organisation: Organisation, website: str, email: str, document_code: str
) -> Organisation:
    organisation.website = website.strip()
    organisation.email = email.strip()
    # Stored with Arabic digits so that one code has one spelling; documents print Thai digits.
    organisation.document_code = " ".join(to_arabic_digits(document_code).split())
    organisation.save(update_fields=["website", "email", "document_code"])
    return organisation
