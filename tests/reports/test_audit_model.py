import pytest

from itaportal.accounts.models import Organisation
from itaportal.audit.models import AppendOnlyError, AuditEntry
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


# That every action reads as a sentence, in Thai and in English, from the data its service really writes
# is tested with every service in tests/itaportal/test_audit_coverage.py.
