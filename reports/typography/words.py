"""The words a line must not break inside: pythainlp's dictionary, the portal's domain terms and the
names of the people, places and offices in the database, each name one word."""

import math
import re
from collections.abc import Iterable
from functools import cached_property, lru_cache

from pythainlp.corpus import thai_words as thai_words_corpus
from pythainlp.corpus.tnc import word_freqs
from pythainlp.tokenize import word_tokenize
from pythainlp.util import dict_trie

from itaportal.thai import DOMAIN_WORDS

THAI = re.compile(r"[\u0e01-\u0e4e]")
# How often a word the portal adds (a domain term, a name) is taken to occur in the Thai National
# Corpus: as often as a common word, so that it reads as one word rather than as its parts.
ADDED_WORD_COUNT = 5000
# A dictionary word the corpus never counts (often a compound of words it does count: เจ้าหน้าที่ของรัฐ)
# reads as rarer than any it counts; a character outside any word costs more than any word.
UNCOUNTED = 0.1
UNKNOWN_CHARACTER = -14.0


@lru_cache(maxsize=1)
def _corpus_counts() -> tuple[dict[str, int], int]:
    counts = dict(word_freqs())
    return counts, sum(counts.values())


class Vocabulary:
    """`words`: names and terms to add, each kept as one word (a name of several words adds each part
    as well). `break_before`: the tails at which a long compound may break in a narrow cell, as the
    documents allow (reports.documents.CELL_BREAKS: องค์การบริหาร | ส่วนตำบล)."""

    def __init__(self, words: Iterable[str] = (), break_before: Iterable[str] = ()):
        extra = set()
        for word in words:
            word = (word or "").strip()
            if not word or not THAI.search(word):
                continue
            parts = word.split()
            extra.update(parts)
            if len(parts) == 1:
                extra.add(word)
        self.extra = frozenset(extra)
        self.break_before = tuple(sorted(set(break_before), key=len, reverse=True))

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(thai_words_corpus()) | DOMAIN_WORDS | self.extra | set(self.break_before)

    @cached_property
    def trie(self):
        return dict_trie(self.words)

    @cached_property
    def _log_probabilities(self) -> dict[str, float]:
        counts, total = _corpus_counts()
        added = self.extra | DOMAIN_WORDS | set(self.break_before)
        return {
            word: math.log((ADDED_WORD_COUNT if word in added else counts.get(word, UNCOUNTED)) / total)
            for word in self.words
        }

    def best_reading(self, text: str) -> tuple[float, list[str]]:
        """The likeliest reading of `text` as a sequence of words (a unigram model over the Thai National
        Corpus's counts, pythainlp's dictionary and the added words): its log-probability and its words."""
        log_p = self._log_probabilities
        best: list[tuple[float, int]] = [(0.0, 0)] + [(-math.inf, 0)] * len(text)
        for start in range(len(text)):
            score = best[start][0]
            if score == -math.inf:
                continue
            for word in self.trie.prefixes(text[start:]):
                end = start + len(word)
                if score + log_p[word] > best[end][0]:
                    best[end] = (score + log_p[word], start)
            if score + UNKNOWN_CHARACTER > best[start + 1][0]:
                best[start + 1] = (score + UNKNOWN_CHARACTER, start)
        words, end = [], len(text)
        while end > 0:
            start = best[end][1]
            words.append(text[start:end])
            end = start
        return best[len(text)][0], words[::-1]

    def tokens(self, text: str) -> list[str]:
        if not text:
            return []
        return word_tokenize(text, custom_dict=self.trie, engine="newmm", keep_whitespace=True)

    def first_word(self, text: str) -> str:
        return next((t for t in self.tokens(text.lstrip()[:40]) if t.strip()), "")

    def last_word(self, text: str) -> str:
        return next((t for t in reversed(self.tokens(text.rstrip()[-40:])) if t.strip()), "")

    def may_break_before(self, word: str, offset: int) -> bool:
        """A compound may break where one of the allowed tails starts (องค์การบริหาร|ส่วนตำบล)."""
        return any(word.startswith(tail, offset) for tail in self.break_before)
