"""Who hears of a memo: the deciders of the level it reaches, and its author when it comes back."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.notifications.registry import register
from itaportal.notifications.services import notify

from ..models import Memo
from ..selectors.chain import deciders_of

MEMO_WAITING = "ita.memo.waiting"
MEMO_OUTCOME = {
    Memo.State.APPROVED: "ita.memo.approved",
    Memo.State.RETURNED: "ita.memo.returned",
    Memo.State.REJECTED: "ita.memo.rejected",
}


@register(MEMO_WAITING, example={"subject": "รายงานผลการดำเนินการ", "number": "พย 72401/120", "level": "ปลัด"})
def _waiting(data: dict) -> str:
    return _("The memo %(number)s “%(subject)s” waits for your decision as %(level)s.") % data


@register(MEMO_OUTCOME[Memo.State.APPROVED], example={"subject": "รายงาน", "number": "พย 72401/120"})
def _approved(data: dict) -> str:
    return _("Your memo %(number)s “%(subject)s” was approved.") % data


@register(MEMO_OUTCOME[Memo.State.RETURNED], example={"subject": "รายงาน", "number": "พย 72401/120", "comment": "แก้ไข"})
def _returned(data: dict) -> str:
    return _("Your memo %(number)s “%(subject)s” was returned for revision: %(comment)s") % data


@register(MEMO_OUTCOME[Memo.State.REJECTED], example={"subject": "รายงาน", "number": "พย 72401/120", "comment": "ไม่"})
def _rejected(data: dict) -> str:
    return _("Your memo %(number)s “%(subject)s” was rejected: %(comment)s") % data


def _url(memo: Memo) -> str:
    return reverse("memo_detail", args=[memo.organisation.slug, memo.pk])


def _number(memo: Memo) -> str:
    return f"{memo.organisation.document_code}/{memo.number}" if memo.number else ""


def notify_level(memo_id: int) -> None:
    memo = Memo.objects.select_related("organisation").get(pk=memo_id)
    if memo.state != Memo.State.IN_REVIEW:
        return
    step = memo.levels[memo.current_level - 1]
    for user in deciders_of(memo.organisation, step["position_id"], timezone.localdate()):
        notify(
            recipient=user,
            organisation=memo.organisation,
            kind=MEMO_WAITING,
            data={"subject": memo.subject, "number": _number(memo), "level": step["title"]},
            url=_url(memo),
            dedupe_key=f"{MEMO_WAITING}:{memo.pk}:{memo.review}:{memo.current_level}:{user.pk}",
        )


def notify_author(memo_id: int) -> None:
    memo = Memo.objects.select_related("organisation", "author").get(pk=memo_id)
    kind = MEMO_OUTCOME.get(memo.state)
    if kind is None:
        return
    last = memo.decisions.order_by("-decided_at", "-pk").first()
    notify(
        recipient=memo.author,
        organisation=memo.organisation,
        kind=kind,
        data={"subject": memo.subject, "number": _number(memo), "comment": last.comment if last else ""},
        url=_url(memo),
        dedupe_key=f"{kind}:{memo.pk}:{memo.review}",
    )
