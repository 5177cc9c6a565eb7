"""`topicwire digest --send` against a real SMTP server on 127.0.0.1
(aiosmtpd), and the ways sending can fail."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import func, select

from topicwire.config import NewsletterSettings
from topicwire.errors import ConfigError, MailError
from topicwire.publish.mail import build_message, send_digest
from topicwire.store.schema import articles

RECIPIENTS = ["ana@example.org", "Bo Lind <bo@example.net>", "cy@example.com"]
USER, PASSWORD = "digest-bot", "s3cret-Pa55-do-not-print"


class Inbox:
    """An aiosmtpd handler that keeps what it receives; addresses under
    ``refuse`` get a 550 at RCPT."""

    def __init__(self, refuse: tuple[str, ...] = ()):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_server(inbox: Inbox, **options) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller


@pytest.fixture(scope="module")
def wire(crawled_project, tmp_path_factory):
    """A copy of the crawled project; each test writes its own settings file
    into it (paths in a settings file are relative to the file)."""
    folder = tmp_path_factory.mktemp("mail") / "wire"
    crawled_project.copy(folder)
    return folder


@pytest.fixture(scope="module")
def until(crawled_project) -> str:
    """The newest published article's time: the newswire lies in the past."""
    with crawled_project.open_store() as store, store.connect() as conn:
        newest = conn.execute(select(func.max(articles.c.published_at)).where(articles.c.published.is_(True))).scalar()
    return newest.isoformat()


def settings_file(wire, name: str, port: int, *, recipients=RECIPIENTS, extra: str = "") -> str:
    base = (wire / "topicwire.yaml").read_text(encoding="utf-8")
    listed = "".join(f"    - {r!r}\n" for r in recipients) if recipients else "    []\n"
    path = wire / f"{name}.yaml"
    path.write_text(
        base
        + "newsletter:\n  sender: 'Wire Digest <digest@wire.example.org>'\n"
        + "  smtp_host: 127.0.0.1\n"
        + f"  smtp_port: {port}\n  smtp_security: none\n  stories: 5\n"
        + extra
        + "  recipients:\n"
        + listed,
        encoding="utf-8",
    )
    return str(path)


def one_line_error(result) -> str:
    assert result.code == 1, result.out
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    return result.err


def test_send_delivers_one_multipart_message_to_every_recipient(cli, wire, until):
    inbox = Inbox()
    server = smtp_server(inbox)
    try:
        config = settings_file(wire, "send", server.port)
        result = cli("digest", "--config", config, "--until", until, "--since", "7d", "--send")
        printed = cli("digest", "--config", config, "--until", until, "--since", "7d")
    finally:
        server.stop()
    assert result.code == 0, result.err
    assert result.out.strip() == f"sent to 3 recipients via 127.0.0.1:{server.port}"
    # one message each, addressed to that recipient alone
    assert sorted(to for _, tos, _ in inbox.messages for to in tos) == sorted(
        ["ana@example.org", "bo@example.net", "cy@example.com"]
    )
    assert all(len(tos) == 1 and sender == "digest@wire.example.org" for sender, tos, _ in inbox.messages)
    ids = set()
    for _, tos, raw in inbox.messages:
        message = message_from_bytes(raw, policy=policy.default)
        assert message.get_content_type() == "multipart/alternative"
        parts = [p.get_content_type() for p in message.iter_parts()]
        assert parts == ["text/plain", "text/html"]
        assert message["Subject"].startswith("topicwire demo digest, ")
        assert message["To"].addresses[0].addr_spec == tos[0]
        assert message["From"].addresses[0].addr_spec == "digest@wire.example.org"
        assert parsedate_to_datetime(message["Date"]) and message["Message-ID"].endswith("@wire.example.org>")
        ids.add(message["Message-ID"])
        text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP lines end in CRLF
        html = message.get_body(("html",)).get_content()
        assert text == printed.out and text.startswith(f"# {message['Subject']}\n")
        assert "<script" not in html and html.lstrip().startswith("<!DOCTYPE html>")
        assert f"<title>{message['Subject']}</title>" in html
    assert len(ids) == 3


# a login without TLS is what this test needs (on 127.0.0.1 only; see mail.py)
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_send_logs_in_with_the_password_from_the_environment(cli, wire, until, monkeypatch):
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, data):
        if isinstance(data, LoginPassword):
            logins.append((data.login, data.password))
            ok = data.login == USER.encode() and data.password == PASSWORD.encode()
            return AuthResult(success=ok, handled=False)  # not handled: the server answers 535
        return AuthResult(success=False, handled=False)

    inbox = Inbox()
    server = smtp_server(inbox, authenticator=authenticator, auth_require_tls=False, auth_required=True)
    try:
        extra = f"  smtp_username: {USER}\n  smtp_password_env: TW_TEST_SMTP_PASSWORD\n"
        config = settings_file(wire, "auth", server.port, recipients=RECIPIENTS[:1], extra=extra)
        monkeypatch.delenv("TW_TEST_SMTP_PASSWORD", raising=False)
        missing = cli("digest", "--config", config, "--until", until, "--send")
        monkeypatch.setenv("TW_TEST_SMTP_PASSWORD", "wrong-" + PASSWORD)
        refused = cli("digest", "--config", config, "--until", until, "--send")
        monkeypatch.setenv("TW_TEST_SMTP_PASSWORD", PASSWORD)
        sent = cli("digest", "--config", config, "--until", until, "--send")
    finally:
        server.stop()
    assert "TW_TEST_SMTP_PASSWORD" in one_line_error(missing)
    error = one_line_error(refused)
    assert f"127.0.0.1:{server.port}" in error and USER in error and "535" in error
    assert sent.code == 0, sent.err
    assert sent.out.strip() == f"sent to 1 recipient via 127.0.0.1:{server.port}"
    assert len(inbox.messages) == 1 and logins[-1] == (USER.encode(), PASSWORD.encode())
    for result in (missing, refused, sent):
        assert PASSWORD not in result.out + result.err


def test_a_server_that_is_down_is_one_line_naming_it(cli, wire, until):
    port = free_port()  # bound and closed again: nothing listens there
    config = settings_file(wire, "down", port)
    error = one_line_error(cli("digest", "--config", config, "--until", until, "--send"))
    assert f"127.0.0.1:{port}" in error and "connect" in error


def test_no_recipients_is_one_line(cli, wire, until):
    config = settings_file(wire, "nobody", free_port(), recipients=[])
    error = one_line_error(cli("digest", "--config", config, "--until", until, "--send"))
    assert "recipients" in error and "127.0.0.1:" in error


def test_refused_recipients_are_reported_and_the_rest_still_get_it(cli, wire, until):
    inbox = Inbox(refuse=("bo@example.net",))
    server = smtp_server(inbox)
    try:
        result = cli("digest", "--config", settings_file(wire, "refuse", server.port), "--until", until, "--send")
    finally:
        server.stop()
    assert result.code == 0 and result.out.startswith("sent to 2 recipients")
    assert "bo@example.net" in result.err and "550" in result.err
    assert len(inbox.messages) == 2


def test_every_recipient_refused_is_a_failure(cli, wire, until):
    inbox = Inbox(refuse=("ana@example.org",))
    server = smtp_server(inbox)
    try:
        config = settings_file(wire, "refuse-all", server.port, recipients=RECIPIENTS[:1])
        result = cli("digest", "--config", config, "--until", until, "--send")
    finally:
        server.stop()
    assert result.code == 1 and "sent to 0 recipients" in result.out and not inbox.messages


def test_no_password_goes_out_in_the_clear_to_another_host():
    settings = NewsletterSettings(
        recipients=["a@example.org"], smtp_host="mail.example.org", smtp_security="none", smtp_username="u"
    )
    with pytest.raises(ConfigError, match="smtp_security"):
        send_digest(settings, "s", "<p>h</p>", "t", password="p")


def test_a_line_break_in_an_address_is_refused_not_sent():
    with pytest.raises(ConfigError):
        build_message("a@example.org\r\nBcc: victim@example.org", "b@example.org", "s", "<p>h</p>", "t")
    message = build_message("a@example.org", "b@example.org", "two\nlines", "<p>h</p>", "t")
    assert message["Subject"] == "two lines"


def test_an_unreachable_server_raises_a_mail_error():
    settings = NewsletterSettings(recipients=["a@example.org"], smtp_host="127.0.0.1", smtp_port=free_port(),
                                  smtp_security="starttls")
    with pytest.raises(MailError, match=r"^127\.0\.0\.1:\d+: cannot connect: "):
        send_digest(settings, "s", "<p>h</p>", "t")


def test_starttls_required_but_not_offered_is_one_line(cli, wire, until):
    server = smtp_server(Inbox())  # no TLS context: the server offers no STARTTLS
    try:
        config = settings_file(wire, "tls", server.port)
        (wire / "tls.yaml").write_text(
            (wire / "tls.yaml").read_text(encoding="utf-8").replace("smtp_security: none", "smtp_security: starttls"),
            encoding="utf-8",
        )
        error = one_line_error(cli("digest", "--config", config, "--until", until, "--send"))
    finally:
        server.stop()
    assert f"127.0.0.1:{server.port}" in error and "STARTTLS" in error and "smtp_security" in error
