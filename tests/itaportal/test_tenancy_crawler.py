"""The tenancy proof that grows with the portal: no per-page test code.

For every demo organisation and every role, a crawler follows each link that the pages show
under /o/<slug>/. Every URL it finds is then fetched
- by each role of the same organisation: 200 when the view's declared roles include it, else 403;
- by a member of another organisation: 404 (an outsider never learns that anything exists);
- by an anonymous visitor: a redirect to the login page;
- with a method the view does not accept: 405;
and the same path under another organisation's slug never shows this organisation's data.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import resolve

from itaportal.accounts.models import Membership, Organisation

ORGS = ["phusang", "nasom", "wangthong"]
# Pages of one URL name differ only in their object: a few of each prove the rule.
SAMPLES_PER_URL_NAME = 3
MAX_PAGES = 400


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_of(html: str, base: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    found = []
    for href in parser.links:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client: Client, slug: str) -> dict[str, str]:
    """URL -> URL name of every page reachable from the organisation's home page."""
    prefix = f"/o/{slug}/"
    queue, seen, per_name = [prefix], {}, {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        name = resolve(urlsplit(url).path).url_name
        if per_name.get(name, 0) >= SAMPLES_PER_URL_NAME:
            continue
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            assert response.status_code == 200, f"{url} linked from a page answers {response.status_code}"
            seen[url] = name
            continue
        seen[url] = name
        per_name[name] = per_name.get(name, 0) + 1
        queue.extend(u for u in links_of(response.content.decode(), url) if u.startswith(prefix) and u not in seen)
    return seen


def client_for(username: str) -> Client:
    from itaportal.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture(scope="module")
def members(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            slug: {m.role: m.user.username for m in Membership.objects.filter(organisation__slug=slug).select_related("user")}
            for slug in ORGS
        }


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ORGS)
def test_every_linked_page_obeys_tenancy_roles_and_methods(slug, members):
    roles = members[slug]
    outsider_slug = next(s for s in ORGS if s != slug)
    outsider = client_for(members[outsider_slug]["admin"])
    clients = {role: client_for(username) for role, username in roles.items()}
    organisation = Organisation.objects.get(slug=slug)

    pages: dict[str, str] = {}
    for client in clients.values():
        pages.update(crawl(client, slug))
    assert len(pages) >= 3, f"the crawler found too little under /o/{slug}/: {pages}"

    for url in pages:
        view = resolve(urlsplit(url).path).func
        allowed_roles = getattr(view, "ita_roles", None)
        assert allowed_roles is not None, f"{url} is not guarded by organisation_view"
        for role, client in clients.items():
            expected = {200, 403} if role in allowed_roles and view.ita_object_level else (
                {200} if role in allowed_roles else {403}
            )
            assert client.get(url).status_code in expected, f"{role}.{slug} GET {url}"

        assert outsider.get(url).status_code == 404, f"outsider GET {url}"
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/"), url

        allowed_client = clients["admin"] if "admin" in allowed_roles else clients[next(r for r in clients if r in allowed_roles)]
        for method in ("post", "put", "delete"):
            if method.upper() not in view.ita_methods:
                assert getattr(allowed_client, method)(url).status_code == 405, f"{method.upper()} {url}"

        swapped = re.sub(rf"^/o/{slug}/", f"/o/{outsider_slug}/", url)
        response = outsider.get(swapped)
        assert response.status_code == 404 or organisation.full_name not in response.content.decode(errors="ignore"), (
            f"{swapped} shows {organisation.full_name} to {outsider_slug}"
        )


@pytest.mark.django_db
def test_a_person_with_no_membership_sees_no_organisation(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x" * 12))
    for slug in ORGS:
        assert client.get(f"/o/{slug}/").status_code == 404
    assert "ภูซาง" not in client.get("/").content.decode()
