import pytest

from itaportal.accounts.models import Department, Organisation
from measures.services.plan import MeasureData, measure_create, rounds_configure


@pytest.fixture
def wangthong():
    return Organisation.objects.get(slug="wangthong")


@pytest.fixture
def department():
    """A department of wangthong by name: department("กองคลัง")."""

    def find(name: str, slug: str = "wangthong") -> Department:
        return Department.objects.get(organisation__slug=slug, name=name)

    return find


@pytest.fixture
def make_measure():
    def make(slug="wangthong", year=2568, title="จัดทำคู่มือการปฏิบัติงาน", **fields) -> object:
        organisation = Organisation.objects.get(slug=slug)
        fields.setdefault("all_units", not (fields.get("departments") or fields.get("positions")))
        data = MeasureData(kind=fields.pop("kind", "measure"), title=title, steps=fields.pop("steps", ["ขั้นที่หนึ่ง"]),
                           **fields)
        return measure_create(organisation=organisation, fiscal_year=year, data=data)

    return make


@pytest.fixture
def make_rounds():
    def make(slug="wangthong", year=2568, scheme="half"):
        return rounds_configure(organisation=Organisation.objects.get(slug=slug), fiscal_year=year, scheme=scheme)

    return make
