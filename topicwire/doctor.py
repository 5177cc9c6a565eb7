"""`topicwire doctor`: insecure or risky settings of a project, each as a
finding with a severity and the fix.

Every check is a plain function of the project (and the environment, which
holds half of the secrets) returning findings; ``diagnose`` runs them all.
Nothing here changes the project: files are only stat'ed and read, the
database is only queried (opened without migrating it, so an old store is
reported as it is, not upgraded behind the user's back).

Layering: this module reads config, secure, ingest.netguard and the store's
schema, so it sits at the pipeline's level; only the command line imports
it (tests/test_doctor.py checks that, since the import-linter contract does
not name it).
"""

from __future__ import annotations

import ipaddress
import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from topicwire.config import ENV_DATABASE, ENV_EDITOR_TOKEN, ENV_KEYS, LOOPBACK_NETWORKS, Project
from topicwire.errors import SecureError, StoreError
from topicwire.ingest.netguard import parse_ip, unsafe_reason
from topicwire.secure import ENV_ALLOW_OPEN_KEY_FILE, KeyRing, key_file_problem, keys_from_env, load_key_file
from topicwire.store.db import create_store_engine
from topicwire.store.schema import articles

ERROR, WARNING, INFO, OK = "error", "warning", "info", "ok"
SEVERITIES = (ERROR, WARNING, INFO, OK)

# Values that are public, so worthless as a token: placeholders people
# paste from examples, and the token the test suite uses (it is in the
# repository). Compared with case and punctuation ignored.
KNOWN_TOKENS = (
    "changeme", "change-me", "change-this", "changeit", "secret", "token", "password", "example",
    "editor-token", "your-token", "your-editor-token", "your-token-here", "topicwire", "test-token",
    "editor-token-0123456789abcdef",
)
MIN_TOKEN = 16  # the settings file's own minimum: below it, an error
GOOD_TOKEN = 32  # secrets.token_urlsafe(32) gives 43; 32 characters is the floor we recommend
GOOD_TOKEN_BITS = 128


@dataclass(frozen=True)
class Finding:
    severity: str  # error, warning, info, ok
    topic: str  # what it is about: keys, editor token, serve, fetch, database, store, newsletter
    message: str
    fix: str | None = None

    def line(self) -> str:
        text = f"{self.severity:<7} {self.topic}: {self.message}"
        return text + (f"; fix: {self.fix}" if self.fix else "")


def _open_to_others(path: Path, mask: int) -> int | None:
    """The file's mode when it has any of ``mask``'s bits, else None (also
    for a missing file, or on a system without POSIX modes)."""
    if os.name != "posix":
        return None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    return mode if mode & mask else None


# -- keys -------------------------------------------------------------------------


def check_keys(project: Project) -> list[Finding]:
    findings: list[Finding] = []
    path = project.keys_file
    if os.environ.get(ENV_ALLOW_OPEN_KEY_FILE) == "1":
        findings.append(Finding(
            WARNING, "keys", f"{ENV_ALLOW_OPEN_KEY_FILE}=1 lets a key file that others can read be used",
            f"chmod 600 the key file and unset {ENV_ALLOW_OPEN_KEY_FILE}",
        ))
    if keys_from_env():
        try:
            ring = KeyRing.from_env(os.environ[ENV_KEYS])
        except SecureError as exc:
            return findings + [Finding(ERROR, "keys", f"{ENV_KEYS} is not a key ring: {exc.reason}",
                                       "give it as id:base64key,id:base64key (the first is active)")]
        findings.append(Finding(OK, "keys", f"{len(ring.ids)} key(s) from {ENV_KEYS}, active {ring.active_id}"))
        if path.exists():
            findings.append(Finding(
                WARNING, "keys", f"{ENV_KEYS} is set and wins over the key file {path}, whose keys are not used",
                "keep the keys in one place: unset the variable, or move the file out of the project "
                "(back it up first: its keys may seal stored text)",
            ))
    elif not path.exists():
        return findings + [Finding(
            ERROR, "keys", f"no key file at {path}: full text can be neither stored nor read",
            "'topicwire keys init' for a project that never had one; otherwise restore it from your backup",
        )]
    # a key file holds secrets whether or not the environment overrides it
    if path.exists():
        problem = key_file_problem(path)
        if problem:
            findings.append(Finding(ERROR, "keys", f"{path}: {problem.partition('; run ')[0]}", f"chmod 600 {path}"))
        elif not keys_from_env():
            try:
                ring = load_key_file(path)
            except SecureError as exc:
                findings.append(Finding(ERROR, "keys", f"{path}: {exc.reason}", "restore the key file from your backup"))
            else:
                findings.append(Finding(OK, "keys", f"{path} is private, {len(ring.ids)} key(s), active {ring.active_id}"))
    return findings


def project_ring_quietly(project: Project) -> KeyRing | None:
    """The ring the commands would use, or None when they could not load it
    (check_keys says why)."""
    try:
        if keys_from_env():
            return KeyRing.from_env(os.environ[ENV_KEYS])
        if project.keys_file.exists() and not key_file_problem(project.keys_file):
            return load_key_file(project.keys_file)
    except SecureError:
        pass
    return None


# -- the editor token ---------------------------------------------------------------


def _normalised(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def token_weakness(token: str) -> str | None:
    """Why a token looks guessable, or None. A heuristic: it cannot know
    how a token was made, only spot the ones that were clearly not drawn
    at random (few distinct characters, runs like 'abcdef' or '000000',
    too small an alphabet for its length)."""
    distinct = len(set(token))
    if distinct < 10:
        return f"it has only {distinct} distinct characters"
    longest = run = 1
    previous: int | None = None
    for a, b in zip(token, token[1:], strict=False):  # pairs of neighbours: one fewer than characters
        step = ord(b) - ord(a)
        if step not in (-1, 0, 1):
            run = 1
        elif step == previous:
            run += 1
        else:
            run = 2
        previous = step
        longest = max(longest, run)
    if longest >= 6:
        return f"it has a run of {longest} repeated or consecutive characters"
    pool = sum(size for chars, size in (
        ("abcdefghijklmnopqrstuvwxyz", 26), ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26), ("0123456789", 10),
    ) if any(ch in chars for ch in token))
    pool += 33 if any(not ch.isascii() or not ch.isalnum() for ch in token) else 0
    bits = len(token) * math.log2(max(pool, 2))
    if bits < GOOD_TOKEN_BITS:
        return f"at most {bits:.0f} bits of randomness from its length and alphabet (want {GOOD_TOKEN_BITS})"
    return None


def check_editor_token(project: Project) -> list[Finding]:
    findings: list[Finding] = []
    env_token = os.environ.get(ENV_EDITOR_TOKEN)
    file_token = project.settings.serve.editor_token
    token = project.editor_token
    make = "a random one, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))', " \
           f"in {ENV_EDITOR_TOKEN}"
    if not token:
        return [Finding(INFO, "editor token", "none configured: the editor API is off")]
    if file_token:
        where = f"serve.editor_token is written in {project.config_path}"
        if env_token:
            where += f" ({ENV_EDITOR_TOKEN} wins, but the file's copy is still a secret lying in a file)"
        findings.append(Finding(WARNING, "editor token", where,
                                f"move it to {ENV_EDITOR_TOKEN} and delete it from the settings file"))
        mode = _open_to_others(project.config_path, stat.S_IRWXG | stat.S_IRWXO)
        if mode is not None:
            findings.append(Finding(
                ERROR, "editor token",
                f"{project.config_path} holds the editor token and group or others can read it (mode {mode:04o})",
                f"chmod 600 {project.config_path}, and better: move the token to {ENV_EDITOR_TOKEN}",
            ))
    source = ENV_EDITOR_TOKEN if env_token else "serve.editor_token"
    if _normalised(token) in {_normalised(t) for t in KNOWN_TOKENS}:
        findings.append(Finding(ERROR, "editor token", f"the token from {source} is a published example value",
                                f"replace it with {make}"))
    elif len(token) < MIN_TOKEN:
        findings.append(Finding(ERROR, "editor token", f"the token from {source} has {len(token)} characters",
                                f"replace it with {make}"))
    elif len(token) < GOOD_TOKEN:
        findings.append(Finding(WARNING, "editor token",
                                f"the token from {source} has {len(token)} characters (want {GOOD_TOKEN} or more)",
                                f"replace it with {make}"))
    else:
        weakness = token_weakness(token)
        if weakness:
            findings.append(Finding(WARNING, "editor token", f"the token from {source} looks guessable: {weakness}",
                                    f"replace it with {make}"))
        else:
            findings.append(Finding(OK, "editor token", f"from {source}, {len(token)} characters"))
    return findings


# -- exposure: where the server listens and whom the editor API answers --------------


def _is_loopback_host(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    address = parse_ip(host)
    return address is not None and address.is_loopback


def _networks(entries: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    # the settings model validated them; strict=False as serve/access.py reads them
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries]


def check_exposure(project: Project) -> list[Finding]:
    findings: list[Finding] = []
    serve = project.settings.serve
    editing = bool(project.editor_token)
    public = not _is_loopback_host(serve.host)
    if public and editing:
        findings.append(Finding(
            WARNING, "serve",
            f"serve.host is {serve.host} with an editor token set: the editor API and its bearer token must "
            "sit behind TLS termination (a reverse proxy serving https), or the token crosses the network in clear",
            "keep serve.host 127.0.0.1 behind a reverse proxy with TLS, and list it in serve.trusted_proxies",
        ))
    elif public:
        findings.append(Finding(INFO, "serve", f"serve.host is {serve.host}: the read-only API and site are "
                                               "reachable from other machines (no editor token, editing off)"))
    else:
        findings.append(Finding(OK, "serve", f"listens on {serve.host} only"))

    loopback = _networks(LOOPBACK_NETWORKS)
    wide = [
        str(net) for net in _networks(serve.editor_networks)
        if not any(net.version == lo.version and net.subnet_of(lo) for lo in loopback)  # type: ignore[arg-type]
    ]
    if wide and editing:
        everyone = any(net.prefixlen == 0 for net in _networks(wide))
        findings.append(Finding(
            WARNING, "serve",
            f"serve.editor_networks opens the editor API beyond this machine to {', '.join(wide)}"
            + (" (every address)" if everyone else ""),
            "list only the networks editors work from, and serve the editor API over TLS only",
        ))
    elif editing:
        findings.append(Finding(OK, "serve", "the editor API answers loopback clients only"))

    broad = [str(net) for net in _networks(serve.trusted_proxies) if net.num_addresses > 256]
    if broad:
        findings.append(Finding(
            WARNING, "serve",
            f"serve.trusted_proxies lists {', '.join(broad)}: any machine there can claim any client "
            "address with X-Forwarded-For",
            "list the reverse proxy's own address only",
        ))
    if editing and not serve.trusted_proxies and any(
        net.subnet_of(lo) for net in _networks(serve.editor_networks) for lo in loopback  # type: ignore[arg-type]
        if net.version == lo.version
    ):
        findings.append(Finding(
            INFO, "serve",
            "behind a reverse proxy on this machine every client arrives from loopback and passes the editor "
            "network check (only the token stays in the way)",
            "if a proxy forwards to topicwire, list its address in serve.trusted_proxies and have it set "
            "X-Forwarded-For",
        ))
    return findings


# -- fetching ---------------------------------------------------------------------------


def check_fetch(project: Project) -> list[Finding]:
    fetch = project.settings.fetch
    findings: list[Finding] = []
    if not fetch.respect_robots:
        findings.append(Finding(WARNING, "fetch", "fetch.respect_robots is false: robots.txt is ignored",
                                "set fetch.respect_robots: true (the default)"))
    for entry in fetch.allow:
        host, sep, port = entry.strip().rpartition(":")
        if not sep or not host or not port.isdigit():
            findings.append(Finding(ERROR, "fetch", f"fetch.allow entry {entry!r} is not host:port",
                                    "write it as e.g. 127.0.0.1:8123"))
            continue
        address = parse_ip(host)
        if address is None:
            reason = f"exempts whatever {host.strip('[]')} resolves to, private and loopback addresses included"
        else:
            why = unsafe_reason(address)
            if why is None:
                continue  # a public address: the entry changes nothing
            reason = f"opens a private range to the crawler: {why}"
        findings.append(Finding(
            WARNING, "fetch", f"fetch.allow entry {entry!r} {reason} (on port {port})",
            "keep only servers you run there, as exact address:port pairs; remove the rest",
        ))
    if not findings:
        findings.append(Finding(OK, "fetch", "robots.txt honoured, no private address allowed"))
    return findings


# -- the database -------------------------------------------------------------------------


def _sqlite_file(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - any URL sqlalchemy cannot read is not a file we can look at
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - never echo what might hold a password
        return "the database URL"


def check_database_server(project: Project) -> list[Finding]:
    """A database server: its password belongs in the environment, and a
    connection that leaves the machine should be encrypted."""
    try:
        parsed = make_url(project.database_url)
    except Exception:  # noqa: BLE001 - check_store reports a URL it cannot read
        return []
    findings: list[Finding] = []
    if parsed.password and project.settings.database and make_url(project.settings.database).password:
        findings.append(Finding(
            WARNING, "database", "the database password is written in the settings file",
            f"remove it from 'database:' and set the whole URL in {ENV_DATABASE} in the service's environment",
        ))
    # a Unix socket (no host, or a path) never leaves the machine
    local = not parsed.host or parsed.host.startswith("/") or _is_loopback_host(parsed.host)
    sslmode = str(parsed.query.get("sslmode", ""))
    if not local and sslmode not in ("require", "verify-ca", "verify-full"):
        findings.append(Finding(
            WARNING, "database", f"{_shown(project.database_url)} is reached without required TLS",
            "add ?sslmode=verify-full (or require) to the database URL",
        ))
    if not findings:
        findings.append(Finding(OK, "database", f"{_shown(project.database_url)}: no password in the settings file"))
    return findings


def check_database(project: Project) -> list[Finding]:
    """The database file's mode (or a server's connection settings), and
    whether full text sits in it in plain."""
    url = project.database_url
    file = _sqlite_file(url)
    findings: list[Finding] = []
    if file is None:
        findings = check_database_server(project)
    else:
        if not file.exists():
            return [Finding(INFO, "database", f"no database at {file} yet")]
        opened = [
            f"{path.name} (mode {mode:04o})"
            for path in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm"))
            if (mode := _open_to_others(path, stat.S_IROTH)) is not None
        ]
        if opened:
            findings.append(Finding(
                WARNING, "database",
                f"others can read {', '.join(opened)}: titles, excerpts, URLs and each article's set of words",
                f"chmod o-rwx {file}*",
            ))
        else:
            findings.append(Finding(OK, "database", f"{file} is not readable by others"))
    return findings + check_store(project)


def check_store(project: Project) -> list[Finding]:
    """Plain full text in the store (rows with content): left by a store
    made before encryption at rest, or by a key init/rotation not finished."""
    url = project.database_url
    try:
        engine = create_store_engine(url)
    except StoreError as exc:
        return [Finding(ERROR, "store", f"{_shown(url)}: {exc.reason}", "fix the database setting")]
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            if "articles" not in tables:
                return [Finding(INFO, "store", "no articles table yet (the first command that opens the store makes it)")]
            columns = {c["name"] for c in inspect(conn).get_columns("articles")}
            total = conn.execute(select(func.count()).select_from(articles)).scalar_one()
            if "secured" not in columns:
                plain = conn.execute(
                    select(func.count()).select_from(articles).where(articles.c.content.is_not(None))
                ).scalar_one() if "content" in columns else total
                return [Finding(
                    ERROR, "store",
                    f"the store predates encryption at rest: {plain} of {total} articles keep their full text "
                    "in plain, in the table and the search index",
                    "'topicwire keys init' (or 'topicwire keys rotate --resume' with TOPICWIRE_KEYS set) "
                    "upgrades the store and seals it",
                )]
            plain = conn.execute(
                select(func.count()).select_from(articles).where(articles.c.content.is_not(None))
            ).scalar_one()
            by_key = dict(conn.execute(
                select(articles.c.key_id, func.count())
                .where(articles.c.secured.is_not(None), articles.c.key_id.is_not(None))
                .group_by(articles.c.key_id)
            ).all())
    except SQLAlchemyError as exc:
        return [Finding(ERROR, "store", f"cannot read {_shown(url)}: {type(exc).__name__}",
                        "check the database setting and the file's permissions")]
    finally:
        engine.dispose()
    findings: list[Finding] = []
    if plain:
        fix = ("'topicwire keys init' (it makes the key file and seals the text)"
               if not keys_from_env() and not project.keys_file.exists()
               else "'topicwire keys rotate --resume' seals it with the active key")
        findings.append(Finding(ERROR, "store", f"{plain} of {total} articles keep their full text in plain", fix))
    ring = project_ring_quietly(project)
    if ring is not None:
        lost = {key: n for key, n in by_key.items() if key not in ring}
        if lost:
            findings.append(Finding(
                ERROR, "store",
                f"{sum(lost.values())} articles are sealed with keys this project's ring lacks: {', '.join(sorted(lost))}",
                "restore those keys from the key file's backup (never retire a key that still seals text)",
            ))
    if not findings:
        findings.append(Finding(OK, "store", f"{total} articles, no full text in plain"))
    return findings


# -- the newsletter --------------------------------------------------------------------------


def check_newsletter(project: Project) -> list[Finding]:
    mail = project.settings.newsletter
    host = mail.smtp_host
    findings: list[Finding] = []
    if mail.smtp_username and mail.smtp_security == "none" and not _is_loopback_host(host):
        findings.append(Finding(
            WARNING, "newsletter",
            f"newsletter.smtp_security is none for {host} with a username: the login would cross the network "
            "in clear (topicwire refuses to send the password, so --send fails)",
            "set newsletter.smtp_security to starttls or ssl",
        ))
    if mail.smtp_username and not mail.smtp_password_env:
        findings.append(Finding(
            WARNING, "newsletter", "newsletter.smtp_username is set without smtp_password_env",
            "name the environment variable that holds the password in newsletter.smtp_password_env",
        ))
    elif mail.smtp_password_env and not os.environ.get(mail.smtp_password_env):
        findings.append(Finding(INFO, "newsletter",
                                f"{mail.smtp_password_env} (newsletter.smtp_password_env) is not set here",
                                "set it where 'topicwire digest --send' runs"))
    return findings


CHECKS: tuple[Callable[[Project], list[Finding]], ...] = (
    check_keys, check_editor_token, check_exposure, check_fetch, check_database, check_newsletter,
)


def diagnose(project: Project) -> list[Finding]:
    """Every check's findings, in a fixed order."""
    return [finding for check in CHECKS for finding in check(project)]
