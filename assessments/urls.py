from django.urls import path, register_converter

from . import views
from .views import editor


class DownloadKind:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DownloadKind, "kind")

prefix = "o/<slug:org_slug>/assessments/"
urlpatterns = [
    path(prefix, views.assessment_list, name="assessment_list"),
    path(f"{prefix}new/", views.assessment_new, name="assessment_new"),
    path(f"{prefix}import/", views.import_upload, name="assessment_import"),
    path(f"{prefix}import/template-<int:year>.<kind:kind>", views.import_template, name="assessment_import_template"),
    path(f"{prefix}<int:year>/", views.assessment_detail, name="assessment_detail"),
    path(f"{prefix}<int:year>/scores/", views.assessment_scores, name="assessment_scores"),
    path(f"{prefix}<int:year>/acknowledge/", views.assessment_acknowledge, name="assessment_acknowledge"),
    path(f"{prefix}<int:year>/export.<kind:kind>", views.assessment_export, name="assessment_export"),
    path(f"{prefix}<int:year>/analysis/", views.analysis, name="analysis"),
    path(f"{prefix}<int:year>/analysis/new/", views.issue_new, name="issue_new"),
    path(f"{prefix}<int:year>/analysis/carry-over/", views.issues_carry_over, name="issues_carry_over"),
    path(f"{prefix}<int:year>/analysis/<int:pk>/", views.issue_edit, name="issue_edit"),
    path(f"{prefix}<int:year>/analysis/<int:pk>/remove/", views.issue_remove, name="issue_remove"),
    path(f"{prefix}<int:year>/analysis/<int:pk>/move/", views.issue_reorder, name="issue_reorder"),
]

# The framework editor: pages of the people who run the portal (platform_view), not of an office.
editor_prefix = "platform/frameworks/"
urlpatterns += [
    path(editor_prefix, editor.framework_list, name="framework_list"),
    path(f"{editor_prefix}copy/", editor.framework_copy_view, name="framework_copy"),
    path(f"{editor_prefix}<int:year>/", editor.framework_detail, name="framework_detail"),
    path(f"{editor_prefix}<int:year>/settings/", editor.framework_settings, name="framework_settings"),
    path(f"{editor_prefix}<int:year>/tools/", editor.framework_tools, name="framework_tools"),
    path(f"{editor_prefix}<int:year>/indicators/", editor.framework_indicators, name="framework_indicators"),
    path(f"{editor_prefix}<int:year>/levels/", editor.framework_levels, name="framework_levels"),
    path(f"{editor_prefix}<int:year>/items/new/", editor.framework_item_new, name="framework_item_new"),
    path(f"{editor_prefix}<int:year>/items/<int:pk>/", editor.framework_item_edit, name="framework_item_edit"),
    path(f"{editor_prefix}<int:year>/items/<int:pk>/remove/", editor.framework_item_remove,
         name="framework_item_remove"),
    path(f"{editor_prefix}<int:year>/items/import/", editor.framework_items_import, name="framework_items_import"),
    path(f"{editor_prefix}<int:year>/items.xlsx", editor.framework_items_export, name="framework_items_export"),
    path(f"{editor_prefix}<int:year>/export.yaml", editor.framework_export_yaml, name="framework_export_yaml"),
    path(f"{editor_prefix}<int:year>/publish/", editor.framework_publish_view, name="framework_publish"),
    path(f"{editor_prefix}<int:year>/unpublish/", editor.framework_unpublish_view, name="framework_unpublish"),
    path(f"{editor_prefix}<int:year>/delete/", editor.framework_delete_view, name="framework_delete"),
    path(f"{editor_prefix}<int:year>/crosswalk/", editor.framework_crosswalk, name="framework_crosswalk"),
]
