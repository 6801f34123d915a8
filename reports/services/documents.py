"""Documents: ask for a draft of live data and queue its render after the commit (reports.tasks sends
it, and says honestly when no worker can take it)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from itaportal.accounts.models import Organisation, User
from itaportal.accounts.services import own_position_title
from itaportal.audit.services import audit

from ..documents import build_content, content_hash
from ..models import Document
from ..tasks import queue_render

# A job still queued after this long has probably lost its message (broker down when it was sent):
# asking again sends it again, which is harmless as the task is idempotent.
REQUEUE_AFTER = timedelta(minutes=2)


def request_draft(*, organisation: Organisation, kind: str, fiscal_year: int, round: int | None = None,
                  user: User | None) -> Document:
    """The draft PDF job of the data as it is now. Unchanged data finds the job already made (ready,
    or on its way) and costs a snapshot and a hash, never a second render."""
    content = build_content(kind, organisation, fiscal_year, round)
    digest = content_hash(kind, content, draft=True)
    with transaction.atomic():
        document, created = Document.objects.get_or_create(
            organisation=organisation, kind=kind, content_hash=digest,
            defaults={"content": content, "fiscal_year": fiscal_year,
                      "round_number": round if kind == Document.Kind.PROGRESS else None, "requested_by": user},
        )
        failed = document.state == Document.State.FAILED
        lost = document.state == Document.State.QUEUED and timezone.now() - document.created_at > REQUEUE_AFTER
        if failed:
            document.state, document.error = Document.State.QUEUED, ""
            document.save(update_fields=["state", "error"])
        if created or failed:
            # Finding the job already made writes nothing, and sending a lost job again changes no row.
            audit(organisation=organisation, action="ita.document.draft_requested", target=document, actor=user,
                  actor_position=own_position_title(user, organisation),
                  data={"kind": kind, "year": fiscal_year, "round": round, "again": failed})
        if created or failed or lost:
            transaction.on_commit(lambda: queue_render(document.pk))
    return document
