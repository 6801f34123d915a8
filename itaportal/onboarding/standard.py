"""The standard departments, positions and approval chain of each kind of office (standard.yaml)."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

STANDARD_FILE = Path(__file__).with_name("standard.yaml")


@dataclass(frozen=True)
class StandardDepartment:
    name: str
    abbreviation: str = ""


@dataclass(frozen=True)
class StandardPosition:
    title: str
    department: str | None = None
    qualified: bool = False


@dataclass(frozen=True)
class Standard:
    departments: tuple[StandardDepartment, ...]
    positions: tuple[StandardPosition, ...]
    chain: tuple[str, ...]  # position titles, first reader first


@cache
def standards() -> dict[str, Standard]:
    with STANDARD_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {
        kind: Standard(
            departments=tuple(StandardDepartment(**d) for d in table["departments"]),
            positions=tuple(StandardPosition(**p) for p in table["positions"]),
            chain=tuple(table["chain"]),
        )
        for kind, table in data.items()
    }


def standard_of(kind: str) -> Standard:
    return standards()[kind]
