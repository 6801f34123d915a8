"""The years, frameworks and places a run works from: each framework read once, the most recent
years that have one, and the provinces with their real districts."""

import random
from collections import defaultdict
from dataclasses import dataclass

import geothai
from pythainlp.corpus.common import provinces as thai_provinces

from assessments.models import Framework, Indicator, Item, Tool
from itaportal.accounts.models import BANGKOK_CODE, District, Province
from itaportal.thai import fiscal_year

from .words import PLACE_HEADS, PLACE_TAILS


class ScaleError(Exception):
    """The generator cannot do what was asked, with the reason."""


@dataclass
class FrameworkData:
    """A framework read once: what every assessment of its year is built from."""

    framework: Framework
    tools: list[Tool]
    top: dict[str, list[Indicator]]  # tool code → its top-level indicators, in order
    subs: dict[str, list[Indicator]]  # indicator number → its sub-indicators, in order
    indicators: list[Indicator]  # all, in order
    by_number: dict[str, Indicator]
    items: dict[str, list[Item]]  # tool code → its items, in order
    oit_items: list[Item]  # the checklist items, in order
    level_rules: list[dict]

    @property
    def year(self) -> int:
        return self.framework.fiscal_year


def read_framework(framework: Framework) -> FrameworkData:
    tools = list(framework.tools.order_by("order"))
    codes = {tool.pk: tool.code for tool in tools}
    indicators = list(framework.indicators.order_by("order"))
    by_pk = {indicator.pk: indicator for indicator in indicators}
    top: dict[str, list[Indicator]] = {tool.code: [] for tool in tools}
    subs: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        if indicator.parent_id is None:
            top[codes[indicator.tool_id]].append(indicator)
        else:
            subs[by_pk[indicator.parent_id].number].append(indicator)
    items: dict[str, list[Item]] = {tool.code: [] for tool in tools}
    oit_items = []
    for item in framework.items.order_by("order"):
        item.indicator = by_pk.get(item.indicator_id)
        items[codes[item.tool_id]].append(item)
        if item.tool_id in {tool.pk for tool in tools if tool.checklist}:
            oit_items.append(item)
    return FrameworkData(
        framework=framework, tools=tools, top=top, subs=dict(subs), indicators=indicators,
        by_number={indicator.number: indicator for indicator in indicators}, items=items, oit_items=oit_items,
        level_rules=[rule.as_snapshot() for rule in framework.level_rules.order_by("order")],
    )


def assessment_years(years: int) -> list[int]:
    """The most recent `years` fiscal years with a framework, oldest first; refused when there are fewer."""
    available = sorted(Framework.objects.values_list("fiscal_year", flat=True))
    if years < 1:
        raise ScaleError("--years must be at least 1.")
    if years > len(available):
        raise ScaleError(
            f"Only {len(available)} fiscal years have a framework ({', '.join(map(str, available))}); "
            f"ask for --years {len(available)} or fewer, or add frameworks (assessments/frameworks/fy*.yaml)."
        )
    return available[-years:]


@dataclass
class Place:
    province: Province
    districts: list[District]  # the capital district first
    abbreviation_en: str
    name_en: str
    number: int


def place_name(rng: random.Random) -> tuple[str, str]:
    """A place name and its romanization."""
    head, tail = rng.choice(HEADS), rng.choice(TAILS)
    while tail == head:
        tail = rng.choice(TAILS)
    return head + tail, PLACE_HEADS[head] + PLACE_TAILS[tail]


HEADS, TAILS = sorted(PLACE_HEADS), sorted(PLACE_TAILS)


def ensure_places() -> list[Place]:
    """The 76 provinces with local administrations of the kinds generated here (กรุงเทพมหานคร is one office
    of its own), each with its real districts from the national register (accounts migration 0003); the
    capital district, DOPA's x01, first. Numbered in the order of the names, as the document codes use them.
    Two queries."""
    letters = {p["name_th"]: p["abbr_en"].lower() for p in thai_provinces(details=True)}
    codes = [p.code for p in geothai.provinces() if p.code != BANGKOK_CODE]
    provinces = sorted(Province.objects.filter(code__in=codes), key=lambda p: p.name)
    districts = defaultdict(list)
    for district in District.objects.filter(province__in=provinces).order_by("code"):
        districts[district.province_id].append(district)
    return [
        Place(
            province=province,
            districts=districts[province.pk],
            abbreviation_en=letters[province.name],
            name_en="".join(ch for ch in province.name_en.lower() if ch.isalnum()),
            number=number,
        )
        for number, province in enumerate(provinces, start=1)
    ]
