"""Which fiscal years a page offers, and which one it opens on: one rule for every year picker.

A fiscal year (พ.ศ.) runs 1 October to 30 September. Two kinds of page look at different years on the
same day:
- work (measures, progress, OIT, documents): the year being worked in is the current fiscal year;
- results (scores and their analysis): the NACC publishes a year's results around its end, so during
  FY N offices record and analyse the results of FY N − 1 (as the reference memo of February 2568
  analysed FY 2567).

A page opens on its preferred year when the office has something there; otherwise on the latest earlier
year that has something (the 12-month round of last year is still being reported in October), otherwise
the earliest later one. An office with nothing at all opens on the preferred year, whose page says what
to do first. The picker lists every year with a framework or with the office's data, and the preferred
year, each one click away.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from .thai import fiscal_year

WORK = "work"
RESULTS = "results"


def preferred_year(kind: str, today: date) -> int:
    current = fiscal_year(today)
    return current - 1 if kind == RESULTS else current


def opening_year(kind: str, today: date, with_data: Iterable[int]) -> int:
    years = set(with_data)
    preferred = preferred_year(kind, today)
    if not years or preferred in years:
        return preferred
    earlier = [year for year in years if year < preferred]
    return max(earlier) if earlier else min(years)


def picker_years(kind: str, today: date, *year_sets: Iterable[int]) -> list[int]:
    """Newest first, so that the year being worked in stands at the start of the row."""
    years = {preferred_year(kind, today)}
    for year_set in year_sets:
        years.update(year_set)
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class YearLink:
    year: int
    url: str
    current: bool


def year_links(years: list[int], current: int, url_for: Callable[[int], str]) -> list[YearLink]:
    return [YearLink(year, url_for(year), year == current) for year in years]


def requested_year(value: str | None) -> int | None:
    """A year from a query string, or None for anything that is not a plausible พ.ศ. fiscal year."""
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 2500 <= year <= 2700 else None
