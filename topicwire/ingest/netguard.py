"""Connect only to addresses that are safe to fetch from (SSRF guard).

Checking a host name before handing it to an HTTP client does not help: the
client resolves the name again, and a hostile DNS server can answer with a
public address the first time and 127.0.0.1 the second (DNS rebinding). So
the check lives where the socket is opened: a network backend for httpcore
that resolves the name once, checks every address it got, and connects to a
checked address itself. The HTTP layer above still sees the host name, so
the Host header and TLS SNI/certificate checks are unchanged.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from topicwire.errors import ConfigError, TopicwireError

Resolver = Callable[[str, int], Awaitable[list[str]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# 100.64.0.0/10 is carrier-grade NAT space: not "private" to the ipaddress
# module, but as internal as 10/8 for whoever runs it.
_SHARED = ipaddress.ip_network("100.64.0.0/10")
# NAT64 gateways translate these into the IPv4 address in the low 32 bits,
# which may be an internal one on the gateway's side.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class RefusedAddress(TopicwireError):
    """A connection the guard would not open: ``reason`` says which address
    and why, ``source`` names host:port."""


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def unsafe_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be connected to, or None if it is a plain
    public unicast address."""
    inner = _embedded_ipv4(address)
    if inner is not None:
        why = unsafe_reason(inner)
        return f"{why} (inside {address})" if why else None
    kinds = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("shared (carrier-grade NAT)", isinstance(address, ipaddress.IPv4Address) and address in _SHARED),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("site-local", isinstance(address, ipaddress.IPv6Address) and address.is_site_local),
        ("non-global", not address.is_global),
    )
    for kind, hit in kinds:
        if hit:
            article = "an" if kind[0] in "aeiou" else "a"
            return f"{address} is {article} {kind} address"
    return None


def parse_ip(text: str) -> IPAddress | None:
    """``text`` as an IP address (brackets and IPv6 zone allowed), or None
    if it is a name."""
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def _plain(address: IPAddress) -> IPAddress:
    # ::ffff:a.b.c.d reaches the same socket as a.b.c.d, so an allow entry
    # for one has to match the other
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class AddressGuard:
    """Decides which (host, address, port) connections may be opened.

    ``allow`` holds ``host:port`` entries exempt from the check: an IP entry
    ("127.0.0.1:8123", "[::1]:8123") exempts that address on that port, a
    name entry ("localhost:8123") exempts whatever that name resolves to on
    that port. Nothing else is ever exempt.
    """

    def __init__(self, allow: Iterable[str] = ()):
        self._addresses: set[tuple[IPAddress, int]] = set()
        self._names: set[tuple[str, int]] = set()
        for entry in allow:
            host, port = _split_entry(entry)
            ip = parse_ip(host)
            if ip is not None:
                self._addresses.add((_plain(ip), port))
            else:
                self._names.add((host.lower().rstrip("."), port))

    def check(self, host: str, address: str, port: int) -> IPAddress:
        """The address, parsed, if a connection to it may be opened for
        ``host``; RefusedAddress otherwise."""
        ip = parse_ip(address)
        where = f"{host}:{port}"
        if ip is None:
            raise RefusedAddress(f"{address!r} is not an IP address", source=where)
        if (_plain(ip), port) in self._addresses or (host.lower().rstrip("."), port) in self._names:
            return ip
        reason = unsafe_reason(ip)
        if reason:
            raise RefusedAddress(reason, source=where)
        return ip


def _split_entry(entry: str) -> tuple[str, int]:
    host, sep, port = entry.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"allow entry {entry!r} must be host:port, e.g. 127.0.0.1:8123", field="allow")
    if host.startswith("[") != host.endswith("]"):
        raise ConfigError(f"allow entry {entry!r} has unbalanced brackets", field="allow")
    return host.strip("[]"), int(port)


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host``, in its order."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    seen: dict[str, None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        seen.setdefault(str(sockaddr[0]), None)
    return list(seen)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that resolves each connection's host once,
    refuses the connection unless every address passes the guard, and then
    connects to those very addresses (never to the name)."""

    def __init__(
        self,
        guard: AddressGuard,
        resolver: Resolver | None = None,
        base: httpcore.AsyncNetworkBackend | None = None,
    ):
        self._guard = guard
        self._resolver = resolver or system_resolver
        self._base = base or httpcore.AnyIOBackend()

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """The checked addresses for one connection to host:port."""
        literal = parse_ip(host)
        if literal is not None:
            answers = [str(literal)]
        else:
            try:
                answers = list(await self._resolver(host, port))
            except (OSError, UnicodeError, ValueError) as exc:
                raise httpcore.ConnectError(f"{host} does not resolve: {exc}") from exc
            if not answers:
                raise httpcore.ConnectError(f"{host} does not resolve")
        # one bad answer refuses them all: an attacker who controls the
        # zone can order the answers, so "try the good one first" is no guard
        return [self._guard.check(host, answer, port) for answer in answers]

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self.resolve(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"{host}: name resolution timed out") from None
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._base.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        raise httpcore.ConnectError("unix sockets are never fetched from")

    async def sleep(self, seconds: float) -> None:
        await self._base.sleep(seconds)


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """One verifying context for the process: loading the CA bundle is the
    slow part of making a client, and the context is safe to share."""
    return httpx.create_ssl_context(trust_env=False)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx transport whose connections all go through a PinnedBackend.

    httpx 0.28 does not pass a network backend through to its connection
    pool, so the pool is rebuilt here with the same settings plus the
    backend; the rest of the transport (request/response mapping,
    exception mapping) is httpx's own. httpx is pinned, and
    test_netguard's transport test fails loudly if this stops holding.
    """

    def __init__(self, backend: PinnedBackend, *, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None):
        context = ssl_context or default_ssl_context()
        super().__init__(verify=context, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend,
        )
