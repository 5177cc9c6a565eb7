"""Who is asking: the client's address, and whether the editor API is open
to it.

The address is the TCP peer's. ``X-Forwarded-For`` is believed only when
the peer itself is one of ``serve.trusted_proxies``: any client can write
that header, so trusting it from everyone would let anyone claim to be
127.0.0.1. `topicwire serve` turns uvicorn's own proxy-header handling off
for the same reason (it trusts 127.0.0.1 by default), so this module is the
one place that decides.

Behind a reverse proxy on this machine every request arrives from the
proxy's address; unless the proxy is listed in ``serve.trusted_proxies``
(and sets ``X-Forwarded-For``), every client looks local to the editor
network check. The README says so.
"""

from __future__ import annotations

import ipaddress
from typing import Iterable, Union

from starlette.requests import HTTPConnection

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


def parse_networks(entries: Iterable[str]) -> tuple[IPNetwork, ...]:
    """CIDRs or single addresses as networks (host bits set are tolerated:
    "192.168.1.7/24" means that address's network). The settings model has
    validated them already; a ValueError here is a programming error."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def parse_address(text: str | None) -> IPAddress | None:
    """``text`` as an address, IPv4-mapped IPv6 folded back to IPv4 (a
    dual-stack listener shows 127.0.0.1 as ::ffff:127.0.0.1); None for
    anything that is not an address (a name, "testclient", garbage)."""
    if not text:
        return None
    candidate = text.strip()
    if candidate.startswith("[") and "]" in candidate:
        candidate = candidate[1:candidate.index("]")]  # "[::1]:443" -> "::1"
    try:
        address = ipaddress.ip_address(candidate.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def within(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    # an IPv4 address is never "in" an IPv6 network and vice versa; the
    # version check keeps ipaddress from raising on the mix
    return any(address.version == net.version and address in net for net in networks)


def client_address(connection: HTTPConnection, trusted_proxies: tuple[IPNetwork, ...]) -> IPAddress | None:
    """The client's address, or None when it cannot be known (no peer, a
    peer or forwarded entry that is not an address)."""
    peer = parse_address(connection.client.host if connection.client else None)
    if peer is None or not trusted_proxies or not within(peer, trusted_proxies):
        return peer
    # several X-Forwarded-For headers are one list, in order
    forwarded = ",".join(connection.headers.getlist("x-forwarded-for"))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return peer
    # Each proxy appends the address it received the request from, so the
    # entries on the right were written by our proxies and those on the
    # left by whoever sent the request. The client is the rightmost entry
    # that is not one of our proxies; anything left of it is the client's
    # own claim and is ignored.
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            return None  # a trusted proxy wrote garbage: believe nothing
        if not within(address, trusted_proxies):
            return address
    return parse_address(hops[0])
