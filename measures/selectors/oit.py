"""The OIT checklist of an organisation for a fiscal year, always read through its organisation."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.http import Http404

from assessments.models import Indicator, Item
from itaportal.accounts.models import Department, Organisation

from ..models import OitEntry
from ..services.oit import oit_year_items


def _host(address: str) -> str | None:
    """The host of a URL as DNS compares it: lower case, IDNA-encoded, without port or trailing dot.
    None when there is no host that a browser would read the same way."""
    address = address.strip()
    if not address:
        return None
    if "//" not in address:
        address = f"//{address}"
    parts = urlsplit(address)
    # Browsers read "\" as "/", so "https://evil.example\@site.go.th" goes to evil.example,
    # whereas urlsplit would report site.go.th.
    if "\\" in parts.netloc:
        return None
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return None
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None


def url_outside_website(url: str, website: str) -> bool:
    """Whether `url` points outside the organisation's website: its host must be the website's host
    without "www.", or a sub-domain of it. Unknown website or empty URL: nothing to flag."""
    site = _host(website)
    if site is None or not url.strip():
        return False
    site = site.removeprefix("www.")
    host = _host(url)
    return host is None or not (host == site or host.endswith(f".{site}"))


@dataclass
class OitRow:
    item: Item
    entry: OitEntry | None
    url_outside: bool = False

    @property
    def status(self) -> str:
        return self.entry.status if self.entry else OitEntry.Status.NOT_STARTED

    @property
    def is_published(self) -> bool:
        return self.status == OitEntry.Status.PUBLISHED

    @property
    def url_missing(self) -> bool:
        """Reported as published without saying where: the item is judged on that public URL."""
        return self.is_published and not self.entry.url


@dataclass
class Tally:
    published: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        # Rounded down, so that 100 % is shown only when every item is published.
        return self.published * 100 // self.total if self.total else 0

    def add(self, row: OitRow) -> None:
        self.total += 1
        self.published += row.is_published


@dataclass
class OitGroup:
    """One sub-indicator (9.1 … 10.2) with its items; `indicator` is None for items the framework
    does not attach to one."""

    indicator: Indicator | None
    rows: list[OitRow] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)


@dataclass
class OitCompletion:
    groups: list[OitGroup]
    overall: Tally


def _row(organisation: Organisation, item: Item, entry: OitEntry | None) -> OitRow:
    outside = entry is not None and url_outside_website(entry.url, organisation.website)
    return OitRow(item=item, entry=entry, url_outside=outside)


def oit_checklist(organisation: Organisation, year: int) -> tuple[list[OitRow], OitCompletion]:
    """Every OIT item of the year with the organisation's entry (None: not started), and completion
    per sub-indicator and overall; two queries whatever the number of items."""
    items = list(oit_year_items(year))
    entries = {
        e.item_id: e
        for e in OitEntry.objects.filter(
            organisation=organisation, item__framework__fiscal_year=year, item__tool__checklist=True
        ).select_related("owner")
    }
    rows, groups, overall = [], {}, Tally()
    for item in items:
        entry = entries.get(item.pk)
        row = _row(organisation, item, entry)
        rows.append(row)
        group = groups.setdefault(item.indicator_id, OitGroup(indicator=item.indicator))
        group.rows.append(row)
        group.tally.add(row)
        overall.add(row)
    return rows, OitCompletion(groups=list(groups.values()), overall=overall)


def get_oit_item_or_404(year: int, pk: int) -> Item:
    item = oit_year_items(year).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def oit_entry_of(organisation: Organisation, item: Item) -> OitEntry | None:
    return OitEntry.objects.filter(organisation=organisation, item=item).select_related("owner").first()


def oit_row(organisation: Organisation, item: Item) -> OitRow:
    """One row of the checklist, for the page fragment that replaces it after an edit."""
    return _row(organisation, item, oit_entry_of(organisation, item))


def oit_owner_choices(organisation: Organisation) -> QuerySet[Department]:
    return Department.objects.filter(organisation=organisation).order_by("order", "name")
