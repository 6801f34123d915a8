"""Writes to organisations and memberships. Views call these; nothing else saves these models.

Every change is written to the audit trail with the person who made it; the sentences each entry
reads as are registered below, and the office's administration pages show them as their history.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.audit.registry import register
from itaportal.audit.services import audit

from .models import Department, Membership, Organisation, Position, Role, User
from .validators import document_code_letters, normalise_document_code, validate_document_code


class AdministrationError(Exception):
    """A refused change, with a message fit for the person who asked and, when one field of the form
    is at fault, its name (the view shows the message next to that field)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- audit sentences -------------------------------------------------------------------------


def _role(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


def _changes(data: dict) -> str:
    """"position: นักวิเคราะห์… → หัวหน้าสำนักปลัด; role: …" from {"changes": {field: [before, after]}}."""
    labels = {
        "department": _("department"), "position": _("position"), "role": _("role"), "name": _("name"),
        "abbreviation": _("abbreviation"), "title": _("title"), "qualified": _("followed by the office's name"),
        "order": _("order"), "website": _("website"), "email": _("e-mail"), "document_code": _("document code"),
    }
    parts = []
    for field, (before, after) in data["changes"].items():
        if field == "role":
            before, after = _role(before), _role(after)
        elif field == "qualified":
            before, after = (_("yes") if before else _("no")), (_("yes") if after else _("no"))
        parts.append(f"{labels.get(field, field)}: {before or '–'} → {after or '–'}")
    return "; ".join(parts)


@register("ita.member.changed")
def _member_changed(data: dict) -> str:
    return _("Changed %(person)s: %(changes)s.") % {"person": data["person"], "changes": _changes(data)}


@register("ita.member.deactivated")
def _member_deactivated(data: dict) -> str:
    return _("Deactivated %(person)s; their records and signatures stay.") % data


@register("ita.member.reactivated")
def _member_reactivated(data: dict) -> str:
    return _("Reactivated %(person)s.") % data


@register("ita.member.two_step_reset")
def _member_two_step_reset(data: dict) -> str:
    return _("Reset the two-step login of %(person)s; their next login sets it up again.") % data


@register("ita.department.created")
def _department_created(data: dict) -> str:
    return _("Added the department %(name)s.") % data


@register("ita.department.changed")
def _department_changed(data: dict) -> str:
    return _("Changed the department %(name)s: %(changes)s.") % {"name": data["name"], "changes": _changes(data)}


@register("ita.department.removed")
def _department_removed(data: dict) -> str:
    return _("Removed the department %(name)s.") % data


@register("ita.position.created")
def _position_created(data: dict) -> str:
    return _("Added the position %(title)s.") % data


@register("ita.position.changed")
def _position_changed(data: dict) -> str:
    return _("Changed the position %(title)s: %(changes)s.") % {"title": data["title"], "changes": _changes(data)}


@register("ita.position.removed")
def _position_removed(data: dict) -> str:
    return _("Removed the position %(title)s.") % data


@register("ita.organisation.changed")
def _organisation_changed(data: dict) -> str:
    return _("Changed the office's details: %(changes)s.") % {"changes": _changes(data)}


# --- shared checks ---------------------------------------------------------------------------


def own_position_title(user: User | None, organisation: Organisation) -> str:
    """The position `user` holds in the office, as the history panel shows it beside their name."""
    if user is None:
        return ""
    membership = (
        Membership.objects.filter(user=user, organisation=organisation, is_active=True)
        .select_related("position__organisation")
        .first()
    )
    return membership.position.full_title if membership and membership.position_id else ""


def same_office_or_error(
    organisation: Organisation, department: Department | None, position: Position | None
) -> tuple[Department | None, Position | None]:
    """The department and position of a member: both of the office, and the position's own department
    when it has one (a member's department is then taken from the position if left blank)."""
    if department is not None and department.organisation_id != organisation.pk:
        raise AdministrationError(_("Choose a department of this office."), field="department")
    if position is not None and position.organisation_id != organisation.pk:
        raise AdministrationError(_("Choose a position of this office."), field="position")
    if position is not None and position.department_id:
        if department is None:
            department = position.department
        elif department.pk != position.department_id:
            raise AdministrationError(
                _("The position %(position)s belongs to %(department)s; choose that department, or another "
                  "position.") % {"position": position.title, "department": position.department.name},
                field="position",
            )
    return department, position


def lock_organisation(organisation: Organisation) -> None:
    # One change of an office's people, departments and positions at a time: two admins each demoting
    # the other, or adding one name twice, would otherwise both pass their checks.
    Organisation.objects.select_for_update().only("pk").get(pk=organisation.pk)


def _diff(instance: models.Model, values: dict, shown: dict | None = None) -> dict:
    """{field: [before, after]} of the values that change, as the history shows them."""
    shown = shown or {}
    changes = {}
    for field, value in values.items():
        before = getattr(instance, field)
        if before != value:
            show = shown.get(field, lambda v: v)
            changes[field] = [show(before), show(value)]
    return changes


def references_to(instance: models.Model) -> list[str]:
    """The names of the records that refer to `instance` (memos, measures, members…), looked up through
    every relation the models declare, so that an app added later is counted without a change here.
    A model may narrow its rows to those that still matter (`blocking_references`: an accepted
    invitation no longer needs the department it named)."""
    found = set()
    for relation in instance._meta.related_objects:
        model = relation.related_model
        rows = model._base_manager.filter(**{relation.field.name: instance})
        narrow = getattr(model, "blocking_references", None)
        if (narrow(rows) if narrow else rows).exists():
            found.add(str(model._meta.verbose_name_plural))
    return sorted(found)


def _audit(
    organisation: Organisation, action: str, target: models.Model, user: User | None, data: dict
) -> None:
    # Every entry of the office's administration shows the admin's position beside their name.
    audit(
        organisation=organisation,
        action=action,
        target=target,
        actor=user,
        actor_position=own_position_title(user, organisation),
        data=data,
    )


def _save(instance: models.Model, values: dict) -> None:
    """Write `values` (already checked and diffed) to the row, those fields only."""
    for field, value in values.items():
        setattr(instance, field, value)
    instance.save(update_fields=list(values))


def _next_order(model: type[models.Model], organisation: Organisation) -> int:
    """A new department or position goes after the office's last one."""
    last = model.objects.filter(organisation=organisation).aggregate(models.Max("order"))["order__max"]
    return 0 if last is None else last + 1


def _refuse_if_referred(instance: models.Model, refusal: str, **names: str) -> None:
    """Only a row nothing refers to is removed: a memo, measure or member of it would lose it.
    `refusal` names the row with `names` and what refers to it with %(records)s."""
    used_by = references_to(instance)
    if used_by:
        raise AdministrationError(refusal % {**names, "records": ", ".join(used_by)})


# --- the office's profile --------------------------------------------------------------------


@transaction.atomic
def organisation_update_profile(
    *, organisation: Organisation, website: str, email: str, document_code: str, user: User | None = None
) -> Organisation:
    try:
        validate_document_code(document_code)
    except ValidationError as error:
        raise AdministrationError(error.messages[0], field="document_code") from None
    code = normalise_document_code(document_code)
    check_code_matches_province(code, organisation)
    values = {"website": website.strip(), "email": email.strip(), "document_code": code}
    changes = _diff(organisation, values)
    if not changes:
        return organisation
    _save(organisation, values)
    _audit(organisation, "ita.organisation.changed", organisation, user, {"changes": changes})
    return organisation


def check_code_matches_province(code: str, organisation: Organisation) -> None:
    """A code opens with its province's letters: `002` printed นก (นครนายก) for an office of หนองบัวลำภู."""
    letters = document_code_letters(code)
    province = organisation.province if organisation.province_id else None
    if letters and province is not None and province.abbreviation and letters != province.abbreviation:
        raise AdministrationError(
            _("The code opens with %(letters)s, but the letters of %(province)s are %(abbreviation)s.")
            % {"letters": letters, "province": province.full_name, "abbreviation": province.abbreviation},
            field="document_code",
        )


# --- members ---------------------------------------------------------------------------------


def _locked_membership(membership: Membership) -> Membership:
    lock_organisation(membership.organisation)
    return (
        # Only the membership's row: PostgreSQL cannot lock the nullable side of the joins.
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "user", "department", "position__organisation")
        .get(pk=membership.pk)
    )


def _keeps_an_admin(membership: Membership, user: User) -> None:
    """An office always keeps one active admin: nobody else could then manage its people."""
    others = Membership.objects.filter(
        organisation=membership.organisation, role=Role.ADMIN, is_active=True
    ).exclude(pk=membership.pk)
    if membership.role == Role.ADMIN and membership.is_active and not others.exists():
        if membership.user_id == user.pk:
            raise AdministrationError(
                _("You are the office's only admin. Make another member admin first."), field="role"
            )
        raise AdministrationError(
            _("%(person)s is the office's only admin. Make another member admin first.")
            % {"person": membership.user.display_name},
            field="role",
        )


def _member_data(membership: Membership) -> dict:
    return {"person": membership.user.display_name, "membership_id": membership.pk}


@transaction.atomic
def membership_update(
    *, membership: Membership, department: Department | None, position: Position | None, role: str, user: User
) -> Membership:
    membership = _locked_membership(membership)
    if role not in Role.values:
        raise AdministrationError(_("Choose a role."), field="role")
    department, position = same_office_or_error(membership.organisation, department, position)
    if role != Role.ADMIN:
        _keeps_an_admin(membership, user)
    values = {"department": department, "position": position, "role": role}
    changes = _diff(membership, values, {"department": lambda d: d.name if d else "",
                                         "position": lambda p: p.full_title if p else ""})
    if not changes:
        return membership
    _save(membership, values)
    _audit(
        membership.organisation, "ita.member.changed", membership, user,
        {**_member_data(membership), "changes": changes},
    )
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership, user: User) -> Membership:
    """The person can no longer open the office's pages; what they wrote, decided and signed stays, with
    their name, and the membership can be reactivated."""
    membership = _locked_membership(membership)
    if not membership.is_active:
        raise AdministrationError(_("%(person)s is already inactive.") % {"person": membership.user.display_name})
    _keeps_an_admin(membership, user)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    _audit(membership.organisation, "ita.member.deactivated", membership, user, _member_data(membership))
    return membership


@transaction.atomic
def membership_reactivate(*, membership: Membership, user: User) -> Membership:
    membership = _locked_membership(membership)
    if membership.is_active:
        raise AdministrationError(_("%(person)s is already active.") % {"person": membership.user.display_name})
    membership.is_active = True
    membership.save(update_fields=["is_active"])
    _audit(membership.organisation, "ita.member.reactivated", membership, user, _member_data(membership))
    return membership


@transaction.atomic
def membership_reset_two_step(*, membership: Membership, user: User) -> Membership:
    """For a lost phone: the person's devices are removed, so their next login (or their next page, in
    a session already open) asks them to set up two-step login again after the password."""
    membership = _locked_membership(membership)
    person = membership.user
    if person.pk == user.pk:
        raise AdministrationError(_("Another admin of the office can reset your two-step login; you cannot."))
    if person.is_staff or person.is_superuser:
        # A platform account is not the office's to manage, even when it is also a member.
        raise AdministrationError(_("This account is managed by the portal's administrators."))
    deleted, _by_model = TOTPDevice.objects.filter(user=person).delete()
    if not deleted:
        raise AdministrationError(
            _("%(person)s has not set up two-step login.") % {"person": person.display_name}
        )
    _audit(membership.organisation, "ita.member.two_step_reset", membership, user, _member_data(membership))
    return membership


# --- departments -----------------------------------------------------------------------------


def _check_department_names(
    organisation: Organisation, name: str, abbreviation: str, exclude: Department | None = None
) -> None:
    others = Department.objects.filter(organisation=organisation)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if not name:
        raise AdministrationError(_("Give the department's name."), field="name")
    if others.filter(name=name).exists():
        raise AdministrationError(_("The office already has a department of this name."), field="name")
    if abbreviation and others.filter(abbreviation=abbreviation).exists():
        raise AdministrationError(
            _("Another department of this office has this abbreviation."), field="abbreviation"
        )
    if abbreviation and others.filter(name=abbreviation).exists():
        # An import reads a unit by its name or its abbreviation: one text must name one unit.
        raise AdministrationError(
            _("Another department of this office is named so; an abbreviation must name one department."),
            field="abbreviation",
        )


@transaction.atomic
def department_create(
    *, organisation: Organisation, name: str, abbreviation: str, user: User | None, order: int | None = None
) -> Department:
    name, abbreviation = " ".join(name.split()), abbreviation.strip()
    lock_organisation(organisation)
    _check_department_names(organisation, name, abbreviation)
    if order is None:
        order = _next_order(Department, organisation)
    department = Department.objects.create(
        organisation=organisation, name=name, abbreviation=abbreviation, order=order
    )
    _audit(
        organisation, "ita.department.created", department, user,
        {"name": name, "abbreviation": abbreviation},
    )
    return department


@transaction.atomic
def department_update(
    *, department: Department, name: str, abbreviation: str, order: int, user: User
) -> Department:
    organisation = department.organisation
    lock_organisation(organisation)
    department = Department.objects.select_for_update().get(pk=department.pk)
    name, abbreviation = " ".join(name.split()), abbreviation.strip()
    _check_department_names(organisation, name, abbreviation, exclude=department)
    values = {"name": name, "abbreviation": abbreviation, "order": order}
    changes = _diff(department, values)
    if not changes:
        return department
    previous_name = department.name
    _save(department, values)
    _audit(
        organisation, "ita.department.changed", department, user,
        {"name": previous_name, "changes": changes},
    )
    return department


@transaction.atomic
def department_remove(*, department: Department, user: User) -> None:
    """Only a department nothing refers to: a memo, measure or member of it would lose its unit."""
    organisation = department.organisation
    lock_organisation(organisation)
    _refuse_if_referred(
        department,
        _("%(name)s cannot be removed: %(records)s refer to it. Rename it instead."),
        name=department.name,
    )
    _audit(
        organisation, "ita.department.removed", department, user,
        {"name": department.name, "abbreviation": department.abbreviation},
    )
    department.delete()


# --- positions -------------------------------------------------------------------------------


def _check_position(organisation: Organisation, title: str, department: Department | None,
                    exclude: Position | None = None) -> None:
    if not title:
        raise AdministrationError(_("Give the position's title."), field="title")
    others = Position.objects.filter(organisation=organisation, title=title)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise AdministrationError(_("The office already has a position of this title."), field="title")
    if department is not None and department.organisation_id != organisation.pk:
        raise AdministrationError(_("Choose a department of this office."), field="department")


@transaction.atomic
def position_create(
    *,
    organisation: Organisation,
    title: str,
    department: Department | None,
    qualified: bool,
    user: User | None,
    order: int | None = None,
) -> Position:
    title = " ".join(title.split())
    lock_organisation(organisation)
    _check_position(organisation, title, department)
    if order is None:
        order = _next_order(Position, organisation)
    position = Position.objects.create(
        organisation=organisation, title=title, department=department, qualified=qualified, order=order
    )
    _audit(
        organisation, "ita.position.created", position, user,
        {"title": position.full_title, "department": department.name if department else ""},
    )
    return position


@transaction.atomic
def position_update(
    *, position: Position, title: str, department: Department | None, qualified: bool, order: int, user: User
) -> Position:
    organisation = position.organisation
    lock_organisation(organisation)
    position = Position.objects.select_for_update(of=("self",)).select_related("organisation", "department").get(pk=position.pk)
    title = " ".join(title.split())
    _check_position(organisation, title, department, exclude=position)
    held_elsewhere = Membership.objects.filter(position=position).exclude(department=None)
    if department is not None and held_elsewhere.exclude(department=department).exists():
        raise AdministrationError(
            _("Members holding this position are in another department; change their department first."),
            field="department",
        )
    values = {"title": title, "department": department, "qualified": qualified, "order": order}
    changes = _diff(position, values, {"department": lambda d: d.name if d else ""})
    if not changes:
        return position
    previous_title = position.full_title
    _save(position, values)
    _audit(
        organisation, "ita.position.changed", position, user,
        {"title": previous_title, "changes": changes},
    )
    return position


@transaction.atomic
def position_remove(*, position: Position, user: User) -> None:
    """Only a position nothing refers to: a chain, an appointment, a measure or a member would lose it."""
    organisation = position.organisation
    lock_organisation(organisation)
    _refuse_if_referred(
        position,
        _("%(title)s cannot be removed: %(records)s refer to it. Rename it instead."),
        title=position.title,
    )
    _audit(organisation, "ita.position.removed", position, user, {"title": position.full_title})
    position.delete()
