"""Dates as Thai offices type them: the one reader of every date input, its messages, the date box."""

from datetime import date

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from itaportal.date_fields import ThaiDateField, ThaiDateInput, ThaiDayOrMonthField
from itaportal.dates import (
    DateInputError,
    Month,
    input_text,
    month_input_text,
    parse_day_or_month,
    parse_thai_date,
    parse_thai_month,
    screen_date,
)
from itaportal.thai import thai_date

# What a person types, and the date it must give (a date) or the error code and the words the
# message must hold (a tuple). Messages are checked in the English interface, where the msgid is the
# text; the Thai interface shows the same placeholders in Thai digits (tested below).
DATES = [
    # the form on paper: day/month/พ.ศ., any separator, one or two digits for day and month
    ("15/01/2566", date(2023, 1, 15)),
    ("15-01-2566", date(2023, 1, 15)),
    ("15.01.2566", date(2023, 1, 15)),
    ("5/1/2566", date(2023, 1, 5)),
    (" 05 / 01 / 2566 ", date(2023, 1, 5)),
    ("๑๕/๐๑/๒๕๖๖", date(2023, 1, 15)),
    ("๕/๑/๖๖", date(2023, 1, 5)),
    # two-digit years are 25xx พ.ศ.
    ("15/01/66", date(2023, 1, 15)),
    ("1/10/67", date(2024, 10, 1)),
    ("31/12/99", date(2056, 12, 31)),
    # month names, full, abbreviated with or without dots or spaces, spoken, misspelt
    ("๑๕ ม.ค. ๒๕๖๖", date(2023, 1, 15)),
    ("15 มกราคม 2566", date(2023, 1, 15)),
    ("15 ม.ค. 66", date(2023, 1, 15)),
    ("15 มค 66", date(2023, 1, 15)),
    ("15ม.ค.66", date(2023, 1, 15)),
    ("15 ม. ค. 2566", date(2023, 1, 15)),
    ("๔ เมษา ๒๕๖๖", date(2023, 4, 4)),
    ("๓๐ ก.ย. ๖๘", date(2025, 9, 30)),
    ("1 กรกฏาคม 2567", date(2024, 7, 1)),
    ("วันที่ ๑๑ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๘", date(2025, 2, 11)),
    ("๑๑ กุมภาพันธ์ พ.ศ.๒๕๖๘", date(2025, 2, 11)),
    ("15 ม.ค. ค.ศ. 2023", date(2023, 1, 15)),
    # ISO, year first; a year from 2400 is พ.ศ. whichever the order
    ("2023-01-15", date(2023, 1, 15)),
    ("2023-1-5", date(2023, 1, 5)),
    ("2566-01-15", date(2023, 1, 15)),
    # Christian years below 2400 are taken as written
    ("15/01/2023", date(2023, 1, 15)),
    # the edges: 1 Jan 1990 – 31 Dec 2100 CE, that is 2533 – 2643 BE
    ("1/1/2533", date(1990, 1, 1)),
    ("1990-01-01", date(1990, 1, 1)),
    ("31/12/2532", ("range", "31 December 2532 (CE 1989)")),
    ("31/12/1989", ("range", "31 December 2532 (CE 1989)")),
    ("31/12/2643", date(2100, 12, 31)),
    ("2100-12-31", date(2100, 12, 31)),
    ("1/1/2644", ("range", "1 January 2644 (CE 2101)")),
    ("15/01/2666", ("range", "15 January 2666 (CE 2123)")),
    # 2399 is a Christian year (far in the future), 2400 a Buddhist one (far in the past)
    ("15/01/2399", ("range", "15 January 2942 (CE 2399)")),
    ("15/01/2400", ("range", "15 January 2400 (CE 1857)")),
    ("15/01/30", ("range", "15 January 2530 (CE 1987)")),
    # 29 February: 2567 BE = 2024 is a leap year, 2566 and 2568 are not; 2643 BE = 2100 is not either
    ("29/02/2567", date(2024, 2, 29)),
    ("29 ก.พ. 67", date(2024, 2, 29)),
    ("29/02/2566", ("day", "29 February 2566 does not exist: 2566 is not a leap year")),
    ("29 กุมภาพันธ์ 2568", ("day", "2568 is not a leap year")),
    ("29/02/2643", ("day", "2643 is not a leap year")),
    ("2024-02-29", date(2024, 2, 29)),
    ("31/04/2566", ("day", "April 2566 has 30 days: there is no day 31.")),
    ("0/1/2566", ("day", "there is no day 0")),
    ("15/13/2566", ("month", "There is no month 13")),
    # not a date at all: the message shows the forms that are
    ("", ("invalid", "15/01/2566")),
    ("abc", ("invalid", "for example 15/01/2566, ๑๕ ม.ค. ๒๕๖๖, 15 มกราคม 2566, 2023-01-15")),
    ("15 มกรา", ("invalid", "15/01/2566")),
    ("15 xyz 2566", ("invalid", "15/01/2566")),
    ("15/01/566", ("invalid", "15/01/2566")),
    ("15/01-2566", ("invalid", "15/01/2566")),
    ("ต.ค. 67", ("invalid", "15/01/2566")),
    ("15012566", ("invalid", "15/01/2566")),
    ("<script>", ("invalid", "15/01/2566")),
]


@pytest.mark.parametrize(("text", "expected"), DATES, ids=[repr(text) for text, _ in DATES])
def test_a_typed_date_gives_its_date_or_says_why_not(text, expected):
    with translation.override("en"):
        if isinstance(expected, date):
            assert parse_thai_date(text) == expected
            return
        code, words = expected
        with pytest.raises(DateInputError) as caught:
            parse_thai_date(text)
    assert caught.value.code == code
    (message,) = caught.value.messages
    assert words in message
    # Never a Python value: no repr of what was typed, no datetime, no None.
    assert "datetime" not in message and "None" not in message and "'" not in message


def test_the_table_is_big_enough():
    assert len(DATES) >= 30


def test_the_message_in_thai_has_thai_digits_and_the_reading():
    with translation.override("th"), pytest.raises(DateInputError) as caught:
        parse_thai_date("15/01/2666")
    message = caught.value.messages[0]
    assert "๑๕ มกราคม ๒๖๖๖" in message and "2123" in message
    assert "๑ มกราคม ๒๕๓๓" in message and "๓๑ ธันวาคม ๒๖๔๓" in message
    with translation.override("th"), pytest.raises(DateInputError) as caught:
        parse_thai_date("29/02/2566")
    assert "๒๕๖๖" in caught.value.messages[0]


def test_a_date_box_value_reads_back_as_the_same_date():
    for day in (date(1990, 1, 1), date(2024, 2, 29), date(2026, 12, 15), date(2100, 12, 31)):
        assert parse_thai_date(input_text(day)) == day
        assert parse_thai_date(thai_date(day, "full")) == day
        assert parse_thai_date(thai_date(day, "long")) == day
    assert input_text(date(2023, 1, 5)) == "05/01/2566"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ต.ค. ๖๔", Month(2021, 10)),
        ("ต.ค.64", Month(2021, 10)),
        ("ตุลาคม 2564", Month(2021, 10)),
        ("10/2564", Month(2021, 10)),
        ("๑๐/๒๕๖๔", Month(2021, 10)),
        ("2021-10", Month(2021, 10)),
        ("มี.ค. ๖๕", Month(2022, 3)),
    ],
)
def test_a_month(text, expected):
    assert parse_thai_month(text) == expected
    assert parse_day_or_month(text) == expected


def test_a_month_knows_its_first_and_last_day():
    assert (Month(2024, 2).first_day, Month(2024, 2).last_day) == (date(2024, 2, 1), date(2024, 2, 29))
    assert (Month(2023, 2).last_day, Month(2022, 3).last_day) == (date(2023, 2, 28), date(2022, 3, 31))
    assert month_input_text(date(2021, 10, 1)) == "ต.ค. 2564"
    assert parse_thai_month(month_input_text(date(2021, 10, 1))) == Month(2021, 10)


def test_a_day_or_a_month():
    assert parse_day_or_month("1/10/2564") == date(2021, 10, 1)
    with translation.override("en"):
        with pytest.raises(DateInputError) as caught:
            parse_day_or_month("13/2564")
        assert caught.value.code == "month"
        with pytest.raises(DateInputError) as caught:
            parse_day_or_month("ต.ค. 2700")
        assert caught.value.code == "range" and "October 2700 (CE 2157)" in caught.value.messages[0]
        with pytest.raises(DateInputError) as caught:
            parse_day_or_month("31/02/2566")
        assert caught.value.code == "day"
        with pytest.raises(DateInputError) as caught:
            parse_day_or_month("soon")
        assert "15/01/2566" in caught.value.messages[0] and "10/2566" in caught.value.messages[0]


def test_screen_dates_are_buddhist_era_in_every_language():
    day = date(2023, 1, 15)
    with translation.override("th"):
        assert screen_date(day, "abbr") == "๑๕ ม.ค. ๖๖"
        assert screen_date(day) == "๑๕ มกราคม ๒๕๖๖"
    with translation.override("en"):
        assert screen_date(day, "abbr") == "15 Jan 2566"
        assert screen_date(day) == "15 January 2566"
        assert screen_date(day, "month_abbr") == "Jan 2566"


def test_a_christian_year_stored_as_buddhist_never_prints_as_two_digits():
    # The bug of issue 14: 15/01/2566 stored as the year 2566 CE printed "๑๕ ม.ค. ๐๙".
    assert thai_date(date(2566, 1, 15), "abbr") == "๑๕ ม.ค. ๓๑๐๙"
    assert thai_date(date(2023, 1, 15), "abbr") == "๑๕ ม.ค. ๖๖"
    assert thai_date(date(2057, 1, 15), "month_abbr") == "ม.ค. ๒๖๐๐"


def test_the_filter_and_the_period_tag():
    template = Template('{{ day|thai_date:"abbr" }} | {% thai_period start end "month_abbr" %}')
    context = Context({"day": "2023-01-15", "start": date(2021, 10, 1), "end": date(2022, 3, 31)})
    with translation.override("th"):
        assert template.render(context) == "๑๕ ม.ค. ๖๖ | ต.ค. ๖๔ – มี.ค. ๖๕"


class Form(forms.Form):
    day = ThaiDateField(label="Day")
    period_start = ThaiDayOrMonthField(label="Start", required=False)


class TestTheDateField:
    def test_it_reads_buddhist_dates(self):
        form = Form({"day": "15/01/2566", "period_start": "ต.ค. ๖๔"})
        assert form.is_valid()
        assert form.cleaned_data == {"day": date(2023, 1, 15), "period_start": Month(2021, 10)}

    def test_bad_input_keeps_what_was_typed_and_says_why_in_thai(self):
        with translation.override("th"):
            form = Form({"day": "29/02/2566"})
            assert not form.is_valid()
            html = str(form["day"])
            message = form.errors["day"][0]
        assert 'value="29/02/2566"' in html
        assert "๒๕๖๖" in message and "29/02/2566" not in message

    def test_an_existing_date_shows_in_buddhist_era(self):
        html = str(Form(initial={"day": date(2023, 1, 5), "period_start": Month(2021, 10)}))
        assert 'value="05/01/2566"' in html and 'value="ต.ค. 2564"' in html
        assert 'placeholder="วว/ดด/ปปปป"' in html and 'inputmode="decimal"' in html and "data-thai-date" in html

    def test_it_is_required_like_any_field(self):
        form = Form({"day": ""})
        assert not form.is_valid() and form.errors["day"][0] == forms.Field.default_error_messages["required"]

    def test_a_date_typed_unchanged_is_not_a_change(self):
        form = Form({"day": "15/01/2566"}, initial={"day": date(2023, 1, 15)})
        assert not form.has_changed()


def test_the_input_tag_renders_the_same_box():
    template = Template('{% thai_date_input "activity_date" value label="Date" invalid=True %}')
    html = template.render(Context({"value": date(2023, 1, 15)}))
    assert 'name="activity_date"' in html and 'value="15/01/2566"' in html
    assert 'class="form-control is-invalid"' in html and 'aria-label="Date"' in html
    assert "data-thai-date" in ThaiDateInput().render("x", "typed") and 'value="typed"' in ThaiDateInput().render(
        "x", "typed")
