import pytest

from itaportal.accounts.models import Organisation
from itaportal.audit.models import AppendOnlyError, AuditEntry
from itaportal.audit.registry import ACTIONS, describe
from itaportal.audit.services import audit

pytestmark = pytest.mark.django_db


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    organisation = Organisation.objects.get(slug="nasom")
    entry = audit(organisation=organisation, action="ita.memo.cancelled", target=organisation, actor=None)
    for attempt in [entry.save, entry.delete, AuditEntry.objects.filter(pk=entry.pk).delete,
                    lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="x")]:
        with pytest.raises(AppendOnlyError):
            attempt()
    assert AuditEntry.objects.get(pk=entry.pk).action == "ita.memo.cancelled"


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        audit(organisation=Organisation.objects.get(slug="nasom"), action="ita.nope", target=None, actor=None)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_reads_as_a_sentence_in_thai(action, settings):
    from django.utils import translation

    entry = AuditEntry(action=action, data={"level": 2, "comment": "ทราบ", "number": 120, "sha256": "ab" * 32,
                                            "person": "นาง ก", "position": "ปลัด", "start": "1", "end": "2",
                                            "override_reason": "", "kind": "", "positions": ["ปลัด", "นายก"],
                                            "previous_end": "2", "note": "คำสั่ง", "address_via": True})
    with translation.override("th"):
        text = describe(entry)
    assert text and text != action
