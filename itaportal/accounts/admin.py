from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Department, District, Membership, Organisation, Position, Province, User


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation"]
    search_fields = ["name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    search_fields = ["name"]


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "slug", "district", "province", "document_code", "is_active"]
    list_filter = ["kind", "province", "is_active"]
    search_fields = ["name", "slug", "document_code"]
    autocomplete_fields = ["province", "district"]
    inlines = [DepartmentInline, PositionInline]

    @admin.display(description=_("full name"))
    def full_name(self, obj: Organisation) -> str:
        return obj.full_name


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "department", "position", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Name prefix"), {"fields": ["name_prefix"]}),)
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
