import pytest

from itaportal.accounts.models import Membership, Organisation, Position, User
from reports.models import ApprovalChain, ChainLevel, Memo


@pytest.fixture
def chain():
    """Set an organisation's general chain by position titles: chain("phusang", ["หัวหน้าสำนักปลัด", "ปลัด", "นายก"])."""

    def make(slug: str, titles: list[str], via: bool = False) -> ApprovalChain:
        organisation = Organisation.objects.get(slug=slug)
        ApprovalChain.objects.filter(organisation=organisation, kind="").delete()
        made = ApprovalChain.objects.create(organisation=organisation, kind="", address_via=via)
        for order, title in enumerate(titles, start=1):
            ChainLevel.objects.create(chain=made, order=order,
                                      position=Position.objects.get(organisation=organisation, title=title))
        return made

    return make


@pytest.fixture
def draft():
    """A general draft memo written by `author` (a demo login)."""

    def make(author: str = "staff.phusang", **fields) -> Memo:
        membership = Membership.objects.select_related("organisation", "department", "position").get(
            user__username=author)
        values = {
            "organisation": membership.organisation,
            "kind": "general",
            "fiscal_year": 2568,
            "department": membership.department or membership.organisation.departments.get(name="สำนักปลัด"),
            "subject": "ขอรายงานผลการดำเนินงาน",
            "facts": "ข้อเท็จจริงของเรื่อง",
            "author": membership.user,
            "author_position": membership.position.full_title if membership.position else "",
        }
        values.update(fields)
        return Memo.objects.create(**values)

    return make


@pytest.fixture
def user():
    return lambda username: User.objects.get(username=username)
