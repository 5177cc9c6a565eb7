"""The excerpt: a short lead in plain text, cut where a reader would."""

from __future__ import annotations

import re

MAX_EXCERPT = 300
ELLIPSIS = "…"

# A sentence ends at . ! ? (and their CJK forms), maybe inside a closing
# quote or bracket, before a space or the end.
_SENTENCE_END_RE = re.compile(r"[.!?。！？][\"'”’»)\]]*(?=\s|$)")
# Words that end in a full stop without ending a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "no", "vs", "etc",
    "gen", "gov", "sen", "rep", "lt", "col", "capt", "sgt", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est", "fig", "al",
}


def cut(text: str, limit: int = MAX_EXCERPT) -> str:
    """``text`` if it fits in ``limit`` characters; else its longest
    run of whole sentences that fits, else as many whole words as fit
    followed by an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    window = text[: limit + 1]
    best = 0
    for match in _SENTENCE_END_RE.finditer(window):
        if match.end() <= limit and _is_sentence_end(window, match.start()):
            best = match.end()
    if best:
        return window[:best]
    room = window[: limit - len(ELLIPSIS) + 1]
    space = room.rfind(" ")
    words = room[:space] if space > 0 else room[: limit - len(ELLIPSIS)]
    return words.rstrip(" ,;:–—-") + ELLIPSIS


def _is_sentence_end(text: str, stop: int) -> bool:
    if text[stop] != ".":
        return True
    word = re.search(r"(\S+)$", text[:stop])
    if word is None:
        return False
    token = word.group(1).strip("\"'“‘(")
    if token.casefold() in _ABBREVIATIONS:
        return False
    # initials and dotted abbreviations: "J.", "U.S", "e.g"
    return not (len(token) == 1 and token.isalpha()) and "." not in token


def lead(paragraphs: list[str], limit: int = MAX_EXCERPT) -> str:
    """An excerpt from the body: its first paragraphs, cut to ``limit``."""
    text = ""
    for paragraph in paragraphs:
        text = f"{text} {paragraph}".strip()
        if len(text) > limit:
            break
    return cut(text, limit)
