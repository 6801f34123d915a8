"""On final approval: freeze the memo and its documents, lock the round, and queue their PDFs."""

from django.db import transaction

from itaportal.accounts.models import User
from itaportal.audit.services import audit
from measures.services.progress import round_lock

from ..documents import content_hash
from ..models import Document, Memo, MemoVersion
from ..snapshots import canonical_hash, memo_snapshot, own_year_and_round
from ..tasks import queue_render


def freeze_and_render(*, memo: Memo, user: User) -> MemoVersion:
    """Called inside the approving transaction: everything here stands or falls with the approval."""
    content = memo_snapshot(memo)
    version = MemoVersion.objects.create(memo=memo, content=content, sha256=canonical_hash(content))
    audit(organisation=memo.organisation, action="ita.memo.frozen", target=memo, actor=user,
          data={"sha256": version.sha256})
    if memo.kind == "progress" and memo.round_id and not memo.round.is_locked:
        round_lock(round=memo.round, user=user)
    # The memo and each attached document are separate PDFs, as the office files and publishes them.
    for kind in [Document.Kind.MEMO, *content["documents"]]:
        part = content if kind == Document.Kind.MEMO else \
            {**content["documents"][kind], "organisation": content["organisation"]}
        fiscal_year, round_number = own_year_and_round(kind, part)
        document, _created = Document.objects.get_or_create(
            organisation=memo.organisation,
            kind=kind,
            content_hash=content_hash(kind, part, draft=False),
            defaults={"version": version, "fiscal_year": fiscal_year, "round_number": round_number},
        )
        transaction.on_commit(lambda pk=document.pk: queue_render(pk))
    return version
