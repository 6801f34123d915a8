"""The national register as data: every database holds Thailand's provinces and districts with their DOPA
codes, and offices print their kind and place as written officially."""

import geothai
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from itaportal.accounts import register
from itaportal.accounts.models import Department, District, Organisation, Position, Province

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """The models' messages read in English here (they are matched below)."""
    with translation.override("en"):
        yield


def test_every_database_holds_the_whole_register():
    assert Province.objects.count() == len(geothai.provinces()) == 77
    assert District.objects.count() == 928
    assert District.objects.filter(kind=District.Kind.KHET).count() == 50
    assert set(Province.objects.values_list("code", flat=True)) == {p.code for p in geothai.provinces()}
    assert not Province.objects.filter(abbreviation="").exists()


def test_codes_names_and_letters():
    phayao = Province.objects.get(code="56")
    assert (phayao.name, phayao.name_en, phayao.abbreviation, phayao.full_name) == (
        "พะเยา", "Phayao", "พย", "จังหวัดพะเยา"
    )
    bangkok = Province.objects.get(code="10")
    # Bangkok is no จังหวัด, and its documents open with กท (กทม is the number plates').
    assert (bangkok.name, bangkok.full_name, bangkok.abbreviation) == ("กรุงเทพมหานคร", "กรุงเทพมหานคร", "กท")
    assert District.objects.get(code="5608").full_name == "อำเภอภูซาง"
    # The capital district is อำเภอเมือง<province>, Ayutthaya's carries the province's name.
    assert District.objects.get(code="5601").full_name == "อำเภอเมืองพะเยา"
    assert District.objects.get(code="1401").full_name == "อำเภอพระนครศรีอยุธยา"


def test_bangkoks_districts_are_khet_stored_without_the_word():
    districts = District.objects.filter(province__code="10")
    assert districts.count() == 50
    assert set(districts.values_list("kind", flat=True)) == {District.Kind.KHET}
    bang_rak = District.objects.get(code="1004")
    assert (bang_rak.name, bang_rak.full_name, str(bang_rak)) == ("บางรัก", "เขตบางรัก", "เขตบางรัก")
    assert not District.objects.exclude(province__code="10").filter(kind=District.Kind.KHET).exists()
    assert not District.objects.filter(name__startswith="เขต").exists()


def office(kind, name, district=None, province=None) -> Organisation:
    return Organisation(
        slug="x", kind=kind, name=name,
        district=District.objects.get(code=district) if district else None,
        province=Province.objects.get(code=province) if province else None,
    )


@pytest.mark.parametrize(
    "kind, name, district, province, full, short, location",
    [
        ("sao", "ภูซาง", "5608", None, "องค์การบริหารส่วนตำบลภูซาง", "อบต.ภูซาง", "อำเภอภูซาง จังหวัดพะเยา"),
        ("tambon_municipality", "ภูซาง", "5608", None, "เทศบาลตำบลภูซาง", "ทต.ภูซาง", "อำเภอภูซาง จังหวัดพะเยา"),
        ("town_municipality", "พะเยา", "5601", None, "เทศบาลเมืองพะเยา", "ทม.พะเยา",
         "อำเภอเมืองพะเยา จังหวัดพะเยา"),
        ("city_municipality", "เชียงราย", "5701", None, "เทศบาลนครเชียงราย", "ทน.เชียงราย",
         "อำเภอเมืองเชียงราย จังหวัดเชียงราย"),
        ("pao", "พะเยา", None, "56", "องค์การบริหารส่วนจังหวัดพะเยา", "อบจ.พะเยา", "จังหวัดพะเยา"),
        ("bangkok", "กรุงเทพมหานคร", None, "10", "กรุงเทพมหานคร", "กทม.", "กรุงเทพมหานคร"),
        ("bangkok", "กรุงเทพมหานคร", "1004", None, "กรุงเทพมหานคร", "กทม.", "เขตบางรัก กรุงเทพมหานคร"),
        ("pattaya", "เมืองพัทยา", "2004", None, "เมืองพัทยา", "เมืองพัทยา", "อำเภอบางละมุง จังหวัดชลบุรี"),
    ],
)
def test_each_kind_prints_its_official_names(kind, name, district, province, full, short, location):
    organisation = office(kind, name, district, province)
    organisation.clean()
    assert (organisation.full_name, organisation.short_name, organisation.location) == (full, short, location)


def test_the_province_follows_from_the_district():
    organisation = office("sao", "ภูซาง", district="5608")
    organisation.clean()
    assert organisation.province.code == "56"


@pytest.mark.parametrize(
    "kind, name, district, province, field, message",
    [
        ("sao", "ภูซาง", "5608", "57", "district", "This district is in จังหวัดพะเยา, not in จังหวัดเชียงราย."),
        ("sao", "ภูซาง", None, None, "district",
         "Choose the district, or the province of an office without one."),
        ("pao", "ภูซาง", None, "56", "name", "carries its province's name, พะเยา"),
        ("bangkok", "กทม", None, "10", "name", "The name of this kind of office is กรุงเทพมหานคร."),
        ("bangkok", "กรุงเทพมหานคร", None, "56", "province", "กรุงเทพมหานคร lies in กรุงเทพมหานคร."),
        ("pattaya", "เมืองพัทยา", "5608", None, "district", "เมืองพัทยา lies in จังหวัดชลบุรี."),
    ],
)
def test_clean_refuses_what_cannot_be(kind, name, district, province, field, message):
    with pytest.raises(ValidationError) as refused:
        office(kind, name, district, province).clean()
    assert list(refused.value.message_dict) == [field]
    assert message in refused.value.message_dict[field][0]


def test_units_of_another_office_are_refused_by_clean():
    phusang, nasom = Organisation.objects.get(slug="phusang"), Organisation.objects.get(slug="nasom")
    foreign = nasom.departments.get(name="สำนักปลัด")
    with pytest.raises(ValidationError) as refused:
        Position(organisation=phusang, title="ใหม่", department=foreign).full_clean()
    assert list(refused.value.message_dict) == ["department"]
    membership = phusang.memberships.first()
    membership.department, membership.position = foreign, nasom.positions.first()
    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert sorted(refused.value.message_dict) == ["department", "position"]


def test_a_department_abbreviation_names_one_unit_of_the_office():
    phusang, nasom = Organisation.objects.get(slug="phusang"), Organisation.objects.get(slug="nasom")
    Department.objects.filter(organisation__in=[phusang, nasom], name__startswith="กองการศึกษา").update(
        abbreviation="กองการศึกษาฯ"
    )
    clash = Department(organisation=phusang, name="กองสาธารณสุข", abbreviation="กองการศึกษาฯ")
    with pytest.raises(ValidationError) as refused:
        clash.full_clean()
    assert refused.value.messages == ["Another department of this organisation has this abbreviation."]
    # Blank is no abbreviation: any number of units may have none.
    Department.objects.create(organisation=phusang, name="กองสาธารณสุข")
    Department(organisation=phusang, name="กองสวัสดิการสังคม").full_clean()


@pytest.mark.parametrize(
    "kind, name, title, printed",
    [
        ("tambon_municipality", "ภูซาง", "นายกเทศมนตรี", "นายกเทศมนตรีตำบลภูซาง"),
        ("town_municipality", "พะเยา", "นายกเทศมนตรี", "นายกเทศมนตรีเมืองพะเยา"),
        ("city_municipality", "เชียงราย", "รองนายกเทศมนตรี", "รองนายกเทศมนตรีนครเชียงราย"),
        ("tambon_municipality", "ภูซาง", "ปลัด", "ปลัดเทศบาลตำบลภูซาง"),
        ("tambon_municipality", "ภูซาง", "ประธานสภาเทศบาล", "ประธานสภาเทศบาลตำบลภูซาง"),
        ("sao", "ภูซาง", "นายก", "นายกองค์การบริหารส่วนตำบลภูซาง"),
        ("pao", "พะเยา", "นายก", "นายกองค์การบริหารส่วนจังหวัดพะเยา"),
        ("bangkok", "กรุงเทพมหานคร", "ผู้ว่าราชการ", "ผู้ว่าราชการกรุงเทพมหานคร"),
        ("pattaya", "เมืองพัทยา", "นายก", "นายกเมืองพัทยา"),
    ],
)
def test_qualified_titles(kind, name, title, printed):
    position = Position(organisation=Organisation(kind=kind, name=name), title=title, qualified=True)
    assert position.full_title == printed


def test_the_demo_offices_are_in_register_districts():
    assert Organisation.objects.get(slug="phusang").district.code == "5608"
    assert Organisation.objects.get(slug="nasom").district.code == "1604"
    assert Organisation.objects.get(slug="wangthong").district is None


def test_loading_again_changes_nothing_and_brings_back_an_edited_name(capsys):
    bang_rak = District.objects.get(code="1004")
    District.objects.filter(pk=bang_rak.pk).update(name="บางรักเก่า", name_en="")
    Province.objects.filter(code="56").update(abbreviation="พยา")
    call_command("load_register")
    assert "districts 0 added, 1 updated" in capsys.readouterr().out
    bang_rak.refresh_from_db()
    assert (bang_rak.name, bang_rak.name_en) == ("บางรัก", "Bang Rak")
    # Letters set in the admin are the admin's.
    assert Province.objects.get(code="56").abbreviation == "พยา"
    summary = register.load()
    assert (summary.provinces_created, summary.provinces_updated, summary.districts_created,
            summary.districts_updated) == (0, 0, 0, 0)


def test_a_row_made_before_the_register_is_matched_by_name():
    """As migration 0003 does with a database of the demo, whose rows had names and no codes."""
    typed = District.objects.get(code="5608")
    District.objects.filter(pk=typed.pk).update(code="", name="อำเภอ ภูซาง")
    register.load()
    typed.refresh_from_db()
    assert (typed.code, typed.name) == ("5608", "ภูซาง")
    assert District.objects.count() == 928


def test_an_invented_district_is_removed_and_its_offices_keep_their_province():
    phayao = Province.objects.get(code="56")
    invented = District.objects.create(province=phayao, code="", name="หนองทองสมมุติ")
    office = Organisation.objects.create(slug="invented", name="ทดสอบ", province=phayao, district=invented)
    summary = register.load()
    assert summary.districts_removed == ["พะเยา: หนองทองสมมุติ"]
    office.refresh_from_db()
    assert (office.district, office.province) == (None, phayao)
    assert not District.objects.filter(pk=invented.pk).exists()


def test_an_invented_district_that_an_oversight_scope_names_stops_the_load():
    from django.contrib.auth import get_user_model

    from oversight.models import OversightMembership

    phayao = Province.objects.get(code="56")
    invented = District.objects.create(province=phayao, code="", name="หนองทองสมมุติ")
    user = get_user_model().objects.create_user("oversight.invented")
    OversightMembership.objects.create(user=user, province=phayao, district=invented)
    with pytest.raises(register.RegisterError, match="หนองทองสมมุติ"):
        register.load()
