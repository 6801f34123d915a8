"""Known false positives, each listed with the reason it is one (allowed.yaml): never a rule turned
off, never a pattern that hides a whole class of findings."""

from dataclasses import dataclass
from pathlib import Path

import yaml

from .lines import Finding

ALLOWED_FILE = Path(__file__).with_name("allowed.yaml")


class AllowListError(ValueError):
    pass


@dataclass(frozen=True)
class Allowed:
    rule: str
    text: str  # a part of the finding's excerpt, exact
    reason: str
    source: str = ""  # a part of the document's name or the URL; blank: anywhere

    def matches(self, finding: Finding) -> bool:
        return finding.rule == self.rule and self.text in finding.text and self.source in finding.source


def load(path: Path = ALLOWED_FILE, rules: tuple[str, ...] = ()) -> list[Allowed]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    allowed = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or set(entry) - {"rule", "text", "reason", "source"}:
            raise AllowListError(f"{path.name} entry {number}: expected rule, text, reason (and source)")
        rule, text, reason = (str(entry.get(key) or "").strip() for key in ("rule", "text", "reason"))
        if rules and rule not in rules:
            raise AllowListError(f"{path.name} entry {number}: no rule {rule!r}")
        # A short text would match findings nobody looked at.
        if len(text) < 3 or not reason:
            raise AllowListError(f"{path.name} entry {number}: a text of 3 characters or more and a reason")
        allowed.append(Allowed(rule, text, reason, str(entry.get("source") or "")))
    return allowed


def split(findings: list[Finding], allowed: list[Allowed]) \
        -> tuple[list[Finding], list[tuple[Finding, Allowed]]]:
    """The findings that stand, and those a listed false positive explains."""
    standing, explained = [], []
    for finding in findings:
        entry = next((a for a in allowed if a.matches(finding)), None)
        if entry is None:
            standing.append(finding)
        else:
            explained.append((finding, entry))
    return standing, explained
