"""A generated newswire for the scale benchmark: any number of article pages
over a few dozen RSS feeds, served on 127.0.0.1 by a process of its own.

Pages are made on request from their path (the same path always gives the
same page): a headline, a date in the last two days, a few paragraphs about
one of a smaller number of events (so that coverage groups into stories)
with vocabulary from the default AI taxonomy (so that topics are found).
The text is nonsense by design; it is here to be fetched, read, stored and
scored, not read by people.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import random
import socket
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SUBJECTS = ["Nvidia", "A chip startup", "An open lab", "A robotics firm", "A cloud provider", "A university team",
            "A language model maker", "A vision research group", "A hospital network", "A trading desk"]
ACTIONS = ["unveils", "ships", "delays", "benchmarks", "opens", "trains", "retires", "licenses", "audits", "tests"]
OBJECTS = ["a new GPU accelerator", "a large language model", "a humanoid robot", "an inference chip",
           "a computer vision system", "a medical imaging model", "a speech recognition service",
           "an AI safety evaluation", "a data centre cluster", "a reinforcement learning agent"]
FILLER = ("The announcement drew questions from analysts about cost, power use and how the system would be "
          "deployed. Engineers described the training data, the evaluation suite and the hardware involved. "
          "Researchers outside the company said independent benchmarks would matter more than the launch event. "
          "Customers in several industries are expected to test it over the coming months.")


def _rng(*parts: object) -> random.Random:
    return random.Random(hashlib.sha256("/".join(map(str, parts)).encode()).digest())


class Layout:
    """Which pages exist: ``pages`` spread over ``feeds`` feeds, about
    ``per_event`` pages per event."""

    def __init__(self, pages: int, feeds: int = 40, per_event: int = 6, now: datetime | None = None):
        self.pages, self.feeds, self.per_event = pages, feeds, per_event
        self.now = (now or datetime.now(timezone.utc)).replace(microsecond=0)

    def feed_pages(self, feed: int) -> list[int]:
        return list(range(feed, self.pages, self.feeds))

    def event(self, page: int) -> int:
        return _rng("event", page).randrange(max(1, self.pages // self.per_event))

    def published(self, page: int) -> datetime:
        # an event happens at one moment; its coverage follows within hours
        event = self.event(page)
        start = self.now - timedelta(hours=46) + timedelta(minutes=_rng("when", event).randrange(0, 44 * 60))
        return start + timedelta(minutes=_rng("lag", page).randrange(0, 180))

    def headline(self, page: int) -> str:
        event = _rng("story", self.event(page))
        subject, action, thing = event.choice(SUBJECTS), event.choice(ACTIONS), event.choice(OBJECTS)
        angle = _rng("angle", page).choice(["", " as rivals watch", ", report says", " after months of testing",
                                            " in a surprise move", ": what we know"])
        return f"{subject} {action} {thing}{angle} (event {self.event(page)})"

    def html(self, base: str, page: int) -> str:
        title = self.headline(page)
        when = self.published(page).isoformat()
        words = _rng("body", page)
        event = _rng("facts", self.event(page))
        facts = [f"The system, code-named {event.choice(['Aster', 'Birch', 'Cobalt', 'Delta', 'Ember'])}-"
                 f"{event.randrange(100, 999)}, was described in detail on {when[:10]}.",
                 f"It uses {event.randrange(2, 512)} accelerators and a {event.choice(OBJECTS)[2:]} at its core."]
        paragraphs = [escape(title) + "."] + facts + [FILLER]
        words.shuffle(paragraphs)
        body = "".join(f"<p>{escape(p)} {escape(FILLER[: words.randrange(80, 300)])}</p>" for p in paragraphs)
        return (
            f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
            f'<meta property="og:title" content="{escape(title)}">'
            f'<meta property="og:site_name" content="Generated Wire {page % self.feeds}">'
            f'<meta property="article:published_time" content="{when}">'
            f'<link rel=canonical href="{base}/p/{page}.html"></head>'
            f"<body><article><h1>{escape(title)}</h1>{body}</article></body></html>"
        )

    def rss(self, base: str, feed: int) -> str:
        items = "".join(
            f"<item><title>{escape(self.headline(p))}</title><link>{base}/p/{p}.html</link>"
            f"<guid>{base}/p/{p}.html</guid><pubDate>{format_datetime(self.published(p))}</pubDate></item>"
            for p in self.feed_pages(feed)
        )
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Generated feed {feed}'
                f"</title><link>{base}/</link><description>generated</description>{items}</channel></rss>")


def _serve(port: int, pages: int, feeds: int, now: str, ready) -> None:  # type: ignore[no-untyped-def]
    layout = Layout(pages, feeds, now=datetime.fromisoformat(now))
    base = f"http://127.0.0.1:{port}"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the http.server interface
            path = self.path.split("?")[0]
            body, kind = None, "text/html; charset=utf-8"
            if path == "/robots.txt":
                body, kind = "User-agent: *\nAllow: /\n", "text/plain"
            elif path.startswith("/feeds/") and path.endswith(".xml"):
                number = path[len("/feeds/"):-4]
                if number.isdigit() and int(number) < feeds:
                    body, kind = layout.rss(base, int(number)), "application/rss+xml"
            elif path.startswith("/p/") and path.endswith(".html"):
                number = path[len("/p/"):-5]
                if number.isdigit() and int(number) < pages:
                    body = layout.html(base, int(number))
            data = (body or "not found").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    ready.set()
    server.serve_forever()


class GeneratedWire:
    """The generated newswire in a child process; ``sources`` lists its feeds."""

    def __init__(self, pages: int, feeds: int = 40):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.pages, self.feeds = pages, feeds
        self.base_url = f"http://127.0.0.1:{self.port}"
        ready = multiprocessing.Event()
        now = datetime.now(timezone.utc).isoformat()
        self.process = multiprocessing.Process(target=_serve, args=(self.port, pages, feeds, now, ready), daemon=True)
        self.process.start()
        if not ready.wait(30):
            raise SystemExit("the generated newswire did not start")

    @property
    def sources(self) -> list[dict[str, str]]:
        return [{"url": f"{self.base_url}/feeds/{n}.xml", "kind": "rss"} for n in range(self.feeds)]

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)
