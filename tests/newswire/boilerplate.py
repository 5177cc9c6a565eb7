"""The noise around an article: consent banners, ads, newsletter boxes,
related links, reader comments, footers. Most of it is real prose in <p>
elements on purpose, so an extractor has to find the article container
rather than collect every paragraph on the page."""

from __future__ import annotations

from newswire.catalog import Catalog, Entry
from newswire.markup import attr, number, pick, text

WORDS = {
    "en": {
        "cookie": ("We use cookies and similar technologies to keep this site running, to understand how it is "
                   "used and to show advertising that is relevant to you. You can accept all of them or choose "
                   "which ones we may set; our cookie policy explains each purpose."),
        "accept": "Accept all", "manage": "Manage preferences",
        "newsletter_title": "Get the morning briefing",
        "newsletter": ("The stories that matter in technology and business, in your inbox before seven every "
                       "weekday morning. Free, and you can unsubscribe whenever you like."),
        "signup": "Sign up", "email": "Your email address",
        "related": "Read more", "comments": "Comments", "reply": "Reply",
        "comment_rules": ("Comments are moderated. Please keep the discussion civil and on topic; we remove "
                          "personal attacks and advertising."),
        "ad": "Advertisement", "rights": "All rights reserved.",
        "footer": ("Our journalism is funded by readers and advertisers. Corrections and complaints can be sent "
                   "to the standards desk, which replies within two working days."),
        "links": ["About us", "Contact", "Privacy policy", "Terms of use", "Advertise", "Careers"],
        "share": ["Share on X", "Share on LinkedIn", "Copy link", "Email"],
        "by": "By", "updated": "Updated", "home": "Home",
    },
    "de": {
        "cookie": ("Wir verwenden Cookies und ähnliche Technologien, um diese Website zu betreiben, ihre Nutzung "
                   "zu messen und Ihnen passende Werbung zu zeigen. Sie können allen zustimmen oder einzeln "
                   "auswählen; Einzelheiten stehen in unserer Datenschutzerklärung."),
        "accept": "Alle akzeptieren", "manage": "Einstellungen",
        "newsletter_title": "Der Morgen-Newsletter",
        "newsletter": ("Die wichtigsten Nachrichten des Tages, werktags um sieben Uhr in Ihrem Postfach. "
                       "Kostenlos und jederzeit kündbar."),
        "signup": "Jetzt abonnieren", "email": "Ihre E-Mail-Adresse",
        "related": "Mehr zum Thema", "comments": "Kommentare", "reply": "Antworten",
        "comment_rules": ("Kommentare werden vor der Veröffentlichung geprüft. Bitte bleiben Sie sachlich; "
                          "Beleidigungen und Werbung löschen wir."),
        "ad": "Anzeige", "rights": "Alle Rechte vorbehalten.",
        "footer": ("Unser Journalismus wird von Leserinnen, Lesern und Anzeigenkunden finanziert. Hinweise auf "
                   "Fehler nimmt die Redaktion jederzeit entgegen."),
        "links": ["Impressum", "Kontakt", "Datenschutz", "AGB", "Mediadaten", "Jobs"],
        "share": ["Auf X teilen", "Auf LinkedIn teilen", "Link kopieren", "E-Mail"],
        "by": "Von", "updated": "Aktualisiert", "home": "Startseite",
    },
}

_COMMENTS = {
    "en": [
        ("Priya K.", "Interesting, but I will believe the numbers when someone outside the company reproduces them."),
        ("mdelacroix", "Does anyone know whether this applies to existing customers or only to new contracts?"),
        ("Tom Hedley", "Good write-up. The part about supply constraints deserves an article of its own."),
        ("quietobserver", "Every quarter brings a new breakthrough. Tell me when it actually ships."),
        ("J. Okonkwo", "I work in this field and the piece gets the details right, which is rarer than it should be."),
        ("RetiredEngineer58", "We had the same debate about a different technology thirty years ago. "
                              "The boring option won."),
        ("lena.v", "I would love a follow-up on what this means for smaller firms."),
        ("Grant P.", "The headline oversells it a little; the body is far more careful."),
        ("ahmed_r", "Thanks for including the sceptical voices, too."),
        ("OldHand", "Price is the real story here, and nobody says what it costs."),
    ],
    "de": [
        ("Martina S.", "Spannend, aber ich warte lieber ab, bis unabhängige Tests vorliegen."),
        ("hkoehler", "Endlich ein Artikel, der auch die Kritiker zu Wort kommen lässt."),
        ("Leser_aus_Kassel", "Und wer haftet, wenn die Technik versagt? Dazu steht leider nichts im Text."),
        ("J. Brandl", "Guter Überblick, vielen Dank."),
        ("technikfan77", "Die Zahlen klingen beeindruckend. Mal sehen, was davon im Alltag übrig bleibt."),
        ("Petra W.", "Mich würde interessieren, wie das in anderen Bundesländern geregelt ist."),
    ],
}


def words(lang: str) -> dict:
    return WORDS.get(lang, WORDS["en"])


def cookie_banner(lang: str, style: str = "bar") -> str:
    w = words(lang)
    return (f'<div id="consent-{style}" class="cmp cmp--{style}" role="dialog" aria-label="Cookies">'
            f'<p>{text(w["cookie"])}</p>'
            f'<button class="cmp-accept">{text(w["accept"])}</button> '
            f'<button class="cmp-manage">{text(w["manage"])}</button></div>')


def ad_slot(provider_id: str, slot: str, size: str = "728x90", lang: str = "en") -> str:
    return (f'<div class="ad-slot ad-{size}" data-ad-unit="/2231/{provider_id}/{slot}" data-size="{size}">'
            f'<span class="ad-label">{text(words(lang)["ad"])}</span></div>')


def newsletter(lang: str, cls: str = "newsletter") -> str:
    w = words(lang)
    return (f'<aside class="{cls}"><h3>{text(w["newsletter_title"])}</h3><p>{text(w["newsletter"])}</p>'
            f'<form action="#" method="post"><input type="email" placeholder="{attr(w["email"])}">'
            f'<button>{text(w["signup"])}</button></form></aside>')


def share_bar(lang: str) -> str:
    return '<ul class="share">' + "".join(f'<li><a href="#">{text(s)}</a></li>' for s in words(lang)["share"]) + "</ul>"


def related(entry: Entry, catalog: Catalog, count: int = 4, with_teasers: bool = True, cls: str = "related") -> str:
    """Other stories from the same publisher, teasers included: real prose
    that sits outside the article."""
    others = [e for e in catalog.by_provider[entry.provider.id] if e.id != entry.id]
    chosen = pick("related:" + entry.id, others, count)
    items = []
    for other in chosen:
        teaser = f"<p>{text(other.article.description)}</p>" if with_teasers else ""
        items.append(f'<li><a href="{attr(other.path)}">{text(other.article.title)}</a>{teaser}</li>')
    heading = text(words(entry.article.language)["related"])
    return f'<aside class="{cls}"><h2>{heading}</h2><ul>{"".join(items)}</ul></aside>'


def comments(entry: Entry, cls: str = "comments") -> str:
    lang = entry.article.language
    w = words(lang)
    chosen = pick("comments:" + entry.id, _COMMENTS.get(lang, _COMMENTS["en"]), number(entry.id, 2, 5))
    items = "".join(
        f'<li class="comment"><div class="comment-author">{text(name)}</div>'
        f'<div class="comment-body"><p>{text(body)}</p></div><a class="reply" href="#">{text(w["reply"])}</a></li>'
        for name, body in chosen
    )
    return (f'<section class="{cls}" id="comments"><h2>{text(w["comments"])} ({len(chosen)})</h2>'
            f'<p class="rules">{text(w["comment_rules"])}</p><ol>{items}</ol></section>')


def nav(entry_provider_id: str, catalog: Catalog, lang: str, cls: str = "nav") -> str:
    """Site navigation: home plus the publisher's most common topics."""
    counts: dict[str, int] = {}
    for e in catalog.by_provider[entry_provider_id]:
        for topic in e.article.topics[:1]:
            counts[topic] = counts.get(topic, 0) + 1
    topics = sorted(counts, key=lambda t: (-counts[t], t))[:5]
    links = [f'<li><a href="/{entry_provider_id}/">{text(words(lang)["home"])}</a></li>']
    links += [f'<li><a href="/{entry_provider_id}/topic/{topic_slug(t)}/">{text(t)}</a></li>' for t in topics]
    return f'<nav class="{cls}"><ul>{"".join(links)}</ul></nav>'


def topic_slug(topic: str) -> str:
    return "-".join(topic.lower().split())


def footer(provider_name: str, lang: str, cls: str = "site-footer") -> str:
    w = words(lang)
    links = "".join(f'<li><a href="#">{text(link)}</a></li>' for link in w["links"])
    return (f'<footer class="{cls}"><ul>{links}</ul><p>{text(w["footer"])}</p>'
            f'<p class="copyright">&copy; 2026 {text(provider_name)}. {text(w["rights"])}</p></footer>')


def tracking_script(provider_id: str) -> str:
    return ("<script>window.dataLayer=window.dataLayer||[];"
            f"dataLayer.push({{'site':'{provider_id}','pageType':'article'}});</script>")
