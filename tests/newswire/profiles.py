"""How each fictional publisher presents itself: page template, home time
zone, feed format and which metadata it bothers to declare.

The choices are spread so that no extraction shortcut works everywhere.

provider        template    zone                 feed at /<id>...                 format
--------------  ----------  -------------------  -------------------------------  -----------------------------------
circuitledger   trade       America/New_York     /feed/                           RSS 2.0 with content:encoded
northwind       broadsheet  Europe/London        /rss.xml                         RSS 2.0, utm links, max-age=300
bytefront       blog        America/Los_Angeles  /atom.xml                        Atom 1.0 with content
marketpulse     finance     America/New_York     /news-sitemap.xml                Google News sitemap
medsignal       clinical    America/New_York     /index.rdf                       RSS 1.0 (RDF)
roboreport      clinical    America/Chicago      /atom03.xml                      Atom 0.3
harbourpost     broadsheet  Australia/Sydney     /sitemap.xml                     XML sitemap with image extension
sentinel        magazine    America/New_York     /feed.json                       JSON Feed 1.1
prwirehub       release     America/New_York     /rss091.xml                      RSS 0.91, Netscape DOCTYPE
dailysyndicate  aggregator  UTC                  /urls.txt                        plain URL list
insightreports  spam        Asia/Kolkata         /sitemap_index.xml               sitemap index of 2 sitemaps, Expires: 0
tagesnetz       german      Europe/Berlin        /feed.atom                       Atom 1.0, xml:lang=de

Machine-readable publication dates on the article pages:
JSON-LD: circuitledger (@graph), northwind, marketpulse (a list), medsignal,
harbourpost (in UTC), sentinel. article:published_time: circuitledger,
medsignal, roboreport, prwirehub, insightreports. <time datetime>:
bytefront, roboreport, sentinel, dailysyndicate, tagesnetz. Also
itemprop=datePublished (marketpulse) and <meta name=date> (tagesnetz).

AMP versions exist for northwind, marketpulse and harbourpost. insightreports
declares neither rel=canonical nor og:url.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Feed:
    format: str        # rss2, rss1, rss091, atom1, atom03, jsonfeed, sitemap, newssitemap, sitemapindex, urllist
    path: str          # below /<provider-id>
    source_kind: str   # topicwire's sources.yaml kind: rss, atom, jsonfeed, sitemap, urls
    content_type: str
    gmt: bool = False  # RSS dates in GMT rather than the newsroom's own offset


@dataclass(frozen=True)
class Profile:
    template: str
    zone: str
    feed: Feed
    title_suffix: str           # appended to <title>; the headline itself stays clean
    date_style: str             # see newswire.dates.visible
    jsonld: str | None          # None, "plain", "graph" (Yoast-like) or "list"
    time_tag: bool              # <time datetime> around the visible date
    article_meta: bool          # article:published_time / article:modified_time
    twitter: bool
    canonical: bool = True      # False: neither rel=canonical nor og:url
    amp: str | None = None      # how rel=amphtml is written: "relative", "root" or "absolute"
    feed_headers: tuple[tuple[str, str], ...] = ()
    charset_in_header: bool = True
    full_content_feed: bool = False  # the feed carries the whole body, not just a summary
    tracking_links: bool = False
    jsonld_utc: bool = False         # JSON-LD dates converted to UTC "Z"
    meta_date: bool = False          # <meta name="date">
    og_image_size: bool = True       # og:image:width/height/alt next to og:image


RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
XML = "application/xml; charset=utf-8"

PROFILES: dict[str, Profile] = {
    "circuitledger": Profile(
        template="trade", zone="America/New_York",
        feed=Feed("rss2", "/feed/", "rss", RSS),
        title_suffix=" | The Circuit Ledger", date_style="us_long",
        jsonld="graph", time_tag=False, article_meta=True, twitter=True,
        full_content_feed=True,
    ),
    "northwind": Profile(
        template="broadsheet", zone="Europe/London",
        feed=Feed("rss2", "/rss.xml", "rss", RSS, gmt=True),
        title_suffix=" | Technology | Northwind Daily", date_style="uk",
        jsonld="plain", time_tag=False, article_meta=False, twitter=False,
        amp="relative", feed_headers=(("Cache-Control", "max-age=300"),), tracking_links=True,
    ),
    "bytefront": Profile(
        template="blog", zone="America/Los_Angeles",
        feed=Feed("atom1", "/atom.xml", "atom", ATOM),
        title_suffix=" - ByteFront", date_style="us_short",
        jsonld=None, time_tag=True, article_meta=False, twitter=True, full_content_feed=True,
    ),
    "marketpulse": Profile(
        template="finance", zone="America/New_York",
        feed=Feed("newssitemap", "/news-sitemap.xml", "sitemap", XML),
        title_suffix=" - MarketPulse Wire", date_style="ap",
        jsonld="list", time_tag=False, article_meta=False, twitter=True, amp="absolute",
    ),
    "medsignal": Profile(
        template="clinical", zone="America/New_York",
        feed=Feed("rss1", "/index.rdf", "rss", "application/rdf+xml; charset=utf-8"),
        title_suffix="", date_style="date_only",
        jsonld="plain", time_tag=False, article_meta=True, twitter=False,
    ),
    "roboreport": Profile(
        template="clinical", zone="America/Chicago",
        feed=Feed("atom03", "/atom03.xml", "atom", ATOM),
        title_suffix=" | The Robo Report", date_style="us_weekday",
        jsonld=None, time_tag=True, article_meta=True, twitter=False,
    ),
    "harbourpost": Profile(
        template="broadsheet", zone="Australia/Sydney",
        feed=Feed("sitemap", "/sitemap.xml", "sitemap", XML),
        title_suffix=" - Harbour Post", date_style="au",
        jsonld="plain", time_tag=False, article_meta=False, twitter=True, amp="root", jsonld_utc=True,
    ),
    "sentinel": Profile(
        template="magazine", zone="America/New_York",
        feed=Feed("jsonfeed", "/feed.json", "jsonfeed", "application/feed+json; charset=utf-8"),
        title_suffix=" | The Sentinel Review", date_style="magazine",
        jsonld="plain", time_tag=True, article_meta=False, twitter=False,
    ),
    "prwirehub": Profile(
        template="release", zone="America/New_York",
        feed=Feed("rss091", "/rss091.xml", "rss", "text/xml; charset=utf-8"),
        title_suffix=" - PR WireHub", date_style="wire",
        jsonld=None, time_tag=False, article_meta=True, twitter=False,
    ),
    "dailysyndicate": Profile(
        template="aggregator", zone="UTC",
        feed=Feed("urllist", "/urls.txt", "urls", "text/plain; charset=utf-8"),
        title_suffix=" \u2014 Daily Syndicate", date_style="utc",
        jsonld=None, time_tag=True, article_meta=False, twitter=True,
    ),
    "insightreports": Profile(
        template="spam", zone="Asia/Kolkata",
        feed=Feed("sitemapindex", "/sitemap_index.xml", "sitemap", XML),
        title_suffix=" | Global Insight Reports | Market Research Reports & Consulting", date_style="report",
        jsonld=None, time_tag=False, article_meta=True, twitter=False, canonical=False,
        og_image_size=False, feed_headers=(("Expires", "0"),),
    ),
    "tagesnetz": Profile(
        template="german", zone="Europe/Berlin",
        feed=Feed("atom1", "/feed.atom", "atom", ATOM),
        title_suffix=" - TagesNetz", date_style="de",
        jsonld=None, time_tag=True, article_meta=False, twitter=True, meta_date=True,
        # umlauts must survive a charset declared only in the markup
        charset_in_header=False,
    ),
}


def profile(provider_id: str) -> Profile:
    return PROFILES[provider_id]
