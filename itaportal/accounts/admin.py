"""The Django admin, for platform staff only: offices run themselves from the portal's pages. What it shows
is Thai (Django's own texts where Django translates them, ours elsewhere), the places are the national
register's (read-only but for the provinces' letters), and every form here runs the models' clean(), so
the admin refuses what the pages refuse, with the message next to the field."""

from django import forms
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Department, District, Membership, Organisation, Position, Province, User


class RegisterAdmin(admin.ModelAdmin):
    """Places are loaded from the register (migration 0003, `manage.py load_register`), not typed."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(RegisterAdmin):
    list_display = ["name", "code", "abbreviation", "name_en"]
    search_fields = ["name", "code", "name_en", "abbreviation"]
    fields = ["code", "name", "name_en", "abbreviation"]
    readonly_fields = ["code", "name", "name_en"]


@admin.register(District)
class DistrictAdmin(RegisterAdmin):
    list_display = ["full_name", "code", "province", "name_en"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]
    search_fields = ["name", "code", "name_en"]
    fields = ["code", "kind", "name", "name_en", "province"]
    readonly_fields = fields

    @admin.display(description=_("name"), ordering="name")
    def full_name(self, obj: District) -> str:
        return obj.full_name


class DistrictChoiceField(forms.ModelChoiceField):
    """อำเภอเฉลิมพระเกียรติ is in five provinces: each choice names its province."""

    def label_from_instance(self, obj: District) -> str:
        return f"{obj.full_name} {obj.province.full_name}"


class OfficeChoiceField(forms.ModelChoiceField):
    """A department or position, with its office where several offices' are offered."""

    def label_from_instance(self, obj) -> str:
        return f"{obj} – {obj.organisation.short_name}"


class DepartmentInline(admin.TabularInline):
    model = Department
    fields = ["name", "abbreviation", "order"]
    extra = 0


class PositionInline(admin.TabularInline):
    model = Position
    fields = ["title", "qualified", "department", "order"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The office's own departments only; a new office has none until its departments are saved.
        formset.form.base_fields["department"].queryset = (
            Department.objects.filter(organisation=obj) if obj else Department.objects.none()
        )
        return formset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "slug", "district", "province", "document_code", "is_active"]
    list_filter = ["kind", "province", "is_active"]
    list_select_related = ["district", "province"]
    search_fields = ["name", "slug", "document_code"]
    # Offices' sites are https (.go.th); Django 6 assumes it too.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "kind", "name", "district", "province", "slug", "document_code", "website", "email", "is_active",
    ]
    inlines = [DepartmentInline, PositionInline]

    @admin.display(description=_("full name"))
    def full_name(self, obj: Organisation) -> str:
        return obj.full_name

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district":
            kwargs["form_class"] = DistrictChoiceField
            districts = District.objects.select_related("province")
            kwargs["queryset"] = districts.order_by("province__name", "name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "department", "position", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    list_select_related = ["user", "organisation", "department", "position__organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "organisation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("department", "position"):
            kwargs["form_class"] = OfficeChoiceField
            kwargs["queryset"] = db_field.related_model.objects.select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            # A saved membership offers its office's units only; a new one every office's, labelled, and
            # Membership.clean() refuses a unit of another office than the one chosen.
            for name in ("department", "position"):
                field = form.base_fields[name]
                field.queryset = field.queryset.filter(organisation=obj.organisation_id)
        return form


# Django's own help texts that its Thai catalogue leaves in English, rewritten as ours to translate.
USERNAME_HELP = _("Up to 150 characters: letters, digits and @ . + - _ only.")
PASSWORD_HELP = _(
    "At least 10 characters, not only digits, not a common password and not close to the person's name "
    "or e-mail."
)
PASSWORD_AGAIN_HELP = _("The same password again, to check it.")
GROUPS_HELP = _("The user has every permission of each group chosen.")


class UserChangeForm(auth_forms.UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = USERNAME_HELP
        self.fields["groups"].help_text = GROUPS_HELP
        # Django's Thai for these is there, but the admin appends its English "Hold down “Control”…".
        self.fields["user_permissions"].help_text = _("Permissions of the user besides those of the groups.")
        self.fields["password"].help_text = (
            _("Passwords are kept only as a hash, which cannot be read back; the button sets a new one.")
            if self.instance.has_usable_password()
            else _("The user has no password yet; the button sets one.")
        )


class UsablePasswordHelp:
    """The creation and password forms of the admin may leave a user without a password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = PASSWORD_HELP
        self.fields["password2"].help_text = PASSWORD_AGAIN_HELP
        usable = self.fields.get("usable_password")
        if usable:
            usable.label = _("Log in with a password")
            usable.choices = [("true", _("Yes")), ("false", _("No, not yet"))]
            usable.help_text = _(
                "Without a password the person cannot log in until one is set (an invitation sets it)."
            )
            if isinstance(self, auth_forms.AdminPasswordChangeForm):
                # Django's script shows this warning when "No" is chosen; it looks for the id.
                usable.help_text = format_html(
                    '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
                    usable.help_text,
                    _("Choosing No removes the current password."),
                )


class UserCreationForm(UsablePasswordHelp, auth_forms.AdminUserCreationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = USERNAME_HELP


class PasswordChangeForm(UsablePasswordHelp, auth_forms.AdminPasswordChangeForm):
    pass


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = PasswordChangeForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name_prefix", "first_name", "last_name", "email")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]

    @admin.display(description=_("name"))
    def display_name(self, obj: User) -> str:
        return obj.display_name
