"""Races that only a real database shows: run on PostgreSQL (CI), skipped on SQLite."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import DatabaseError, connection, connections, transaction

from itaportal.accounts.models import Department, Organisation, User
from itaportal.audit.models import AppendOnlyError, AuditEntry
from reports.models import Decision
from reports.services.memos import MemoError, allocate_number, memo_decide, memo_submit

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only(demo):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and triggers are proven on PostgreSQL")


def in_thread(function):
    """Run `function` in its own connection, as a separate request would, and close it after."""

    def run(*args):
        try:
            return function(*args)
        finally:
            connections.close_all()

    return run


def test_twenty_parallel_decisions_on_one_step_record_exactly_one(chain, draft):
    chain("phusang", ["หัวหน้าสำนักปลัด", "ปลัด", "นายก"])
    author, head = User.objects.get(username="staff.phusang"), User.objects.get(username="head.phusang")
    memo = memo_submit(memo=draft(), user=author)

    @in_thread
    def decide(_n):
        try:
            memo_decide(memo=memo, user=head, level=1, action="approve", comment="เห็นควรเสนอ")
            return "decided"
        except MemoError:
            return "refused"

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(decide, range(20)))
    assert outcomes.count("decided") == 1 and outcomes.count("refused") == 19
    assert Decision.objects.filter(memo=memo).count() == 1
    memo.refresh_from_db()
    assert memo.current_level == 2


def test_a_thousand_parallel_number_allocations_give_a_thousand_different_numbers():
    organisation = Organisation.objects.get(slug="nasom")
    department = Department.objects.get(organisation=organisation, name="สำนักปลัด")

    @in_thread
    def allocate(_n):
        with transaction.atomic():
            return allocate_number(organisation=organisation, department=department, fiscal_year=2599)

    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = list(pool.map(allocate, range(1000)))
    assert sorted(numbers) == list(range(1, 1001))


def test_the_database_refuses_to_update_or_delete_the_trail(chain, draft):
    chain("phusang", ["หัวหน้าสำนักปลัด", "ปลัด", "นายก"])
    memo_submit(memo=draft(), user=User.objects.get(username="staff.phusang"))
    entry = AuditEntry.objects.latest("pk")
    for statement in ["UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
                      "DELETE FROM audit_auditentry WHERE id = %s"]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "ita.memo.submitted"


def test_the_model_refuses_it_everywhere(chain, draft):
    chain("phusang", ["หัวหน้าสำนักปลัด", "ปลัด", "นายก"])
    memo_submit(memo=draft(), user=User.objects.get(username="staff.phusang"))
    entry = AuditEntry.objects.latest("pk")
    for attempt in [entry.save, entry.delete, AuditEntry.objects.all().delete,
                    lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="x")]:
        with pytest.raises(AppendOnlyError):
            attempt()
