"""Extraction quality and speed: topicwire's extract() against bare
trafilatura on the same pages, in one process.

    .venv/bin/python bench/extract.py                 # the 80 fundus pages
    .venv/bin/python bench/extract.py --newswire      # plus the offline newswire, when it exists
    .venv/bin/python bench/extract.py --dates         # plus htmldate's two modes compared

Quality is measured on the body text against the gold paragraphs:
- token F1: lower-cased ``\\w+`` tokens compared as multisets;
- ROUGE-LSum F1 (rouge_score, Porter stemmer, one paragraph per line), the
  measure the fundus authors published (trafilatura 93.62 there).
Speed is pages per second over all pages, the best of ``--runs`` runs of
each side, the runs of the two sides interleaved so that both meet the
same machine load. Bare trafilatura only extracts text; extract() also
reads every metadata field, so equal speed is not expected.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from topicwire.ingest import dates as dates_module  # noqa: E402
from topicwire.ingest.extract import ExtractionError, extract  # noqa: E402
from topicwire.metrics import token_f1  # noqa: E402
from topicwire.model import format_datetime  # noqa: E402

DEFAULT_FUNDUS = REPO.parent / "shared" / "benchmarks" / "fundus-eval"
NEWSWIRE_SERVER = REPO / "tests" / "newswire" / "server.py"



@dataclass
class Page:
    name: str
    group: str
    url: str
    html: bytes
    gold: list[str]
    truth: dict | None = None  # the newswire's expected record, for the metadata check


@dataclass
class Side:
    label: str
    run: Callable[[Page], str]
    texts: dict[str, str] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)


def lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def load_fundus(folder: Path) -> list[Page]:
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    pages = []
    for name, entry in sorted(truth.items()):
        html = gzip.decompress((folder / "html" / name).read_bytes())
        pages.append(Page(name, name.split("_")[0], entry["url"], html, entry["body"]))
    return pages


def load_newswire() -> list[Page] | str:
    """The article pages of the offline newswire, fetched once from its
    server on 127.0.0.1, or why there are none."""
    if not NEWSWIRE_SERVER.exists():
        return f"{NEWSWIRE_SERVER.relative_to(REPO)} does not exist yet"
    sys.path.insert(0, str(REPO / "tests"))
    try:
        from newswire.server import Newswire
    except ImportError as exc:
        return f"the newswire does not import ({exc})"
    # straight to the loopback server, whatever proxy the environment names
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    pages = []
    with Newswire() as wire:
        for row in wire.truth:
            with opener.open(row["url"], timeout=30) as response:
                html = response.read()
            group = f"newswire {row['provider']['name']}"
            pages.append(Page(row["id"], group, row["url"], html, row["body"], row))
    return pages


def bare(page: Page) -> str:
    return trafilatura.extract(page.html) or ""


def ours(page: Page) -> str:
    try:
        return extract(page.html, url=page.url).article.content or ""
    except ExtractionError:
        return ""


def measure(pages: list[Page], sides: list[Side], runs: int) -> None:
    for _ in range(runs):
        for side in sides:
            start = time.perf_counter()
            side.texts = {page.name: side.run(page) for page in pages}
            side.seconds.append(time.perf_counter() - start)


def rouge_scorer():
    try:
        from rouge_score import rouge_scorer as module
    except ImportError:
        return None
    return module.RougeScorer(["rougeLsum"], use_stemmer=True)


def report(title: str, pages: list[Page], sides: list[Side]) -> None:
    scorer = rouge_scorer()
    scores: dict[str, dict[str, dict[str, float]]] = {s.label: defaultdict(dict) for s in sides}
    for side in sides:
        for page in pages:
            gold, text = "\n".join(page.gold), side.texts[page.name]
            scores[side.label]["f1"][page.name] = token_f1(text, gold)
            if scorer is not None:
                rouge = scorer.score(lines(gold), lines(text))["rougeLsum"].fmeasure
                scores[side.label]["rouge"][page.name] = rouge
    metrics = ["f1", "rouge"] if scorer is not None else ["f1"]
    heads = [f"{m} {s.label}" for m in metrics for s in sides]
    print(f"\n## {title}: {len(pages)} pages\n")
    print(f"{'group':24s} {'n':>3s} " + " ".join(f"{h:>14s}" for h in heads))
    groups: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        groups[page.group].append(page.name)
    for group, names in [*groups.items(), ("ALL", [p.name for p in pages])]:
        cells = [
            statistics.fmean(scores[s.label][m][n] for n in names) * 100 for m in metrics for s in sides
        ]
        print(f"{group:24s} {len(names):3d} " + " ".join(f"{c:14.2f}" for c in cells))
    print()
    first, last = sides[0], sides[-1]
    for m in metrics:
        a = statistics.fmean(scores[first.label][m].values())
        b = statistics.fmean(scores[last.label][m].values())
        name = "token F1" if m == "f1" else "ROUGE-LSum F1"
        print(f"{name:14s} {first.label} {a * 100:6.2f}  {last.label} {b * 100:6.2f}  ratio {b / a:.3f}")
    speed = {s.label: len(pages) / min(s.seconds) for s in sides}
    print(
        f"{'pages/s':14s} {first.label} {speed[first.label]:6.1f}  {last.label} {speed[last.label]:6.1f}  "
        f"ratio {speed[last.label] / speed[first.label]:.3f}  (best of {len(first.seconds)})"
    )


def _checks(truth: dict) -> dict[str, Callable[[object], bool]]:
    image = truth.get("image")
    return {
        "title": lambda a: a.title == truth["title"],
        "excerpt": lambda a: a.excerpt == truth["description"],
        "publishedDateTime": lambda a: _when(a.published_date_time) == truth["publishedDateTime"],
        "updatedDateTime": lambda a: _when(a.updated_date_time) == truth["updatedDateTime"],
        "webUrl": lambda a: a.web_url == truth["webUrl"],
        "ampWebUrl": lambda a: a.amp_web_url == truth["ampWebUrl"],
        "provider": lambda a: a.provider is not None
        and (a.provider.name, a.provider.domain) == (truth["provider"]["name"], truth["provider"]["domain"]),
        "image": lambda a: (
            [(i.url, i.width, i.height) for i in a.images[:1]]
            == ([(image["url"], image["width"], image["height"])] if image else [])
        ),
        "locale": lambda a: (a.locale or "").split("-")[0] == truth["language"],
    }


def _when(value) -> str | None:
    return format_datetime(value) if value is not None else None


def check_metadata(pages: list[Page]) -> None:
    """Field by field, how often extract() gives what the newswire's
    ground truth says, with the first few misses of each field."""
    hits: dict[str, int] = Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    checked = 0
    for page in pages:
        if page.truth is None:
            continue
        checked += 1
        try:
            article = extract(page.html, url=page.url).article
        except ExtractionError as exc:
            misses["(extraction)"].append(f"{page.name}: {exc}")
            continue
        for name, check in _checks(page.truth).items():
            if check(article):
                hits[name] += 1
            else:
                misses[name].append(page.name)
    if not checked:
        return
    print(f"\n## metadata against the newswire's ground truth: {checked} pages\n")
    for name in _checks(pages[0].truth):
        print(f"{name:18s} {hits[name]:4d}/{checked}  {'misses: ' + ', '.join(misses[name][:4]) if misses[name] else ''}")
    for line in misses.get("(extraction)", [])[:5]:
        print(f"failed: {line}")


_DATE_WORDS = ("date", "time", "publish", "modified", "updated", "created")


def without_structured_dates(html: bytes):
    """The page's tree with what extract() reads before htmldate removed
    (JSON-LD, date meta tags, microdata dates, <time datetime>), as on a
    page that states its dates only in words."""
    tree = trafilatura.load_html(html)
    for time_element in tree.iter("time"):
        time_element.attrib.pop("datetime", None)
    doomed = [s for s in tree.iter("script") if "ld+json" in (s.get("type") or "")]
    for element in tree.xpath("//*[@itemprop or self::meta]"):
        key = " ".join(element.get(a) or "" for a in ("itemprop", "name", "property")).lower()
        if any(word in key for word in _DATE_WORDS):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.getparent().remove(element)
    return tree


def compare_htmldate(pages: list[Page]) -> None:
    """htmldate's fast and extensive modes on pages stripped of their
    machine-readable dates (where extract() falls back to it), followed as
    in extract() by the date in the URL: time taken, and how often the
    chain gives the day the structured data gives, another day, or none."""
    from htmldate import find_date

    reference, web_urls = {}, {}
    for page in pages:
        try:
            article = extract(page.html, url=page.url).article
        except ExtractionError:
            continue
        if article.published_date_time is not None:
            reference[page.name] = article.published_date_time.date().isoformat()
            web_urls[page.name] = article.web_url
    trees = {name: without_structured_dates(page.html) for page in pages if (name := page.name) in reference}
    print(f"\n## dates without structured data: htmldate (original_date=True), then the URL, on {len(trees)} pages\n")
    for extensive in (False, True):
        start = time.perf_counter()
        found = {
            name: find_date(tree, extensive_search=extensive, original_date=True, url="")
            for name, tree in trees.items()
        }
        seconds = time.perf_counter() - start
        outcome: Counter = Counter()
        for name, day in found.items():
            if day is None and (from_url := dates_module.date_from_url(web_urls[name])):
                day = from_url.date().isoformat()
            outcome["none" if day is None else "right" if day == reference[name] else "wrong"] += 1
        print(
            f"extensive_search={extensive!s:5s}  htmldate {seconds / len(trees) * 1000:6.1f} ms/page  "
            f"right day {outcome['right']:3d}  wrong day {outcome['wrong']:3d}  none {outcome['none']:3d}"
        )
    print(f"(extract() uses extensive_search={dates_module.HTMLDATE_EXTENSIVE})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fundus", type=Path, default=DEFAULT_FUNDUS, help="the fundus-eval folder")
    parser.add_argument("--newswire", action="store_true", help="also the offline newswire pages")
    parser.add_argument("--dates", action="store_true", help="also compare htmldate's two modes")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each side (best counts)")
    args = parser.parse_args()

    sets: list[tuple[str, list[Page]]] = []
    if (args.fundus / "ground_truth.json").exists():
        sets.append(("fundus-eval", load_fundus(args.fundus)))
    else:
        print(f"skipped fundus-eval: {args.fundus} not found", file=sys.stderr)
    if args.newswire:
        newswire = load_newswire()
        if isinstance(newswire, str):
            print(f"skipped newswire: {newswire}", file=sys.stderr)
        else:
            sets.append(("newswire", newswire))
    if not sets:
        return 1
    for title, pages in sets:
        sides = [Side("bare", bare), Side("ours", ours)]
        measure(pages, sides, max(1, args.runs))
        report(title, pages, sides)
        check_metadata(pages)
        if args.dates:
            compare_htmldate(pages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
