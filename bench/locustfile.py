"""The last week of a reporting round, against the generated national data set (bench/load.sh runs it).

Four kinds of people at once, each on a random generated organisation (`generate_scale_data` names them
s00001…): staff open their reporting list and save progress through the autosave, executives read their
inbox and decide the memos waiting for them, auditors list approved documents and download PDFs (named
"pdf …" so that the page figures leave them out), oversight staff page and filter their province's
roll-up, and anonymous visitors open public disclosure pages. Logins go through the real form, with the
TOTP code step for executives.
"""

import json
import os
import random
import re
import statistics
from base64 import b32decode
from html.parser import HTMLParser
from pathlib import Path

from django_otp.oath import totp
from locust import HttpUser, between, events, task

ORGS = int(os.environ.get("ITA_BENCH_ORGS", "8000"))
PASSWORD = os.environ.get("ITA_BENCH_PASSWORD", "ita-scale-2568")
# generate_scale_data gives its admins and executives the demo's published key (demo/twofactor.py).
TOTP_KEY = b32decode(os.environ.get("ITA_BENCH_TOTP_KEY", "NF2GCLLQN5ZHIYLMFVSGK3LPFUZDKNRY"))
# The newest work year of the generated data (its last round is the one being reported) and the newest
# year whose documents are all approved.
WORK_YEAR = int(os.environ.get("ITA_BENCH_WORK_YEAR", "2569"))
YEAR = int(os.environ.get("ITA_BENCH_YEAR", "2568"))
PAGES_RESULT = Path(__file__).parent / "results" / "load_pages.json"
# Every page's response time (PDF downloads excluded), for an exact p95 over all pages together; and
# the same without the password step, whose argon2 hash is slow on purpose (once per session).
page_times: dict[str, list[float]] = {"pages": [], "pages without the password step": []}


@events.request.add_listener
def record_page(name, response_time, request_type="", **kwargs):
    if not name.startswith("pdf"):
        page_times["pages"].append(response_time)
        if not (name == "login" and request_type == "POST"):
            page_times["pages without the password step"].append(response_time)


def summary(times: list[float]) -> dict:
    cuts = statistics.quantiles(times, n=100)
    return {"requests": len(times), "median_ms": round(cuts[49]), "p95_ms": round(cuts[94])}


@events.quitting.add_listener
def write_pages(environment, **kwargs):
    if page_times["pages"]:
        PAGES_RESULT.write_text(json.dumps({
            **{label: summary(times) for label, times in page_times.items()},
            "failures": environment.stats.total.num_failures,
        }))


class Forms(HTMLParser):
    """The forms of a page: action and the fields a browser would send as they stand."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or attrs.get("hx-post") or "", "hx": attrs.get("hx-post"), "fields": {}})
        elif self.forms and tag in ("input", "textarea", "select") and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            if kind == "submit":
                return
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value", ""))


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({pattern})"', html)))


def org_slug() -> str:
    return f"s{random.randint(1, ORGS):05d}"


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        self.slug = org_slug()
        self.login(f"{self.role}.{self.slug}")

    def login(self, username: str):
        self.client.get("/login/", name="login")
        token = self.client.cookies.get("csrftoken", "")
        response = self.client.post(
            "/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/login/"},
            name="login",
        )
        step = [f for f in forms_of(response.text) if "code" in f["fields"]]
        if step:
            fields = dict(step[0]["fields"], code=str(totp(TOTP_KEY)).zfill(6))
            self.client.post(response.url, fields, headers={"Referer": response.url}, name="login code")

    def post_form(self, url: str, fields: dict, name: str, htmx: bool = False):
        fields = dict(fields, csrfmiddlewaretoken=self.client.cookies.get("csrftoken", ""))
        headers = {"Referer": self.host + url, **({"HX-Request": "true"} if htmx else {})}
        return self.client.post(url, fields, headers=headers, name=name)


class Staff(Person):
    weight = 10
    role = "staff"

    @task(3)
    def my_reporting(self):
        page = self.client.get(f"/o/{self.slug}/measures/mine/?year={WORK_YEAR}", name="my reporting")
        self.entries = links(page.text, r"/o/[^\"]+/m/\d+/r/\d+/")

    @task(5)
    def report_progress(self):
        if not getattr(self, "entries", None):
            return self.my_reporting()
        url = random.choice(self.entries)
        page = self.client.get(url, name="progress form")
        form = next((f for f in forms_of(page.text) if f["hx"]), None)
        if form is None:
            return  # a locked round: nothing to save
        fields = dict(form["fields"])
        fields["activity_date"] = f"{WORK_YEAR - 544}-1{random.randint(0, 2)}-1{random.randint(0, 9)}"
        fields["activity_text"] = "ประชุมชี้แจงมาตรการส่งเสริมคุณธรรมและความโปร่งใสแก่บุคลากร"
        self.post_form(form["hx"], fields, "progress autosave", htmx=True)

    @task(1)
    def home(self):
        self.client.get(f"/o/{self.slug}/", name="org home")


DECIDERS = (Path(__file__).parent / "results" / "deciders.txt").read_text().split() if (
    Path(__file__).parent / "results" / "deciders.txt").exists() else []


class Executive(Person):
    """Someone with a memo waiting for their decision (bench/load.sh lists them), or a ปลัด."""

    weight = 5

    def on_start(self):
        username = random.choice(DECIDERS) if DECIDERS else f"palad.{org_slug()}"
        self.slug = username.rsplit(".", 1)[1]
        self.login(username)

    @task(3)
    def inbox(self):
        page = self.client.get(f"/o/{self.slug}/memos/inbox/", name="memo inbox")
        self.waiting = links(page.text, r"/o/[^\"]+/memos/\d+/")

    @task(2)
    def decide(self):
        if not getattr(self, "waiting", None):
            return self.inbox()
        url = self.waiting.pop()
        page = self.client.get(url, name="memo detail")
        form = next((f for f in forms_of(page.text) if f["action"].endswith("/decide/")), None)
        if form:
            self.post_form(form["action"], dict(form["fields"], action="approve", comment="ทราบ เห็นชอบ"), "memo decide")


class Auditor(Person):
    weight = 3
    role = "auditor"

    @task
    def documents(self):
        page = self.client.get(f"/o/{self.slug}/documents/", name="auditor documents")
        pdfs = links(page.text, r"/o/[^\"]+/documents/\d+/pdf/")
        if pdfs:
            self.client.get(random.choice(pdfs), name="pdf download (auditor)")


class Oversight(Person):
    weight = 2

    def on_start(self):
        self.login(f"oversight.p{random.randint(1, 76):02d}")
        home = self.client.get("/", name="home (oversight)")
        self.rollup = home.url

    @task(3)
    def rollup_page(self):
        self.client.get(self.rollup, name="roll-up")

    @task(1)
    def rollup_filtered(self):
        self.client.get(self.rollup, params={"score_below": "85", "sort": "-score"}, name="roll-up filtered")


class Public(HttpUser):
    weight = 10
    wait_time = between(1, 3)

    @task(3)
    def year_page(self):
        self.client.get(f"/p/{org_slug()}/{YEAR}/", name="public year page")

    @task(1)
    def organisation_page(self):
        self.client.get(f"/p/{org_slug()}/", name="public organisation page")
