import pytest

from itaportal.accounts.models import User

PASSWORD = "ita-demo-2568"


@pytest.mark.django_db
def test_a_demo_login_lands_in_its_own_organisation(client):
    response = client.post("/login/", {"username": "staff.nasom", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/o/nasom/"
    assert "องค์การบริหารส่วนตำบลนาโสม" in response.content.decode()


@pytest.mark.django_db
def test_the_start_page_offers_a_choice_to_a_person_of_two_organisations(login):
    from itaportal.accounts.models import Membership, Organisation

    user = User.objects.get(username="auditor.nasom")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug="phusang"), role="auditor")
    client = login("auditor.nasom")
    html = client.get("/").content.decode()
    assert "องค์การบริหารส่วนตำบลนาโสม" in html and "องค์การบริหารส่วนตำบลภูซาง" in html
    client.get("/o/phusang/")
    assert client.get("/")["Location"] == "/o/phusang/"


@pytest.mark.django_db
def test_the_fourth_wrong_password_answers_429(client):
    for _ in range(3):
        assert client.post("/login/", {"username": "staff.phusang", "password": "wrong"}).status_code == 200
    assert client.post("/login/", {"username": "staff.phusang", "password": "wrong"}).status_code == 429
    assert client.post("/login/", {"username": "staff.phusang", "password": PASSWORD}).status_code == 429


@pytest.mark.django_db
def test_an_unknown_login_is_locked_alike_so_the_lock_tells_nothing(client):
    for _ in range(3):
        assert client.post("/login/", {"username": "nobody.phusang", "password": "wrong"}).status_code == 200
    assert client.post("/login/", {"username": "nobody.phusang", "password": "wrong"}).status_code == 429


@pytest.mark.django_db
def test_the_session_is_rotated_at_login(client):
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/login/", {"username": "staff.phusang", "password": PASSWORD})
    assert client.session.session_key != before


@pytest.mark.django_db
def test_thai_is_the_default_and_english_can_be_chosen(login):
    client = login("staff.phusang")
    assert "ภาพรวม" in client.get("/o/phusang/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/o/phusang/"})
    html = client.get("/o/phusang/").content.decode()
    assert "Overview" in html and 'lang="en"' in html
    # Official names stay Thai in every language.
    assert "องค์การบริหารส่วนตำบลภูซาง" in html


def test_every_response_carries_a_content_security_policy(client):
    assert "default-src 'self'" in client.get("/login/")["Content-Security-Policy"]
