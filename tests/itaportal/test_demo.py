import pytest

from demo import loader
from itaportal.accounts.models import Membership, Organisation, User


@pytest.mark.django_db
def test_it_is_idempotent():
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    loader.load()
    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == counts


@pytest.mark.django_db
def test_it_creates_the_reference_organisations_as_printed():
    phusang = Organisation.objects.get(slug="phusang")
    assert phusang.full_name == "องค์การบริหารส่วนตำบลภูซาง"
    assert phusang.location == "อำเภอภูซาง จังหวัดพะเยา"
    assert phusang.document_code == "พย 72401"
    wangthong = Organisation.objects.get(slug="wangthong")
    assert wangthong.location == "จังหวัดหนองบัวลำภู"
    assert wangthong.document_code == "นก 79401.1"
    assert Organisation.objects.get(slug="nasom").location == "อำเภอชัยบาดาล จังหวัดลพบุรี"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, name, position",
    [
        ("staff.phusang", "นางสาวหทัยทิพย์ วงศ์ทะนา", "นักทรัพยากรบุคคลชำนาญการ"),
        ("nayok.phusang", "นายวรารุญ ฝาใจมา", "นายกองค์การบริหารส่วนตำบลภูซาง"),
        ("palad.nasom", "นางสาวทศพร เดชรักษา", "ปลัดองค์การบริหารส่วนตำบลนาโสม"),
        ("deputy.wangthong", "นายนิรุช วอแพง", "รองปลัดองค์การบริหารส่วนตำบลวังทอง"),
    ],
)
def test_it_names_the_people_of_the_reference_memos(username, name, position):
    membership = Membership.objects.select_related("user", "position__organisation").get(user__username=username)
    assert (membership.user.display_name, membership.position.full_title) == (name, position)


@pytest.mark.django_db
def test_the_command_prints_every_login(capsys):
    from django.core.management import call_command

    call_command("load_demo")
    out = capsys.readouterr().out
    for username in ["admin", "staff.phusang", "head.nasom", "deputy.wangthong", "auditor.wangthong"]:
        assert f"\n{username} " in out
    assert "ita-demo-2568" in out
