"""Which fiscal year a page opens on, on the days around the change of fiscal year."""

from datetime import date

import pytest

from itaportal.years import RESULTS, WORK, opening_year, picker_years, preferred_year, requested_year

LAST_DAY = date(2026, 9, 30)  # the last day of FY 2569
FIRST_DAY = date(2026, 10, 1)  # the first day of FY 2570


@pytest.mark.parametrize(
    "kind, today, year",
    [
        (WORK, LAST_DAY, 2569),
        (WORK, FIRST_DAY, 2570),
        (RESULTS, LAST_DAY, 2568),
        (RESULTS, FIRST_DAY, 2569),
    ],
)
def test_the_preferred_year_turns_on_the_first_of_october(kind, today, year):
    assert preferred_year(kind, today) == year


def test_a_page_opens_on_the_preferred_year_when_the_office_has_something_there():
    assert opening_year(WORK, FIRST_DAY, {2568, 2569, 2570}) == 2570


def test_a_new_year_without_records_opens_on_the_last_year_with_work():
    # On 1 October the 12-month round of the year just ended is still being reported.
    assert opening_year(WORK, FIRST_DAY, {2567, 2569}) == 2569
    assert opening_year(WORK, LAST_DAY, {2567, 2569}) == 2569


def test_only_later_records_open_the_earliest_of_them():
    assert opening_year(RESULTS, FIRST_DAY, {2571, 2572}) == 2571


def test_an_office_with_nothing_opens_on_the_preferred_year():
    assert opening_year(WORK, FIRST_DAY, set()) == 2570
    assert opening_year(RESULTS, FIRST_DAY, []) == 2569


def test_the_picker_lists_every_year_newest_first_with_the_preferred_one():
    assert picker_years(WORK, FIRST_DAY, {2566, 2568}, [2565, 2568]) == [2570, 2568, 2566, 2565]


@pytest.mark.parametrize("value, year", [("2569", 2569), (None, None), ("", None), ("abc", None),
                                         ("2026", None), ("99999", None)])
def test_a_year_in_a_query_string_is_a_buddhist_era_fiscal_year_or_nothing(value, year):
    assert requested_year(value) == year
