"""Demo OIT checklist: อบต.นาโสม's o1-o43 for FY 2566 from reference 001 (see oit.yaml)."""

from django.db import transaction

from itaportal.accounts.models import Department, Organisation
from measures.models import OitEntry
from measures.services.oit import oit_entry_save, oit_year_items

from .data import read

# The short names the documents print, for the demo units' full names.
UNIT_ALIASES = {"กองการศึกษาฯ": "กองการศึกษา ศาสนาและวัฒนธรรม"}


def _units(printed: str) -> list[str]:
    return [UNIT_ALIASES.get(name.strip(), name.strip()) for name in printed.split(",") if name.strip()]


@transaction.atomic
def load() -> None:
    """Write the entries of oit.yaml; an entry that someone has since edited in the portal is left alone."""
    data = read("oit.yaml")
    organisation = Organisation.objects.get(slug=data["organisation"])
    items = {item.code: item for item in oit_year_items(data["fiscal_year"])}
    departments = {d.name: d for d in Department.objects.filter(organisation=organisation)}
    edited = set(
        OitEntry.objects.filter(organisation=organisation, updated_by__isnull=False).values_list(
            "item_id", flat=True
        )
    )
    for spec in data["entries"]:
        item = items[spec["item"]]
        if item.pk in edited:
            continue
        owner, *others = _units(spec["owner"])
        note = spec.get("note", "").strip()
        # An entry has one owner unit; the document's other units stay visible in the note.
        if others:
            note = f"{note}\nผู้รับผิดชอบร่วม: {', '.join(others)}"
        oit_entry_save(
            organisation=organisation,
            item=item,
            user=None,
            owner=departments[owner],
            status=spec["status"],
            url=spec.get("url", ""),
            note=note,
            require_url=False,
        )
