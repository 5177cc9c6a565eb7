"""The page's language as a tag in ``en-US`` form."""

from __future__ import annotations

import re

from topicwire.ingest.jsonld import text_of
from topicwire.ingest.metadata import PageMeta

_TAG_RE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z0-9]{2,8}))*$")


def normalize_locale(value: str) -> str | None:
    """``en_us`` -> ``en-US``, ``zh-hant-tw`` -> ``zh-Hant-TW``; None for
    what is not a language tag (``x-default``, ``*``, free text)."""
    value = value.strip().split(",")[0].split(";")[0].strip()
    if not _TAG_RE.match(value):
        return None
    language, *rest = re.split(r"[-_]", value)
    parts = [language.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            parts.append(part.title())  # script
        elif len(part) in (2, 3):
            parts.append(part.upper())  # region
        else:
            parts.append(part.lower())  # variant
    return "-".join(parts)


def find_locale(page: PageMeta, article: dict | None, default: str | None) -> tuple[str | None, str | None]:
    """The locale and the signal it came from."""
    candidates = [("<html lang>", page.lang or "")]
    candidates += [("og:locale", v) for v in page.meta.get("og:locale", ())[:1]]
    candidates += [("content-language", v) for v in page.meta.get("content-language", ())[:1]]
    if article is not None:
        candidates.append(("json-ld inLanguage", text_of(article.get("inLanguage"))))
    candidates += [("default", default or "")]
    tags = [(tag, source) for source, value in candidates if value and (tag := normalize_locale(value))]
    if not tags:
        return None, None
    best, source = tags[0]
    if "-" not in best:
        # <html lang="en"> with og:locale en_GB: the same language, said more precisely
        for tag, other in tags[1:]:
            if tag.startswith(best + "-"):
                return tag, other
    return best, source
