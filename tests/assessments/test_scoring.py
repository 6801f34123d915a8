from decimal import Decimal as D

import pytest

from assessments.scoring import build_scoreboard, evaluate_level, round_score

BANDS_2564 = [
    {"name": n, "min_overall": m}
    for n, m in [("AA", "95"), ("A", "85"), ("B", "75"), ("C", "65"), ("D", "55"), ("E", "50"), ("F", "0")]
]
RULES_2566 = [
    {"name": "ผ่านดีเยี่ยม", "min_overall": "95", "min_each_tool": "95"},
    {"name": "ผ่านดี", "min_overall": "85", "min_each_tool": "85"},
    {"name": "ผ่าน", "min_overall": "85"},
    {"name": "ต้องปรับปรุง", "min_overall": "70"},
    {"name": "ต้องปรับปรุงโดยด่วน", "min_overall": "0"},
]
TOOLS = [("IIT", "ภายใน", D("30")), ("EIT", "ภายนอก", D("30")), ("OIT", "เปิดเผยข้อมูล", D("40"))]
TOP = {"IIT": ["1", "2", "3", "4", "5"], "EIT": ["6", "7", "8"], "OIT": ["9", "10"]}
PHUSANG_2567 = {
    "1": D("99.64"), "2": D("98.92"), "3": D("99.64"), "4": D("99.64"), "5": D("100"),
    "6": D("99.60"), "7": D("99.68"), "8": D("99.76"), "9": D("100"), "10": D("100"),
}


def board(**kwargs):
    arguments = {
        "tools": TOOLS,
        "top_indicators_by_tool": TOP,
        "published_tools": {},
        "indicator_scores": {},
        "published_overall": None,
        "published_level": "",
        "level_rules": RULES_2566,
        "acknowledged": {},
    }
    arguments.update(kwargs)
    return build_scoreboard(**arguments)


@pytest.mark.parametrize(
    "overall, level",
    [("100", "AA"), ("95.00", "AA"), ("94.99", "A"), ("85.00", "A"), ("84.99", "B"), ("75", "B"),
     ("74.99", "C"), ("65", "C"), ("55", "D"), ("54.99", "E"), ("50", "E"), ("49.99", "F"), ("0", "F")],
)
def test_the_2564_bands_at_their_edges(overall, level):
    assert evaluate_level(BANDS_2564, D(overall), [None, None, None]).name == level


@pytest.mark.parametrize(
    "overall, tools, level",
    [
        ("99.78", ["99.57", "99.68", "100"], "ผ่านดีเยี่ยม"),
        ("95.00", ["95.00", "95.00", "95.00"], "ผ่านดีเยี่ยม"),
        # nasom 2566: a high total with one tool under 95 is ผ่านดี, not ผ่านดีเยี่ยม.
        ("95.15", ["99.84", "94.00", "92.50"], "ผ่านดี"),
        ("97.00", ["100", "100", "94.99"], "ผ่านดี"),
        # One tool under 85 with a total over 85: only ผ่าน.
        ("90.00", ["100", "100", "84.99"], "ผ่าน"),
        ("85.00", ["85.00", "85.00", "85.00"], "ผ่านดี"),
        ("84.99", ["100", "100", "100"], "ต้องปรับปรุง"),
        ("70.00", ["70", "70", "70"], "ต้องปรับปรุง"),
        ("69.99", ["70", "70", "70"], "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_the_2566_rules_look_at_every_tool(overall, tools, level):
    assert evaluate_level(RULES_2566, D(overall), [D(t) for t in tools]).name == level


def test_a_rule_on_every_tool_never_holds_on_an_unknown_tool():
    assert evaluate_level(RULES_2566, D("99"), [D("99"), None, D("99")]).name == "ผ่าน"


def test_no_overall_no_level():
    assert evaluate_level(RULES_2566, None, []) is None


def test_passed_follows_the_pass_mark():
    assert evaluate_level(RULES_2566, D("85"), [None]).passed
    assert not evaluate_level(RULES_2566, D("84.99"), [None]).passed
    assert evaluate_level(BANDS_2564, D("85"), []).passed and not evaluate_level(BANDS_2564, D("84.99"), []).passed


@pytest.mark.parametrize(
    "value, rounded", [("84.995", "85.00"), ("84.994", "84.99"), ("85.00", "85.00"), ("99.775", "99.78")]
)
def test_rounding_is_half_up_to_two_decimals(value, rounded):
    assert round_score(D(value)) == D(rounded)


def test_a_derived_8499_5_reaches_the_pass_mark():
    # 84.995 shown as 85.00 gets the level of 85.00: the word agrees with the number printed.
    result = board(indicator_scores={"1": D("84.99"), "2": D("85"), "3": D("85"), "4": D("85"), "5": D("85")},
                   published_tools={"EIT": D("85"), "OIT": D("85")})
    assert result.tools[0].from_indicators == D("85.00")
    assert result.level.name == "ผ่านดี"


def test_phusang_2567_tools_and_overall_from_the_indicators():
    result = board(indicator_scores=PHUSANG_2567, published_overall=D("99.78"))
    assert [t.shown for t in result.tools] == [D("99.57"), D("99.68"), D("100.00")]
    assert all(t.is_derived for t in result.tools)
    assert result.derived_overall == D("99.78")
    assert (result.overall, result.overall_is_derived) == (D("99.78"), False)
    assert result.level.name == "ผ่านดีเยี่ยม"
    assert result.warnings == []


def test_the_memo_of_000_calling_9978_ต้องปรับปรุง_is_flagged():
    result = board(indicator_scores=PHUSANG_2567, published_overall=D("99.78"), published_level="ต้องปรับปรุง")
    assert [w.key for w in result.open_warnings] == ["level:ต้องปรับปรุง:ผ่านดีเยี่ยม"]
    assert "ต้องปรับปรุง" in result.warnings[0].message and "ผ่านดีเยี่ยม" in result.warnings[0].message
    assert result.level.name == "ผ่านดีเยี่ยม"


def test_nasom_2566_published_tools_explain_the_published_total():
    result = board(published_tools={"IIT": D("99.84"), "EIT": D("94.00"), "OIT": D("92.50")},
                   published_overall=D("95.15"), published_level="ผ่านดี")
    assert result.derived_overall == D("95.15")
    assert result.level.name == "ผ่านดี" and result.warnings == []


def test_a_total_the_parts_do_not_explain_is_flagged_and_the_published_figure_stands():
    result = board(published_tools={"IIT": D("99.84"), "EIT": D("94.00"), "OIT": D("92.50")},
                   published_overall=D("95.21"))
    assert result.overall == D("95.21")
    assert [w.key for w in result.warnings] == ["overall:95.21:95.15"]


def test_a_gap_within_rounding_is_not_flagged():
    result = board(published_tools={"IIT": D("99.84"), "EIT": D("94.00"), "OIT": D("92.50")},
                   published_overall=D("95.20"))
    assert result.warnings == []


def test_a_published_tool_far_from_its_indicators_is_flagged():
    result = board(indicator_scores=PHUSANG_2567, published_tools={"IIT": D("97.57")})
    assert [w.key for w in result.warnings] == ["tool:IIT:97.57:99.57"]
    assert result.tools[0].shown == D("97.57")


def test_an_acknowledged_warning_stays_listed_but_not_open():
    key = "level:ต้องปรับปรุง:ผ่านดีเยี่ยม"
    result = board(indicator_scores=PHUSANG_2567, published_overall=D("99.78"), published_level="ต้องปรับปรุง",
                   acknowledged={key: {"by": "staff.phusang"}})
    assert [w.acknowledged for w in result.warnings] == [True] and result.open_warnings == []


def test_a_partial_set_of_indicators_derives_nothing():
    result = board(indicator_scores={"1": D("90")})
    assert result.tools[0].from_indicators is None and result.derived_overall is None and result.level is None
