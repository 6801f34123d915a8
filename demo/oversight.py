"""The demo's oversight logins: one provincial office per reference organisation's province, so that
`oversight.phayao` follows อบต.ภูซาง (and every organisation a scale data set adds to พะเยา)."""

from django.db import transaction

from itaportal.accounts.models import Province
from oversight.models import OversightMembership

from .data import DemoLogin, demo_user, read

# (login, province, name prefix, first name). Nobody the documents name: the surname ตัวอย่าง
# ("example"), as for the other invented people.
PEOPLE = [
    ("oversight.phayao", "พะเยา", "นาง", "กำกับ"),
    ("oversight.lopburi", "ลพบุรี", "นาย", "ติดตาม"),
    ("oversight.nongbualamphu", "หนองบัวลำภู", "นางสาว", "ดูแล"),
]
SURNAME = "ตัวอย่าง"


@transaction.atomic
def load() -> list[DemoLogin]:
    password = read("organisations.yaml")["password"]
    logins = []
    for username, province, prefix, first_name in PEOPLE:
        user = demo_user(username, password, name_prefix=prefix, first_name=first_name, last_name=SURNAME)
        scope, _ = OversightMembership.objects.update_or_create(
            user=user,
            province=Province.objects.get(name=province),
            district=None,
            defaults={"is_active": True},
        )
        logins.append(DemoLogin(user.username, password, "–", "oversight", scope.area))
    return logins
