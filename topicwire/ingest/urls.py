"""URL normalisation, AMP cache addresses and article ids.

The canonical form of a URL is what identifies an article: two addresses
that differ only in case of the host, a default port, a fragment, tracking
parameters or the order of the query are the same article.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from topicwire.errors import RecordError
from topicwire.model import article_id

# Parameters that only say who sent the reader, never what the page is.
_TRACKING_EXACT = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
    "vero_id", "rb_clickid", "s_cid", "cmpid", "ncid", "ocid", "sr_share", "spm",
}
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPE_RE = re.compile(r"%(?:([0-9A-Fa-f]{2})|(?![0-9A-Fa-f]{2}))")
# what an error message must not show raw: control characters, line and
# paragraph separators, lone surrogates
_UNSHOWABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SHOWN = 200
_SPACE_RE = re.compile(r"[\s\x00-\x1f\x7f]")
_MAX_HOST = 253


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in _TRACKING_EXACT or name.startswith(_TRACKING_PREFIXES)


def _normalise_escapes(part: str) -> str:
    """Upper-case percent escapes and decode the ones that need no escaping.
    A '%' that starts no escape is escaped itself ('%25'), as the query's
    is: otherwise decoding could make a new escape of it ("%4%44" -> "%4D"),
    and normalising the result again would change it again."""

    def fix(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return "%25"
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _ESCAPE_RE.sub(fix, part)


def _host(hostname: str, url: str) -> str:
    host = hostname.rstrip(".").lower()
    if not host:
        raise RecordError("URL has no host", source=url)
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise RecordError("URL host is not a valid domain name", source=url) from None
    # no DNS name is longer, or holds spaces or control characters; a
    # record could not keep such a host as its provider's domain either
    if len(host) > _MAX_HOST or any(c.isspace() or not c.isprintable() for c in host):
        raise RecordError("URL host is not a valid domain name", source=url)
    return host


def _shown(url: str) -> str:
    """The URL as an error message names it: on one line and at most
    ``_SHOWN`` characters, since a hostile address may hold line breaks
    (which would forge lines of a log) or megabytes."""
    text = _UNSHOWABLE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", url.strip())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _check_text(url: str) -> None:
    """A URL holding a lone surrogate (JSON's "\\ud800" escapes make them)
    can be neither sent nor stored nor hashed: refused up front, as a
    RecordError, instead of failing later as a UnicodeEncodeError."""
    try:
        url.encode("utf-8")
    except UnicodeEncodeError:
        raise RecordError("not a valid URL (it holds a character that is not text)", source=_shown(url)) from None


def strip_tracking(url: str) -> str:
    """The URL as found, less its tracking parameters (``originalUrl``)."""
    _check_text(url)
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        # e.g. "http://[x": urlsplit refuses a broken IPv6 literal
        raise RecordError(f"not a valid URL ({exc})", source=_shown(url)) from None
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in pairs if not is_tracking_parameter(k)]
    if len(query) == len(pairs):
        # nothing to take out: the URL as found, not as urllib would rebuild
        # it (which is not stable: "//////" -> "////" -> "//")
        return url.strip()
    # stripped again: what stood before the query may now end the URL
    # ("https://a.example ?utm_source=x")
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True, quote_via=quote))).strip()


def normalize_url(url: str, base: str | None = None) -> str:
    """The canonical form of an http(s) URL (relative ones resolved against
    ``base``): lower-case scheme and host, no default port, no fragment, no
    tracking parameters, the rest of the query sorted, escapes normalised."""
    raw = url.strip()
    try:
        # inside the try: urljoin parses the base and the URL too
        raw = urljoin(base, raw) if base else raw
        _check_text(raw)
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise RecordError(f"not a valid URL ({exc})", source=_shown(url)) from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise RecordError("only http and https URLs are followed", source=_shown(url))
    if not parts.hostname:
        raise RecordError("URL has no host", source=_shown(url))
    host = _host(parts.hostname, _shown(url))
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    # whitespace and control characters escaped the way browsers send them
    # ("a b" -> "a%20b"): a canonical link written with a space is still
    # the page's address
    path = _SPACE_RE.sub(lambda m: quote(m.group()), _normalise_escapes(parts.path)) or "/"
    pairs = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_parameter(k)
    ]
    query = urlencode(sorted(pairs), doseq=True, quote_via=quote)
    return urlunsplit((scheme, netloc, path, query, ""))


def url_id(url: str) -> str:
    """The article id for a URL: the hash of its canonical form."""
    return article_id(normalize_url(url))


def amp_cache_host(host: str) -> str:
    """The AMP cache subdomain for an origin host, by the AMP cache rules:
    punycode decoded, '-' doubled, '.' turned into '-', encoded again; a
    label with '--' in 3rd-4th place is wrapped in '0-'...'-0'; a result that
    is not a valid DNS label becomes the base32 of the host's SHA-256."""
    host = host.rstrip(".").lower()
    try:
        unicode_host = host.encode("ascii").decode("idna") if host.isascii() else host
    except UnicodeError:
        unicode_host = host
    label = unicode_host.replace("-", "--").replace(".", "-")
    if len(label) >= 4 and label[2:4] == "--":
        label = f"0-{label}-0"
    try:
        encoded = label.encode("idna").decode("ascii") if not label.isascii() else label
    except UnicodeError:
        encoded = ""
    if not encoded or len(encoded) > 63 or "." not in host:
        digest = hashlib.sha256(unicode_host.encode("utf-8")).digest()
        encoded = base64.b32encode(digest).decode("ascii").lower().rstrip("=")
    return encoded


def amp_cache_url(amp_url: str, cache: str = "cdn.ampproject.org") -> str:
    """The AMP cache address of an AMP page, e.g.
    ``https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a/amp``."""
    parts = urlsplit(amp_url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise RecordError("not an http(s) URL", source=amp_url)
    secure = "s/" if parts.scheme == "https" else ""
    rest = parts.netloc + (parts.path or "/")
    if parts.query:
        rest += "?" + parts.query
    return f"https://{amp_cache_host(parts.hostname)}.{cache}/c/{secure}{rest}"

