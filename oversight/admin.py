from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OversightMembership


@admin.register(OversightMembership)
class OversightMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "area_display", "is_active", "created_at"]
    list_filter = ["is_active", "province"]
    search_fields = [
        "user__username", "user__first_name", "user__last_name", "province__name", "district__name"
    ]
    raw_id_fields = ["user"]
    autocomplete_fields = ["province", "district"]
    list_select_related = ["user", "province", "district"]

    @admin.display(description=_("area"))
    def area_display(self, obj: OversightMembership) -> str:
        return obj.area
