"""Oversight: a person who follows every organisation of an area (a provincial office, or a district's)
without being a member of any of them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import District, Province


class OversightMembership(models.Model):
    """A person's oversight of a province, or of one district of it. Not an organisation Membership:
    it grants no page of any organisation, only the area's roll-up of aggregates and approved facts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oversight_memberships",
        verbose_name=_("user"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="oversight_memberships", verbose_name=_("province")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="oversight_memberships",
        verbose_name=_("district"),
        null=True,
        blank=True,
        help_text=_("Empty: the whole province"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("oversight membership")
        verbose_name_plural = _("oversight memberships")
        ordering = ["province__name", "district__name"]
        # NULL districts are distinct in a plain unique constraint, so the province-wide scope needs its own.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "province"],
                condition=models.Q(district__isnull=True),
                name="oversight_one_province_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "district"],
                condition=models.Q(district__isnull=False),
                name="oversight_one_district_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.area}"

    def clean(self) -> None:
        # A district of another province would widen nothing but would print a place that does not exist.
        if self.district_id and self.province_id and self.district.province_id != self.province_id:
            raise ValidationError({"district": _("The district must be in the province.")})

    @property
    def area(self) -> str:
        """อำเภอ… จังหวัด… (เขต… กรุงเทพมหานคร), or the province alone for a whole province; places are
        named in Thai whatever the language of the page."""
        if self.district_id:
            return f"{self.district.full_name} {self.province.full_name}"
        return self.province.full_name
