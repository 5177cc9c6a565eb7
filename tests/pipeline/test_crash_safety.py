"""Crash safety of `topicwire run` (issue 6, part 2).

`topicwire run` is killed with SIGKILL over and over at random points while
it crawls a part of the offline newswire, then run once more to the end;
the store must then be the one a single uninterrupted run makes: the same
articles, URLs, topics, stories, quality and publishing decisions, related
coverage, images and fetch validators, nothing doubled, nothing lost, every
full text still opening with the project's keys, and a SQLite file that
passes its checks. Heat alone may differ, by one, with the clock.

Where the kills land: most runs are told where to die with the test-only
TOPICWIRE_TEST_CRASH_AT hook (topicwire/pipeline/cycle.py), which kills the
process with a real SIGKILL at a named checkpoint (after a feed is listed,
after an article's transaction, between an image file and its row, inside
and after the scoring transaction) or a random time into the cycle; the
others are killed from outside a random time after they started. Every
run of the series dies (one that would finish first dies when its scoring
is committed), so the last run is the first to finish, like the
reference's single run: both score the whole store. (Later cycles score a
recent window only, so a store scored once and one scored again are equal
only as far as windowed re-scoring reproduces the first scoring; the last
focused test below holds that part.)

The focused tests at the end are the regressions of the bugs this found,
all fixed in topicwire/pipeline/cycle.py:

- a feed's ETag and Last-Modified were stored as soon as the feed was
  parsed; a cycle killed before all its pages were stored left the feed
  answering "304 not modified" to every later cycle, and the articles not
  stored yet were never fetched (46 of 54 lost in the first try here);
- the images and the scoring of the articles a killed cycle stored were
  never done: from the next cycle on those pages are "already stored", so
  nothing cached their images, and the scoring window follows what changed
  in the current cycle only;
- re-scoring the recent window read three days of context while related
  coverage reaches back seven, so the second cycle over an unchanged wire
  dropped related pieces the first had found: the store depended on how
  many cycles had run.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import signal
import subprocess
import sys
import time
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from topicwire.config import load_project
from topicwire.pipeline import cycle as cycle_module
from topicwire.pipeline.cycle import ENV_TEST_CRASH_AT, Cycle, fetch_policy
from topicwire.pipeline.enrichment import enrich_settings
from topicwire.secure import project_ring
from topicwire.sources import load_sources
from topicwire.store import Store
from topicwire.store.articles import load_articles
from topicwire.taxonomy import load_taxonomy

from databases import Databases, as_data, copy_project, integrity, query
from wire_snapshot import assert_same_wire

TOPICWIRE = str(Path(sys.executable).parent / "topicwire")

# Five of the newswire's twelve feeds: 56 pages, 54 articles (two
# syndicated copies name their original as canonical), stories covered by
# several of them, an RSS feed with tracking links, an RDF feed, Atom 0.3, a
# URL list and a sitemap index with two child sitemaps. No traps.
SUBSET = ("northwind", "dailysyndicate", "insightreports", "roboreport", "medsignal")
KILLS = 20
# the series is random but repeatable; another seed explores other points
SEED = int(os.environ.get("CRASH_SAFETY_SEED", "20261128"))
# how long a cycle over the subset takes on a slow machine while it stores
# articles, without the process start: the range of the random timers
CYCLE_SECONDS = 2.5
# and once every article is stored: listing the feeds again, scoring them all
SCORING_SECONDS = 1.0
STARTUP_SECONDS = 0.5  # after the imports (see FORK_SERVER)
# Heat decays with the wall clock, and the reference and the final run
# score some tens of seconds apart: wire_snapshot.HEAT_TOLERANCE says why 1.


def provider_of(page_url: str) -> str:
    """The newswire publisher id in a 127.0.0.1 page or feed URL."""
    return page_url.split("/")[3]


def subset_project(folder: Path, newswire, databases: Databases, feeds: tuple[str, ...] = SUBSET) -> Path:
    """A project over ``feeds`` of the newswire; returns its settings file."""
    from newswire.project import make_project

    database = databases.new(folder.parent, folder.name) if databases.postgres else None
    settings = make_project(folder, newswire.base_url, newswire.port, database=database)
    sources_file = folder / "sources.yaml"
    listed = yaml.safe_load(sources_file.read_text(encoding="utf-8"))["sources"]
    kept = [s for s in listed if provider_of(s["url"]) in feeds]
    assert len(kept) == len(feeds)
    sources_file.write_text(yaml.safe_dump({"sources": kept}, sort_keys=False), encoding="utf-8")
    return settings


def expected_articles(newswire, feeds: tuple[str, ...] = SUBSET) -> int:
    """How many articles the feeds' pages make: pages that declare the same
    canonical URL are one (pages without one are their own address)."""
    return len({page["webUrl"] or page["url"] for page in newswire.truth if provider_of(page["url"]) in feeds})


def start(settings: Path) -> subprocess.Popen[str]:
    """`topicwire run`, the installed script, left to finish."""
    env = {k: v for k, v in os.environ.items() if k != ENV_TEST_CRASH_AT}
    return subprocess.Popen(
        [TOPICWIRE, "run", "--config", str(settings)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def finish(proc: subprocess.Popen[str], timeout: float = 180) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


# The killed runs are `topicwire run` in processes forked from one that has
# imported topicwire already: every start of the `topicwire` script spends
# about two seconds (more on a busy machine) importing before it does
# anything, which over twenty-odd runs would be most of this test's time
# and none of what it is about. A forked child runs the script's own entry
# point (topicwire.cli:main) with the same arguments and environment, from
# the same point a fresh process would reach after its imports; it holds no
# connection, thread or event loop of its parent's, and it is killed with a
# real SIGKILL. The fork server kills a child it has not reaped yet (never a
# recycled pid) and reports how each one ended.
FORK_SERVER = r"""
import json, os, signal, sys, time, traceback

import topicwire.cli
import topicwire.pipeline.cycle  # imported by `run` itself, the heaviest part

for line in sys.stdin:
    job = json.loads(line)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            log = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.environ.clear()
            os.environ.update(job["env"])
            sys.argv = job["argv"]
            try:
                topicwire.cli.main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = None if job["kill_after"] is None else time.monotonic() + job["kill_after"]
    while True:
        done, status = os.waitpid(pid, 0 if deadline is None else os.WNOHANG)
        if done:
            break
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)  # ours and not reaped yet: still this child
            deadline = None
        else:
            time.sleep(0.005)
    print(json.dumps({"code": os.waitstatus_to_exitcode(status)}), flush=True)
"""


class ForkServer:
    def __init__(self, folder: Path) -> None:
        # started in ``folder``: `python -c` puts its working directory first
        # on the import path, and topicwire must come from where the
        # `topicwire` script takes it, not from a checkout that happens to
        # be the working directory
        self.proc = subprocess.Popen(
            [sys.executable, "-c", FORK_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=folder,
        )

    def run(self, settings: Path, log: Path, *, crash: str, kill_after: float | None = None) -> tuple[int, str]:
        """`topicwire run` with ``crash`` as its crash point, killed from
        outside ``kill_after`` seconds after it began if still running;
        returns its exit code (negative: the signal) and output."""
        env = {k: v for k, v in os.environ.items() if k != ENV_TEST_CRASH_AT}
        env[ENV_TEST_CRASH_AT] = crash
        job = {"argv": ["topicwire", "run", "--config", str(settings)], "env": env, "log": str(log),
               "kill_after": kill_after}
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        assert answer, "the fork server ended"
        return json.loads(answer)["code"], log.read_text(encoding="utf-8", errors="replace")

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()  # the server ends when its input does
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# -- choosing where to die ---------------------------------------------------------


def next_kill(rng: random.Random, settings: Path, expected: int, fired: list[str]) -> str:
    """A crash point for the next run, given how far the store has come and
    where the runs so far died (``fired``: the kinds of crash point). While
    articles are missing: mostly after a few more articles; the first image
    is fetched only once the pages queued before it are done (they hold the
    fetcher first), so an image kill ends the filling, and until it has had
    its turn nothing may fill the store before it. Once all are stored (and,
    all runs having died, never scored for good): while listing the feeds
    again, inside or after the scoring, or anywhere. Kinds that have not
    fired yet come first; the cheap ones, that die early, weigh most."""
    stored = query(settings, "SELECT COUNT(*) FROM articles")[0][0]
    left = expected - stored
    seconds = CYCLE_SECONDS if left > 0 else SCORING_SECONDS
    timer = f"timer:{rng.uniform(0.05, seconds):.2f}"
    external = f"external:{rng.uniform(0.05, STARTUP_SECONDS + seconds):.2f}"
    if left > 0 and "image" not in fired:
        if left <= 12 or len(fired) >= KILLS // 2:
            return "image:1"
        # a timer or a kill from outside could come after the last page;
        # dying before it, at the latest, keeps the image its turn
        short = f"article:{left - 1}"
        choices = {f"article:{rng.randint(1, min(8, left - 1))}": 5, f"feed:{rng.randint(1, 4)}": 1,
                   f"{timer},{short}": 1, f"{external},{short}": 1}
    elif left > 0:
        choices = {f"article:{rng.randint(1, min(8, left))}": 5, f"feed:{rng.randint(1, 4)}": 1, timer: 2, external: 1}
    else:
        # the feeds whose validators a killed run recorded answer 304 now:
        # the sitemap index and its children, which send none, still list
        choices = {f"feed:{rng.randint(1, 3)}": 2, f"enrich:{rng.randint(1, stored)}": 2, "enriched:1": 1,
                   timer: 1, external: 1}
    for spec in choices:
        if spec.partition(":")[0] not in fired:
            return spec
    return rng.choices(list(choices), weights=list(choices.values()))[0]


def run_and_kill(server: ForkServer, settings: Path, spec: str, log: Path) -> str:
    """Run `topicwire run` until it dies at the crash point ``spec`` (or the
    first of several, comma-separated), or is killed from outside
    ``external:SECONDS`` after it started; returns the kind of point it
    died at ("external" for a kill from outside). A run that the timer or
    the outside kill would miss because it ends first dies at the end of
    its scoring instead: no run of the series finishes, so the last,
    uninterrupted run is the first to finish, as the reference's is."""
    points = dict(part.split(":") for part in spec.split(","))
    kill_after = points.pop("external", None)
    points.setdefault("enriched", "1")
    crash = ",".join(f"{name}:{value}" for name, value in points.items())
    code, output = server.run(settings, log, crash=crash, kill_after=None if kill_after is None else float(kill_after))
    assert code == -signal.SIGKILL, f"{spec}: exit {code}: {output}"
    said = [line.rpartition(" killed at ")[2] for line in output.splitlines() if line.startswith(ENV_TEST_CRASH_AT)]
    assert len(said) <= 1, output
    return said[0].partition(":")[0] if said else "external"


# -- what a store holds -----------------------------------------------------------


def without_heat(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "heat"}


def snapshot(settings: Path) -> dict:
    """Everything a run decides, in comparable form. Heat, the one value
    that moves with the clock, is kept apart; story ids are replaced by the
    sets of articles in the stories."""
    rows = query(
        settings,
        "SELECT id, web_url, original_url, title, provider_id, published_at, quality, quality_components,"
        " published, duplicate_of, record_hash, record, story_id, heat FROM articles",
    )
    articles = {}
    story_of, heat = {}, {}
    for r in rows:
        record = as_data(r[11])
        articles[r[0]] = (*r[1:7], as_data(r[7]) if r[7] else None, *r[8:11], without_heat(record))
        story_of[r[0]], heat[r[0]] = r[12], r[13]
    members: dict[str, set[str]] = {}
    for article_id, story in story_of.items():
        members.setdefault(story, set()).add(article_id)
    stories = {}
    for sid, headline, representative, story_heat, first, last in query(
        settings, "SELECT id, headline, representative_id, heat, first_seen, last_seen FROM stories"
    ):
        stories[frozenset(members.get(sid, ()))] = (headline, representative, first, last, story_heat)
    topics: dict[str, list[tuple]] = {}
    for article_id, topic, rank, confidence, signal_ in query(
        settings, "SELECT article_id, topic_id, rank, confidence, signal FROM article_topics ORDER BY article_id, rank"
    ):
        topics.setdefault(article_id, []).append((topic, rank, confidence, signal_))
    return {
        "articles": articles,
        "heat": heat,
        "partition": {frozenset(m) for s, m in members.items() if s is not None},
        "unscored": members.get(None, set()),
        "stories": stories,
        "topics": topics,
        "topic_heat": dict(query(
            settings,
            "SELECT topic_id, heat FROM topic_heat t WHERE day = (SELECT MAX(day) FROM topic_heat u"
            " WHERE u.topic_id = t.topic_id)",
        )),
        "images": query(
            settings,
            "SELECT article_id, position, url, width, height, title, attribution, is_cached, path FROM images"
            " ORDER BY article_id, position",
        ),
        "alternates": query(
            settings, "SELECT url, article_id, provider_id, provider_name FROM alternates ORDER BY url"
        ),
        "providers": query(settings, "SELECT id, name, domain, tier, record FROM providers ORDER BY id"),
        # the validators each feed and page was last stored with, and its
        # health; not the status of its last answer: a feed whose validators
        # a killed run stored rightly answers 304 to the next one, where the
        # reference's single run heard 200
        "fetch_state": query(
            settings,
            "SELECT url, source_id, etag, last_modified, consecutive_failures, last_error,"
            " next_attempt_at IS NULL, last_success_at IS NOT NULL FROM fetch_state ORDER BY url",
        ),
        "counts": {
            table: query(settings, f"SELECT COUNT(*) FROM {table}")[0][0]
            for table in ("articles", "article_topics", "images", "alternates", "stories", "providers", "articles_fts")
        },
    }


def image_files(settings: Path) -> set[str]:
    """The files of the image cache (images and thumbnails), without the
    temporary file a kill in the middle of writing one may leave (the cache
    writes each file under a temporary name, then renames it)."""
    root = load_project(settings).images_dir
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not p.name.startswith(".img.")}


def full_texts(settings: Path) -> dict[str, str]:
    """Every article's full text, opened with the project's key ring (an
    article whose text does not open raises)."""
    project = load_project(settings)
    ring = project_ring(project)
    with Store(project.database_url, keys=ring) as store, store.connect() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM articles ORDER BY id")]
        texts = {}
        for article in load_articles(conn, ids, ring=ring):
            assert article.secured and article.secured_key == ring.active_id, article.id
            texts[article.id or ""] = ring.reveal(article)
    return texts


def assert_sound(settings: Path) -> None:
    """The database is whole and consistent in itself."""
    assert integrity(settings) == []
    if load_project(settings).database_url.startswith("sqlite"):
        # PostgreSQL checks every foreign key as it is written; SQLite only
        # where the connection asked it to
        assert query(settings, "PRAGMA foreign_key_check") == []
    for sql in (
        "SELECT web_url FROM articles GROUP BY web_url HAVING COUNT(*) > 1",
        "SELECT original_url FROM articles WHERE original_url IS NOT NULL GROUP BY original_url HAVING COUNT(*) > 1",
        "SELECT article_id FROM articles_fts GROUP BY article_id HAVING COUNT(*) > 1",
        "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM articles_fts)",
        "SELECT article_id FROM articles_fts WHERE article_id NOT IN (SELECT id FROM articles)",
        # a page kept as another's copy is never an article of its own too
        "SELECT url FROM alternates WHERE url IN (SELECT web_url FROM articles)"
        " OR url IN (SELECT original_url FROM articles WHERE original_url IS NOT NULL)",
        "SELECT id FROM articles WHERE content IS NOT NULL OR secured IS NULL",
    ):
        assert query(settings, sql) == [], sql
    images = load_project(settings).images_dir
    cached = query(settings, "SELECT path FROM images WHERE is_cached")
    assert cached and all(path and (images / path).is_file() for (path,) in cached)
    assert query(settings, "SELECT COUNT(*) FROM images WHERE is_cached AND path IS NULL") == [(0,)]


def assert_same_store(final: dict, reference: dict) -> None:
    assert final["counts"] == reference["counts"], "rows doubled or lost"
    # articles, topics, stories, heat within the tolerance, alternates
    assert_same_wire(final, reference)
    assert final["images"] == reference["images"]
    assert final["providers"] == reference["providers"]
    assert final["fetch_state"] == reference["fetch_state"]


# -- the kill-and-restart test ------------------------------------------------------


@pytest.mark.timeout(600)
def test_crash_safety_run_killed_20_times_ends_like_one_uninterrupted_run(newswire, tmp_path, databases):
    began = time.monotonic()
    expected = expected_articles(newswire)
    killed = subset_project(tmp_path / "killed", newswire, databases)
    # the same project, keys and all, for the uninterrupted run; it runs
    # while the other is being killed (the newswire serves both)
    reference = copy_project(databases, killed.parent, tmp_path / "reference")
    uninterrupted = start(reference)
    try:
        kills = kill_repeatedly(killed, expected, tmp_path)
    except BaseException:
        uninterrupted.kill()  # the test failed: its reference is not needed
        uninterrupted.wait()
        raise
    code, out, err = finish(start(killed))
    assert code == 0, err
    timings = " ".join(f"{spec}" + ("" if spec.startswith(died) else f"->{died}") + f"({t:.1f}s)"
                       for spec, died, t in kills)
    print(f"\n{len(kills)} kills in {sum(t for *_, t in kills):.1f}s: {timings}")
    print(f"final run: {out.strip().splitlines()[1]}")

    code, out, err = finish(uninterrupted)
    assert code == 0, err
    ref = snapshot(reference)
    assert len(ref["articles"]) == expected and not ref["unscored"]
    assert_sound(reference)
    assert_sound(killed)
    assert_same_store(snapshot(killed), ref)
    assert full_texts(killed) == full_texts(reference)
    assert image_files(killed) == image_files(reference)
    # every cycle that died stays recorded as never finished; the last one finished
    runs = query(killed, "SELECT status FROM runs WHERE kind = 'cycle' ORDER BY id")
    assert runs[-1] == ("done",) and {s for (s,) in runs} <= {"done", "running"}
    print(f"took {time.monotonic() - began:.1f}s")


def kill_repeatedly(killed: Path, expected: int, tmp_path: Path) -> list[tuple[str, str, float]]:
    """The series of killed runs: what each was asked, where it died, how
    long it took."""
    rng = random.Random(SEED)
    kills: list[tuple[str, str, float]] = []  # what was asked, where it died, how long it took
    # at least KILLS, and until every kind of crash point has killed a run:
    # the store filling, an image between its file and its row, the scoring
    kinds = {"feed", "article", "image", "enrich", "enriched"}
    server = ForkServer(tmp_path)
    try:
        while len(kills) < KILLS or not kinds <= {died for _spec, died, _t in kills}:
            fired = [died for _spec, died, _t in kills]
            stored = query(killed, "SELECT COUNT(*) FROM articles")[0][0]
            assert len(kills) < 2 * KILLS, (
                f"after {len(kills)} kills ({stored} of {expected} articles stored) the crash points"
                f" {sorted(kinds - set(fired))} were never reached: {kills}"
            )
            spec = next_kill(rng, killed, expected, fired)
            began_run = time.monotonic()
            died = run_and_kill(server, killed, spec, tmp_path / f"kill-{len(kills):02d}.log")
            kills.append((spec, died, time.monotonic() - began_run))
    finally:
        server.close()
    return kills


# -- regressions of the bugs found, in-process and on two feeds --------------------

SMALL = ("roboreport", "medsignal")


class Killed(BaseException):
    """Stands for SIGKILL in-process: it is no Exception, so nothing in the
    cycle handles it, and the cycle stops where the checkpoint is."""


def crawl(settings: Path, monkeypatch, crash: str | None = None) -> None:
    """One cycle in this process, stopped at ``crash`` (which would have
    been a SIGKILL) if given."""
    project = load_project(settings)
    ring = project_ring(project)
    if crash is None:
        monkeypatch.delenv(ENV_TEST_CRASH_AT, raising=False)
    else:
        monkeypatch.setenv(ENV_TEST_CRASH_AT, crash)

    def die(_point: str) -> None:
        raise Killed

    monkeypatch.setattr(cycle_module, "_die", die)
    with Store(project.database_url, keys=ring) as store:
        cycle = Cycle(
            store, load_taxonomy(project.taxonomy_dir), load_sources(project.sources_file),
            fetch_policy(project.settings.fetch), image_root=project.images_dir,
            enrich_settings=enrich_settings(project.settings.enrichment),
        )
        if crash is None:
            asyncio.run(cycle.run())
            return
        with pytest.raises(Killed):
            asyncio.run(cycle.run())
    # the connections the stop cut short are collected here, and their
    # complaints that they never finished are expected
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        gc.collect()


def test_a_feed_is_not_marked_seen_before_all_its_articles_are_stored(newswire, tmp_path, monkeypatch, databases):
    settings = subset_project(tmp_path / "wire", newswire, databases, SMALL)
    feeds = [s.url for s in load_sources(load_project(settings).sources_file)]
    crawl(settings, monkeypatch, crash="article:3")
    # (in-process, pages already on their way may still be stored while the
    # cycle stops: at least three, not all)
    assert 3 <= query(settings, "SELECT COUNT(*) FROM articles")[0][0] < expected_articles(newswire, SMALL)
    # the feeds were fetched and parsed, but no validator was recorded that
    # would make them answer 304 to the next cycle
    marks = ", ".join(f"'{u}'" for u in feeds)
    assert query(settings, f"SELECT url FROM fetch_state WHERE url IN ({marks}) AND etag IS NOT NULL") == []
    crawl(settings, monkeypatch)
    assert query(settings, "SELECT COUNT(*) FROM articles") == [(expected_articles(newswire, SMALL),)]
    # and now they are recorded: the next cycle gets 304s
    assert len(query(settings, f"SELECT url FROM fetch_state WHERE url IN ({marks}) AND etag IS NOT NULL")) == 2


def test_what_a_killed_cycle_stored_gets_its_images_and_scores_from_the_next(newswire, tmp_path, monkeypatch, databases):
    settings = subset_project(tmp_path / "wire", newswire, databases, SMALL)
    # killed with an image file written but not yet recorded: the articles
    # stored so far have images that are not cached
    crawl(settings, monkeypatch, crash="image:1")
    assert query(settings, "SELECT COUNT(*) FROM images WHERE NOT is_cached")[0][0] > 0
    # killed while scoring: every article is stored, the images of those
    # the first cycle stored are cached now, and nothing is scored
    crawl(settings, monkeypatch, crash="enrich:1")
    assert query(settings, "SELECT COUNT(*) FROM articles") == [(expected_articles(newswire, SMALL),)]
    assert query(settings, "SELECT COUNT(*) FROM images WHERE NOT is_cached") == [(0,)]
    assert query(settings, "SELECT COUNT(*) FROM articles WHERE quality IS NOT NULL OR story_id IS NOT NULL") == [(0,)]
    # the feeds answer 304 and every page is stored: the next cycle scores
    # everything the two cycles stored all the same
    crawl(settings, monkeypatch)
    assert query(settings, "SELECT COUNT(*) FROM articles WHERE quality IS NULL OR story_id IS NULL") == [(0,)]
    assert query(settings, "SELECT COUNT(*) FROM providers WHERE CAST(record AS TEXT) LIKE '%\"isCached\": false%'") == [(0,)]


def test_scoring_again_what_was_scored_keeps_its_related_coverage(newswire, tmp_path, monkeypatch, databases):
    """Found by the kill test: its last run re-scored the recent window with
    three days of context, while related coverage reaches back seven, so an
    article lost its older related pieces the second time it was scored;
    the store then depended on how many cycles had run, killed or not."""
    settings = subset_project(tmp_path / "wire", newswire, databases, ("insightreports", "medsignal"))
    crawl(settings, monkeypatch)
    before = {i: as_data(r) for i, r in query(settings, "SELECT id, record FROM articles")}
    published = {i: datetime.fromisoformat(r["publishedDateTime"]) for i, r in before.items()}
    # an article with a related piece more than one story window older: the
    # case the shorter context got wrong
    far = [
        (i, r) for i, r in before.items()
        if any(published[i] - datetime.fromisoformat(x["publishedDateTime"]) > timedelta(hours=72) for x in r["related"])
    ]
    assert far
    article_id, _record = far[0]
    project = load_project(settings)
    ring = project_ring(project)
    with Store(project.database_url, keys=ring) as store:
        cycle = Cycle(
            store, load_taxonomy(project.taxonomy_dir), [], fetch_policy(project.settings.fetch),
            enrich_settings=enrich_settings(project.settings.enrichment),
        )
        # the scoring window starts at that article: everything older is context
        summary = cycle.rescore(published[article_id] + timedelta(hours=72), now=published[article_id])
    assert summary.enriched > 0
    after = {i: as_data(r) for i, r in query(settings, "SELECT id, record FROM articles")}
    assert after[article_id]["related"] == before[article_id]["related"]
    assert {i: r["related"] for i, r in after.items()} == {i: r["related"] for i, r in before.items()}
