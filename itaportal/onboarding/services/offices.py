"""Registering an office: the organisation, the standard departments and positions of its kind, what
the apps above add (the approval chain), and the invitation of its first admin, in one transaction."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from itaportal.accounts.models import District, Organisation, Province, Role, User
from itaportal.accounts.services import (
    AdministrationError,
    check_code_matches_province,
    department_create,
    position_create,
)
from itaportal.accounts.validators import normalise_document_code
from itaportal.audit.registry import register
from itaportal.audit.services import audit

from ..registry import NewOffice, run_setup_steps
from ..standard import standard_of
from . import OnboardingError
from .invitations import invitation_create


@register("ita.office.registered")
def _registered(data: dict) -> str:
    return _("Registered the office %(name)s (%(location)s) with its standard departments and positions; "
             "invited %(admin)s as its admin.") % data


@dataclass(frozen=True)
class FirstAdmin:
    name_prefix: str
    first_name: str
    last_name: str
    email: str


# The fields of the first admin as the registration form and the import file name them.
ADMIN_FIELDS = {"name_prefix": "admin_prefix", "first_name": "admin_first_name", "last_name": "admin_last_name",
                "email": "admin_email"}


def place_name(kind: str, name: str) -> str:
    """The place name alone, whether typed with the kind's prefix or not: "อบต.ภูซาง",
    "องค์การบริหารส่วนตำบลภูซาง" and "ภูซาง" are all ภูซาง."""
    name = " ".join((name or "").split())
    for prefix in (Organisation.FULL_PREFIX.get(kind), Organisation.SHORT_PREFIX.get(kind)):
        if prefix and name.startswith(prefix) and name[len(prefix):].strip():
            return name[len(prefix):].strip()
    return name


def _slug_candidates(kind: str, website: str, district: District | None, province: Province | None):
    # From the website first (www.phusang.go.th → phusang), as offices already call themselves;
    # otherwise from the kind and the DOPA code of the place.
    host = urlsplit(website).hostname or ""
    labels = [label for label in host.split(".") if label and label != "www"]
    if labels:
        yield slugify(labels[0])
    place = district.code if district else (province.code if province else "")
    yield slugify(f"{kind.replace('_', '-')}-{place}" if place else kind.replace("_", "-"))


def new_slug(kind: str, website: str, district: District | None, province: Province | None) -> str:
    taken = set()
    for candidate in _slug_candidates(kind, website, district, province):
        candidate = candidate[:44]
        if not candidate:
            continue
        if not Organisation.objects.filter(slug=candidate).exists():
            return candidate
        taken.add(candidate)
    base = sorted(taken)[0] if taken else "office"
    number = 2
    while Organisation.objects.filter(slug=f"{base}-{number}").exists():
        number += 1
    return f"{base}-{number}"


def duplicate_of(kind: str, name: str, district: District | None, province: Province | None) -> Organisation | None:
    """The office already registered with the same kind, name and place (district, or province without one)."""
    same = Organisation.objects.filter(kind=kind, name=name)
    if district is not None:
        return same.filter(district=district).first()
    return same.filter(district=None, province=province).first()


def _as_onboarding_error(error: ValidationError) -> OnboardingError:
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        message = " ".join(m for e in errors for m in e.messages)
        return OnboardingError(message, field=None if field == "__all__" else field)
    return OnboardingError(" ".join(error.messages))


@transaction.atomic
def organisation_register(
    *,
    kind: str,
    name: str,
    district: District | None,
    province: Province | None,
    document_code: str,
    website: str,
    email: str,
    admin: FirstAdmin,
    user: User,
) -> Organisation:
    """`province` is only needed for an office without a district (อบจ.); with a district it must be the
    district's own or blank. Errors name the field at fault (`admin_email` for the first admin's)."""
    if kind not in Organisation.Kind.values:
        raise OnboardingError(_("Choose the kind of office."), field="kind")
    if kind in Organisation.FIXED_NAME:
        name = Organisation.FIXED_NAME[kind]
    elif kind == Organisation.Kind.PAO and not name.strip() and (province or district):
        name = (province or district.province).name
    name = place_name(kind, name)
    if not name:
        raise OnboardingError(_("Give the office's place name, for example ภูซาง."), field="name")
    organisation = Organisation(
        kind=kind,
        name=name,
        district=district,
        province=province,
        document_code=normalise_document_code(document_code),
        website=website.strip(),
        email=email.strip(),
    )
    try:
        # The model's own rules: the province follows from the district, a fixed place, the code's form.
        organisation.clean_fields(exclude=["slug", "province"])
        organisation.clean()
    except ValidationError as error:
        raise _as_onboarding_error(error) from None
    if duplicate_of(kind, organisation.name, organisation.district, organisation.province) is not None:
        raise OnboardingError(
            _("%(name)s in %(place)s is already registered.")
            % {"name": organisation.full_name, "place": organisation.location},
            field="name",
        )
    check_code_matches_province(organisation.document_code, organisation)
    organisation.slug = new_slug(kind, organisation.website, organisation.district, organisation.province)
    organisation.save()

    standard = standard_of(kind)
    departments = {}
    for order, spec in enumerate(standard.departments):
        departments[spec.name] = department_create(
            organisation=organisation, name=spec.name, abbreviation=spec.abbreviation, user=user, order=order
        )
    positions = {}
    for order, spec in enumerate(standard.positions):
        positions[spec.title] = position_create(
            organisation=organisation,
            title=spec.title,
            department=departments[spec.department] if spec.department else None,
            qualified=spec.qualified,
            user=user,
            order=order,
        )
    run_setup_steps(
        NewOffice(
            organisation=organisation,
            user=user,
            departments=departments,
            positions=positions,
            chain=[positions[title] for title in standard.chain],
        )
    )
    try:
        invitation = invitation_create(
            organisation=organisation,
            role=Role.ADMIN,
            department=None,
            position=None,
            user=user,
            **admin.__dict__,
        )
    except AdministrationError as error:
        raise OnboardingError(str(error), field=ADMIN_FIELDS.get(error.field, error.field)) from None
    audit(
        organisation=organisation,
        action="ita.office.registered",
        target=organisation,
        actor=user,
        data={
            "name": organisation.full_name,
            "location": organisation.location,
            "admin": invitation.display_name,
            "admin_email": invitation.email,
        },
    )
    return organisation
