"""Forms of the approval settings: a chain as one select per level, and acting appointments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import Organisation, Position, User
from itaportal.date_fields import ThaiDateField

from .models import Delegation, MemoKind

MAX_LEVELS = 6
GENERAL_CHAIN = ""


def chain_kind_choices() -> list[tuple[str, str]]:
    return [(GENERAL_CHAIN, _("Every kind of memo (general chain)"))] + list(MemoKind.choices)


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, position: Position) -> str:
        return position.full_title


class ChainForm(forms.Form):
    """The levels in order, from the first reader up to the one the memo is addressed to.

    Blank selects are skipped, so a level can be removed by blanking it without renumbering the rest.
    """

    kind = forms.ChoiceField(choices=chain_kind_choices, required=False, widget=forms.HiddenInput)
    address_via = forms.BooleanField(
        label=_("Name the intermediate levels in the addressee line (เรียน … (ผ่าน …))"), required=False
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        positions = Position.objects.filter(organisation=organisation).select_related("organisation")
        for number in range(1, MAX_LEVELS + 1):
            self.fields[f"level_{number}"] = PositionChoiceField(
                label=_("Level %(number)s") % {"number": number},
                queryset=positions,
                required=False,
                empty_label="—",
            )
        # The checkbox reads better after the levels it describes.
        self.order_fields([f"level_{n}" for n in range(1, MAX_LEVELS + 1)] + ["address_via", "kind"])

    @staticmethod
    def initial_for(kind: str, positions: list[Position], address_via: bool) -> dict:
        initial = {"kind": kind, "address_via": address_via}
        initial.update({f"level_{number}": p.pk for number, p in enumerate(positions, start=1)})
        return initial

    def level_fields(self) -> list:
        return [self[f"level_{number}"] for number in range(1, MAX_LEVELS + 1)]

    def clean(self):
        data = super().clean()
        seen: dict[int, str] = {}
        for number in range(1, MAX_LEVELS + 1):
            position = data.get(f"level_{number}")
            if position is None:
                continue
            if position.pk in seen:
                self.add_error(
                    f"level_{number}",
                    _("This position is already level %(level)s.") % {"level": seen[position.pk]},
                )
            seen.setdefault(position.pk, str(number))
        if not seen and not any(self.has_error(f"level_{n}") for n in range(1, MAX_LEVELS + 1)):
            self.add_error("level_1", _("Choose at least one position."))
        return data

    def positions(self) -> list[Position]:
        levels = (self.cleaned_data.get(f"level_{number}") for number in range(1, MAX_LEVELS + 1))
        return [position for position in levels if position is not None]


class DelegationForm(forms.Form):
    position = PositionChoiceField(label=_("Position acted for"), queryset=Position.objects.none())
    person = forms.ModelChoiceField(label=_("Person appointed"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Delegation.Kind.choices, initial=Delegation.Kind.ACTING)
    start = ThaiDateField(label=_("From"))
    end = ThaiDateField(label=_("Until (last day)"))
    note = forms.CharField(
        label=_("Order or note"), max_length=255, required=False,
        help_text=_("For example the number of the order (คำสั่ง) that made the appointment."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.filter(organisation=organisation).select_related(
            "organisation"
        )
        self.fields["person"].queryset = (
            User.objects.filter(memberships__organisation=organisation, memberships__is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["person"].label_from_instance = lambda user: user.display_name

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day cannot be before the first."))
        return data


class DelegationEndForm(forms.Form):
    delegation_id = forms.IntegerField(widget=forms.HiddenInput)
    on = ThaiDateField(label=_("Last day"))
