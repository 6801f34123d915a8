"""The Django admin, for platform staff: in Thai, with the register's places, and refusing what the portal's
pages refuse with a message next to the field (never a 500, never a contradiction saved)."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from itaportal.accounts.models import District, Membership, Organisation, Position, User

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


class FormReader(HTMLParser):
    """The values a browser would post from the page's form, and the texts of its labels and help."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str | list[str]] = {}
        self.texts: list[str] = []
        self._select = None
        self._text_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[attrs["name"]] = attrs.get("value", "on")
            else:
                self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self.data[attrs["name"]] = ""
        if tag == "label" or "help" in attrs.get("class", "").split():
            self._text_depth += 1
            self.texts.append("")
        elif self._text_depth:
            self._text_depth += 1 if tag not in ("input", "br", "img") else 0
            if tag in ("ul", "li", "p", "div"):
                self.texts.append("")  # a help text's list items are texts of their own

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if self._text_depth and tag not in ("input", "br", "img"):
            self._text_depth -= 1

    def handle_data(self, data):
        if self._text_depth:
            self.texts[-1] += data


def read(response) -> FormReader:
    assert response.status_code == 200
    reader = FormReader()
    reader.feed(response.content.decode())
    return reader


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.get(username="admin"))
    return client


def change_url(obj) -> str:
    return reverse(f"admin:accounts_{obj._meta.model_name}_change", args=[obj.pk])


def test_an_office_with_a_district_of_another_province_is_refused_next_to_the_field(admin_client):
    phusang = Organisation.objects.get(slug="phusang")
    data = read(admin_client.get(change_url(phusang))).data
    data["district"] = str(District.objects.get(code="5701").pk)  # อำเภอเมืองเชียงราย
    response = admin_client.post(change_url(phusang), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        # The admin speaks the portal's language, Thai.
        "district": ["อำเภอ/เขตนี้อยู่ในจังหวัดเชียงราย ไม่ได้อยู่ในจังหวัดพะเยา"]
    }
    phusang.refresh_from_db()
    assert phusang.district.code == "5608"


def test_the_province_follows_from_the_district_when_left_empty(admin_client):
    phusang = Organisation.objects.get(slug="phusang")
    data = read(admin_client.get(change_url(phusang))).data
    data["district"], data["province"] = str(District.objects.get(code="5701").pk), ""
    assert admin_client.post(change_url(phusang), data).status_code == 302
    phusang.refresh_from_db()
    assert phusang.location == "อำเภอเมืองเชียงราย จังหวัดเชียงราย"


def test_the_district_choices_name_their_province(admin_client):
    form = admin_client.get(change_url(Organisation.objects.get(slug="phusang"))).context["adminform"].form
    labels = [label for _value, label in form.fields["district"].choices]
    assert "อำเภอภูซาง จังหวัดพะเยา" in labels
    assert "เขตบางรัก กรุงเทพมหานคร" in labels
    assert len([label for label in labels if label.startswith("อำเภอเฉลิมพระเกียรติ ")]) == 5


def positions(response):
    return next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Position)


def test_positions_offer_the_offices_own_departments_and_refuse_another(admin_client):
    phusang, nasom = Organisation.objects.get(slug="phusang"), Organisation.objects.get(slug="nasom")
    response = admin_client.get(change_url(phusang))
    formset = positions(response)
    offered = set(formset.forms[0].fields["department"].queryset)
    assert offered == set(phusang.departments.all())
    data = read(response).data
    index = next(i for i, form in enumerate(formset.forms) if form.instance.department_id)
    data[f"positions-{index}-department"] = str(nasom.departments.get(name="สำนักปลัด").pk)
    response = admin_client.post(change_url(phusang), data)
    assert response.status_code == 200
    formset = positions(response)
    assert "department" in formset.forms[index].errors
    assert not Position.objects.filter(organisation=phusang, department__organisation=nasom).exists()


def test_a_membership_with_another_offices_unit_is_refused_next_to_the_field(admin_client):
    membership = Membership.objects.get(user__username="staff.phusang")
    nasom = Organisation.objects.get(slug="nasom")
    response = admin_client.get(change_url(membership))
    form = response.context["adminform"].form
    assert set(form.fields["department"].queryset) == set(membership.organisation.departments.all())
    # A new membership offers every office's units, each labelled with its office, and refuses a mismatch.
    add = reverse("admin:accounts_membership_add")
    form = admin_client.get(add).context["adminform"].form
    labels = [label for _value, label in form.fields["department"].choices]
    assert "สำนักปลัด – อบต.นาโสม" in labels and "สำนักปลัด – อบต.ภูซาง" in labels
    newcomer = User.objects.create_user("newcomer")
    response = admin_client.post(add, {
        "user": newcomer.pk, "organisation": membership.organisation_id, "role": "staff", "is_active": "on",
        "department": nasom.departments.get(name="สำนักปลัด").pk, "position": nasom.positions.first().pk,
    })
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"department", "position"}
    assert not Membership.objects.filter(user=newcomer).exists()


def test_the_register_is_not_typed_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:accounts_district_add")).status_code == 403
    assert admin_client.get(reverse("admin:accounts_province_add")).status_code == 403
    province = District.objects.get(code="5608").province
    data = read(admin_client.get(change_url(province))).data
    assert set(data) - {"csrfmiddlewaretoken"} == {"abbreviation"}


def admin_pages() -> list[str]:
    phusang = Organisation.objects.get(slug="phusang")
    user = User.objects.get(username="staff.phusang")
    return [
        reverse("admin:accounts_organisation_add"),
        change_url(phusang),
        reverse("admin:accounts_membership_add"),
        change_url(Membership.objects.get(user=user)),
        reverse("admin:accounts_user_add"),
        change_url(user),
        reverse("admin:auth_user_password_change", args=[user.pk]),
        change_url(phusang.province),
        change_url(phusang.district),
    ]


def our_texts() -> set[str]:
    """Every string literal of the portal's code, as Python reads it (wrapped literals joined): the
    msgids that makemessages gives the catalogue."""
    texts = set()
    for folder in ("itaportal", "assessments", "measures", "reports"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:  # they copy Django's own texts, which are not ours to translate
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    texts.add(" ".join(node.value.split()))
    return texts


def test_every_label_and_help_text_is_thai_or_ours_to_translate(admin_client, settings):
    """With the portal in Thai, what the admin's forms say is Django's Thai, or a text of ours that the
    catalogue translates (locale/, checked by test_translations.py): no English that nobody can translate,
    as Django's "Required. 150 characters or fewer…" was."""
    settings.LANGUAGE_CODE = "th"
    texts = our_texts()

    def ours(text: str) -> bool:
        # The admin capitalises our lower-case verbose names; a help text may end without its full stop.
        return bool({text, text[:1].lower() + text[1:], f"{text}."} & texts)

    untranslatable = set()
    for url in admin_pages():
        for text in read(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="th")).texts:
            text = " ".join(text.split()).rstrip(":")
            if ours(text):
                continue
            if not re.search(r"[\u0e00-\u0e7f]", text):
                if re.search(r"[A-Za-z]{3}", text):
                    untranslatable.add(f"{url}: {text}")
                continue
            # Thai with an English sentence tacked on (Django's "Hold down “Control”…"): it must be ours.
            for part in re.split(r"[\u0e00-\u0e7f]+", text):
                part = part.strip(" .,:;()")
                if len(re.findall(r"[A-Za-z]{2,}", part)) >= 3 and not ours(part):
                    untranslatable.add(f"{url}: {part}")
    assert not untranslatable, sorted(untranslatable)
