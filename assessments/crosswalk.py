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
# Below this two texts share a word or two of form ("รายงาน", "การ…"), not a meaning.
SHOWN_FROM = 0.1
PLACE_WEIGHT = 0.2
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


@lru_cache(maxsize=4096)
def _pairs(text: str) -> frozenset[str]:
    """Pairs of neighbouring letters of the words, which agree however the tokenizer cut a compound
    (it reads ดำเนินงานประจำปี as ดำเนิน + งานประจำปี in one text and ดำเนินงาน + ประจำปี in another)."""
    joined = " ".join(sorted(tokens(text)))
    return frozenset(joined[i:i + 2] for i in range(len(joined) - 1) if " " not in joined[i:i + 2])


def _jaccard(left: frozenset, right: frozenset) -> float:
    return len(left & right) / len(left | right) if left and right else 0.0


def similarity(a: str, b: str) -> float:
    """From 0 to 1: the mean of the Jaccard index of the words and that of the letter pairs (the words
    alone for texts too short to have pairs, such as "Q & A")."""
    words = _jaccard(tokens(a), tokens(b))
    if not _pairs(a) or not _pairs(b):
        return words
    return (words + _jaccard(_pairs(a), _pairs(b))) / 2


@dataclass
class Candidate:
    item: Item
    score: float
    # The score plus a little for the same place in the list: between two texts that agree as much, the
    # item that kept its place is the likelier successor (lists change by insertions, not shuffles).
    rank: float = 0.0

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
    same = next((c for c in candidates if tokens(c.item.text) == tokens(item.text)), None)
    if same is not None:
        return same.item, "same_text"
    best = candidates[0]
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
    place = {target.pk: index / max(len(targets) - 1, 1) for index, target in enumerate(targets)}
    result = []
    for index, item in enumerate(items):
        here = index / max(len(items) - 1, 1)
        pool = by_tool.get(item.tool.code, targets)
        scored = []
        for target in pool:
            score = similarity(item.text, target.text)
            scored.append(Candidate(target, score, score + PLACE_WEIGHT * (1 - abs(here - place[target.pk]))))
        # Best first; on a tie the same code, then the list's order.
        scored.sort(key=lambda c: (-c.rank, c.item.code.lower() != item.code.lower(), c.item.order))
        candidates = [c for c in scored if c.score >= SHOWN_FROM][:SHOWN]
        proposed, reason = _propose(item, candidates)
        result.append(Line(item, lines.get(item.pk), candidates, proposed, reason))
    return result


def new_items(following: Framework) -> list[Item]:
    """The items of the next year that no item of the year before leads to."""
    return list(
        following.items.filter(predecessions__isnull=True).select_related("tool").order_by("order")
    )
