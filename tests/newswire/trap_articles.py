"""The two trap endpoints that are real articles: one only readable if the
charset is taken from a <meta> tag, one whose title, excerpt and body carry
script injection. Each comes with its expected extraction (``truth``)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from newswire.dates import utc_z

LATIN1_TITLE = "Zürcher Café lässt einen Roboter den Espresso brühen"
LATIN1_PUBLISHED = datetime.fromisoformat("2026-11-03T08:15:00+01:00")
LATIN1_BODY = [
    "Im Café Lindenhof an der Zürcher Limmat steht seit Montag ein Roboterarm hinter der Theke. Er mahlt die "
    "Bohnen, füllt den Siebträger und schäumt die Milch für den Milchkaffee.",
    "Die Inhaberin Séverine Aebischer sagt, der Roboter solle ihr Team nicht ersetzen. «Er übernimmt die "
    "Stoßzeiten am Morgen, damit wir mehr Zeit für die Gäste haben», sagte sie.",
    "Eine Bilderkennung prüft dabei die Crema jedes Espressos. Gefällt ihr das Ergebnis nicht, gießt der Arm den "
    "Kaffee weg und beginnt von vorn. Ein Getränk kostet so viel wie zuvor: 4.80 Franken.",
]

PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
JS_LINK = "javascript:window.__pwned=1"
SCRIPT_TITLE = f"Marrowind Devices reveals {PAYLOAD} accelerator roadmap {IMG_PAYLOAD}"
SCRIPT_EXCERPT = f"The roadmap {PAYLOAD} names three chips and a {IMG_PAYLOAD} launch window."
SCRIPT_PUBLISHED = datetime.fromisoformat("2026-11-10T14:00:00+00:00")
# what a reader sees: script elements run or vanish, they are never text;
# the escaped copy in the last paragraph is text and must stay text
SCRIPT_BODY = [
    "Marrowind Devices published its accelerator roadmap on Tuesday.",
    "The company showed three chips due over the next two years.",
    "Full details are on the company's website.",
    f"Engineers joked that the codename was {PAYLOAD} all along.",
]


def latin1_page(base_url: str) -> bytes:
    paragraphs = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in LATIN1_BODY)
    html = f"""<!DOCTYPE html>
<html lang="de-CH">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>{escape(LATIN1_TITLE)} - Limmat Kurier</title>
<link rel="canonical" href="{base_url}/trap/latin1.html">
<meta property="og:title" content="{escape(LATIN1_TITLE)}">
<meta property="article:published_time" content="{LATIN1_PUBLISHED.isoformat()}">
</head>
<body><nav><a href="/">Startseite</a></nav>
<article><h1>{escape(LATIN1_TITLE)}</h1><p class="meta">3. November 2026, 08:15 Uhr</p>
<div class="text">
{paragraphs}
</div></article>
<footer><p>Limmat Kurier, Zürich. Alle Rechte vorbehalten.</p></footer>
</body>
</html>
"""
    return html.encode("iso-8859-1")


def script_page(base_url: str) -> bytes:
    title = escape(SCRIPT_TITLE)
    html = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{base_url}/trap/script-title">
<meta property="og:title" content="{title}">
<meta name="description" content="{escape(SCRIPT_EXCERPT)}">
<meta property="og:description" content="{escape(SCRIPT_EXCERPT)}">
<meta property="article:published_time" content="{SCRIPT_PUBLISHED.isoformat()}">
</head>
<body>
<article><h1>{title}</h1>
<div class="story">
<p>{escape(SCRIPT_BODY[0])}{PAYLOAD}</p>
<p>{escape(SCRIPT_BODY[1])}{IMG_PAYLOAD}</p>
<p>Full details are on <a href="{JS_LINK}">the company's website</a>.</p>
<p>{escape(SCRIPT_BODY[3])}</p>
</div></article>
</body>
</html>
"""
    return html.encode("utf-8")


def script_feed(base_url: str) -> bytes:
    description = (f"<p>{escape(SCRIPT_BODY[0])}{PAYLOAD}</p><p>{IMG_PAYLOAD}</p>"
                   f'<p><a href="{JS_LINK}">Read more</a></p>')
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Injection test feed</title><link>{base_url}/trap/script-title</link><description>Markup where text belongs</description>
<item><title>{escape(SCRIPT_TITLE, quote=False)}</title><link>{base_url}/trap/script-title</link>
<guid isPermaLink="false">trap:script-title</guid>
<pubDate>Tue, 10 Nov 2026 14:00:00 GMT</pubDate>
<description><![CDATA[{description}]]></description></item>
</channel></rss>
"""
    return xml.encode("utf-8")


def truth(base_url: str) -> list[dict]:
    """Expected extraction for the two article-like traps (not part of the
    main ground truth: they belong to no publisher)."""
    return [
        {"url": f"{base_url}/trap/latin1.html", "webUrl": f"{base_url}/trap/latin1.html", "title": LATIN1_TITLE,
         "publishedDateTime": utc_z(LATIN1_PUBLISHED), "language": "de", "body": list(LATIN1_BODY)},
        {"url": f"{base_url}/trap/script-title", "webUrl": f"{base_url}/trap/script-title", "title": SCRIPT_TITLE,
         "description": SCRIPT_EXCERPT, "publishedDateTime": utc_z(SCRIPT_PUBLISHED), "language": "en",
         "body": list(SCRIPT_BODY)},
    ]
