"""Who an article is about: the registry's organizations and people found in
its title, excerpt and body, and names that look like organizations the
registry lacks (proposed for review, never added by themselves).

Matching. Texts and names are cut into the same tokens (letters and digits,
with inner ``.``, apostrophes, ``&`` and ``+`` kept: "Character.AI", "AT&T";
a possessive "'s" dropped: "Nvidia's" is "Nvidia"; hyphens split, so
"Nvidia-backed" holds "Nvidia"). Every name becomes a path in a trie of
case-folded tokens, and one pass over the text follows the trie from each
token, taking the longest name that matches there. The cost is the number
of tokens times the length of the longest name in tokens, whatever the size
of the registry.

Case. A name of several tokens matches in any case ("open ai" aside, news
writes names as names). A one-token name must be written as a name: with a
capital first letter ("Nvidia", "NVIDIA"), or exactly as listed when the
listed form has capitals inside or digits ("xAI", "iPhone", "C3.ai").

Ambiguity. An organization listed with ``context`` words has a name that is
also an everyday word or another thing's name ("Apple", "Amazon", "Meta").
Its one-token names count only in an article that also holds one of the
context words, or one of its longer names ("Apple Inc"): "Apple harvest
falls" is about fruit, "Apple ships a new iPhone" is not. A former name
(one with dates) is exempt: in its time it named the company alone.

Exclusions. Phrases an entity lists under ``exclude`` ("MIT License",
"Fortune 500") are names of nobody: matched as the longer name there, they
keep the short one from counting.

Parents. A unit named unambiguously vouches for its parent's short name:
"Meta AI" in an article makes its "Meta" the company.

Time. A name listed with ``since``/``until`` counts only in articles
published in that span: "Facebook" is Meta until the rename, then the app.

Weight. A mention in the title counts 3, in the excerpt 2, in the body 1;
an article's entities are ordered by that weight.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from topicwire.model import Article
from topicwire.organizations import Alias
from topicwire.registry import Entity, Registry

PLACES = ("title", "excerpt", "body")
PLACE_WEIGHTS = {"title": 3.0, "excerpt": 2.0, "body": 1.0}
_TOKEN_RE = re.compile(r"[^\W_]+(?:[.'’&+][^\W_]+)*")
_POSSESSIVE = ("'s", "’s", "'S", "’S")


def tokens(text: str) -> list[str]:
    found = []
    for token in _TOKEN_RE.findall(text):
        if token.endswith(_POSSESSIVE) and len(token) > 2:
            token = token[:-2]
        found.append(token)
    return found


@dataclass(frozen=True)
class _Name:
    entity_id: str | None  # None: an excluded phrase, naming nobody
    form: tuple[str, ...]  # the name's tokens as listed
    alias: Alias
    needs_context: bool  # a one-token name of an ambiguous entity

    def written_as_name(self, seen: list[str]) -> bool:
        if len(self.form) > 1:
            return True
        listed, token = self.form[0], seen[0]
        if any(c.isupper() for c in listed[1:]) or any(c.isdigit() for c in listed):
            return token == listed or token.isupper() and token.casefold() == listed.casefold()
        return token[:1].isupper()


@dataclass
class Mention:
    """One entity in one article: how often in each place."""

    entity_id: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def mentions(self) -> int:
        return sum(self.counts.values())

    @property
    def weight(self) -> float:
        return sum(PLACE_WEIGHTS[place] * n for place, n in self.counts.items())

    @property
    def places(self) -> list[str]:
        return [p for p in PLACES if self.counts[p]]


class EntityMatcher:
    """Finds a registry's entities in texts (see the module's notes)."""

    def __init__(self, registry: Registry | Iterable[Entity]):
        self._trie: dict = {}  # type: ignore[type-arg]
        self._context: dict[str, list[tuple[str, ...]]] = {}
        self._parent: dict[str, str] = {}
        self.longest = 1
        for entity in registry:
            if entity.parent:
                self._parent[entity.id] = entity.parent
            for phrase in entity.exclude:
                self._add(tuple(tokens(phrase)), _Name(None, tuple(tokens(phrase)), Alias(phrase), False))
            names = [Alias(entity.name), *entity.aliases]
            ambiguous = bool(entity.context)
            if ambiguous:
                self._context[entity.id] = [tuple(t.casefold() for t in tokens(c)) for c in entity.context]
            for alias in names:
                form = tuple(tokens(alias.name))
                if not form:
                    continue
                former = alias.since is not None or alias.until is not None
                self._add(form, _Name(entity.id, form, alias, ambiguous and len(form) == 1 and not former))

    def _add(self, form: tuple[str, ...], name: _Name) -> None:
        if not form:
            return
        node = self._trie
        for token in form:
            node = node.setdefault(token.casefold(), {})
        node.setdefault(None, []).append(name)
        self.longest = max(self.longest, len(form))

    def _scan(self, words: list[str], day: date | None) -> list[_Name]:
        folded = [w.casefold() for w in words]
        found: list[_Name] = []
        i = 0
        while i < len(words):
            node, best, best_len = self._trie, None, 0
            for j in range(i, min(len(words), i + self.longest)):
                node = node.get(folded[j])
                if node is None:
                    break
                names = [n for n in node.get(None, ()) if n.alias.holds_on(day) and n.written_as_name(words[i : j + 1])]
                if names:
                    best, best_len = names, j - i + 1
            if best:
                found.extend(best)
                i += best_len
            else:
                i += 1
        return found

    def _has_context(self, entity_id: str, folded: list[str]) -> bool:
        for phrase in self._context.get(entity_id, ()):
            n = len(phrase)
            if any(tuple(folded[k : k + n]) == phrase for k in range(len(folded) - n + 1)):
                return True
        return False

    def find(self, title: str, excerpt: str | None = None, body: str | None = None, *,
             day: date | None = None, publisher: str | None = None) -> list[Mention]:
        """The entities in an article, heaviest first (then by id);
        ``publisher``, the id of the article's own provider, is left out: a
        byline or a copyright line is not what the article is about."""
        texts = {"title": title or "", "excerpt": excerpt or "", "body": body or ""}
        hits: dict[str, list[_Name]] = {place: self._scan(tokens(text), day) for place, text in texts.items()}
        every = [n for names in hits.values() for n in names if n.entity_id is not None]
        sure = {n.entity_id for n in every if not n.needs_context}
        sure |= {self._parent[e] for e in sure if e in self._parent}
        folded: list[str] | None = None
        mentions: dict[str, Mention] = {}
        for place, names in hits.items():
            for name in names:
                if name.entity_id is None:
                    continue
                if name.needs_context and name.entity_id not in sure:
                    if folded is None:
                        folded = [w.casefold() for text in texts.values() for w in tokens(text)]
                    if not self._has_context(name.entity_id, folded):
                        continue
                if name.entity_id != publisher:
                    mentions.setdefault(name.entity_id, Mention(name.entity_id)).counts[place] += 1
        return sorted(mentions.values(), key=lambda m: (-m.weight, m.entity_id))


def article_entities(matcher: EntityMatcher, registry: Registry, article: Article) -> list[Mention]:
    """The entities an article names, read as of its publication day, its
    own publisher left out."""
    day = article.published_date_time.date() if article.published_date_time else None
    provider = article.provider
    own = registry.organizations.by_domain(provider.domain) if provider is not None and provider.domain else None
    return matcher.find(article.title, article.excerpt, article.content, day=day, publisher=own.id if own else None)


# -- names the registry lacks ------------------------------------------------------------

# words that, right after a run of capitalised words, make it an organization's name
_ORG_SUFFIXES = {"inc", "corp", "corporation", "ltd", "llc", "gmbh", "plc", "labs", "lab", "ai", "robotics",
                 "technologies", "systems", "semiconductor", "dynamics", "therapeutics", "analytics", "group"}
# words that, before "AI", make a phrase ("Generative AI"), not a name
_NOT_NAMES = {"generative", "every", "responsible", "open", "applied", "conversational", "agentic", "physical",
              "enterprise", "edge", "cloud", "ethical", "trustworthy", "explainable", "sovereign", "frontier", "narrow",
              "general", "artificial", "human", "embodied", "predictive", "shadow", "medical", "clinical", "industrial"}
# words that, right before a run of capitalised words, say what follows is an organization
_ORG_CUES = {"startup", "start-up", "firm", "company", "chipmaker", "lab", "rival", "unicorn", "maker"}
_STOP = {"The", "A", "An", "This", "That", "In", "On", "At", "For", "And", "But", "Its", "Their", "Our", "As", "By",
         "With", "From", "To", "Of", "It", "He", "She", "They", "We", "I", "If", "When", "While", "After", "Before",
         "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
# a name does not run across punctuation (a full stop inside "Character.AI" is not followed by a space)
_CLAUSES = re.compile(r"[,;:!?()\[\]\"“”]|\.(?:\s|$)")


def propose_names(text: str, known: EntityMatcher) -> Counter[str]:
    """Names in ``text`` that look like organizations and that ``known``
    does not find: a run of capitalised words ending in an organization
    suffix ("Vireo Labs", "Quanta Robotics Inc") or following a cue word
    ("startup Lumenfold", "chipmaker Tessel"). A heuristic chosen over a
    statistical tagger because none ships inside a package here, and
    because it only proposes: what it finds goes to a review list for a
    person to accept into the registry or dismiss."""
    found: Counter[str] = Counter()
    for clause in _CLAUSES.split(text):
        _propose_in(tokens(clause), known, found)
    return found


def _propose_in(words: list[str], known: EntityMatcher, found: Counter[str]) -> None:
    i = 0
    while i < len(words):
        if not _capitalised(words[i]):
            i += 1
            continue
        j = i
        while j < len(words) and _capitalised(words[j]) and j - i < 5:
            j += 1
        run = words[i:j]
        while run and run[0] in _STOP:
            run = run[1:]
        cue = i > 0 and words[i - 1].lower() in _ORG_CUES
        suffix = len(run) >= 2 and run[-1].lower() in _ORG_SUFFIXES
        if suffix and run[-1].lower() == "ai":
            # "AI" ends a brand ("Sumwise AI") or a phrase ("Generative AI",
            # "Middle East Africa AI"): a brand here is one word and "AI"
            suffix = len(run) == 2 and run[0].lower() not in _NOT_NAMES
        if run and (suffix or cue) and not known.find(" ".join(run)):
            found[" ".join(run)] += 1
        i = max(j, i + 1)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isdigit()
