"""Sending the digest: one multipart/alternative message per recipient
(Markdown as text/plain, then HTML), over one SMTP connection.

Each recipient gets a message addressed to them alone, so that subscribers
never see one another's addresses. Every failure ends as one MailError
that names the server; the password is never part of any message.
"""

from __future__ import annotations

import ipaddress
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr

from topicwire.config import NewsletterSettings
from topicwire.errors import ConfigError, MailError

# seconds to wait for the server at each step; a stuck server must not hang a cron job
TIMEOUT = 30.0


@dataclass
class SendResult:
    server: str
    accepted: list[str] = field(default_factory=list)
    # recipient -> the server's reason
    refused: dict[str, str] = field(default_factory=dict)


def server_label(settings: NewsletterSettings) -> str:
    host = settings.smtp_host
    return f"[{host}]:{settings.smtp_port}" if ":" in host else f"{host}:{settings.smtp_port}"


def build_message(
    sender: str, recipient: str, subject: str, html: str, text: str, *, now: datetime | None = None
) -> EmailMessage:
    """The digest as one e-mail: text first, HTML last (clients show the
    last alternative they can render)."""
    message = EmailMessage()
    try:
        message["From"] = sender
        message["To"] = recipient
        message["Subject"] = " ".join(subject.split())
    except (ValueError, TypeError) as exc:  # e.g. a line break smuggled into an address
        raise ConfigError(f"cannot use this address in a mail header: {exc}", field="newsletter") from None
    message["Date"] = format_datetime(now or datetime.now(timezone.utc))
    message["Message-ID"] = make_msgid(domain=_domain(sender))
    # asks vacation responders and the like not to answer a newsletter (RFC 3834)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def _domain(sender: str) -> str:
    # the sender's domain keeps ids unique without a DNS lookup of this host
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


def recipients_of(settings: NewsletterSettings) -> list[str]:
    """The configured recipients as bare addresses, each once, in order."""
    found: list[str] = []
    for _name, address in getaddresses(settings.recipients):
        if address and address not in found:
            if "@" not in address or any(c.isspace() for c in address):
                raise ConfigError(f"{address!r} is not an e-mail address", field="newsletter.recipients")
            found.append(address)
    return found


def smtp_password(settings: NewsletterSettings, password: str | None = None) -> str | None:
    """The password to log in with, or None when no login is configured."""
    if not settings.smtp_username:
        return None
    if password is not None:
        return password
    name = settings.smtp_password_env
    if not name:
        raise ConfigError(
            "smtp_username is set but smtp_password_env (the environment variable holding the password) is not",
            field="newsletter.smtp_password_env",
        )
    value = os.environ.get(name)
    if not value:
        raise ConfigError(f"the environment variable {name} (newsletter.smtp_password_env) is not set")
    return value


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def send_digest(
    settings: NewsletterSettings, subject: str, html: str, text: str, *, password: str | None = None
) -> SendResult:
    """Send the digest to every configured recipient. Recipients the server
    refuses are reported in the result; anything else that fails raises."""
    server = server_label(settings)
    recipients = recipients_of(settings)
    if not recipients:
        raise MailError("no recipients to send to (list them under newsletter.recipients)", source=server)
    secret = smtp_password(settings, password)
    if secret is not None and settings.smtp_security == "none" and not _is_loopback(settings.smtp_host):
        # a password sent in the clear can be read by anyone on the path
        raise ConfigError(
            f"refusing to send the SMTP password to {server} unencrypted (use smtp_security starttls or ssl)",
            field="newsletter.smtp_security",
        )
    envelope_from = parseaddr(settings.sender)[1] or settings.sender
    messages = [build_message(settings.sender, r, subject, html, text) for r in recipients]
    result = SendResult(server)
    connected = False
    try:
        with _connect(settings) as smtp:
            connected = True
            if secret is not None:
                smtp.login(settings.smtp_username or "", secret)
            for recipient, message in zip(recipients, messages, strict=True):
                try:
                    smtp.send_message(message, from_addr=envelope_from, to_addrs=[recipient])
                except smtplib.SMTPRecipientsRefused as exc:
                    code, reason = exc.recipients.get(recipient, (0, b""))
                    result.refused[recipient] = _reply(code, reason)
                else:
                    result.accepted.append(recipient)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            f"the server refused the login of {settings.smtp_username!r}: {_reply(exc.smtp_code, exc.smtp_error)}",
            source=server,
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        # STARTTLS missing, or AUTH only offered once the connection is encrypted
        hint = " (see newsletter.smtp_security)" if "STARTTLS" in str(exc) or "AUTH" in str(exc) else ""
        raise MailError(f"{_one_line(str(exc)).rstrip('.')}{hint}", source=server) from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(
            f"the server refused the sender {envelope_from}: {_reply(exc.smtp_code, exc.smtp_error)}", source=server
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(_sent_so_far(result, f"the server refused: {_reply(exc.smtp_code, exc.smtp_error)}"),
                        source=server) from None
    except smtplib.SMTPServerDisconnected:
        raise MailError(_sent_so_far(result, "the server closed the connection"), source=server) from None
    except smtplib.SMTPException as exc:
        raise MailError(_sent_so_far(result, f"SMTP failed: {_one_line(str(exc))}"), source=server) from None
    except ssl.SSLError as exc:
        raise MailError(f"TLS failed: {_one_line(exc.reason or str(exc))}", source=server) from None
    except socket.gaierror as exc:
        raise MailError(f"cannot resolve the host name: {_one_line(exc.strerror or str(exc))}", source=server) from None
    except OSError as exc:
        reason = _one_line(exc.strerror or str(exc) or type(exc).__name__)
        what = _sent_so_far(result, "connection lost") if connected else "cannot connect"
        raise MailError(f"{what}: {reason}", source=server) from None
    return result


def _connect(settings: NewsletterSettings) -> smtplib.SMTP:
    # this host's own name for EHLO: getfqdn() can stall on a DNS lookup
    local = socket.gethostname() or "localhost"
    host, port = settings.smtp_host, settings.smtp_port
    if settings.smtp_security == "ssl":
        return smtplib.SMTP_SSL(host, port, local_hostname=local, timeout=TIMEOUT,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(host, port, local_hostname=local, timeout=TIMEOUT)
    try:
        if settings.smtp_security == "starttls":
            smtp.ehlo()
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _reply(code: int, reason: bytes | str) -> str:
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    return _one_line(f"{code} {text}")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _sent_so_far(result: SendResult, message: str) -> str:
    if result.accepted:
        return f"{message} (after sending to {len(result.accepted)} of the recipients)"
    return message
