"""The text patterns quality scoring looks for, kept in one place so that an
editor tuning what counts as spam, a press release or clickbait edits one
file. Each list maps a short name (shown in explanations) to a pattern."""

from __future__ import annotations

import re
_I = re.IGNORECASE | re.MULTILINE


def _compile(patterns: dict[str, str], flags: int = _I) -> dict[str, re.Pattern[str]]:
    return {name: re.compile(p, flags) for name, p in patterns.items()}


CLICKBAIT = _compile({
    "you won't believe": r"\byou (?:won'?t|will not|wont) believe\b",
    "this one trick": r"\b(?:this|one) (?:one |simple |weird )?trick\b",
    "shocking": r"\bshock(?:ing|ed)\b",
    "what happened next": r"\bwhat happen(?:s|ed) next\b",
    "blow your mind": r"\bblow your mind\b|\bmind[- ]blowing\b|\bjaw[- ]dropping\b",
    "you need to know": r"\b(?:you need to|you must) (?:know|see)\b",
    "hate him": r"\b(?:doctors|experts|they) hate\b",
    "unbelievable": r"\bunbelievable\b|\binsane\b",
    "!!": r"!{2,}|\?!|!\?",
})

# "10 ways to...", "Top 7 reasons...", "5 things you..."
LISTICLE = re.compile(
    r"^\s*(?:the\s+)?(?:top\s+)?\d{1,3}\s+(?:\w+\s+){0,2}?"
    r"(?:ways|things|reasons|tips|tricks|secrets|facts|signs|mistakes|hacks|lessons|stocks|tools|apps)\b",
    re.IGNORECASE,
)

PRESS_RELEASE = _compile({
    "for immediate release": r"\bfor immediate release\b",
    # a heading line "About Acme Corp" or a paragraph opening "About Acme Corp:"
    "about the company": r"^\s*about\s+[A-Z][^\n.:]{1,60}(?::|\s*$)",
    "media contact": r"^\s*(?:media|press|investor)\s+(?:contacts?|inquiries|relations)\b",
    "today announced": r"\btoday (?:announced|unveiled|introduced|launched)\b|\bannounced today\b",
    # the wire dateline "BOSTON, Oct. 5, 2026 /PRWireHub/ --"
    "wire dateline": r"\d{4}\s*/[A-Za-z][\w .-]{1,40}/\s*(?:--|[-–—])",
    "safe harbor": r"\bforward[- ]looking statements\b",
})

# marketing superlatives: one is a quote, several make copy
SUPERLATIVES = re.compile(
    r"\b(?:revolutioni[sz]e|revolutionary|game[- ]changer|game[- ]changing|industry[- ]leading|"
    r"world[- ]class|cutting[- ]edge|best[- ]in[- ]class|state[- ]of[- ]the[- ]art|next[- ]generation|"
    r"unprecedented|trusted leader|leading (?:provider|innovator)|pioneer|seamless(?:ly)?|empowers?|"
    r"breakthrough|most (?:powerful|accurate|advanced|innovative|scalable))\b",
    re.IGNORECASE,
)
SUPERLATIVES_FOR_SIGNAL = 3

MARKET_RESEARCH = _compile({
    "market size": r"\bmarket size\b",
    "CAGR": r"\bCAGR\b|\bcompound annual growth rate\b",
    "forecast period": r"\bforecast period\b",
    "key players": r"\b(?:top\s+)?key (?:market )?players\b",
    "free sample": r"\b(?:request|get|download)\s+(?:a|your)?\s*free sample\b|\bsample (?:report|pdf)\b",
    "year range": r"\b20\d\d\s*[-–]\s*20\d\d\b",
    "market share": r"\bmarket share\b",
    "report pitch": r"\bbuy (?:now|this report)\b|\bswot analysis\b|\bporter'?s five forces\b|\bmarket segmentation\b",
})

PAYWALL = _compile({
    "subscribe to continue": r"\bsubscribe (?:to|now)\b[^.\n]{0,60}\b(?:continue|read)",
    "already a subscriber": r"\balready (?:a )?(?:subscriber|member)\b",
    "subscribers only": r"\b(?:for|exclusive to) (?:subscribers|members) only\b|\bsubscriber[- ]only\b",
    "sign in to read": r"\b(?:sign|log) in to (?:continue|read)\b",
    "paywall prompt": r"\bunlock (?:this|the full) (?:article|story)\b",
})

# signs a body stops before the article does (feed teasers, cut extractions)
TRUNCATION = _compile({
    "continue reading": r"\bcontinue reading\b|\bread (?:the )?(?:full|rest of the) (?:article|story)\b",
    "read more": r"\bread more\s*(?:»|>|…|\.\.\.)?\s*$",
    "ellipsis at end": r"(?:…|\.\.\.|\[\.\.\.\]|\[…\])\s*\Z",
})

# a line of page furniture rather than article text
BOILERPLATE_LINE = re.compile(
    r"\b(?:cookies?|accept all|privacy (?:policy|settings)|terms (?:of (?:use|service)|and conditions)|"
    r"all rights reserved|subscribe to (?:our|the) newsletter|sign up for (?:our|the)|newsletter|"
    r"share (?:this|on)|follow us|skip to (?:main )?content|advertisement|sponsored content|"
    r"related (?:articles|stories|posts)|most (?:read|popular)|click here|log ?in|sign in|"
    r"download (?:our|the) app)\b|©|\bcopyright\b",
    re.IGNORECASE,
)


def hits(patterns: dict[str, re.Pattern[str]], text: str) -> list[str]:
    """Names of the patterns that occur in ``text``, in declaration order."""
    return [name for name, pattern in patterns.items() if pattern.search(text)]
