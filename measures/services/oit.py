"""The OIT checklist: per OIT item of a fiscal year, who publishes it, how far it is, and where."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments.models import Framework, Item
from itaportal.accounts.models import Department, Organisation, User
from itaportal.audit.services import changes

from ..models import OitEntry
from . import MeasureError, record

WEB_URL = URLValidator(schemes=["http", "https"])


class OitEntryError(MeasureError):
    """A refused entry; `field` names the form field the message belongs next to (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def oit_year_items(year: int) -> QuerySet[Item]:
    """The OIT items of the fiscal year's published framework, in the order of the NACC's list (a draft
    is the framework editors' alone)."""
    return (
        Item.objects.filter(framework__fiscal_year=year, framework__state=Framework.State.PUBLISHED,
                            tool__checklist=True)
        .select_related("indicator")
        .order_by("order")
    )


@transaction.atomic
def oit_entry_save(
    *,
    organisation: Organisation,
    item: Item,
    user: User | None,
    owner: Department | None,
    status: str,
    url: str,
    note: str,
    require_url: bool = True,
) -> OitEntry:
    """Create or update the organisation's entry for one OIT item.

    `require_url=False` is only for records taken over from a signed paper report, which states that an
    item is published without saying where (reference 001): the checklist then flags the missing URL.
    """
    if not Item.objects.filter(pk=item.pk, tool__checklist=True).exists():
        raise OitEntryError(_("This item is not on the OIT checklist of a fiscal year."))
    if owner is not None and owner.organisation_id != organisation.pk:
        raise OitEntryError(_("Choose one of your organisation's own units."), field="owner")
    if status not in OitEntry.Status.values:
        raise OitEntryError(_("Unknown status."), field="status")
    url = url.strip()
    if url:
        try:
            WEB_URL(url)
        except ValidationError:
            message = _("Enter a web address starting with https:// or http://.")
            raise OitEntryError(message, field="url") from None
    elif status == OitEntry.Status.PUBLISHED and require_url:
        raise OitEntryError(_("A published item needs the public URL where it can be seen."), field="url")
    entry, created = OitEntry.objects.select_for_update().get_or_create(organisation=organisation, item=item)
    before = _values(entry)
    entry.owner = owner
    entry.status = status
    entry.url = url
    entry.note = note.strip()
    entry.updated_by = user
    entry.save(update_fields=["owner", "status", "url", "note", "updated_by", "updated_at"])
    changed = changes(before, _values(entry))
    record(organisation=organisation, action="ita.oit.entry_saved", target=entry, user=user, data={
        "year": item.framework.fiscal_year,
        "code": item.code,
        "created": created,
        # The note is named as edited, not copied into the trail.
        "changes": {field: pair for field, pair in changed.items() if field != "note"},
        "edited": ["note"] if "note" in changed else [],
    })
    return entry


def _values(entry: OitEntry) -> dict:
    return {"owner": entry.owner.name if entry.owner_id else "", "status": entry.status, "url": entry.url,
            "note": entry.note}
