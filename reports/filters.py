"""The memo register's filters: a django-filter FilterSet, the form of the page and of its export."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import Organisation, User
from itaportal.date_fields import ThaiDateField, ThaiDateInput
from itaportal.thai import to_arabic_digits

from .models import Memo, MemoKind

_SELECT = {"class": "form-select form-select-sm"}
_INPUT = {"class": "form-control form-control-sm"}


class MemoNumberField(forms.CharField):
    """A memo's number as people type it: "พย ๗๒๔๐๑/๑๒๐", "72401/120", "๑๒๐" or "120" — the running
    number after the last slash, in Thai or Arabic digits. The office's code is not compared: the
    register is one office's, whose code every memo carries."""

    def clean(self, value):
        text = to_arabic_digits(super().clean(value) or "").strip()
        if not text:
            return None
        running = text.rsplit("/", 1)[-1].strip()
        if not re.fullmatch(r"\d{1,9}", running):
            raise ValidationError(
                _("Type the memo's number, for example %(example)s or its running number alone."),
                code="invalid", params={"example": "พย ๗๒๔๐๑/๑๒๐"},
            )
        return int(running)


class MemoNumberFilter(django_filters.Filter):
    field_class = MemoNumberField


class ThaiDateFilter(django_filters.Filter):
    field_class = ThaiDateField


class MemoRegisterFilter(django_filters.FilterSet):
    number = MemoNumberFilter(
        field_name="number", label=_("Number"), widget=forms.TextInput(attrs={**_INPUT, "type": "search"})
    )
    subject = django_filters.CharFilter(
        field_name="subject", lookup_expr="icontains", label=_("Subject contains"),
        widget=forms.TextInput(attrs={**_INPUT, "type": "search"}),
    )
    submitted_from = ThaiDateFilter(
        field_name="date", lookup_expr="gte", label=_("Submitted from"), widget=ThaiDateInput(attrs=_INPUT)
    )
    submitted_to = ThaiDateFilter(
        field_name="date", lookup_expr="lte", label=_("Submitted to"), widget=ThaiDateInput(attrs=_INPUT)
    )
    state = django_filters.ChoiceFilter(
        choices=Memo.State.choices, label=_("State"), empty_label=_("All states"), widget=forms.Select(attrs=_SELECT)
    )
    kind = django_filters.ChoiceFilter(
        choices=MemoKind.choices, label=_("Kind"), empty_label=_("All kinds"), widget=forms.Select(attrs=_SELECT)
    )
    person = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), method="filter_person", label=_("Written or decided by"),
        empty_label=_("Anyone"), widget=forms.Select(attrs=_SELECT),
    )

    def __init__(self, data, queryset: QuerySet, *, organisation: Organisation):
        super().__init__(data, queryset)
        # Former members too: a memo written by someone who has left is still theirs.
        self.filters["person"].queryset = (
            User.objects.filter(memberships__organisation=organisation).distinct().order_by("first_name", "last_name")
        )
        self.filters["person"].field.label_from_instance = lambda user: user.display_name

    def filter_person(self, queryset: QuerySet, name: str, value: User) -> QuerySet:
        if value is None:
            return queryset
        # A subquery, not a join: a memo the person decided at two levels is still one row.
        decided = Memo.objects.filter(decisions__actor=value).values("pk")
        return queryset.filter(Q(author=value) | Q(pk__in=decided))
