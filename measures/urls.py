from django.urls import path

from .views import dashboard, evidence, excel, oit, plan, progress, year

prefix = "o/<slug:org_slug>/measures/"
urlpatterns = [
    path(prefix, dashboard.org_dashboard, name="measures_dashboard"),
    path(f"{prefix}mine/", dashboard.my_reporting, name="my_reporting"),
    path(f"{prefix}<int:year>/", plan.plan, name="measure_plan"),
    path(f"{prefix}<int:year>/new/", plan.measure_new, name="measure_new"),
    path(f"{prefix}<int:year>/start/", year.year_start_page, name="year_start"),
    path(f"{prefix}<int:year>/start/carry-oit/", year.year_carry_oit, name="year_carry_oit"),
    path(f"{prefix}<int:year>/rounds/", plan.rounds, name="rounds"),
    path(f"{prefix}<int:year>/rounds/configure/", plan.rounds_configure_view, name="rounds_configure"),
    path(f"{prefix}<int:year>/rounds/<int:round_pk>/", progress.round_report, name="round_report"),
    path(f"{prefix}<int:year>/rounds/<int:round_pk>/due/", plan.round_due_date, name="round_due_date"),
    path(f"{prefix}<int:year>/rounds/<int:round_pk>/export.xlsx", excel.progress_export, name="progress_export"),
    path(f"{prefix}<int:year>/export.xlsx", excel.plan_export, name="plan_export"),
    path(f"{prefix}<int:year>/import/", excel.plan_import, name="plan_import"),
    path(f"{prefix}<int:year>/import/template.xlsx", excel.plan_template, name="plan_template"),
    path(f"{prefix}m/<int:pk>/", plan.measure_detail, name="measure_detail"),
    path(f"{prefix}m/<int:pk>/edit/", plan.measure_edit, name="measure_edit"),
    path(f"{prefix}m/<int:pk>/remove/", plan.measure_remove, name="measure_remove"),
    path(f"{prefix}m/<int:pk>/r/<int:round_pk>/", progress.progress_form, name="progress_form"),
    path(f"{prefix}m/<int:pk>/r/<int:round_pk>/autosave/", progress.progress_autosave, name="progress_autosave"),
    path(f"{prefix}m/<int:pk>/r/<int:round_pk>/evidence/", evidence.evidence_add, name="evidence_add"),
    path(f"{prefix}evidence/<int:pk>/", evidence.evidence_download, name="evidence_download"),
    path(f"{prefix}evidence/<int:pk>/remove/", evidence.evidence_remove, name="evidence_remove"),
    path("o/<slug:org_slug>/oit/<int:year>/", oit.checklist, name="oit_checklist"),
    path("o/<slug:org_slug>/oit/<int:year>/<int:item_pk>/", oit.entry_edit, name="oit_entry_edit"),
]
