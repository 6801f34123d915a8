"""On final approval: freeze the memo and its documents, lock the round, and queue the PDF."""

from django.db import transaction

from itaportal.accounts.models import User
from itaportal.audit.services import audit
from measures.services.progress import round_lock

from ..models import Document, Memo, MemoVersion
from ..snapshots import canonical_hash, memo_snapshot
from .documents import queue_render

# Bumped whenever the memo's PDF template changes, so that the same data renders anew.
MEMO_TEMPLATE_VERSION = "memo-1"


def freeze_and_render(*, memo: Memo, user: User) -> MemoVersion:
    """Called inside the approving transaction: everything here stands or falls with the approval."""
    content = memo_snapshot(memo)
    version = MemoVersion.objects.create(memo=memo, content=content, sha256=canonical_hash(content))
    audit(organisation=memo.organisation, action="ita.memo.frozen", target=memo, actor=user,
          data={"sha256": version.sha256})
    if memo.kind == "progress" and memo.round_id and not memo.round.is_locked:
        round_lock(round=memo.round)
    document, _created = Document.objects.get_or_create(
        organisation=memo.organisation,
        kind=Document.Kind.MEMO,
        content_hash=canonical_hash({"template": MEMO_TEMPLATE_VERSION, "content": content}),
        defaults={"version": version},
    )
    transaction.on_commit(lambda: queue_render(document.pk))
    return version
