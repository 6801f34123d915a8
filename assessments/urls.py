from django.urls import path, register_converter

from . import views


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
