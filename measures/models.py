"""Measures planned from the analysis, their progress in reporting rounds, evidence, and the OIT checklist."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import AnalysisIssue, Indicator, Item
from itaportal.accounts.models import Department, Organisation, Position

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Measure(models.Model):
    class Kind(models.TextChoices):
        MEASURE = "measure", _("Measure")
        PROJECT = "project", _("Project")
        ACTIVITY = "activity", _("Activity")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="measures", verbose_name=_("organisation")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    # The number printed in the plan and in every progress report: kept when others are removed,
    # so that one measure never has two numbers.
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEASURE)
    title = models.TextField(_("measure, project or activity"))
    issues = models.ManyToManyField(AnalysisIssue, related_name="measures", verbose_name=_("issues"), blank=True)
    indicators = models.ManyToManyField(Indicator, related_name="+", verbose_name=_("indicators"), blank=True)
    oit_items = models.ManyToManyField(Item, related_name="+", verbose_name=_("OIT items"), blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    # Plans often give whole months (ต.ค. ๖๔ – มี.ค. ๖๕): the dates are then the first day of the first
    # month and the last day of the last, and the period prints as months, as it was written.
    period_in_months = models.BooleanField(_("period in whole months"), default=False)
    all_units = models.BooleanField(_("every unit"), default=False, help_text=_("ทุกสำนัก ทุกกอง"))
    departments = models.ManyToManyField(
        Department, related_name="measures", verbose_name=_("responsible departments"), blank=True
    )
    positions = models.ManyToManyField(
        Position, related_name="measures", verbose_name=_("responsible positions"), blank=True
    )
    monitoring = models.TextField(_("monitoring and reporting"), blank=True)
    planned_budget = models.DecimalField(_("planned budget (baht)"), null=True, blank=True, **MONEY)
    target = models.TextField(_("target"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["organisation", "fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fiscal_year", "number"], name="measure_number_unique"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="measure_period"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:60]}"

    @property
    def period_style(self) -> str:
        """The thai_date style its period prints in: `{% thai_period m.start_date m.end_date m.period_style %}`."""
        return "month_abbr" if self.period_in_months else "abbr"


class MeasureStep(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="steps", verbose_name=_("measure"))
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("step"))

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["measure", "order"]


class ReportingRound(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("organisation")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due date"))
    # Set when the round's report is approved (by the memo chain): its entries are read-only from then on.
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["organisation", "fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fiscal_year", "number"], name="round_number_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class ProgressEntry(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="entries", verbose_name=_("measure"))
    round = models.ForeignKey(
        ReportingRound, on_delete=models.CASCADE, related_name="entries", verbose_name=_("reporting round")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    outcome = models.TextField(_("outcome or success"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    budget_used = models.DecimalField(_("budget used (baht)"), null=True, blank=True, **MONEY)
    # What the person typed that did not validate yet, so that closing the page loses nothing.
    draft = models.JSONField(_("unsaved draft"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True,
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        constraints = [models.UniqueConstraint(fields=["measure", "round"], name="one_entry_per_round")]


class Activity(models.Model):
    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="activities", verbose_name=_("entry"))
    order = models.PositiveSmallIntegerField(_("order"))
    # Blank for a summary line ("- จัดทำคู่มือการให้บริการประชาชน และเผยแพร่ผ่านเว็บไซต์"), which
    # the documents print without a date, as offices write them.
    date = models.DateField(_("date"), null=True, blank=True)
    description = models.TextField(_("what was done"))

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        # Undated summary lines first, then the dated ones by date: the same on every database
        # (SQLite puts NULL first and PostgreSQL last unless told).
        ordering = ["entry", models.F("date").asc(nulls_first=True), "order"]


def evidence_path(instance: "Evidence", filename: str) -> str:
    """A random name: the original name is only ever displayed, never used on disk."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"evidence/{instance.entry.measure.organisation_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("entry"))
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    title = models.CharField(_("description of the evidence"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True,
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["entry", "created_at"]


class OitEntry(models.Model):
    """One OIT item of the year's framework as the organisation publishes it on its website."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        PUBLISHED = "published", _("Published")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="oit_entries", verbose_name=_("organisation")
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("OIT item"))
    owner = models.ForeignKey(
        Department, on_delete=models.SET_NULL, related_name="+", null=True, blank=True, verbose_name=_("owner unit")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    url = models.URLField(_("public URL"), max_length=1000, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True,
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("OIT checklist entry")
        verbose_name_plural = _("OIT checklist entries")
        constraints = [models.UniqueConstraint(fields=["organisation", "item"], name="one_oit_entry_per_item")]
