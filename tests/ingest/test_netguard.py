"""The address guard on its own: which addresses are refused, how allow
entries match, and that the backend connects to the checked address."""

from __future__ import annotations

import asyncio
import ipaddress

import httpcore
import httpx
import pytest

from topicwire.errors import ConfigError
from topicwire.ingest.netguard import AddressGuard, PinnedBackend, RefusedAddress, unsafe_reason

pytestmark = pytest.mark.timeout(10)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.3.4.5", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "shared"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.1", "private"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fc00::1", "private"),
        ("fe80::1", "link-local"),
        ("ff02::1", "multicast"),
        ("ff0e::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.1.2.3", "private"),
        ("64:ff9b::a00:1", "private"),
        ("2002:a00:1::", "private"),
        ("2001:db8::1", "private"),
    ],
)
def test_unsafe_addresses_are_named_with_their_kind(address, kind):
    reason = unsafe_reason(ipaddress.ip_address(address))
    assert reason is not None and kind in reason


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_unicast_addresses_pass(address):
    assert unsafe_reason(ipaddress.ip_address(address)) is None


def test_allow_entries_exempt_exactly_their_address_and_port():
    guard = AddressGuard({"127.0.0.1:8123", "[::1]:8124", "LocalHost:8125"})
    assert str(guard.check("a.example", "127.0.0.1", 8123)) == "127.0.0.1"
    assert guard.check("a.example", "::ffff:127.0.0.1", 8123).ipv4_mapped == ipaddress.ip_address("127.0.0.1")
    assert str(guard.check("[::1]", "::1", 8124)) == "::1"
    assert str(guard.check("localhost", "127.0.0.1", 8125)) == "127.0.0.1"
    for host, address, port in [
        ("a.example", "127.0.0.1", 8124),  # right address, other port
        ("a.example", "127.0.0.2", 8123),  # other address, right port
        ("a.example", "127.0.0.1", 8125),  # the name entry covers the name only
        ("localhost", "127.0.0.1", 8123 + 10),
    ]:
        with pytest.raises(RefusedAddress):
            guard.check(host, address, port)


@pytest.mark.parametrize("entry", ["127.0.0.1", "127.0.0.1:", ":80", "host:0", "host:99999", "[::1:80", "a:b"])
def test_malformed_allow_entries_are_configuration_errors(entry):
    with pytest.raises(ConfigError):
        AddressGuard({entry})


class _Recorder(httpcore.AsyncNetworkBackend):
    """A base backend that records where it was asked to connect."""

    def __init__(self, fail: set[str] = frozenset()):
        self.targets: list[tuple[str, int]] = []
        self.fail = fail

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.targets.append((host, port))
        if host in self.fail:
            raise httpcore.ConnectError("unreachable")
        return object()


def _backend(answers, allow=(), fail=frozenset()):
    calls: list[str] = []

    async def resolver(host, port):
        calls.append(host)
        return answers[min(len(calls), len(answers)) - 1]

    base = _Recorder(fail)
    return PinnedBackend(AddressGuard(allow), resolver, base), base, calls


def test_connection_goes_to_the_checked_address_not_the_name():
    backend, base, calls = _backend([["93.184.216.34"]])
    asyncio.run(backend.connect_tcp("news.example", 443, timeout=1))
    assert base.targets == [("93.184.216.34", 443)]
    assert calls == ["news.example"]


def test_each_connection_resolves_once_and_is_checked_again():
    # a rebinding DNS: public for the first lookup, internal afterwards
    backend, base, calls = _backend([["93.184.216.34"], ["127.0.0.1"]])
    asyncio.run(backend.connect_tcp("rebind.example", 80, timeout=1))
    with pytest.raises(RefusedAddress, match="127.0.0.1 is a loopback address"):
        asyncio.run(backend.connect_tcp("rebind.example", 80, timeout=1))
    assert calls == ["rebind.example", "rebind.example"]
    assert base.targets == [("93.184.216.34", 80)]


def test_one_unsafe_answer_refuses_the_whole_answer():
    backend, base, _ = _backend([["93.184.216.34", "10.0.0.7"]])
    with pytest.raises(RefusedAddress, match="10.0.0.7 is a private address"):
        asyncio.run(backend.connect_tcp("mixed.example", 80, timeout=1))
    assert base.targets == []


def test_every_checked_address_is_tried_in_order():
    backend, base, _ = _backend([["93.184.216.34", "93.184.216.35"]], fail={"93.184.216.34"})
    asyncio.run(backend.connect_tcp("two.example", 80, timeout=1))
    assert base.targets == [("93.184.216.34", 80), ("93.184.216.35", 80)]


def test_ip_literals_are_checked_without_asking_the_resolver():
    backend, base, calls = _backend([["93.184.216.34"]])
    with pytest.raises(RefusedAddress):
        asyncio.run(backend.connect_tcp("169.254.169.254", 80, timeout=1))
    with pytest.raises(RefusedAddress):
        asyncio.run(backend.connect_tcp("::1", 80, timeout=1))
    assert calls == [] and base.targets == []


def test_names_that_do_not_resolve_are_connect_errors():
    async def nothing(host, port):
        raise OSError("no such name")

    backend = PinnedBackend(AddressGuard(), nothing, _Recorder())
    with pytest.raises(httpcore.ConnectError, match="does not resolve"):
        asyncio.run(backend.connect_tcp("gone.example", 80, timeout=1))


class _Stream(httpcore.AsyncNetworkStream):
    """Records what the HTTP layer does with a connection, then fails."""

    def __init__(self, log: dict):
        self.log = log

    async def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        self.log["sni"] = server_hostname
        raise httpcore.ConnectError("stop after the handshake was asked for")

    async def write(self, buffer, timeout=None):
        self.log["sent"] = self.log.get("sent", b"") + buffer

    async def read(self, max_bytes, timeout=None):
        raise httpcore.ReadError("stop after the request was sent")

    async def aclose(self):
        pass

    def get_extra_info(self, info):
        return None


class _StreamBackend(_Recorder):
    def __init__(self):
        super().__init__()
        self.log: dict = {}

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.targets.append((host, port))
        return _Stream(self.log)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_host_header_and_sni_keep_the_name(scheme):
    from topicwire.ingest.netguard import PinnedTransport

    async def resolver(host, port):
        return ["93.184.216.34"]

    base = _StreamBackend()
    transport = PinnedTransport(PinnedBackend(AddressGuard(), resolver, base), limits=httpx.Limits())

    async def run():
        request = httpx.Request("GET", f"{scheme}://news.example/story")
        with pytest.raises((httpx.ConnectError, httpx.ReadError)):
            await transport.handle_async_request(request)
        await transport.aclose()

    asyncio.run(run())
    assert base.targets == [("93.184.216.34", 443 if scheme == "https" else 80)]
    if scheme == "https":
        assert base.log["sni"] == "news.example"
    else:
        assert b"Host: news.example\r\n" in base.log["sent"]
