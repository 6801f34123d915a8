from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from itaportal.thai import person_name


class Province(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    # The two-letter abbreviation that opens an office's document code (พย for พะเยา).
    abbreviation = models.CharField(_("abbreviation"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["province__name", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="district_unique_in_province")]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SAO = "sao", _("Subdistrict Administrative Organisation")
        SUBDISTRICT_MUNICIPALITY = "tambon_municipality", _("Subdistrict Municipality")
        TOWN_MUNICIPALITY = "town_municipality", _("Town Municipality")
        CITY_MUNICIPALITY = "city_municipality", _("City Municipality")

    # The official prefixes are part of the legal name, in Thai whatever the UI language.
    FULL_PREFIX = {
        Kind.SAO: "องค์การบริหารส่วนตำบล",
        Kind.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
        Kind.TOWN_MUNICIPALITY: "เทศบาลเมือง",
        Kind.CITY_MUNICIPALITY: "เทศบาลนคร",
    }
    SHORT_PREFIX = {
        Kind.SAO: "อบต.",
        Kind.SUBDISTRICT_MUNICIPALITY: "ทต.",
        Kind.TOWN_MUNICIPALITY: "ทม.",
        Kind.CITY_MUNICIPALITY: "ทน.",
    }

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.SAO)
    # Only the place name is stored; the full and short names are derived so they can never disagree.
    name = models.CharField(_("place name"), max_length=100, help_text=_("For example ภูซาง"))
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("province")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("district"),
        null=True,
        blank=True,
    )
    document_code = models.CharField(
        _("document code"), max_length=30, blank=True, help_text=_("For example พย 72401")
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["province__name", "name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.FULL_PREFIX[self.kind]}{self.name}"

    @property
    def short_name(self) -> str:
        return f"{self.SHORT_PREFIX[self.kind]}{self.name}"

    @property
    def location(self) -> str:
        """อำเภอ… จังหวัด…, omitting the district when it is unknown."""
        parts = [f"อำเภอ{self.district.name}"] if self.district_id else []
        parts.append(f"จังหวัด{self.province.name}")
        return " ".join(parts)


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organisation", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_in_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="positions", verbose_name=_("organisation")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        related_name="positions",
        verbose_name=_("department"),
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=150, help_text=_("For example ปลัด or หัวหน้าสำนักปลัด"))
    # ปลัด and นายก are written with the organisation's full name (ปลัดองค์การบริหารส่วนตำบลภูซาง);
    # deriving it means a rename or a typo cannot produce "นายองค์การ…" again.
    qualified = models.BooleanField(
        _("followed by the organisation's name"),
        default=False,
        help_text=_("For example ปลัด becomes ปลัดองค์การบริหารส่วนตำบลภูซาง"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["organisation", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="position_unique_in_organisation")
        ]

    def __str__(self) -> str:
        return self.full_title

    @property
    def full_title(self) -> str:
        return f"{self.title}{self.organisation.full_name}" if self.qualified else self.title


class User(AbstractUser):
    name_prefix = models.CharField(_("name prefix"), max_length=30, blank=True, help_text=_("นาย, นาง, นางสาว…"))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return person_name(self.name_prefix, self.first_name, self.last_name) or self.username


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    STAFF = "staff", _("Staff")
    EXECUTIVE = "executive", _("Executive")
    AUDITOR = "auditor", _("Auditor")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        related_name="memberships",
        verbose_name=_("department"),
        null=True,
        blank=True,
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.SET_NULL,
        related_name="memberships",
        verbose_name=_("position"),
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} – {self.organisation.short_name} ({self.get_role_display()})"
