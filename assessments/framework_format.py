"""A fiscal year's framework as data: the format of the seed files and of the YAML export
(frameworks/README.md), read into specs and checked, and written back from the database."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml
from django.utils.translation import gettext as _

from .models import Framework, ItemSuccession
from .services.errors import AssessmentError

HUNDRED = Decimal(100)


@dataclass
class ToolSpec:
    code: str
    name: str
    weight: Decimal
    checklist: bool = False


@dataclass
class IndicatorSpec:
    number: str
    name: str
    tool: str
    parent: str | None = None


@dataclass
class ItemSpec:
    code: str
    text: str
    tool: str
    indicator: str | None = None
    data_elements: str = ""
    provisional: bool = False
    provisional_source: str = ""


@dataclass
class LevelSpec:
    name: str
    min_overall: Decimal
    min_each_tool: Decimal | None = None
    provisional: bool = False
    provisional_source: str = ""


@dataclass
class FrameworkSpec:
    fiscal_year: int
    name: str
    source: str = ""
    state: str = Framework.State.PUBLISHED
    provisional: bool = False
    provisional_source: str = ""
    pass_mark: Decimal = Decimal("85")
    tools: list[ToolSpec] = field(default_factory=list)
    indicators: list[IndicatorSpec] = field(default_factory=list)
    items: list[ItemSpec] = field(default_factory=list)
    levels: list[LevelSpec] = field(default_factory=list)
    # The crosswalk to the next year: item code -> its successor's code (None: no successor). An item
    # absent here is undecided.
    successors: dict[str, str | None] = field(default_factory=dict)


def _decimal(value, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise AssessmentError(_("%(what)s is not a number: %(value)s") % {"what": what, "value": value}) from None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def spec_from_data(data: dict) -> FrameworkSpec:
    """Read the seed/export format, refusing what the portal could not store."""
    try:
        year = int(data["fiscal_year"])
        spec = FrameworkSpec(
            fiscal_year=year,
            name=_text(data["name"]),
            source=_text(data.get("source")),
            state=data.get("state", Framework.State.PUBLISHED),
            provisional=bool(data.get("provisional", False)),
            provisional_source=_text(data.get("provisional_source")),
            pass_mark=_decimal(data.get("pass_mark", 85), "pass_mark"),
        )
        for tool in data["tools"]:
            code = str(tool["code"])
            spec.tools.append(
                ToolSpec(code, _text(tool["name"]), _decimal(tool["weight"], code), bool(tool.get("checklist")))
            )
            for indicator in tool.get("indicators", []):
                number = str(indicator["number"])
                spec.indicators.append(IndicatorSpec(number, _text(indicator["name"]), code))
                spec.indicators += [
                    IndicatorSpec(str(sub["number"]), _text(sub["name"]), code, number)
                    for sub in indicator.get("sub", [])
                ]
        tool_of = {indicator.number: indicator.tool for indicator in spec.indicators}
        for item in data.get("items") or []:
            code = str(item["code"])
            number = str(item["indicator"]) if item.get("indicator") is not None else None
            if number is not None and number not in tool_of:
                raise AssessmentError(
                    _("Item %(code)s names the indicator %(number)s, which the framework does not have.")
                    % {"code": code, "number": number}
                )
            spec.items.append(
                ItemSpec(
                    code=code,
                    text=_text(item["text"]),
                    tool=str(item.get("tool") or tool_of.get(number, "")),
                    indicator=number,
                    data_elements=_text(item.get("data_elements")),
                    provisional=bool(item.get("provisional", False)),
                    provisional_source=_text(item.get("provisional_source")),
                )
            )
            if "successor" in item:
                spec.successors[code] = None if item["successor"] is None else str(item["successor"])
        for level in data["levels"]:
            spec.levels.append(
                LevelSpec(
                    name=_text(level["name"]),
                    min_overall=_decimal(level.get("min_overall", 0), level["name"]),
                    min_each_tool=None
                    if level.get("min_each_tool") is None
                    else _decimal(level["min_each_tool"], level["name"]),
                    provisional=bool(level.get("provisional", False)),
                    provisional_source=_text(level.get("provisional_source")),
                )
            )
    except (KeyError, TypeError, ValueError) as error:
        raise AssessmentError(_("The framework data is incomplete or malformed: %(error)s") % {"error": error}) from None
    if spec.state not in Framework.State.values:
        raise AssessmentError(_("Unknown state %(state)s.") % {"state": spec.state})
    problems = structure_problems(spec)
    if problems:
        raise AssessmentError(" ".join(problems))
    return spec


def structure_problems(spec: FrameworkSpec) -> list[str]:
    """What would make the framework unusable: publishing refuses it, and so does loading a file."""
    problems = []
    if not spec.tools:
        problems.append(_("The framework has no tools."))
    total = sum((tool.weight for tool in spec.tools), Decimal(0))
    if spec.tools and total != HUNDRED:
        problems.append(_("The weights of the tools add up to %(total)s, not 100.") % {"total": plain(total)})
    for label, codes in (
        (_("tool codes"), [tool.code for tool in spec.tools]),
        (_("indicator numbers"), [indicator.number for indicator in spec.indicators]),
        (_("item codes"), [item.code for item in spec.items]),
    ):
        doubled = twice(codes)
        if doubled:
            problems.append(
                _("These %(what)s are used twice (capitals do not count): %(codes)s")
                % {"what": label, "codes": ", ".join(doubled)}
            )
    tools = {tool.code for tool in spec.tools}
    tool_of = {indicator.number: indicator.tool for indicator in spec.indicators}
    for item in spec.items:
        if item.tool not in tools:
            problems.append(_("Item %(code)s has no tool of this framework.") % {"code": item.code})
        elif item.indicator is not None and tool_of.get(item.indicator) != item.tool:
            problems.append(
                _("Item %(code)s is under indicator %(number)s, which belongs to another tool.")
                % {"code": item.code, "number": item.indicator}
            )
    return problems + level_problems(spec.levels)


def level_problems(levels: list[LevelSpec]) -> list[str]:
    problems = []
    if not levels:
        problems.append(_("The framework has no level rules."))
    elif levels[-1].min_overall != 0 or levels[-1].min_each_tool is not None:
        problems.append(
            _(
                "The last level rule must start at 0 with no minimum for each tool, so that every score "
                "gets a level."
            )
        )
    if any(not level.name for level in levels):
        problems.append(_("Every level needs a name."))
    names = twice([level.name for level in levels])
    if names:
        problems.append(_("These levels are named twice: %(names)s") % {"names": ", ".join(names)})
    return problems


def twice(values: list[str]) -> list[str]:
    seen, found = set(), []
    for value in values:
        key = value.lower()
        if key in seen and value not in found:
            found.append(value)
        seen.add(key)
    return found


def plain(value: Decimal) -> int | float:
    """A figure as YAML and messages write it: 30, not 30.00."""
    return int(value) if value == value.to_integral_value() else float(value)


def framework_spec(framework: Framework) -> FrameworkSpec:
    """The framework as it is stored, in the spec form (for comparisons and copies)."""
    tools = list(framework.tools.order_by("order"))
    codes = {tool.pk: tool.code for tool in tools}
    indicators = list(framework.indicators.order_by("order"))
    numbers = {indicator.pk: indicator.number for indicator in indicators}
    items = list(framework.items.order_by("order"))
    successions = {
        line.item_id: line.successor.code if line.successor else None
        for line in ItemSuccession.objects.filter(item__in=items).select_related("successor")
    }
    return FrameworkSpec(
        fiscal_year=framework.fiscal_year,
        name=framework.name,
        source=framework.source,
        state=framework.state,
        provisional=framework.provisional,
        provisional_source=framework.provisional_source,
        pass_mark=framework.pass_mark,
        tools=[ToolSpec(tool.code, tool.name, tool.weight, tool.checklist) for tool in tools],
        indicators=[
            IndicatorSpec(ind.number, ind.name, codes[ind.tool_id], numbers.get(ind.parent_id)) for ind in indicators
        ],
        items=[
            ItemSpec(
                code=item.code,
                text=item.text,
                tool=codes[item.tool_id],
                indicator=numbers.get(item.indicator_id),
                data_elements=item.data_elements,
                provisional=item.provisional,
                provisional_source=item.provisional_source,
            )
            for item in items
        ],
        levels=[
            LevelSpec(rule.name, rule.min_overall, rule.min_each_tool, rule.provisional, rule.provisional_source)
            for rule in framework.level_rules.order_by("order")
        ],
        successors={item.code: successions[item.pk] for item in items if item.pk in successions},
    )


def framework_data(framework: Framework) -> dict:
    """The export format, which the seed loader reads back unchanged."""
    spec = framework_spec(framework)
    data: dict = {"fiscal_year": spec.fiscal_year, "name": spec.name, "source": spec.source, "state": str(spec.state),
                  "provisional": spec.provisional}
    if spec.provisional_source:
        data["provisional_source"] = spec.provisional_source
    data["pass_mark"] = plain(spec.pass_mark)
    data["tools"] = []
    for tool in spec.tools:
        entry = {"code": tool.code, "name": tool.name, "weight": plain(tool.weight)}
        if tool.checklist:
            entry["checklist"] = True
        tops = []
        for indicator in spec.indicators:
            if indicator.tool != tool.code or indicator.parent:
                continue
            top = {"number": indicator.number, "name": indicator.name}
            subs = [
                {"number": sub.number, "name": sub.name} for sub in spec.indicators if sub.parent == indicator.number
            ]
            if subs:
                top["sub"] = subs
            tops.append(top)
        entry["indicators"] = tops
        data["tools"].append(entry)
    data["items"] = []
    tool_of = {indicator.number: indicator.tool for indicator in spec.indicators}
    for item in spec.items:
        entry = {"code": item.code}
        if item.indicator:
            entry["indicator"] = item.indicator
        if not item.indicator or tool_of[item.indicator] != item.tool:
            entry["tool"] = item.tool
        entry["text"] = item.text
        if item.data_elements:
            entry["data_elements"] = item.data_elements
        if item.provisional:
            entry["provisional"] = True
        if item.provisional_source:
            entry["provisional_source"] = item.provisional_source
        if item.code in spec.successors:
            entry["successor"] = spec.successors[item.code]
        data["items"].append(entry)
    data["levels"] = []
    for level in spec.levels:
        entry = {"name": level.name, "min_overall": plain(level.min_overall)}
        if level.min_each_tool is not None:
            entry["min_each_tool"] = plain(level.min_each_tool)
        if level.provisional:
            entry["provisional"] = True
        if level.provisional_source:
            entry["provisional_source"] = level.provisional_source
        data["levels"].append(entry)
    return data


class _Dumper(yaml.SafeDumper):
    """The layout of the hand-written seed files: lists indented under their key, multi-line texts (the
    required data elements) as literal blocks and long ones folded, so that a diff reads line by line."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else ">" if len(value) > 80 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def framework_yaml(framework: Framework) -> str:
    return yaml.dump(framework_data(framework), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


