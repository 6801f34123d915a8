"""The framework editor: the pages where the people who run the portal enter a fiscal year's framework
from the NACC's manual (platform pages: the `assessments.edit_framework` permission, 404 to anyone else).
Each page calls one service; the rule of what may change when is in assessments.models.Framework."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from itaportal.accounts.access import platform_view
from itaportal.audit.registry import describe
from itaportal.audit.selectors import trail_of

from .. import crosswalk, item_table
from ..forms_frameworks import (
    CrosswalkForm,
    FrameworkCopyForm,
    FrameworkSettingsForm,
    ItemForm,
    ItemTableForm,
    indicator_formset,
    indicator_rows,
    level_formset,
    level_rows,
    tool_formset,
    tool_rows,
)
from ..framework_format import framework_yaml, structure_problems, framework_spec
from ..importing import ScoreFileError, read_table
from ..models import Framework
from ..selectors import editor_frameworks, get_framework_item_or_404, get_framework_or_404
from ..services.crosswalk import UNDECIDED, crosswalk_save
from ..services.errors import AssessmentError, FieldsError
from ..services.frameworks import (
    framework_copy,
    framework_delete,
    framework_in_use,
    framework_indicators_save,
    framework_levels_save,
    framework_publish,
    framework_settings_save,
    framework_tools_save,
    framework_unpublish,
    item_delete,
    item_save,
)

PERMISSION = "assessments.edit_framework"
TRAIL_SHOWN = 30


def _detail(framework: Framework):
    return redirect("framework_detail", year=framework.fiscal_year)


def _attach(form, error: FieldsError) -> None:
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)


def _copy_form(data=None) -> FrameworkCopyForm:
    latest = Framework.objects.order_by("-fiscal_year").first()
    initial = {"source": latest, "fiscal_year": latest.fiscal_year + 1} if latest else {}
    return FrameworkCopyForm(data, initial=initial)


def _list(request, form: FrameworkCopyForm, status: int = 200):
    return render(request, "assessments/editor/list.html", {"frameworks": editor_frameworks(), "form": form},
                  status=status)


@platform_view(permission=PERMISSION)
def framework_list(request):
    return _list(request, _copy_form())


@platform_view(permission=PERMISSION, methods=("POST",))
def framework_copy_view(request):
    form = _copy_form(request.POST)
    if form.is_valid():
        try:
            framework = framework_copy(source=form.cleaned_data["source"], fiscal_year=form.cleaned_data["fiscal_year"],
                                       user=request.user)
        except FieldsError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Fiscal year %(year)s was created as a draft, copied from %(source)s.")
                             % {"year": framework.fiscal_year, "source": form.cleaned_data["source"].fiscal_year})
            return _detail(framework)
    return _list(request, form)


@platform_view(permission=PERMISSION)
def framework_detail(request, year: int):
    framework = get_framework_or_404(year)
    items = list(framework.items.select_related("tool", "indicator").order_by("order"))
    return render(request, "assessments/editor/detail.html", {
        "framework": framework,
        "tools": framework.tools.order_by("order"),
        "indicators": framework.indicators.select_related("tool", "parent").order_by("order"),
        "items": items,
        "provisional_items": sum(item.provisional for item in items),
        "levels": framework.level_rules.order_by("order"),
        "problems": [] if framework.is_published else structure_problems(framework_spec(framework)),
        "in_use": framework_in_use(framework),
        "next_year": Framework.objects.filter(fiscal_year=year + 1).first(),
        "trail": [(entry, describe(entry)) for entry in trail_of(framework).select_related("actor")
                  .order_by("-created_at", "-pk")[:TRAIL_SHOWN]],
    })


@platform_view(permission=PERMISSION, methods=("GET", "POST"))
def framework_settings(request, year: int):
    framework = get_framework_or_404(year)
    form = FrameworkSettingsForm(request.POST or None, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            framework_settings_save(framework=framework, user=request.user, **form.cleaned_data)
        except FieldsError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The details of the year were saved."))
            return _detail(framework)
    return render(request, "assessments/editor/settings.html", {"framework": framework, "form": form})


def _formset_page(request, framework, *, build, rows, save, template: str, saved: str):
    formset = build(framework, request.POST if request.method == "POST" else None)
    if request.method == "POST" and formset.is_valid():
        try:
            save(framework=framework, rows=rows(framework, formset), user=request.user)
        except AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, saved)
            return _detail(framework)
    return render(request, template, {"framework": framework, "formset": formset})


@platform_view(permission=PERMISSION, methods=("GET", "POST"))
def framework_tools(request, year: int):
    return _formset_page(request, get_framework_or_404(year), build=tool_formset, rows=tool_rows,
                         save=framework_tools_save, template="assessments/editor/tools.html",
                         saved=_("The tools and weights were saved."))


@platform_view(permission=PERMISSION, methods=("GET", "POST"))
def framework_indicators(request, year: int):
    return _formset_page(request, get_framework_or_404(year), build=indicator_formset, rows=indicator_rows,
                         save=framework_indicators_save, template="assessments/editor/indicators.html",
                         saved=_("The indicators were saved."))


@platform_view(permission=PERMISSION, methods=("GET", "POST"))
def framework_levels(request, year: int):
    return _formset_page(request, get_framework_or_404(year), build=level_formset, rows=level_rows,
                         save=framework_levels_save, template="assessments/editor/levels.html",
                         saved=_("The level rules were saved."))


def _item_page(request, framework, item=None):
    form = ItemForm(request.POST or None, framework=framework, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            saved = item_save(framework=framework, item=item, data=form.spec(), user=request.user)
        except FieldsError as error:
            _attach(form, error)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Item %(code)s was saved.") % {"code": saved.code})
            return redirect(f"{_detail(framework).url}#item-{saved.pk}")
    return render(request, "assessments/editor/item_form.html", {"framework": framework, "form": form, "item": item})


@platform_view(permission=PERMISSION, methods=("GET", "POST"))
def framework_item_new(request, year: int):
    return _item_page(request, get_framework_or_404(year))


@platform_view(permission=PERMISSION, methods=("GET", "POST"))
def framework_item_edit(request, year: int, pk: int):
    framework = get_framework_or_404(year)
    return _item_page(request, framework, get_framework_item_or_404(framework, pk))


@platform_view(permission=PERMISSION, methods=("POST",))
def framework_item_remove(request, year: int, pk: int):
    framework = get_framework_or_404(year)
    item = get_framework_item_or_404(framework, pk)
    try:
        item_delete(item=item, user=request.user)
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Item %(code)s was removed.") % {"code": item.code})
    return _detail(framework)


@platform_view(permission=PERMISSION, methods=("GET", "POST"))
def framework_items_import(request, year: int):
    framework = get_framework_or_404(year)
    form = ItemTableForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload, upload.name)
        except ScoreFileError as error:
            form.add_error("file", str(error))
        else:
            outcome = item_table.import_items(framework=framework, table=table, user=request.user)
            if not outcome.errors:
                result = outcome.result
                messages.success(request, _("The item table was imported: %(added)s added, %(changed)s changed, "
                                            "%(removed)s removed.") % vars(result))
                return _detail(framework)
            errors = outcome.errors
    return render(request, "assessments/editor/import.html", {"framework": framework, "form": form, "errors": errors})


def _download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@platform_view(permission=PERMISSION)
def framework_items_export(request, year: int):
    framework = get_framework_or_404(year)
    return _download(item_table.export_xlsx(framework), f"ita-items-{year}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@platform_view(permission=PERMISSION)
def framework_export_yaml(request, year: int):
    framework = get_framework_or_404(year)
    return _download(framework_yaml(framework).encode("utf-8"), f"fy{year}.yaml", "application/yaml; charset=utf-8")


def _state_change(request, year: int, service, done: str):
    framework = get_framework_or_404(year)
    try:
        service(framework=framework, user=request.user)
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"year": year})
    return _detail(framework)


@platform_view(permission=PERMISSION, methods=("POST",))
def framework_publish_view(request, year: int):
    return _state_change(request, year, framework_publish,
                         _("Fiscal year %(year)s is published: offices can record results and plan on it."))


@platform_view(permission=PERMISSION, methods=("POST",))
def framework_unpublish_view(request, year: int):
    return _state_change(request, year, framework_unpublish, _("Fiscal year %(year)s is a draft again."))


@platform_view(permission=PERMISSION, methods=("POST",))
def framework_delete_view(request, year: int):
    framework = get_framework_or_404(year)
    try:
        framework_delete(framework=framework, user=request.user)
    except AssessmentError as error:
        messages.error(request, str(error))
        return _detail(framework)
    messages.success(request, _("The draft of fiscal year %(year)s was deleted.") % {"year": year})
    return redirect("framework_list")


@platform_view(permission=PERMISSION, methods=("GET", "POST"))
def framework_crosswalk(request, year: int):
    framework = get_framework_or_404(year)
    following = Framework.objects.filter(fiscal_year=year + 1).first()
    if following is None:
        messages.error(request, _("Fiscal year %(year)s has no framework yet to link to.") % {"year": year + 1})
        return _detail(framework)
    lines = crosswalk.crosswalk_lines(framework, following)
    form = CrosswalkForm(request.POST or None, lines=lines, following=following)
    if request.method == "POST" and form.is_valid():
        try:
            changed = crosswalk_save(framework=framework, decisions=form.decisions(UNDECIDED), user=request.user)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The crosswalk was saved: %(count)s lines changed.") % {"count": changed})
            return redirect("framework_crosswalk", year=year)
    return render(request, "assessments/editor/crosswalk.html", {
        "framework": framework, "following": following, "form": form,
        "undecided": sum(not line.decided for line in lines),
        "new_items": crosswalk.new_items(following),
    })
