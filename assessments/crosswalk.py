"""Suggestions for the crosswalk between two consecutive fiscal years, from the items' texts.

Thai has no spaces between words, so texts are compared as sets of words cut by pythainlp's
dictionary tokenizer, with the Jaccard index (shared words over all words). A suggestion is only
pre-filled when the text makes it likely: the same text, or a text close enough; the code alone
says little, since the NACC renumbers its items every year (o42 in one manual is o35 in another).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pythainlp.tokenize import word_tokenize

from itaportal.thai import to_arabic_digits

from .models import Framework, Item, ItemSuccession

# Pre-filled at or above this; a candidate with the same code needs less.
LIKELY = 0.5
LIKELY_SAME_CODE = 0.3
SHOWN = 3
# Words that join others and carry no meaning of their own in an item's title.
FUNCTION_WORDS = frozenset({"การ", "และ", "ของ", "ใน", "หรือ", "ที่", "ให้", "ตาม", "เพื่อ", "ๆ", "ต่างๆ", "เกี่ยวกับ"})
_JOINED_LATIN = re.compile(r"(?<=[a-z])[-–—‐‑](?=[a-z])")
_PUNCTUATION = re.compile(r"[()\[\]{}\"'“”‘’,.:;/\\|!?&…–—‐‑\-_*+=<>#]")


@lru_cache(maxsize=4096)
def tokens(text: str) -> frozenset[str]:
    """The words of a text, as compared: Arabic digits, lower case, "E-Service" as one word."""
    text = _JOINED_LATIN.sub("", to_arabic_digits(text).lower())
    text = _PUNCTUATION.sub(" ", text)
    words = word_tokenize(text, engine="newmm", keep_whitespace=False)
    return frozenset(word for word in words if word.strip() and word not in FUNCTION_WORDS)


def similarity(a: str, b: str) -> float:
    left, right = tokens(a), tokens(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


@dataclass
class Candidate:
    item: Item
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class Line:
    """One item of year N on the crosswalk page: what is decided, and what the texts suggest."""

    item: Item
    line: ItemSuccession | None
    candidates: list[Candidate] = field(default_factory=list)
    proposed: Item | None = None
    reason: str = ""  # "same_text", "similar_text", "same_code"

    @property
    def decided(self) -> bool:
        return self.line is not None


def _propose(item: Item, candidates: list[Candidate]) -> tuple[Item | None, str]:
    if not candidates:
        return None, ""
    best = candidates[0]
    if tokens(best.item.text) == tokens(item.text):
        return best.item, "same_text"
    if best.score >= LIKELY:
        return best.item, "similar_text"
    same_code = next((c for c in candidates if c.item.code.lower() == item.code.lower()), None)
    if same_code and same_code.score >= LIKELY_SAME_CODE:
        return same_code.item, "same_code"
    return None, ""


def crosswalk_lines(framework: Framework, following: Framework) -> list[Line]:
    """Every item of `framework` with its decided line and its best candidates in `following` (the next
    year), compared within the same tool (the tools' codes stay IIT, EIT, OIT from year to year)."""
    items = list(framework.items.select_related("tool").order_by("order"))
    targets = list(following.items.select_related("tool").order_by("order"))
    lines = {line.item_id: line for line in ItemSuccession.objects.filter(item__in=items).select_related("successor")}
    by_tool: dict[str, list[Item]] = {}
    for target in targets:
        by_tool.setdefault(target.tool.code, []).append(target)
    result = []
    for item in items:
        pool = by_tool.get(item.tool.code, targets)
        scored = [Candidate(target, similarity(item.text, target.text)) for target in pool]
        # Best score first; on a tie the same code, then the list's order.
        scored.sort(key=lambda c: (-c.score, c.item.code.lower() != item.code.lower(), c.item.order))
        candidates = [c for c in scored if c.score > 0][:SHOWN]
        proposed, reason = _propose(item, candidates)
        result.append(Line(item, lines.get(item.pk), candidates, proposed, reason))
    return result


def new_items(following: Framework) -> list[Item]:
    """The items of the next year that no item of the year before leads to."""
    return list(
        following.items.filter(predecessions__isnull=True).select_related("tool").order_by("order")
    )
