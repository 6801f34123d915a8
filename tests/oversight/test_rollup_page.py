import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from itaportal.accounts.models import District
from oversight import exports
from oversight.selectors import SORTS, score_distribution

pytestmark = pytest.mark.django_db

YEAR = 2568


@pytest.fixture
def area(province, other_province, make_org, overseer, scores, rounds, measure, memo, document, long_ago):
    """Four organisations that differ in every column, and one of another province that never shows:
    A  เมืองทดสอบ  อบต.  90 (85 last year)  ผ่าน                  reported, 2 late   2 documents
    B  ดอยทดสอบ   ทต.   80 (85 last year)  ต้องปรับปรุง           not reported, 0 late  memo stuck 20 days
    C  เมืองทดสอบ  ทม.   60                ต้องปรับปรุงโดยด่วน     no round   memo waiting 3 days  1 document
    D  no district อบต.  no score                               not reported, 4 late
    (a measure never reported is late in each of the two rounds past their due dates)
    """
    today = timezone.localdate()
    past = (today - timedelta(days=60), today - timedelta(days=30))
    future = (today + timedelta(days=30), today + timedelta(days=60))
    a = make_org(province, "กกทดสอบ")
    b = make_org(province, "ขขทดสอบ", district="ดอยทดสอบ", kind="tambon_municipality")
    c = make_org(province, "คคทดสอบ", kind="town_municipality")
    d = make_org(province, "เวียงทดสอบ", district=None)
    outsider = make_org(other_province, "นอกเขตทดสอบ", district="ทะเลทดสอบ")
    for organisation, now, before in [(a, "90", "85"), (b, "80", "85"), (c, "60", None), (outsider, "50", None)]:
        scores(organisation, YEAR, overall=now)
        if before:
            scores(organisation, YEAR - 1, overall=before)
    whole_year = (date(2024, 10, 1), date(2025, 9, 30))
    first = rounds(a, YEAR, due=past, locked=(True, True))
    measure(a, YEAR, *whole_year)
    rounds(b, YEAR, due=future)
    rounds(d, YEAR, due=past)
    measure(d, YEAR, *whole_year)
    measure(d, YEAR, *whole_year)
    memo(b, YEAR, since=long_ago(20))
    memo(c, YEAR, since=long_ago(3))
    memo(outsider, YEAR, since=long_ago(30))
    document(a, YEAR)
    document(a, YEAR)
    document(c, YEAR)
    assert first[1].is_locked
    return {"scope": overseer(province), "a": a, "b": b, "c": c, "d": d, "outsider": outsider}


def get(client, scope, query="", name="oversight_rollup"):
    client.force_login(scope.user)
    response = client.get(reverse(name, args=[scope.pk]) + query)
    assert response.status_code == 200
    return response


def names(response) -> list[str]:
    return [row.organisation.name for row in response.context["rows"]]


def test_the_page_shows_the_figures_of_each_organisation(client, area):
    response = get(client, area["scope"], f"?year={YEAR}")
    rows = {row.organisation.name: row for row in response.context["rows"]}
    assert list(rows) == ["กกทดสอบ", "ขขทดสอบ", "คคทดสอบ", "เวียงทดสอบ"]
    a, b, c, d = rows.values()
    assert (str(a.score), a.level.name, str(a.change), a.late, a.reported, a.approved_documents) == (
        "90.00", "ผ่าน", "5.00", 2, True, 2)
    assert (b.memos_waiting, b.waiting_days, b.stuck, b.reported, b.late) == (1, 20, True, False, 0)
    assert (c.level.name, c.reported, c.late, c.waiting_days, c.stuck) == ("ต้องปรับปรุงโดยด่วน", None, None, 3, False)
    assert (d.score, d.level, d.late, d.reported) == (None, None, 4, False)
    page = response.content.decode()
    assert "นอกเขตทดสอบ" not in page
    assert 'aria-sort="ascending"' in page


def test_the_page_shows_no_memo_text_and_no_names(client, area):
    page = get(client, area["scope"], f"?year={YEAR}").content.decode()
    for secret in ["เรื่องลับเฉพาะของหน่วยงาน", "ข้อเท็จจริงลับ", "ลับ", "staff.test-org"]:
        assert secret not in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=tambon_municipality", ["ขขทดสอบ"]),
        ("level=ต้องปรับปรุง", ["ขขทดสอบ"]),
        ("score_below=85", ["ขขทดสอบ", "คคทดสอบ"]),
        ("score_below=80.01", ["ขขทดสอบ", "คคทดสอบ"]),
        ("score_below=80", ["คคทดสอบ"]),
        ("not_reported=on", ["ขขทดสอบ", "คคทดสอบ", "เวียงทดสอบ"]),
        ("stuck=on", ["ขขทดสอบ"]),
        ("q=อบต.เวียง", ["เวียงทดสอบ"]),
        ("q=องค์การบริหารส่วนตำบลกก", ["กกทดสอบ"]),
        ("q=ทดสอบ", ["กกทดสอบ", "ขขทดสอบ", "คคทดสอบ", "เวียงทดสอบ"]),
        ("score_below=85&kind=sao", []),
        ("stuck=on&not_reported=on&level=ต้องปรับปรุง", ["ขขทดสอบ"]),
    ],
)
def test_each_filter(client, area, query, expected):
    assert names(get(client, area["scope"], f"?year={YEAR}&{query}")) == expected


def test_the_district_filter_offers_the_provinces_districts_only(client, area, other_province):
    scope = area["scope"]
    doi = District.objects.get(province=scope.province, name="ดอยทดสอบ")
    response = get(client, scope, f"?year={YEAR}&district={doi.pk}")
    assert names(response) == ["ขขทดสอบ"]
    offered = {d.name for d in response.context["filter"].form.fields["district"].queryset}
    assert offered == {"เมืองทดสอบ", "ดอยทดสอบ"}
    # Another province's district is refused as a choice: the list stays the scope's, never wider.
    elsewhere = District.objects.get(province=other_province)
    response = get(client, scope, f"?year={YEAR}&district={elsewhere.pk}")
    assert "district" in response.context["filter"].form.errors
    assert "นอกเขตทดสอบ" not in names(response)


def test_a_district_scope_sees_its_district_and_has_no_district_filter(client, area, overseer):
    scope = overseer(area["scope"].province, "ดอยทดสอบ")
    response = get(client, scope, f"?year={YEAR}")
    assert names(response) == ["ขขทดสอบ"]
    assert "district" not in response.context["filter"].form.fields


ORDERS = {
    "organisation": ["A", "B", "C", "D"],
    "district": ["B", "A", "C", "D"],
    "-district": ["C", "A", "B", "D"],
    "score": ["C", "B", "A", "D"],
    "-score": ["A", "B", "C", "D"],
    "level": ["C", "B", "A", "D"],
    "-level": ["A", "B", "C", "D"],
    "change": ["B", "A", "C", "D"],
    "-change": ["A", "B", "C", "D"],
    "late": ["B", "A", "D", "C"],
    "-late": ["D", "A", "B", "C"],
    "reported": ["B", "D", "A", "C"],
    "-reported": ["A", "B", "D", "C"],
    "waiting": ["A", "D", "B", "C"],
    "-waiting": ["B", "C", "A", "D"],
    "age": ["C", "B", "A", "D"],
    "-age": ["B", "C", "A", "D"],
    "documents": ["B", "D", "C", "A"],
    "-documents": ["A", "C", "B", "D"],
    "-organisation": ["D", "C", "B", "A"],
    # Anything outside the list sorts by name.
    "name; drop table": ["A", "B", "C", "D"],
}


def test_every_column_sorts_both_ways():
    assert {key.removeprefix("-") for key in ORDERS} - {"name; drop table"} == set(SORTS)


@pytest.mark.parametrize("sort, expected", list(ORDERS.items()))
def test_each_sort(client, area, sort, expected):
    response = get(client, area["scope"], f"?year={YEAR}&sort={sort}")
    assert [row.organisation.pk for row in response.context["rows"]] == [area[key.lower()].pk for key in expected]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Thai collation needs PostgreSQL with ICU")
def test_names_sort_in_thai_dictionary_order(client, province, make_org, overseer):
    for name in ["ฮฮทดสอบ", "เวียงทดสอบ", "กกทดสอบ"]:
        make_org(province, name)
    # By code point every leading vowel would follow ฮ; the dictionary files เวียง under ว.
    assert names(get(client, overseer(province))) == ["กกทดสอบ", "เวียงทดสอบ", "ฮฮทดสอบ"]


def test_pages_of_fifty_keep_the_filters_and_the_sort(client, province, make_org, overseer, other_province):
    for number in range(55):
        make_org(province, f"หน้า{number:03d}")
    make_org(other_province, "หน้านอกเขต", district="ทะเลทดสอบ")
    scope = overseer(province)
    first = get(client, scope, "?q=หน้า&sort=-organisation")
    assert len(first.context["rows"]) == 50
    assert names(first)[0] == "หน้า054"
    assert first.context["page"].paginator.count == 55
    page = first.content.decode()
    next_link = page[page.index('class="page-link" href="?') + len('class="page-link" href="'):].split('"')[0]
    assert "page=2" in next_link and "q=%E0%B8%AB" in next_link and "sort=-organisation" in next_link
    second = get(client, scope, next_link.replace("&amp;", "&"))
    assert names(second) == [f"หน้า{number:03d}" for number in range(4, -1, -1)]


def _xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_exports_hold_the_filtered_rows_in_the_pages_order(client, area):
    query = f"?year={YEAR}&score_below=85&sort=-score"
    xlsx = get(client, area["scope"], query, "oversight_rollup_xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx["Content-Disposition"]
    rows = _xlsx_rows(xlsx)
    assert rows[0] == exports.headers()
    assert rows[1:] == [
        ["ทต.ขขทดสอบ", "ดอยทดสอบ", 80, "ต้องปรับปรุง", -5, 0, "ไม่", 1, 20, "ใช่", 0],
        ["ทม.คคทดสอบ", "เมืองทดสอบ", 60, "ต้องปรับปรุงโดยด่วน", None, None, "ไม่มีรอบรายงาน", 1, 3, None, 1],
    ]
    text = _csv_rows(get(client, area["scope"], query, "oversight_rollup_csv"))
    assert text[0] == exports.headers()
    assert text[1:] == [
        ["ทต.ขขทดสอบ", "ดอยทดสอบ", "80.00", "ต้องปรับปรุง", "-5.00", "0", "ไม่", "1", "20", "ใช่", "0"],
        ["ทม.คคทดสอบ", "เมืองทดสอบ", "60.00", "ต้องปรับปรุงโดยด่วน", "", "", "ไม่มีรอบรายงาน", "1", "3", "", "1"],
    ]


def test_the_exports_hold_every_page_and_only_the_scope(client, province, other_province, make_org, overseer):
    for number in range(55):
        make_org(province, f"ส่งออก{number:03d}")
    make_org(other_province, "ส่งออกนอกเขต", district="ทะเลทดสอบ")
    scope = overseer(province)
    expected = [f"อบต.ส่งออก{number:03d}" for number in range(55)]
    assert [row[0] for row in _xlsx_rows(get(client, scope, "", "oversight_rollup_xlsx"))[1:]] == expected
    assert [row[0] for row in _csv_rows(get(client, scope, "", "oversight_rollup_csv"))[1:]] == expected


def test_a_name_that_looks_like_a_formula_stays_text(client, province, make_org, overseer):
    District.objects.create(province=province, code="9803", name="=HYPERLINK(1)")
    make_org(province, district="=HYPERLINK(1)")
    scope = overseer(province)
    assert _xlsx_rows(get(client, scope, "", "oversight_rollup_xlsx"))[1][1] == "'=HYPERLINK(1)"
    assert _csv_rows(get(client, scope, "", "oversight_rollup_csv"))[1][1] == "'=HYPERLINK(1)"


def test_the_chart_counts_the_filtered_set_and_carries_the_nonce(client, area):
    response = get(client, area["scope"], f"?year={YEAR}")
    page = response.content.decode()
    assert 'id="distribution"' in page
    nonce = response.wsgi_request.csp_nonce
    assert f'<style type="text/css" nonce="{nonce}">' in page
    assert (response.context["scored"], response.context["under_pass_mark"], response.context["unscored"]) == (3, 2, 1)
    filtered = get(client, area["scope"], f"?year={YEAR}&kind=sao")
    assert (filtered.context["scored"], filtered.context["unscored"]) == (1, 1)


def test_the_distribution_bins(province, make_org, overseer, scores):
    from oversight.selectors import rollup

    for overall in ["49.99", "50.00", "84.99", "85.00", "94.99", "95.00", "100.00"]:
        scores(make_org(province), 2567, overall=overall)
    make_org(province)
    bins, missing = score_distribution(rollup(overseer(province), 2567, timezone.localdate()).rows)
    counts = {b.label: (b.count, b.passed) for b in bins if b.count}
    assert counts == {
        "< 50": (1, False), "50–54.99": (1, False), "80–84.99": (1, False),
        "85–89.99": (1, True), "90–94.99": (1, True), "95–100": (2, True),
    }
    assert missing == 1


def _populate(make_org, province, scores, rounds, measure, memo, document, long_ago, count):
    today = timezone.localdate()
    for number in range(count):
        organisation = make_org(province, f"คิวรี{number:03d}")
        scores(organisation, YEAR, tools={"IIT": "90", "EIT": "80", "OIT": "85.5"})
        scores(organisation, YEAR - 1, overall="82")
        rounds(organisation, YEAR, due=(today - timedelta(days=40), today - timedelta(days=10)))
        measure(organisation, YEAR, date(2024, 10, 1), date(2025, 9, 30))
        memo(organisation, YEAR, since=long_ago(number))
        document(organisation, YEAR)


@pytest.mark.parametrize("name", ["oversight_rollup", "oversight_rollup_xlsx", "oversight_rollup_csv"])
def test_a_constant_number_of_queries_whatever_the_number_of_organisations(
    client, province, make_org, overseer, scores, rounds, measure, memo, document, long_ago, name
):
    scope = overseer(province)
    client.force_login(scope.user)
    url = reverse(name, args=[scope.pk]) + f"?year={YEAR}&sort=-late"

    def queries() -> tuple[tuple[int, int], object]:
        """How many queries, and the length of the longest with its numbers (ids, the page's LIMIT) left
        out: the roll-up's must not grow with the area either, as it would if the level rules were read
        once per organisation instead of once per set in use."""
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        longest = max(len(re.sub(r"\d+", "0", query["sql"])) for query in context.captured_queries)
        return (len(context), longest), response

    _populate(make_org, province, scores, rounds, measure, memo, document, long_ago, 3)
    few, response = queries()
    _populate(make_org, province, scores, rounds, measure, memo, document, long_ago, 27)
    many, response = queries()
    if name == "oversight_rollup":
        assert len(response.context["rows"]) == 30
        assert {row.late for row in response.context["rows"]} == {2}
    assert many == few
    print(f"\n{name}: {few[0]} queries for 3 organisations, {many[0]} for 30")
