"""The permission matrix: every named URL of the portal, fetched by every kind of person.

The walk covers the whole URL configuration (django.urls.get_resolver(), recursively, namespaces
included) and fails for a named URL without an expectation or with a parameter that nobody maps
to a demo object. Expectations are not repeated here: the views declare them (`ita_access`,
`ita_methods`, `ita_roles`, `ita_object_level`, see itaportal/accounts/access.py); only Django's
own views, which declare nothing, have a table below. For every URL, built for objects of the
owner organisation:
- each role of the owner organisation: 200 or 302 when `ita_roles` has it (an object-level view
  may still answer 403), 403 otherwise;
- a member of another organisation, a person with no membership, the platform superuser, a person
  who oversees the organisation's province: 404;
- on an oversight page (its URL names a scope): the person holding the scope 200 or 302, anyone
  else 404, an overseer of another area included;
- on a platform page (`platform_view`: register offices, edit frameworks): the superuser 200 or 302,
  anyone else 404;
- an anonymous visitor: a redirect to the login page; a public page answers everyone 200;
- the admin site: the superuser 200 (403 where the admin refuses even them), anyone else a
  redirect to the admin's login;
- a person past the password but not the code: a redirect to the code step (to enrolment when
  they must use two-step login and have no device), except on the pages that finish or leave it;
- a method the view does not accept: 405;
and every response, whatever its status, carries a Content-Security-Policy header.

The people log in through the real forms: admins and executives with the password and the code,
staff and auditors with the password alone.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import Assessment, Item
from itaportal.accounts.access import AUTHENTICATED, ORGANISATION, OVERSIGHT, PLATFORM, PUBLIC
from itaportal.accounts.middleware import OPEN_BEFORE_SECOND_FACTOR
from itaportal.accounts.models import Department, Membership, Organisation, Position, User
from itaportal.notifications.models import Notification
from itaportal.notifications.registry import KINDS
from itaportal.onboarding.models import Invitation
from itaportal.onboarding.tokens import token_hash
from oversight.models import OversightMembership
from measures.models import Evidence, Measure, ProgressEntry, ReportingRound
from reports.models import Document, Memo
from reports.tasks import render_document
from tests.conftest import ARTIFACTS
from tests.itaportal.logins import full_login, password_step

OWNER = "phusang"
OUTSIDER = "admin.nasom"
ROLE_LOGINS = {"admin": "admin.phusang", "staff": "staff.phusang", "executive": "head.phusang",
               "auditor": "auditor.phusang"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
LOGIN = reverse("login")
VERIFY = reverse("two_factor_verify")
ENROL = reverse("two_factor_enrol")
ADMIN_LOGIN = reverse("admin:login")
DJANGO_ADMIN = "django-admin"


# --- the URLs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]
    view: Callable


def named_routes(resolver: URLResolver | None = None, namespace: str = "", params: tuple = ()) -> list[Route]:
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        own = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            routes += named_routes(entry, inner, params + own)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            routes.append(Route(name, params + own, entry.callback))
    return routes


# --- who is asking ---------------------------------------------------------------------------


@dataclass
class Principal:
    label: str
    # role, outsider, nobody, superuser, overseer, other_overseer, anonymous, pending_code, pending_enrol
    kind: str
    client: Client
    user: User | None = None
    role: str | None = None


PENDING_STEP = {"pending_code": VERIFY, "pending_enrol": ENROL}
NOBODY_PASSWORD = "nobody-matrix-2568"
OVERSEER_PASSWORD = "overseer-matrix-2568"


def overseers() -> dict[str, User]:
    """Someone who oversees the owner organisation's province, and someone who oversees another."""
    owner = Organisation.objects.get(slug=OWNER)
    other = Organisation.objects.exclude(province=owner.province).order_by("slug").first()
    people = {}
    for kind, province in [("overseer", owner.province), ("other_overseer", other.province)]:
        user = User.objects.create_user(f"{kind}.matrix", password=OVERSEER_PASSWORD)
        OversightMembership.objects.create(user=user, province=province, district=None)
        people[kind] = user
    return people


def scope_of(principal_kind: str, people: list) -> int:
    overseer = next(p for p in people if p.kind == principal_kind)
    return OversightMembership.objects.get(user=overseer.user).pk


def principals() -> list[Principal]:
    people = []
    for role, username in ROLE_LOGINS.items():
        people.append(Principal(f"{role}.{OWNER}", "role", full_login(Client(), username),
                                User.objects.get(username=username), role))
    people.append(Principal(f"outsider {OUTSIDER}", "outsider", full_login(Client(), OUTSIDER),
                            User.objects.get(username=OUTSIDER)))
    nobody = User.objects.create_user("nobody.matrix", password=NOBODY_PASSWORD)
    people.append(Principal("no membership", "nobody", full_login(Client(), nobody.username, NOBODY_PASSWORD),
                            nobody))
    for kind, overseer in overseers().items():
        people.append(Principal(f"{kind.replace('_', ' ')} {overseer.username}", kind,
                                full_login(Client(), overseer.username, OVERSEER_PASSWORD), overseer))
    people.append(Principal("superuser", "superuser", full_login(Client(), "admin"),
                            User.objects.get(username="admin")))
    people.append(Principal("anonymous", "anonymous", Client()))
    # The password only: one with a device (asked for the code), one without (asked to enrol).
    pending = Client()
    password_step(pending, "palad.phusang")
    people.append(Principal("executive before the code", "pending_code", pending,
                            User.objects.get(username="palad.phusang")))
    TOTPDevice.objects.filter(user__username="nayok.phusang").delete()
    enrolling = Client()
    password_step(enrolling, "nayok.phusang")
    people.append(Principal("executive without a device", "pending_enrol", enrolling,
                            User.objects.get(username="nayok.phusang")))
    return people


# --- the demo objects a URL is built for -----------------------------------------------------


@dataclass
class Objects:
    """Objects of the owner organisation, from the demo data plus what it lacks."""

    organisation: Organisation
    assessment_year: int
    issue: object
    measure: object
    round: object
    evidence: object
    oit_year: int
    oit_item: object
    memo: object
    document: object
    scope: int
    reset_user: User
    notifications: dict = field(default_factory=dict)
    invitation: object = None


def admin_records() -> None:
    """An object for each admin list the demo leaves empty, so that its pages can be opened."""
    Group.objects.get_or_create(name="matrix")
    client = {"username": "matrix", "ip_address": "127.0.0.1", "user_agent": "", "http_accept": "",
              "path_info": reverse("login")}
    AccessAttempt.objects.create(**client, failures_since_start=1, get_data="", post_data="")
    AccessLog.objects.create(**client)
    AccessFailureLog.objects.create(**client, locked_out=False)


def demo_objects(people: list[Principal]) -> Objects:
    admin_records()
    organisation = Organisation.objects.get(slug=OWNER)
    assessment = Assessment.objects.filter(organisation=organisation, issues__isnull=False).latest("pk")
    measure = Measure.objects.filter(organisation=organisation).order_by("pk").first()
    reporting_round = ReportingRound.objects.filter(organisation=organisation,
                                                    fiscal_year=measure.fiscal_year).first()
    entry, _ = ProgressEntry.objects.get_or_create(measure=measure, round=reporting_round)
    evidence = Evidence.objects.create(entry=entry, kind="file", original_name="ita.pdf", size=9,
                                       content_type="application/pdf",
                                       file=ContentFile(b"%PDF-1.4\n", name="ita.pdf"))
    oit_item = Item.objects.filter(tool__code="OIT").order_by("-framework__fiscal_year", "pk").first()
    kind, spec = next(iter(KINDS.items()))
    notifications = {
        p.label: Notification.objects.create(recipient=p.user, organisation=organisation, kind=kind,
                                             data=spec.example, url=f"/o/{OWNER}/")
        for p in people if p.user is not None
    }
    document = Document.objects.filter(organisation=organisation, version__isnull=False).order_by("pk").first()
    if document.state != "ready":
        # With a real broker (CI) the demo's PDFs wait for the worker; the matrix needs one on disk now.
        render_document.apply(args=[document.pk])
        document.refresh_from_db()
    return Objects(
        organisation=organisation,
        assessment_year=assessment.framework.fiscal_year,
        issue=assessment.issues.first(),
        measure=measure,
        round=reporting_round,
        evidence=evidence,
        oit_year=oit_item.framework.fiscal_year,
        oit_item=oit_item,
        memo=Memo.objects.filter(organisation=organisation, state="in_review").first(),
        document=document,
        scope=scope_of("overseer", people),
        reset_user=User.objects.get(username=ROLE_LOGINS["staff"]),
        notifications=notifications,
        invitation=open_invitation(organisation),
    )


INVITATION_TOKEN = "matrix-invitation-token"


def open_invitation(organisation: Organisation) -> Invitation:
    """An invitation waiting for its answer, whose token (known here, stored hashed) opens its page."""
    now = timezone.now()
    return Invitation.objects.create(
        organisation=organisation, email="invited.matrix@example.org", first_name="ทดสอบ", role="staff",
        token_hash=token_hash(INVITATION_TOKEN), sent_at=now, expires_at=now + timedelta(days=7),
    )


def _notification(objects: Objects, principal: Principal) -> int:
    # Each person reads their own; someone with no notification here tries the admin's.
    own = objects.notifications.get(principal.label) or objects.notifications[f"admin.{OWNER}"]
    return own.pk


def _admin_object(route: Route) -> str:
    """The first object of the model an admin URL is about (its name says which)."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if route.name.startswith(prefix):
            return str(model._default_manager.order_by("pk").first().pk)
    raise LookupError(route.name)


Finder = Callable[[Objects, Principal], object]

# URL parameter -> how to find its value, for every URL that has it.
PARAMETERS: dict[str, Finder] = {
    "org_slug": lambda o, p: o.organisation.slug,
    "year": lambda o, p: o.measure.fiscal_year,
    "round_pk": lambda o, p: o.round.pk,
    "kind": lambda o, p: "xlsx",
    "sha256": lambda o, p: o.document.sha256,
    "code": lambda o, p: o.document.code,
    "fiscal_year": lambda o, p: o.document.version.memo.fiscal_year,
    "scope_pk": lambda o, p: o.scope,
    "uidb64": lambda o, p: urlsafe_base64_encode(force_bytes(o.reset_user.pk)),
    "token": lambda o, p: default_token_generator.make_token(o.reset_user),
    "app_label": lambda o, p: "accounts",
    "content_type_id": lambda o, p: ContentType.objects.get_for_model(Organisation).pk,
}

_assessment = {"year": lambda o, p: o.assessment_year}
_issue = {**_assessment, "pk": lambda o, p: o.issue.pk}
_measure = {"pk": lambda o, p: o.measure.pk}
_evidence = {"pk": lambda o, p: o.evidence.pk}
_memo = {"pk": lambda o, p: o.memo.pk}
_document = {"pk": lambda o, p: o.document.pk}
_oit = {"year": lambda o, p: o.oit_year, "item_pk": lambda o, p: o.oit_item.pk}
_framework = {"year": lambda o, p: o.oit_year}
_framework_item = {**_framework, "pk": lambda o, p: o.oit_item.pk}
_member = {"pk": lambda o, p: Membership.objects.get(user=o.reset_user, organisation=o.organisation).pk}
_department = {"pk": lambda o, p: Department.objects.filter(organisation=o.organisation).order_by("pk").first().pk}
_position = {"pk": lambda o, p: Position.objects.filter(organisation=o.organisation).order_by("pk").first().pk}
_invitation = {"pk": lambda o, p: o.invitation.pk}

# URL name -> the parameters whose object depends on the page (a `pk` is always one of them).
BY_URL: dict[str, dict[str, Finder]] = {
    **{name: _assessment for name in ["assessment_import_template", "assessment_detail", "assessment_scores",
                                      "assessment_acknowledge", "assessment_export", "analysis", "issue_new",
                                      "issues_carry_over"]},
    **{name: _issue for name in ["issue_edit", "issue_remove", "issue_reorder"]},
    **{name: _measure for name in ["measure_detail", "measure_edit", "measure_remove", "progress_form",
                                   "progress_autosave", "evidence_add"]},
    **{name: _evidence for name in ["evidence_download", "evidence_remove"]},
    **{name: _memo for name in ["memo_detail", "memo_edit", "memo_submit", "memo_decide", "memo_cancel"]},
    **{name: _document for name in ["document_detail", "document_status", "document_download"]},
    **{name: _oit for name in ["oit_checklist", "oit_entry_edit"]},
    **{name: _framework for name in ["framework_detail", "framework_settings", "framework_tools",
                                     "framework_indicators", "framework_levels", "framework_item_new",
                                     "framework_items_import", "framework_items_export", "framework_export_yaml",
                                     "framework_publish", "framework_unpublish", "framework_delete",
                                     "framework_crosswalk"]},
    **{name: _framework_item for name in ["framework_item_edit", "framework_item_remove"]},
    **{name: _member for name in ["member_edit", "member_deactivate", "member_reactivate", "member_reset_two_step"]},
    **{name: _department for name in ["department_edit", "department_remove"]},
    **{name: _position for name in ["position_edit", "position_remove"]},
    **{name: _invitation for name in ["invitation_resend", "invitation_revoke"]},
    "invitation_accept": {"token": lambda o, p: INVITATION_TOKEN},
    "notification_read": {"pk": _notification},
    "admin:otp_totp_totpdevice_config": {"pk": lambda o, p: TOTPDevice.objects.order_by("pk").first().pk},
    "admin:otp_totp_totpdevice_qrcode": {"pk": lambda o, p: TOTPDevice.objects.order_by("pk").first().pk},
    "admin:auth_user_password_change": {"id": lambda o, p: o.reset_user.pk},
    "admin:view_on_site": {"object_id": lambda o, p: o.organisation.pk},
}


def finders(route: Route) -> dict[str, Finder]:
    """Raises LookupError for a parameter that nobody maps."""
    page = BY_URL.get(route.name, {})
    found = {}
    for param in route.params:
        if param in page:
            found[param] = page[param]
        elif param == "object_id" and route.name.startswith("admin:"):
            found[param] = lambda o, p, route=route: _admin_object(route)
        elif param in PARAMETERS:
            found[param] = PARAMETERS[param]
        else:
            raise LookupError(
                f"{route.name}: nobody maps the URL parameter {param!r}; add it to PARAMETERS or BY_URL"
            )
    return found


def url_for(route: Route, objects: Objects, principal: Principal) -> str:
    kwargs = {param: finder(objects, principal) for param, finder in finders(route).items()}
    return reverse(route.name, kwargs=kwargs)


# --- what each person should get -------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    statuses: frozenset
    location: str | None = None  # a redirect must go there (a prefix)

    def __str__(self):
        return "/".join(map(str, sorted(self.statuses))) + (f" → {self.location}" if self.location else "")


def expect(*statuses: int, location: str | None = None) -> Expect:
    return Expect(frozenset(statuses), location)


OK = expect(200)
ALLOWED = expect(200, 302)
NOT_FOUND = expect(404)
TO_LOGIN = expect(302, location=f"{LOGIN}?next=")
TO_ADMIN_LOGIN = expect(302, location=f"{ADMIN_LOGIN}?next=")


@dataclass(frozen=True)
class Declared:
    """The expectation of a view that declares nothing (Django's own): by kind of person, with
    "member" for any logged-in person whose kind is not listed."""

    by_kind: dict
    methods: tuple[str, ...] | None = None  # checked for 405 when given

    def for_kind(self, kind: str) -> Expect:
        return self.by_kind.get(kind, self.by_kind.get("member"))


DJANGO_VIEWS: dict[str, Declared] = {
    "login": Declared({"anonymous": OK, "member": expect(302, location="/")}),
    "logout": Declared({"anonymous": expect(302, location=LOGIN), "member": expect(302, location=LOGIN)},
                       methods=("POST",)),
    "set_language": Declared({"anonymous": expect(302, 204), "member": expect(302, 204)}),
    "password_reset": Declared({"anonymous": OK, "member": OK}),
    "password_reset_done": Declared({"anonymous": OK, "member": OK}),
    "password_reset_confirm": Declared({"anonymous": expect(302, location="/password-reset/"),
                                        "member": expect(302, location="/password-reset/")}),
    "password_reset_complete": Declared({"anonymous": OK, "member": OK}),
    "admin:login": Declared({"anonymous": OK, "superuser": expect(302, location=reverse("admin:index")),
                             "member": OK}),
    # The admin sends whoever is not staff back to its index, which asks them to log in.
    "admin:logout": Declared({"anonymous": expect(302, location=reverse("admin:index")),
                              "superuser": expect(302, location=LOGIN),
                              "member": expect(302, location=reverse("admin:index"))},
                             methods=("POST",)),
}

# The superuser's answer where it is not a plain 200 page.
ADMIN_SUPERUSER: dict[str, Expect] = {
    # Organisations have no page of their own on the site.
    "admin:view_on_site": NOT_FOUND,
    # The autocomplete wants the field it completes.
    "admin:autocomplete": expect(403),
}
# What the admin refuses even the superuser: the audit trail is append-only, django-axes' records
# are written by django-axes alone, the national register comes from its data (load_register).
REFUSED_TO_THE_SUPERUSER = ("admin:audit_auditentry_add", "admin:audit_auditentry_delete",
                            "admin:accounts_province_add", "admin:accounts_province_delete",
                            "admin:accounts_district_add", "admin:accounts_district_delete",
                            "admin:axes_accessattempt_add", "admin:axes_accesslog_add",
                            "admin:axes_accessfailurelog_add")
# Frameworks change in the framework editor alone, which applies the rule for published years.
REFUSED_TO_THE_SUPERUSER += tuple(f"admin:assessments_{model}_{view}" for model in ("framework", "indicator", "item")
                                  for view in ("add", "delete"))

# What the pages that finish or leave a login answer to a person half-way through it.
HALF_LOGGED_IN: dict[str, dict[str, Expect]] = {
    "two_factor_verify": {"pending_code": OK, "pending_enrol": expect(302, location=ENROL)},
    "two_factor_enrol": {"pending_code": expect(302, location=VERIFY), "pending_enrol": OK},
    "logout": {"pending_code": expect(302, location=LOGIN), "pending_enrol": expect(302, location=LOGIN)},
    "set_language": {"pending_code": expect(302, 204), "pending_enrol": expect(302, 204)},
    "healthz": {"pending_code": OK, "pending_enrol": OK},
}

# Pages for any logged-in person that answer some of them 404, as the kind of page they lead to does.
NARROWER_THAN_DECLARED: dict[str, dict[str, Expect]] = {
    # The way into the oversight pages: to the person's area, or the 404 of an oversight page.
    "oversight_home": {kind: NOT_FOUND for kind in ("role", "outsider", "nobody", "superuser")},
}

def access_of(route: Route) -> str:
    if route.name in DJANGO_VIEWS:
        return "django"
    if route.name.startswith("admin:"):
        return DJANGO_ADMIN
    access = getattr(route.view, "ita_access", None)
    if access is None:
        raise LookupError(f"{route.name}: the view declares no ita_access (use organisation_view, "
                          f"authenticated_view or public_view) and is not one of Django's in DJANGO_VIEWS")
    return access


def expected(route: Route, principal: Principal) -> Expect:
    access = access_of(route)
    if principal.kind in PENDING_STEP:
        if route.name in HALF_LOGGED_IN:
            return HALF_LOGGED_IN[route.name][principal.kind]
        return expect(302, location=PENDING_STEP[principal.kind])
    if access == "django":
        return DJANGO_VIEWS[route.name].for_kind(principal.kind)
    if access == DJANGO_ADMIN:
        if principal.kind != "superuser":
            return TO_ADMIN_LOGIN
        if route.name in REFUSED_TO_THE_SUPERUSER:
            return expect(403)
        return ADMIN_SUPERUSER.get(route.name, OK)
    if access == PUBLIC:
        return OK
    if principal.kind == "anonymous":
        return TO_LOGIN
    if access == AUTHENTICATED:
        return NARROWER_THAN_DECLARED.get(route.name, {}).get(principal.kind, ALLOWED)
    if access == ORGANISATION:
        if principal.kind != "role":
            return NOT_FOUND
        if principal.role not in route.view.ita_roles:
            return expect(403)
        return expect(200, 302, 403) if route.view.ita_object_level else ALLOWED
    if access == OVERSIGHT:
        return ALLOWED if principal.kind == "overseer" else NOT_FOUND
    if access == PLATFORM:
        # Only the superuser holds the platform permissions among these people.
        return ALLOWED if principal.kind == "superuser" else NOT_FOUND
    raise LookupError(f"{route.name}: unknown access kind {access!r}")


def methods_of(route: Route) -> tuple[str, ...] | None:
    if route.name in DJANGO_VIEWS:
        return DJANGO_VIEWS[route.name].methods
    if route.name.startswith("admin:"):
        return None
    return route.view.ita_methods


def probe_method(route: Route) -> str:
    methods = methods_of(route)
    return "GET" if not methods or "GET" in methods else methods[0]


def allowed_principal(route: Route, people: list[Principal]) -> Principal:
    """Someone the view lets in, to show that a wrong method is refused for the method's sake."""
    access = access_of(route)
    if access == ORGANISATION:
        return next(p for p in people if p.kind == "role" and p.role in route.view.ita_roles)
    if access == OVERSIGHT:
        return next(p for p in people if p.kind == "overseer")
    if access == PUBLIC:
        return next(p for p in people if p.kind == "anonymous")
    if access == PLATFORM or route.name.startswith("admin:"):
        return next(p for p in people if p.kind == "superuser")
    return next(p for p in people if p.kind == "role")


# --- the walk --------------------------------------------------------------------------------


def fetch(client: Client, method: str, url: str):
    """One request whose writes are undone, cookies included (a logout), so that every person meets
    the same data and stays logged in as before."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.generic(method, url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def problems_of(response, want: Expect) -> list[str]:
    found = []
    if response.status_code not in want.statuses:
        found.append(f"answered {response.status_code}, expected {want}")
    location = response.get("Location", "")
    if response.status_code == 302 and want.location and not location.startswith(want.location):
        found.append(f"went to {location}, expected {want.location}")
    sent_to_log_in = location.startswith((LOGIN, VERIFY, ENROL, ADMIN_LOGIN))
    if response.status_code == 302 and not want.location and sent_to_log_in:
        found.append(f"was sent to log in ({location}) although it may see the page")
    if "Content-Security-Policy" not in response:
        found.append(f"answered {response.status_code} without a Content-Security-Policy header")
    return found


def test_every_named_url_has_an_expectation_and_every_parameter_a_demo_object():
    missing = []
    for route in named_routes():
        try:
            access_of(route)
            finders(route)
        except LookupError as error:
            missing.append(str(error))
    assert not missing, "\n".join(missing)


@pytest.mark.django_db
def test_every_url_answers_every_person_as_declared():
    people = principals()
    objects = demo_objects(people)

    routes = named_routes()
    failures, rows, checks = [], [], 0
    for route in routes:
        method = probe_method(route)
        for principal in people:
            url = url_for(route, objects, principal)
            response = fetch(principal.client, method, url)
            checks += 1
            want = expected(route, principal)
            rows.append(f"{route.name}\t{principal.label}\t{method} {url}\t{response.status_code}\t{want}")
            failures += [f"{principal.label} {method} {url} ({route.name}) {p}"
                         for p in problems_of(response, want)]

        methods = methods_of(route)
        if methods is None:
            continue
        principal = allowed_principal(route, people)
        url = url_for(route, objects, principal)
        for method in METHODS:
            if method in methods:
                continue
            response = fetch(principal.client, method, url)
            checks += 1
            rows.append(f"{route.name}\t{principal.label}\t{method} {url}\t{response.status_code}\t405")
            failures += [f"{principal.label} {method} {url} ({route.name}) {p}"
                         for p in problems_of(response, expect(405))]

    summary = f"permission matrix: {len(routes)} URLs × {len(people)} people, {checks} requests"
    (ARTIFACTS / "permission-matrix.tsv").write_text(
        "\t".join(["url name", "person", "request", "status", "expected"]) + "\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    print(summary)
    assert not failures, f"{summary}; {len(failures)} wrong:\n" + "\n".join(failures)


def test_the_pages_open_half_way_through_a_login_are_the_ones_the_middleware_lets_through():
    assert set(HALF_LOGGED_IN) == OPEN_BEFORE_SECOND_FACTOR
