"""Acting appointments take their dates in พ.ศ., as the order (คำสั่ง) that made them is dated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from itaportal.dates import input_text
from reports.models import Delegation
from tests.reports.test_config import DELEGATIONS_URL, appoint, positions, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_demo_appointments():
    Delegation.objects.all().delete()


def create(client, **fields):
    data = {"action": "create", "person": user("head.phusang").pk, "kind": "acting",
            "position": positions("phusang", ["ปลัด"])[0].pk, "note": "", **fields}
    return client.post(DELEGATIONS_URL.format("phusang"), data)


def test_an_appointment_in_buddhist_era_dates(login):
    response = create(login("admin.phusang"), start="3/3/2568", end="๑๔ มี.ค. ๒๕๖๘")
    assert response.status_code == 302
    (delegation,) = Delegation.objects.all()
    assert (delegation.start.isoformat(), delegation.end.isoformat()) == ("2025-03-03", "2025-03-14")


def test_a_wrong_date_is_shown_as_typed_next_to_its_field(login):
    client = login("admin.phusang")
    client.cookies["ita_language"] = "en"
    html = create(client, start="3/3/2568", end="14/03/2668").content.decode()
    assert 'value="3/3/2568"' in html and 'value="14/03/2668"' in html
    assert "14 March 2668 (CE 2125)" in html
    assert 'placeholder="วว/ดด/ปปปป"' in html
    assert not Delegation.objects.exists()


def test_ending_an_appointment_on_a_buddhist_date(login):
    today = timezone.localdate()
    delegation = appoint(start=today - timedelta(days=3), end=today + timedelta(days=10))
    client = login("admin.phusang")
    page = client.get(DELEGATIONS_URL.format("phusang")).content.decode()
    assert f'value="{input_text(today)}"' in page  # the last day offered, in พ.ศ.
    response = client.post(DELEGATIONS_URL.format("phusang"),
                           {"action": "end", "delegation_id": delegation.pk, "on": input_text(today)})
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.end == today


def test_a_wrong_last_day_keeps_what_was_typed(login):
    today = timezone.localdate()
    delegation = appoint(start=today - timedelta(days=3), end=today + timedelta(days=10))
    client = login("admin.phusang")
    html = client.post(DELEGATIONS_URL.format("phusang"),
                       {"action": "end", "delegation_id": delegation.pk, "on": "พรุ่งนี้"}).content.decode()
    assert 'value="พรุ่งนี้"' in html and "is-invalid" in html
    assert f'aria-describedby="id_end_{delegation.pk}_on-error"' in html
