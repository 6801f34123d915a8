from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from itaportal.thai import person_name

from .validators import validate_document_code

BANGKOK_CODE = "10"  # DOPA code of กรุงเทพมหานคร, the one province whose districts are เขต
CHONBURI_CODE = "20"  # เมืองพัทยา lies in จังหวัดชลบุรี


class Province(models.Model):
    """A province of the national register (itaportal/accounts/register.py loads all 77)."""

    code = models.CharField(
        _("DOPA code"), max_length=2, unique=True, help_text=_("Two digits, for example 56")
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    # The letters that open an office's document code (พย for พะเยา, กท for Bangkok).
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=10,
        blank=True,
        help_text=_("The letters of document codes, for example พย"),
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_bangkok(self) -> bool:
        return self.code == BANGKOK_CODE

    @property
    def full_name(self) -> str:
        """จังหวัดพะเยา; Bangkok is not a จังหวัด and is written กรุงเทพมหานคร alone."""
        return self.name if self.is_bangkok else f"จังหวัด{self.name}"


class District(models.Model):
    """An อำเภอ, or a เขต of Bangkok, of the national register."""

    class Kind(models.TextChoices):
        AMPHOE = "amphoe", _("District (amphoe)")
        KHET = "khet", _("District of Bangkok (khet)")

    # The official word before the name, in Thai whatever the UI language: อำเภอภูซาง, เขตบางรัก.
    PREFIX = {Kind.AMPHOE: "อำเภอ", Kind.KHET: "เขต"}

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )
    code = models.CharField(
        _("DOPA code"), max_length=4, unique=True, help_text=_("Four digits, for example 5608")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AMPHOE)
    # Without the word อำเภอ or เขต: ภูซาง, เมืองพะเยา, บางรัก.
    name = models.CharField(_("name"), max_length=100, help_text=_("Without อำเภอ or เขต, for example ภูซาง"))
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="district_unique_in_province"),
            # The target of the organisations' (district, province) foreign key (migration 0005).
            models.UniqueConstraint(fields=["id", "province"], name="district_id_province"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.PREFIX[self.kind]}{self.name}"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SAO = "sao", _("Subdistrict Administrative Organisation")
        SUBDISTRICT_MUNICIPALITY = "tambon_municipality", _("Subdistrict Municipality")
        TOWN_MUNICIPALITY = "town_municipality", _("Town Municipality")
        CITY_MUNICIPALITY = "city_municipality", _("City Municipality")
        PAO = "pao", _("Provincial Administrative Organisation")
        BANGKOK = "bangkok", _("Bangkok Metropolitan Administration")
        PATTAYA = "pattaya", _("Pattaya City")

    # The official prefixes are part of the legal name, in Thai whatever the UI language.
    FULL_PREFIX = {
        Kind.SAO: "องค์การบริหารส่วนตำบล",
        Kind.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
        Kind.TOWN_MUNICIPALITY: "เทศบาลเมือง",
        Kind.CITY_MUNICIPALITY: "เทศบาลนคร",
        Kind.PAO: "องค์การบริหารส่วนจังหวัด",
    }
    SHORT_PREFIX = {
        Kind.SAO: "อบต.",
        Kind.SUBDISTRICT_MUNICIPALITY: "ทต.",
        Kind.TOWN_MUNICIPALITY: "ทม.",
        Kind.CITY_MUNICIPALITY: "ทน.",
        Kind.PAO: "อบจ.",
    }
    # The two special local administrations have one name, which is their full name; no prefix.
    FIXED_NAME = {Kind.BANGKOK: "กรุงเทพมหานคร", Kind.PATTAYA: "เมืองพัทยา"}
    FIXED_SHORT_NAME = {Kind.BANGKOK: "กทม.", Kind.PATTAYA: "เมืองพัทยา"}
    FIXED_PROVINCE = {Kind.BANGKOK: BANGKOK_CODE, Kind.PATTAYA: CHONBURI_CODE}

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.SAO)
    # Only the place name is stored; the full and short names are derived so they can never disagree.
    name = models.CharField(_("place name"), max_length=100, help_text=_("For example ภูซาง"))
    # Follows from the district (clean() sets it); stored for the area queries of oversight, and held
    # to the district's own province by the database (migration 0005).
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("province"),
        blank=True,
        help_text=_("Follows from the district; choose it only for an office without a district"),
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
        _("document code"),
        max_length=30,
        blank=True,
        validators=[validate_document_code],
        help_text=_("For example พย 72401"),
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

    def clean(self) -> None:
        """The province follows from the district; a kind with a fixed place holds to it. Errors of the place
        are the district's when it is chosen (a registration form may show no province at all), else the
        province's."""
        errors = {}
        if self.district_id:
            district_province = self.district.province
            if not self.province_id:
                self.province = district_province
            elif self.province_id != district_province.pk:
                errors["district"] = _("This district is in %(province)s, not in %(chosen)s.") % {
                    "province": district_province.full_name,
                    "chosen": self.province.full_name,
                }
        place = "district" if self.district_id else "province"
        if not self.province_id:
            errors["district"] = _("Choose the district, or the province of an office without one.")
        elif self.kind in self.FIXED_PROVINCE and self.province.code != self.FIXED_PROVINCE[self.kind]:
            errors.setdefault(place, _("%(name)s lies in %(province)s.") % {
                "name": self.FIXED_NAME[self.kind],
                "province": Province.objects.get(code=self.FIXED_PROVINCE[self.kind]).full_name,
            })
        if self.kind in self.FIXED_NAME and self.name != self.FIXED_NAME[self.kind]:
            errors["name"] = _("The name of this kind of office is %(name)s.") % {
                "name": self.FIXED_NAME[self.kind]
            }
        elif self.kind == self.Kind.PAO and self.province_id and self.name != self.province.name:
            errors["name"] = _(
                "A provincial administrative organisation carries its province's name, %(name)s."
            ) % {"name": self.province.name}
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        if self.kind in self.FIXED_NAME:
            return self.FIXED_NAME[self.kind]
        return f"{self.FULL_PREFIX[self.kind]}{self.name}"

    @property
    def short_name(self) -> str:
        if self.kind in self.FIXED_SHORT_NAME:
            return self.FIXED_SHORT_NAME[self.kind]
        return f"{self.SHORT_PREFIX[self.kind]}{self.name}"

    @property
    def location(self) -> str:
        """อำเภอภูซาง จังหวัดพะเยา, เขตบางรัก กรุงเทพมหานคร; the province alone when the district is unknown."""
        parts = [self.district.full_name] if self.district_id else []
        parts.append(self.province.full_name)
        return " ".join(parts)


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=150)
    # The short form that imports read and documents may print (กองการศึกษาฯ for กองการศึกษา ศาสนาและวัฒนธรรม).
    abbreviation = models.CharField(
        _("abbreviation"), max_length=50, blank=True, help_text=_("For example กองการศึกษาฯ")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organisation", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_in_organisation"),
            models.UniqueConstraint(
                fields=["organisation", "abbreviation"],
                condition=~models.Q(abbreviation=""),
                name="department_abbreviation_unique_in_organisation",
                violation_error_message=_("Another department of this organisation has this abbreviation."),
            ),
            # The target of the positions' and memberships' (department, organisation) keys (migration 0005).
            models.UniqueConstraint(fields=["id", "organisation"], name="department_id_organisation"),
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
            models.UniqueConstraint(fields=["organisation", "title"], name="position_unique_in_organisation"),
            # The target of the memberships' (position, organisation) key (migration 0005).
            models.UniqueConstraint(fields=["id", "organisation"], name="position_id_organisation"),
        ]

    def __str__(self) -> str:
        return self.full_title

    def clean(self) -> None:
        department = self.department if self.department_id else None
        if department and self.organisation_id and department.organisation_id != self.organisation_id:
            raise ValidationError({"department": _("Choose a department of this position's organisation.")})

    @property
    def full_title(self) -> str:
        if not self.qualified:
            return self.title
        name = self.organisation.full_name
        # A municipality's mayor and council are named with the place's word alone: นายกเทศมนตรี + ตำบลX is
        # นายกเทศมนตรีตำบลX (never นายกเทศบาลตำบลX), ปลัดเทศบาล + ตำบลX; ปลัด + เทศบาลตำบลX as any office.
        if name.startswith("เทศบาล") and self.title.endswith(("เทศมนตรี", "เทศบาล")):
            return self.title + name.removeprefix("เทศบาล")
        return self.title + name


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

    def clean(self) -> None:
        errors = {}
        if self.organisation_id:
            if self.department_id and self.department.organisation_id != self.organisation_id:
                errors["department"] = _("Choose a department of this member's organisation.")
            if self.position_id and self.position.organisation_id != self.organisation_id:
                errors["position"] = _("Choose a position of this member's organisation.")
        if errors:
            raise ValidationError(errors)
