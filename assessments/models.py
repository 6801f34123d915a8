"""The ITA framework of each fiscal year as data, and each organisation's assessment against it.

Nothing year-specific lives in code: item lists, numbering, weights and level rules change between
fiscal years. The database is the source of truth: the people who run the portal edit a year in the
framework editor (/platform/frameworks/); `assessments/frameworks/fy<BE>.yaml` are the seed of the
years not yet in the database (`manage.py load_frameworks`) and the export format.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import Organisation

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def score_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs)


class Framework(models.Model):
    """The framework of one fiscal year, a draft until it is published.

    The rule that keeps recorded results stable (assessments.services.frameworks applies it):
    - A draft can be edited in full, and no office sees it: assessments start only on a published
      framework, and the OIT checklist lists only published items.
    - Once published, what scores and levels depend on is frozen: the tools and their weights, the
      indicators, the level rules (each assessment also keeps the copy it started with), each item's
      tool, and nothing can be removed. What stays open cannot change a recorded figure: the provisional
      marks and their sources (of the year, an item, a rule), the wording of the items (text, required
      data elements), new items (a gap filled from the manual), and the code and sub-indicator of an
      item still marked provisional (a provisional number corrected; its scores stay with the item).
      Each of these changes is in the audit trail, with the values before and after.
    - A published framework that nothing uses yet (no assessment, no OIT checklist entry, no measure
      linked to it) can be unpublished, back to a draft, for a full edit. One that offices already use
      cannot: a structural correction would re-score what they recorded, so it is refused.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    source = models.TextField(_("source"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
        null=True,
        blank=True,
    )
    provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("Not yet confirmed against the NACC manual of that year")
    )
    provisional_source = models.TextField(
        _("why provisional"), blank=True, help_text=_("Where the data comes from and what would confirm it")
    )
    pass_mark = score_field(_("pass mark"), default=Decimal("85"))
    # SHA-256 of the seed file it was loaded from, blank once edited in the portal: a seed file is
    # applied again only to a year still exactly as seeded.
    data_hash = models.CharField(_("data file hash"), max_length=64, blank=True)
    loaded_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["-fiscal_year"]
        permissions = [("edit_framework", _("Can edit and publish the ITA frameworks of the fiscal years"))]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class Tool(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="tools", verbose_name=_("framework"))
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=255)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    # OIT items are met or not (100 or 0) rather than scored on a scale; the analysis treats
    # an unmet checklist item as a weak point whatever the threshold.
    checklist = models.BooleanField(_("checklist of items met or not"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="tool_code_unique_in_framework")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("framework")
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("tool"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent indicator"),
        null=True,
        blank=True,
    )
    number = models.CharField(_("number"), max_length=10, help_text=_("1 to 10, or 9.1 for a sub-indicator"))
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="indicator_number_unique_in_framework")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Item(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("framework"))
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="items", verbose_name=_("tool"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, related_name="items", verbose_name=_("indicator"), null=True, blank=True
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("i1…, e1…, o1…"))
    text = models.TextField(_("text"))
    data_elements = models.TextField(_("required data elements"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    provisional = models.BooleanField(_("provisional"), default=False)
    provisional_source = models.TextField(_("why provisional"), blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="item_code_unique_in_framework")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class LevelRule(models.Model):
    """One level of a framework, as a condition: the first rule, in order, whose minimums hold wins."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="level_rules", verbose_name=_("framework")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("level"), max_length=100)
    min_overall = score_field(_("minimum overall score"), default=Decimal("0"))
    min_each_tool = score_field(_("minimum score of each tool"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False)
    provisional_source = models.TextField(_("why provisional"), blank=True)

    class Meta:
        verbose_name = _("level rule")
        verbose_name_plural = _("level rules")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "order"], name="level_order_unique_in_framework")]

    def __str__(self) -> str:
        return self.name

    def as_snapshot(self) -> dict:
        return {
            "name": self.name,
            "min_overall": str(self.min_overall),
            "min_each_tool": None if self.min_each_tool is None else str(self.min_each_tool),
            "provisional": self.provisional,
        }


class ItemSuccession(models.Model):
    """One line of the crosswalk from fiscal year N to N+1: the item of N+1 that continues this item of
    N, or none (the item was dropped). Codes are renumbered every year, so this is decided by a person,
    never by code. An item of N+1 that no line names is new that year; several items of N may name one
    successor (items merged). Removing the successor removes the line: the item is undecided again."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="succession", verbose_name=_("item"))
    successor = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        related_name="predecessions",
        verbose_name=_("successor in the next fiscal year"),
        null=True,
        blank=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("crosswalk line")
        verbose_name_plural = _("crosswalk lines")
        constraints = [
            models.CheckConstraint(condition=~models.Q(successor=models.F("item")), name="succession_not_itself")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.successor_id or '–'}"


class Assessment(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("organisation")
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    published_overall = score_field(_("published overall score"), null=True, blank=True)
    published_level = models.CharField(
        _("published level"), max_length=100, blank=True, help_text=_("As printed in the NACC's announcement")
    )
    # The level rules as they stood when the assessment started: a later correction of the
    # framework data must not silently change a level that documents already printed.
    level_rules = models.JSONField(_("level rules"), default=list)
    # Warnings a person has checked and accepted, by their key (which embeds the figures compared).
    acknowledged_warnings = models.JSONField(_("acknowledged warnings"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["organisation", "-framework__fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "framework"], name="one_assessment_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.short_name} {self.framework.fiscal_year}"

    @property
    def fiscal_year(self) -> int:
        return self.framework.fiscal_year


class ToolScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="tool_scores", verbose_name=_("assessment")
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+", verbose_name=_("tool"))
    score = score_field(_("published score"))

    class Meta:
        verbose_name = _("tool score")
        verbose_name_plural = _("tool scores")
        constraints = [models.UniqueConstraint(fields=["assessment", "tool"], name="one_score_per_tool")]


class IndicatorScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="indicator_scores", verbose_name=_("assessment")
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("indicator"))
    score = score_field(_("score"))

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="one_score_per_indicator")]


class ItemScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="item_scores", verbose_name=_("assessment")
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+", verbose_name=_("item"))
    score = score_field(_("score"))

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_score_per_item")]


class AnalysisIssue(models.Model):
    """A weak point (ประเด็น) of an assessment, tied to a tool and the items it concerns."""

    class Kind(models.TextChoices):
        URGENT = "urgent", _("A weakness to fix urgently")
        DEVELOP = "develop", _("A point to develop further")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="issues", verbose_name=_("assessment")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("issue title"), max_length=255)
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="+", verbose_name=_("tool"))
    items = models.ManyToManyField(Item, related_name="+", verbose_name=_("items"), blank=True)
    analysis = models.TextField(_("analysis"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DEVELOP)
    # The indicator the issue is about: the consistency check holds the measures answering the issue to it.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, related_name="+", verbose_name=_("indicator"), null=True, blank=True
    )
    recommendation = models.TextField(_("recommendation"), blank=True)

    class Meta:
        verbose_name = _("analysis issue")
        verbose_name_plural = _("analysis issues")
        ordering = ["assessment", "order", "pk"]

    def __str__(self) -> str:
        return self.title
