"""Reading the trail back: what a history panel shows of one record, its children, or every record of
a kind in an office (those since removed included).

A panel is built from conditions (`about`, `about_rows`, `about_kind`, or any Q over AuditEntry) read
by `history` in one query, however many records they cover: a queryset of children is a subquery,
never a list of ids fetched first.
"""

from django.db import models
from django.db.models import Q, QuerySet

from itaportal.accounts.models import Organisation

from .models import AuditEntry
from .registry import describe

HISTORY_LIMIT = 30


def trail_of(target: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=target._meta.label_lower, object_id=target.pk).order_by(
        "created_at", "pk"
    )


def about(target: models.Model | None) -> Q:
    """The entries about one record; nothing for a record that does not exist yet (None)."""
    if target is None or target.pk is None:
        return Q(pk__in=[])
    return Q(object_type=target._meta.label_lower, object_id=target.pk)


def about_rows(rows: QuerySet) -> Q:
    """The entries about any row of `rows` (a measure's progress entries), read through a subquery."""
    return Q(object_type=rows.model._meta.label_lower, object_id__in=rows.values("pk"))


def about_kind(model: type[models.Model], organisation: Organisation, **data) -> Q:
    """The entries about every record of `model` in the office, removed ones too, narrowed by keys of
    their data (`about_kind(AnalysisIssue, org, assessment=7)`): a removed record can only be found by
    what its entries say of it."""
    return Q(
        organisation=organisation,
        object_type=model._meta.label_lower,
        **{f"data__{key}": value for key, value in data.items()},
    )


def history(*conditions: Q, limit: int = HISTORY_LIMIT) -> list[tuple[AuditEntry, str]]:
    """The newest entries matching any of the conditions, each with the sentence it reads as, for
    templates/_history.html. One query; the sentences come from the registry, not the database."""
    if not conditions:
        return []
    condition = Q()
    for part in conditions:
        condition |= part
    entries = AuditEntry.objects.filter(condition).order_by("-created_at", "-pk")[:limit]
    return [(entry, describe(entry)) for entry in entries]


def last_entry(target: models.Model) -> AuditEntry | None:
    """The newest entry about one record (a progress entry's autosaves are coalesced by it)."""
    return AuditEntry.objects.filter(object_type=target._meta.label_lower, object_id=target.pk).order_by(
        "-created_at", "-pk"
    ).first()
