from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AnalysisIssue, Assessment, Framework, Indicator, Item, LevelRule, Tool


class ReadOnly:
    """Frameworks change only in the framework editor (/platform/frameworks/), which applies the rule
    for published years and writes the audit trail; the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ToolInline(ReadOnly, admin.TabularInline):
    model = Tool
    extra = 0


class LevelRuleInline(ReadOnly, admin.TabularInline):
    model = LevelRule
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["fiscal_year", "name", "state", "provisional", "item_count", "loaded_at"]
    list_filter = ["state", "provisional"]
    inlines = [ToolInline, LevelRuleInline]

    @admin.display(description=_("items"))
    def item_count(self, obj: Framework) -> int:
        return obj.items.count()


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["number", "name", "tool", "framework"]
    list_filter = ["framework"]


@admin.register(Item)
class ItemAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["code", "short_text", "tool", "indicator", "framework", "provisional"]
    list_filter = ["framework", "tool__code", "provisional"]
    search_fields = ["code", "text"]

    @admin.display(description=_("text"))
    def short_text(self, obj: Item) -> str:
        return obj.text[:80]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "framework", "published_overall", "published_level", "updated_at"]
    list_filter = ["framework"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation"]
    readonly_fields = ["level_rules", "acknowledged_warnings"]


@admin.register(AnalysisIssue)
class AnalysisIssueAdmin(admin.ModelAdmin):
    list_display = ["title", "assessment", "tool", "kind", "order"]
    raw_id_fields = ["assessment"]
    filter_horizontal = ["items"]
