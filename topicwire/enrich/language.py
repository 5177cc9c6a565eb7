"""A cheap guess at the language of a text from its share of stopwords.

Good enough to tell English, German, French and Spanish apart on a news
article (hundreds of words), which is all quality scoring needs to notice a
page in the wrong language for the site; it is no general language detector.
"""

from __future__ import annotations

import re

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to in is that for it with as was on are be by this at from has have had not but "
        "or an they which their were been its will would said who also more than".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine einen dem den des mit sich auf für von zu im auch es sind "
        "wird werden wurde hat haben bei nach aus wie noch oder über sie er am vom zum zur dass".split()
    ),
    "fr": frozenset(
        "le la les et est une un des du de dans pour que qui pas sur au aux avec ce cette sont il elle "
        "nous vous ont été par plus mais ou se leur sa son ses être".split()
    ),
    "es": frozenset(
        "el la los las y es una un del de en para que por con no se su sus al lo como más pero este "
        "esta fue son ha han ser está también entre sobre".split()
    ),
}

_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# below this many words, or this share of stopwords, the guess is noise
MIN_WORDS = 8
MIN_SHARE = 0.12


def detect_language(text: str) -> str | None:
    """``en``, ``de``, ``fr`` or ``es``, or None when the text is too short or
    matches none of them clearly."""
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if len(words) < MIN_WORDS:
        return None
    shares = {lang: sum(w in stop for w in words) / len(words) for lang, stop in _STOPWORDS.items()}
    ranked = sorted(shares.items(), key=lambda item: item[1], reverse=True)
    (best, share), (_, runner_up) = ranked[0], ranked[1]
    # a clear winner only: shared words ("die", "de", "la") blur close calls
    if share < MIN_SHARE or share < 1.5 * runner_up:
        return None
    return best


def language_of_locale(locale: str | None) -> str | None:
    """The language part of a tag such as ``en-US``."""
    if not locale:
        return None
    return locale.replace("_", "-").split("-", 1)[0].lower() or None
