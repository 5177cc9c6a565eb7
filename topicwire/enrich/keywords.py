"""Keyword evidence for topics. Every keyword of every topic goes into one
index keyed by its first word, and a text is scanned once, word by word:
at each word only the keywords starting with it are tried, so the cost
grows with the text, not with the size of the taxonomy (a single regex of
six hundred alternatives tries them all at every character, and took
half a second per article).

Case: a word written in capitals only ("AI", "GPU", "SOC") is an acronym
and must appear in capitals, otherwise "said" would be about AI and every
"soc"ial page about security operations. Every other word matches in any
case, mixed-case product names ("SageMaker") included, because publishers
write them both ways. Matching whole words is what keeps "AI" out of
"said", "Thai", "maid" and "Dubai".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from topicwire.model import Article
from topicwire.taxonomy import Taxonomy

# where a hit is found says how central the keyword is to the article
FIELD_WEIGHTS = {"title": 3.0, "excerpt": 2.0, "body": 1.0}
# a keyword said again adds a little; a different keyword adds a lot, so a
# market-research page repeating one phrase forty times stays bounded
REPEAT_BONUS = 0.25
MAX_REPEATS_COUNTED = 4
PLURAL_ENDINGS = ("s", "es")

# words are runs of letters and digits; any other visible character but
# the hyphen is a token of its own, so "re:Invent" and "watsonx.ai" are
# sequences too; hyphens only ever separate words
_TOKEN_RE = re.compile(r"[^\W_]+|[^\w\s\-]")
# between two words of a keyword, a space or a hyphen in the keyword
# accepts any run of spaces and hyphens in the text ("self-driving",
# "self driving", "self -\ndriving")
_LOOSE_GAP_RE = re.compile(r"[\s\-]+")


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.isalnum()


@dataclass(frozen=True)
class _Word:
    text: str
    exact: bool  # an acronym: compared as written
    loose_before: bool  # separated from the previous word by space/hyphen

    def key(self) -> str:
        return self.text if self.exact else self.text.casefold()

    def matches(self, token: str, plural: bool) -> bool:
        forms = [token]
        if plural:
            forms += [token[: -len(e)] for e in PLURAL_ENDINGS if token.endswith(e) and len(token) > len(e)]
        if self.exact:
            return self.text in forms
        folded = self.text.casefold()
        return any(f.casefold() == folded for f in forms)


@dataclass(frozen=True)
class _Keyword:
    spelled: str
    words: tuple[_Word, ...]
    topics: tuple[str, ...]

    @property
    def plural(self) -> bool:
        return self.words[-1].text[-1:].isalpha()


def _split(keyword: str) -> tuple[_Word, ...]:
    words = []
    end = 0
    for match in _TOKEN_RE.finditer(keyword):
        gap = keyword[end:match.start()]
        text = match.group()
        loose = bool(words) and bool(_LOOSE_GAP_RE.fullmatch(gap))
        words.append(_Word(text, _is_acronym(text), loose))
        end = match.end()
    return tuple(words)


@dataclass(frozen=True)
class KeywordHit:
    topic: str
    keyword: str
    field: str


class KeywordMatcher:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        owners: dict[tuple, set[str]] = defaultdict(set)
        spelled: dict[tuple, str] = {}
        for topic in taxonomy.topics:
            for keyword in [topic.name, *topic.keywords]:
                words = _split(keyword)
                if not words:
                    continue
                owners[words].add(topic.name)
                spelled.setdefault(words, keyword)
        self._index: dict[str, list[_Keyword]] = defaultdict(list)
        for words, topics in owners.items():
            self._index[words[0].key()].append(_Keyword(spelled[words], words, tuple(sorted(topics))))
        # longest first, so "self-driving car" wins over "self-driving"
        # and "EU AI Act" over "AI" at the same place
        for entries in self._index.values():
            entries.sort(key=lambda k: (-len(k.words), -len(k.spelled), k.spelled))

    def _candidates(self, token: str) -> list[_Keyword]:
        keys = {token, token.casefold()}
        for ending in PLURAL_ENDINGS:
            if token.endswith(ending) and len(token) > len(ending):
                stem = token[: -len(ending)]
                keys |= {stem, stem.casefold()}
        found: list[_Keyword] = []
        for key in keys:
            found.extend(self._index.get(key, ()))
        return sorted(found, key=lambda k: (-len(k.words), -len(k.spelled), k.spelled))

    def hits(self, text: str, field: str = "body") -> list[KeywordHit]:
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text or "")]
        out: list[KeywordHit] = []
        i = 0
        while i < len(tokens):
            found = next((k for k in self._candidates(tokens[i][0]) if self._matches_at(k, tokens, i, text)), None)
            if found is None:
                i += 1
                continue
            out.extend(KeywordHit(topic, found.spelled, field) for topic in found.topics)
            i += len(found.words)
        return out

    @staticmethod
    def _matches_at(keyword: _Keyword, tokens: list[tuple[str, int, int]], start: int, text: str) -> bool:
        if start + len(keyword.words) > len(tokens):
            return False
        last = len(keyword.words) - 1
        for offset, word in enumerate(keyword.words):
            token, begin, _ = tokens[start + offset]
            if not word.matches(token, plural=offset == last and keyword.plural):
                return False
            if offset:
                gap = text[tokens[start + offset - 1][2]:begin]
                if word.loose_before:
                    if not _LOOSE_GAP_RE.fullmatch(gap):
                        return False
                elif gap:
                    return False
        return True

    def score_fields(self, fields: dict[str, str]) -> dict[str, float]:
        """``{topic name: score}`` for texts keyed by field name (title,
        excerpt, body); topics without a hit are left out."""
        best: dict[tuple[str, str], float] = {}
        count: dict[tuple[str, str], int] = defaultdict(int)
        for field, text in fields.items():
            weight = FIELD_WEIGHTS.get(field, 1.0)
            for hit in self.hits(text, field):
                key = (hit.topic, hit.keyword.casefold())
                best[key] = max(best.get(key, 0.0), weight)
                count[key] += 1
        scores: dict[str, float] = defaultdict(float)
        for key, weight in best.items():
            repeats = min(count[key] - 1, MAX_REPEATS_COUNTED)
            scores[key[0]] += weight + REPEAT_BONUS * repeats
        return dict(scores)

    def score(self, article: Article) -> dict[str, float]:
        return self.score_fields(article_fields(article))

    def score_text(self, text: str) -> dict[str, float]:
        return self.score_fields({"body": text})


def article_fields(article: Article) -> dict[str, str]:
    return {"title": article.title, "excerpt": article.excerpt or "", "body": article.content or ""}
