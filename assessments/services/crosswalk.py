"""The crosswalk between consecutive fiscal years (assessments.models.ItemSuccession), decided by the
framework editors. What uses it reads it through assessments.selectors (item_successors, item_mapping)."""

from django.db import transaction
from django.utils.translation import gettext as _

from itaportal.accounts.models import User
from itaportal.audit.services import audit

from ..models import Framework, Item, ItemSuccession
from .errors import AssessmentError

# A decision that takes a line back to undecided.
UNDECIDED = "undecided"


@transaction.atomic
def crosswalk_save(*, framework: Framework, decisions: dict[Item, Item | None | str], user: User | None) -> int:
    """Decide the lines from `framework`'s items to the next year's: a successor, None (no successor)
    or UNDECIDED. Items left out of `decisions` keep their line. Returns how many lines changed."""
    following = Framework.objects.filter(fiscal_year=framework.fiscal_year + 1).first()
    if following is None:
        raise AssessmentError(
            _("Fiscal year %(year)s has no framework yet to link to.") % {"year": framework.fiscal_year + 1}
        )
    lines = {line.item_id: line for line in ItemSuccession.objects.select_for_update().filter(item__in=decisions)}
    changed = 0
    for item, successor in decisions.items():
        if item.framework_id != framework.pk:
            raise AssessmentError(_("An item of another fiscal year cannot be linked from this one."))
        if isinstance(successor, Item) and successor.framework_id != following.pk:
            raise AssessmentError(
                _("A successor must be an item of fiscal year %(year)s.") % {"year": following.fiscal_year}
            )
        line = lines.get(item.pk)
        if successor == UNDECIDED:
            if line is not None:
                line.delete()
                changed += 1
            continue
        if line is not None and line.successor_id == (successor.pk if successor else None):
            continue
        line = line or ItemSuccession(item=item)
        line.successor, line.decided_by = successor, user
        line.save()
        changed += 1
    if changed:
        audit(
            organisation=None,
            action="ita.framework.crosswalk_saved",
            target=framework,
            actor=user,
            data={"year": framework.fiscal_year, "next": following.fiscal_year, "count": changed},
        )
    return changed
