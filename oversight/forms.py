"""The roll-up's filters: a django-filter FilterSet, the form of the page. Every choice is bounded by
the person's scope: a district of another province in the URL is an invalid choice, never a wider view."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import District, Organisation

from .models import OversightMembership
from .selectors import Rollup

# Names are searched without their prefix: "อบต.ภูซาง" and "องค์การบริหารส่วนตำบลภูซาง" find ภูซาง.
_PREFIXES = sorted(
    {*Organisation.FULL_PREFIX.values(), *Organisation.SHORT_PREFIX.values()}, key=len, reverse=True
)


_SELECT = {"class": "form-select form-select-sm"}
_INPUT = {"class": "form-control form-control-sm"}
_CHECK = {"class": "form-check-input"}


class RollupFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_name",
        label=_("Organisation name"),
        widget=forms.TextInput(attrs={**_INPUT, "type": "search"}),
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.none(),
        label=_("District"),
        empty_label=_("All districts"),
        widget=forms.Select(attrs=_SELECT),
    )
    kind = django_filters.ChoiceFilter(
        choices=Organisation.Kind.choices,
        label=_("Kind"),
        empty_label=_("All kinds"),
        widget=forms.Select(attrs=_SELECT),
    )
    level = django_filters.ChoiceFilter(
        field_name="level",
        choices=(),
        label=_("Level"),
        empty_label=_("All levels"),
        widget=forms.Select(attrs=_SELECT),
    )
    score_below = django_filters.NumberFilter(
        field_name="score",
        lookup_expr="lt",
        label=_("Score below"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={**_INPUT, "step": "0.01"}),
    )
    not_reported = django_filters.BooleanFilter(
        method="filter_not_reported",
        widget=forms.CheckboxInput(attrs=_CHECK),
        label=_("Not reported this round"),
    )
    stuck = django_filters.BooleanFilter(
        method="filter_stuck", widget=forms.CheckboxInput(attrs=_CHECK), label=_("Memo stuck")
    )

    def __init__(self, data, queryset: QuerySet, *, scope: OversightMembership, rollup: Rollup):
        super().__init__(data, queryset)
        self.rollup = rollup
        if scope.district_id:
            # A district's scope has one district: nothing to choose.
            del self.filters["district"]
        else:
            districts = District.objects.filter(province=scope.province_id).order_by("name")
            self.filters["district"].queryset = districts
        self.filters["level"].extra["choices"] = [(name, name) for name in rollup.levels]

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        for prefix in _PREFIXES:
            if text.startswith(prefix):
                text = text.removeprefix(prefix).strip()
                break
        return queryset.filter(name__icontains=text) if text else queryset

    def filter_not_reported(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # An organisation without any round for the year has not reported either.
        return queryset.filter(Q(reported=False) | Q(reported__isnull=True)) if value else queryset

    def filter_stuck(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(waiting_since__lt=self.rollup.stuck_before) if value else queryset
