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
_ESCAPE_RE = re.compile(r"%([0-9A-Fa-f]{2})")


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in _TRACKING_EXACT or name.startswith(_TRACKING_PREFIXES)


def _normalise_escapes(part: str) -> str:
    """Upper-case percent escapes and decode the ones that need no escaping."""

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _ESCAPE_RE.sub(fix, part)


def _host(hostname: str, url: str) -> str:
    host = hostname.rstrip(".").lower()
    if not host:
        raise RecordError("URL has no host", source=url)
    try:
        return host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise RecordError("URL host is not a valid domain name", source=url) from None


def strip_tracking(url: str) -> str:
    """The URL as found, less its tracking parameters (``originalUrl``)."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_parameter(k)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True, quote_via=quote)))


def normalize_url(url: str, base: str | None = None) -> str:
    """The canonical form of an http(s) URL (relative ones resolved against
    ``base``): lower-case scheme and host, no default port, no fragment, no
    tracking parameters, the rest of the query sorted, escapes normalised."""
    raw = url.strip()
    if base:
        raw = urljoin(base, raw)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise RecordError(f"not a valid URL ({exc})", source=url) from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise RecordError("only http and https URLs are followed", source=url)
    if not parts.hostname:
        raise RecordError("URL has no host", source=url)
    host = _host(parts.hostname, url)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _normalise_escapes(parts.path) or "/"
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

