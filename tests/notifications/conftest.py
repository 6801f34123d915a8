import pytest

from itaportal.accounts.models import Organisation, User
from itaportal.notifications.services import notify


@pytest.fixture
def make_notification():
    """A progress reminder for a demo user: make_notification("staff.nasom", number=3)."""

    def make(
        username="staff.nasom", slug=None, url="/o/nasom/measures/", dedupe_key=None, email=False, **data
    ):
        user = User.objects.get(username=username)
        organisation = Organisation.objects.get(slug=slug or username.split(".")[1])
        fields = {"number": 1, "title": "เผยแพร่แผนจัดซื้อจัดจ้าง", "round": "รอบ ๖ เดือน", "due_date": "2025-03-31"}
        fields.update(data)
        return notify(
            recipient=user,
            organisation=organisation,
            kind="ita.progress.due_soon",
            data=fields,
            url=url,
            dedupe_key=dedupe_key,
            email=email,
        )

    return make
