"""What a story is recognised by: the words of an article's headline and
lead, plus its names and figures, as weighted terms for TF-IDF.

Names stand in for named-entity recognition: a capitalised word or run of
words that does not open a sentence is almost always a company, person,
place or product, and two pieces about the same event share them even when
every other word differs. Figures with units ("$1.9B", "192GB", "18%")
pin an event down the same way.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from topicwire.enrich.text import fold
from topicwire.model import Article

# the lead is where a news piece says what happened; later paragraphs drift
# into background that related but different stories share
LEAD_WORDS = 90
_TITLE_WEIGHT = 2.0
_NAME_WEIGHT = 1.5

_WORD_RE = re.compile(r"[^\W\d_][\w'\-]*", re.UNICODE)
_SENTENCE_RE = re.compile(r"(?<=[.!?:;\"\u201d])\s+|\n+")
_NAME_RE = re.compile(r"\b(?:[A-Z][\w\-']*|[A-Z]{2,}\w*)(?:\s+(?:[A-Z][\w\-']*|[A-Z]{2,}\w*))*")
_FIGURE_RE = re.compile(
    r"(?:[$€£]\s?\d[\d,.]*\s?(?:[mbk]n?|million|billion|trillion)?|\d[\d,.]*\s?(?:%|percent|[a-z]{1,3}b\b|gb|tb|mw|gw|km|kg|nm|x\b))",
    re.IGNORECASE,
)
_POSSESSIVE_RE = re.compile(r"'s$")
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only
    or other our out over own said same says she should so some such than that the their them then there these they
    this those through to too under until up very was we were what when where which while who whom why will with
    would you your new year years one two three first last next week day today yesterday tomorrow monday tuesday
    wednesday thursday friday saturday sunday according told company companies
    der die das und ist ein eine einen dem den des mit von im zu für auf nicht sich bei als auch es an aus nach wie
    sie er wird werden hat haben noch nur um am vor über""".split()
)


def lead(article: Article) -> str:
    text = article.content or ""
    taken: list[str] = []
    count = 0
    for paragraph in text.split("\n\n"):
        taken.append(paragraph)
        count += len(paragraph.split())
        if count >= LEAD_WORDS:
            break
    return " ".join(" ".join(taken).split()[:LEAD_WORDS])


def _plain_words(text: str) -> list[str]:
    return [w for w in (m.strip("'-") for m in _WORD_RE.findall(fold(text))) if len(w) > 1 and w not in _STOPWORDS]


def names(text: str) -> list[str]:
    """Capitalised words and runs that do not merely open a sentence, folded,
    a run as one term. Its words count as plain words too, which is how
    "Kestrel Silicon" still meets a later bare "Kestrel"; counting them
    again as names would let one shared company outweigh the event."""
    found: list[str] = []
    for sentence in _SENTENCE_RE.split(text):
        sentence = sentence.strip()
        for match in _NAME_RE.finditer(sentence):
            parts = match.group(0).split()
            if match.start() == 0 and len(parts) == 1:
                continue  # a lone capital at a sentence's start says nothing
            parts = [p for p in (_POSSESSIVE_RE.sub("", fold(p)).strip("'-") for p in parts) if p]
            parts = [p for p in parts if p not in _STOPWORDS]
            if not parts:
                continue
            found.append("=" + "_".join(parts))
    return found


def figures(text: str) -> list[str]:
    return ["#" + re.sub(r"[\s,]", "", m.group(0).lower()) for m in _FIGURE_RE.finditer(text)]


def term_counts(article: Article) -> Counter[str]:
    """Weighted term frequencies of the headline, lead and excerpt, with names
    and figures as terms of their own."""
    body = " ".join(p for p in (article.excerpt or "", lead(article)) if p)
    counts: Counter[str] = Counter()
    for word in _plain_words(article.title):
        counts[word] += _TITLE_WEIGHT
    for word in _plain_words(body):
        counts[word] += 1.0
    for term in names(article.title) + figures(article.title):
        counts[term] += _NAME_WEIGHT * _TITLE_WEIGHT
    for term in names(body) + figures(body):
        counts[term] += _NAME_WEIGHT
    return counts


def sublinear(counts: Counter[str]) -> dict[str, float]:
    return {t: 1.0 + math.log(c) if c >= 1 else c for t, c in counts.items()}
