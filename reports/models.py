"""Memos (บันทึกข้อความ), the approval chain that carries them, and the documents made from them."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from itaportal.accounts.models import Department, Organisation, Position
from measures.models import ReportingRound


class MemoKind(models.TextChoices):
    ANALYSIS = "analysis", _("Analysis and measures report")
    PROGRESS = "progress", _("Progress report of a round")
    GENERAL = "general", _("General memo")


class ApprovalChain(models.Model):
    """The ordered positions a memo passes through; one per organisation, or per memo kind."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="approval_chains", verbose_name=_("organisation")
    )
    kind = models.CharField(
        _("memo kind"), max_length=10, choices=MemoKind.choices, blank=True,
        help_text=_("Blank: the chain of every kind without its own"),
    )
    # "เรียน นายก… (ผ่าน หัวหน้าสำนักปลัด/ปลัด…)": some offices name the intermediate levels.
    address_via = models.BooleanField(_("name the intermediate levels in the addressee line"), default=False)

    class Meta:
        verbose_name = _("approval chain")
        verbose_name_plural = _("approval chains")
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="one_chain_per_kind")]


class ChainLevel(models.Model):
    chain = models.ForeignKey(ApprovalChain, on_delete=models.CASCADE, related_name="levels", verbose_name=_("chain"))
    order = models.PositiveSmallIntegerField(_("order"))
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+", verbose_name=_("position"))

    class Meta:
        verbose_name = _("chain level")
        verbose_name_plural = _("chain levels")
        ordering = ["chain", "order"]
        constraints = [models.UniqueConstraint(fields=["chain", "order"], name="level_order_unique")]


class Delegation(models.Model):
    """Someone deciding for a position for a period: acting for it, or holding its delegated authority."""

    class Kind(models.TextChoices):
        ACTING = "acting", _("Acting for (รักษาราชการแทน)")
        DELEGATED = "delegated", _("Delegated authority (ปฏิบัติราชการแทน)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("organisation")
    )
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+", verbose_name=_("position"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ACTING)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    note = models.CharField(_("order or note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("acting appointment")
        verbose_name_plural = _("acting appointments")
        ordering = ["organisation", "-start"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="delegation_period")]


class Memo(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Waiting for a decision")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    class Closing(models.TextChoices):
        FOR_INFORMATION = "inform", "จึงเรียนมาเพื่อโปรดทราบ"
        FOR_CONSIDERATION = "consider", "จึงเรียนมาเพื่อโปรดพิจารณา"
        FOR_BOTH = "both", "จึงเรียนมาเพื่อโปรดทราบและพิจารณา"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memos", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MemoKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="memos", null=True, blank=True, verbose_name=_("assessment")
    )
    round = models.ForeignKey(
        ReportingRound, on_delete=models.PROTECT, related_name="memos", null=True, blank=True,
        verbose_name=_("reporting round"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="memos", verbose_name=_("issuing unit")
    )
    # Allocated at the first submission and kept through returns; a cancelled memo keeps it too.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(_("numbering year (B.E.)"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    background = models.TextField(_("background (เรื่องเดิม)"), blank=True)
    facts = models.TextField(_("facts (ข้อเท็จจริง)"), blank=True)
    considerations = models.TextField(_("considerations (ข้อพิจารณา)"), blank=True)
    proposal = models.TextField(_("proposal (ข้อเสนอ)"), blank=True)
    closing = models.CharField(_("closing"), max_length=10, choices=Closing.choices, default=Closing.FOR_CONSIDERATION)
    attachments = models.JSONField(_("documents attached"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memos", verbose_name=_("author")
    )
    # The author's position when the memo was written: it is what the signature block prints.
    author_position = models.CharField(_("author's position"), max_length=255)
    # The chain's positions copied at submission: a later change of the chain does not move a memo.
    levels = models.JSONField(_("levels"), default=list, blank=True)
    current_level = models.PositiveSmallIntegerField(_("current level"), default=0)
    # How many times it was submitted: a returned memo goes up the chain again as a new review.
    review = models.PositiveSmallIntegerField(_("review"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    override_reason = models.TextField(_("reason for overriding the consistency check"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        ordering = ["organisation", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "department", "number_year", "number"], name="memo_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class MemoCounter(models.Model):
    """The last number given per issuing unit and fiscal year; a row lock serialises allocation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "department", "fiscal_year"], name="one_counter")
        ]


class Decision(models.Model):
    class Action(models.TextChoices):
        APPROVE = "approve", _("Approve")
        RETURN = "return", _("Return for revision")
        REJECT = "reject", _("Reject")

    class Capacity(models.TextChoices):
        HOLDER = "holder", _("Holder of the position")
        ACTING = "acting", "รักษาราชการแทน"
        DELEGATED = "delegated", "ปฏิบัติราชการแทน"

    memo = models.ForeignKey(Memo, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("memo"))
    review = models.PositiveSmallIntegerField(_("review"))
    level = models.PositiveSmallIntegerField(_("level"))
    level_position = models.CharField(_("position of the level"), max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    actor_name = models.CharField(_("name"), max_length=255)
    actor_position = models.CharField(_("position held"), max_length=255)
    capacity = models.CharField(_("capacity"), max_length=10, choices=Capacity.choices)
    action = models.CharField(_("decision"), max_length=10, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["memo", "decided_at", "pk"]
        # One decision per level and review, in the database too: two clicks can never both count.
        constraints = [models.UniqueConstraint(fields=["memo", "review", "level"], name="one_decision_per_level")]


class MemoVersion(models.Model):
    """The approved memo and the data of every attached document, frozen: later edits change nothing here."""

    memo = models.OneToOneField(Memo, on_delete=models.PROTECT, related_name="version", verbose_name=_("memo"))
    content = models.JSONField(_("content"))
    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approved version")
        verbose_name_plural = _("approved versions")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("an approved version cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("an approved version cannot be deleted")


# Short codes printed under a document's QR code: no 0/o, 1/l/i to misread when typed from paper.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 10


def new_document_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Document(models.Model):
    """A PDF rendered by a Celery task from a frozen version (approved) or from a snapshot of live data
    taken when it was asked for (a draft), with its state for the page."""

    class Kind(models.TextChoices):
        MEMO = "memo", _("Memo")
        ANALYSIS = "analysis", _("Analysis report")
        MEASURES = "measures", _("Measures table")
        PROGRESS = "progress", _("Progress report")
        OIT = "oit", _("OIT checklist report")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documents", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    version = models.ForeignKey(
        MemoVersion, on_delete=models.PROTECT, related_name="documents", null=True, blank=True,
        verbose_name=_("approved version"),
    )
    # A draft's data as it was when asked for, so the PDF shows what its hash promises.
    content = models.JSONField(_("draft content"), null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), null=True, blank=True)
    round_number = models.PositiveSmallIntegerField(_("round"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )
    # Printed with the QR code: the short address of the document's public verification page.
    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, unique=True, default=new_document_code)
    # The hash of the template version and the data: an unchanged document is never rendered twice.
    content_hash = models.CharField(_("content hash"), max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("reason for failure"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="documents/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True, db_index=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["organisation", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "content_hash"], name="one_document_per_content")
        ]
