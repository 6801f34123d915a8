import pytest

from itaportal.accounts.models import Organisation

URL = "/o/phusang/profile/"
VALID = {"document_code": "พย ๗๒๔๐๑", "website": "https://www.phusang.go.th", "email": "saraban@phusang.go.th"}


@pytest.mark.django_db
def test_it_works(login):
    client = login("admin.phusang")
    response = client.post(URL, VALID)
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="phusang")
    assert (organisation.document_code, organisation.email) == ("พย 72401", "saraban@phusang.go.th")


@pytest.mark.django_db
def test_it_shows_the_code_in_thai_digits_on_the_home_page(login):
    assert "พย ๗๒๔๐๑" in login("staff.phusang").get("/o/phusang/").content.decode()


@pytest.mark.django_db
def test_it_checks_ownership(login):
    assert login("admin.nasom").post(URL, VALID).status_code == 404
    assert Organisation.objects.get(slug="phusang").email == ""


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["staff.phusang", "head.phusang", "nayok.phusang", "auditor.phusang"])
def test_it_requires_the_admin_role(login, username):
    assert login(username).post(URL, VALID).status_code == 403
    assert Organisation.objects.get(slug="phusang").email == ""


@pytest.mark.django_db
def test_it_rejects_put(login):
    assert login("admin.phusang").put(URL).status_code == 405


@pytest.mark.django_db
def test_bad_input_gets_a_thai_message_and_keeps_what_was_typed(login):
    data = {"document_code": "72401 พย", "website": "not a site", "email": "saraban@phusang.go.th"}
    response = login("admin.phusang").post(URL, data, HTTP_ACCEPT_LANGUAGE="th")
    html = response.content.decode()
    assert response.status_code == 200
    assert "รหัสหนังสือ" in html and "เช่น พย ๗๒๔๐๑" in html
    assert 'value="72401 พย"' in html and 'value="saraban@phusang.go.th"' in html
    assert Organisation.objects.get(slug="phusang").email == ""
