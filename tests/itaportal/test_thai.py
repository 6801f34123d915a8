from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Engine

from itaportal.templatetags import thai as thai_filters
from itaportal.thai import (
    baht_text,
    be_year,
    ce_year,
    fiscal_year,
    fiscal_year_bounds,
    format_number,
    parse_decimal,
    person_name,
    thai_date,
    thai_date_range,
    thai_number_words,
    to_arabic_digits,
    to_thai_digits,
)


def test_digits_both_ways():
    assert to_thai_digits("0123456789") == "๐๑๒๓๔๕๖๗๘๙"
    assert to_arabic_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert to_thai_digits(2568) == "๒๕๖๘"
    assert to_thai_digits(Decimal("99.78")) == "๙๙.๗๘"
    assert to_thai_digits(None) == ""


def test_digits_in_mixed_text_round_trip():
    assert to_thai_digits("พย 72401/120") == "พย ๗๒๔๐๑/๑๒๐"
    assert to_arabic_digits("พย ๗๒๔๐๑/๑๒๐") == "พย 72401/120"
    for text in ("พย 72401/120", "o43 ผ่าน 85%", "ไม่มีตัวเลข"):
        assert to_arabic_digits(to_thai_digits(text)) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๙๙.๗๘", Decimal("99.78")),
        (" 85 ", Decimal("85")),
        ("1,250.50", Decimal("1250.50")),
        ("๑,๒๕๐,๐๐๐", Decimal("1250000")),
        ("-3.5", Decimal("-3.5")),
    ],
)
def test_parse_decimal(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    "text", ["", "  ", "abc", "99.7.8", "1,25.0", "12,34", "1e5", "NaN", "Infinity", "๙๙ คะแนน"]
)
def test_parse_decimal_rejects_junk(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_format_number():
    assert format_number(Decimal("99.78")) == "๙๙.๗๘"
    assert format_number(1250000) == "๑,๒๕๐,๐๐๐.๐๐"
    assert format_number(Decimal("1250000"), thai=False) == "1,250,000.00"
    assert format_number(99.78) == "๙๙.๗๘"
    assert format_number("๘๕", places=0) == "๘๕"


def test_format_number_rounds_half_up():
    assert format_number(Decimal("99.785")) == "๙๙.๗๙"
    assert format_number(Decimal("2.5"), places=0, thai=False) == "3"


def test_be_and_ce_years():
    assert be_year(2025) == 2568
    assert ce_year(2568) == 2025


def test_thai_date_styles():
    d = date(2025, 2, 11)
    assert thai_date(d) == "๑๑ กุมภาพันธ์ ๒๕๖๘"
    assert thai_date(date(2023, 4, 4), "full") == "๔ เมษายน ๒๕๖๖"
    assert thai_date(d, "abbr") == "๑๑ ก.พ. ๖๘"
    assert thai_date(date(2024, 10, 1), "month_abbr") == "ต.ค. ๖๗"
    assert thai_date(d, "long") == "๑๑ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๘"
    assert thai_date(d, thai_digits=False) == "11 กุมภาพันธ์ 2568"


def test_thai_date_accepts_datetime():
    assert thai_date(datetime(2025, 2, 11, 23, 59)) == "๑๑ กุมภาพันธ์ ๒๕๖๘"


def test_thai_date_rejects_unknown_style():
    with pytest.raises(ValueError):
        thai_date(date(2025, 2, 11), "iso")


def test_thai_date_range():
    start, end = date(2024, 10, 1), date(2025, 9, 30)
    assert thai_date_range(start, end, "abbr") == "๑ ต.ค. ๖๗ – ๓๐ ก.ย. ๖๘"
    assert thai_date_range(start, end) == "ต.ค. ๖๗ – ก.ย. ๖๘"


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 9, 30), 2567),
        (date(2024, 10, 1), 2568),
        (date(2025, 1, 1), 2568),
        (date(2025, 9, 30), 2568),
        (date(2025, 10, 1), 2569),
    ],
)
def test_fiscal_year(d, expected):
    assert fiscal_year(d) == expected


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2568) == (date(2024, 10, 1), date(2025, 9, 30))
    assert fiscal_year_bounds(2566) == (date(2022, 10, 1), date(2023, 9, 30))


@pytest.mark.parametrize("year", [2566, 2567, 2568])
def test_fiscal_year_round_trip_over_every_day(year):
    start, end = fiscal_year_bounds(year)
    assert fiscal_year(start - timedelta(days=1)) == year - 1
    assert fiscal_year(end + timedelta(days=1)) == year + 1
    days = 0
    d = start
    while d <= end:
        assert fiscal_year(d) == year
        d += timedelta(days=1)
        days += 1
    assert days in (365, 366)


def test_number_words():
    assert thai_number_words(0) == "ศูนย์"
    assert thai_number_words(21) == "ยี่สิบเอ็ด"
    assert thai_number_words(1250) == "หนึ่งพันสองร้อยห้าสิบ"


def test_baht_text():
    assert baht_text(1250) == "หนึ่งพันสองร้อยห้าสิบบาทถ้วน"
    assert baht_text(Decimal("1250.50")) == "หนึ่งพันสองร้อยห้าสิบบาทห้าสิบสตางค์"
    assert baht_text("๒๑") == "ยี่สิบเอ็ดบาทถ้วน"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("นางสาว", "หทัยทิพย์", "วงศ์ทะนา"), "นางสาวหทัยทิพย์ วงศ์ทะนา"),
        (("", "หทัยทิพย์", "วงศ์ทะนา"), "หทัยทิพย์ วงศ์ทะนา"),
        (("นาย", "สมชาย", ""), "นายสมชาย"),
        ((None, " สมชาย ", None), "สมชาย"),
        (("", "", ""), ""),
    ],
)
def test_person_name(parts, expected):
    assert person_name(*parts) == expected


# A standalone engine renders through the real template machinery without needing project settings.
_ENGINE = Engine(libraries={"thai": "itaportal.templatetags.thai"})


def render(source: str, **context) -> str:
    return _ENGINE.from_string("{% load thai %}" + source).render(Context(context))


def test_filters_render():
    assert render("{{ n|thai_digits }}", n="พย 72401/120") == "พย ๗๒๔๐๑/๑๒๐"
    assert render("{{ s|thai_number }}", s=Decimal("99.78")) == "๙๙.๗๘"
    assert render("{{ s|thai_number:0 }}", s=Decimal("1250000")) == "๑,๒๕๐,๐๐๐"
    assert render("{{ d|thai_date }}", d=date(2025, 2, 11)) == "๑๑ กุมภาพันธ์ ๒๕๖๘"
    assert render('{{ d|thai_date:"abbr" }}', d=date(2024, 10, 1)) == "๑ ต.ค. ๖๗"
    assert render("{{ y|be_year }}", y=2025) == "2568"
    assert render("{{ y|be_year|thai_digits }}", y=2025) == "๒๕๖๘"


def test_filters_blank_for_none_and_missing():
    for name in ("thai_digits", "thai_number", "thai_date", "be_year"):
        assert render("{{ v|%s }}" % name, v=None) == ""
        assert render("{{ missing|%s }}" % name) == ""


def test_filter_functions_blank_for_none():
    assert thai_filters.thai_digits(None) == ""
    assert thai_filters.thai_number(None) == ""
    assert thai_filters.thai_date(None) == ""
    assert thai_filters.be_year(None) == ""


@pytest.mark.skipif(not settings.configured, reason="needs the project's Django settings (pytest-django)")
def test_filters_load_by_name_in_project_and_use_local_time():
    from django.template import Template
    from django.utils import timezone

    utc_evening = datetime(2025, 2, 10, 20, 0, tzinfo=UTC)  # already 11 Feb in Bangkok
    with timezone.override("Asia/Bangkok"):
        rendered = Template("{% load thai %}{{ d|thai_date }}").render(Context({"d": utc_evening}))
    assert rendered == "๑๑ กุมภาพันธ์ ๒๕๖๘"
