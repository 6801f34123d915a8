"""The hashed lock files that scripts/dev.sh installs from must say what pyproject.toml asks for:
a dependency added or tightened without running scripts/lock.sh fails here, not on a newcomer's machine."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)")
# Releases with published advisories that the lower bounds must keep out.
ADVISORY_FLOORS = {"django": Version("5.2.19"), "weasyprint": Version("70")}


def locked(name: str) -> dict[str, tuple[Version, str]]:
    """Package -> (pinned version, the requirement's whole entry) of requirements/<name>.txt."""
    entries = re.split(r"\n(?=\S)", (ROOT / "requirements" / f"{name}.txt").read_text())
    pins = {}
    for entry in entries:
        match = PIN.match(entry)
        if match:
            package = canonicalize_name(match.group(1).split("[")[0])
            pins[package] = (Version(match.group(2)), entry)
    return pins


def wanted(extra: str) -> list[Requirement]:
    requirements = [Requirement(r) for r in PYPROJECT["dependencies"]]
    if extra != "app":
        requirements += [Requirement(r) for r in PYPROJECT["optional-dependencies"][extra]]
    return requirements


@pytest.mark.parametrize("extra", ["app", "test", "bench"])
def test_every_declared_dependency_is_locked_within_its_range_with_hashes(extra):
    pins = locked(extra)
    for requirement in wanted(extra):
        package = canonicalize_name(requirement.name)
        assert package in pins, f"{requirement.name} is not in requirements/{extra}.txt: run scripts/lock.sh"
        version, entry = pins[package]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements/{extra}.txt pins {requirement.name}=={version}, outside {requirement.specifier}"
        )
    unhashed = [package for package, (_, entry) in pins.items() if "--hash=sha256:" not in entry]
    assert not unhashed, f"requirements/{extra}.txt has entries without hashes: {unhashed}"


@pytest.mark.parametrize("extra", ["app", "test", "bench"])
def test_lower_bounds_keep_releases_with_advisories_out(extra):
    declared = {canonicalize_name(r.name): r.specifier for r in wanted(extra)}
    pins = locked(extra)
    for package, floor in ADVISORY_FLOORS.items():
        below = Version(f"{floor.major}.{floor.minor}.{max(floor.micro - 1, 0)}") if floor.micro else Version(
            f"{floor.major - 1}"
        )
        assert not declared[package].contains(below), f"pyproject.toml still admits {package} {below}"
        assert pins[package][0] >= floor
