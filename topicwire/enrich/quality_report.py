"""A quality score as lines a person reads (``topicwire explain ID``)."""

from __future__ import annotations

from topicwire.enrich.quality import QualityScore

# components listed even at zero points, because their absence is the news
_ALWAYS = ("base", "provider")


def _points(value: float) -> str:
    rounded = round(value, 1)
    return f"{int(rounded):+d}" if rounded == int(rounded) else f"{rounded:+.1f}"


def explain(score: QualityScore) -> list[str]:
    """One line per component that moved the score, e.g. ``provider tier 1: +20``,
    then the total; components that gave nothing are left out."""
    lines = []
    for name, value in score.components.items():
        if round(value, 1) == 0 and name not in _ALWAYS:
            continue
        detail = score.details.get(name)
        label = name.replace("_", " ") + (f" {detail}" if detail and name != "base" else "")
        lines.append(f"{label}: {_points(value)}")
    total_sum = sum(score.components.values())
    clamped = " (clamped to 0–100)" if round(total_sum) != score.total else ""
    lines.append(f"total: {score.total}{clamped}")
    return lines
