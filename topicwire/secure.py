"""Content encryption at rest: AES-256-GCM under a ring of named keys.

A sealed text is written as the record format writes it,
``base64(ciphertext+tag);base64(nonce)`` (standard base64 with padding), and
the id of the key that sealed it travels beside it in the record's
``securedKey``. Every encryption draws a fresh random 12-byte nonce, and the
article's id is bound as associated data: a ciphertext copied onto another
article does not decrypt. GCM's tag is checked before anything is returned,
so a wrong key or an altered value is an error, never garbage.

Keys live in a key file (JSON, mode 0600, written atomically) or in the
``TOPICWIRE_KEYS`` environment variable as ``id:base64key,id:base64key``
(the first is the active key). The active key seals; every key in the ring
opens what it sealed, so old keys stay until no record uses them.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from topicwire.config import ENV_KEYS, Project
from topicwire.errors import RecordError, SecureError
from topicwire.model import Article
from topicwire.textfiles import load_yaml, write_atomic

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # GCM's standard nonce: random 96 bits never repeat in practice
TAG_BYTES = 16
KEY_FILE_VERSION = 1
MAX_KEY_FILE_BYTES = 1024 * 1024
# Set to 1 to use a key file that group or others may read (a shared
# volume that cannot keep Unix modes); `topicwire doctor` still reports it.
ENV_ALLOW_OPEN_KEY_FILE = "TOPICWIRE_ALLOW_OPEN_KEY_FILE"

_KEY_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_B64_RE = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


# -- one value ------------------------------------------------------------------


def _aad(article_id: str | None) -> bytes:
    if not article_id:
        raise SecureError("an article needs its id before its text is sealed or opened")
    return article_id.encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, what: str, source: str | None) -> bytes:
    try:
        if not _B64_RE.match(text):
            raise binascii.Error
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SecureError(f"malformed secured value: the {what} is not base64", source=source) from None


def split_secured(secured: str, *, source: str | None = None) -> tuple[bytes, bytes]:
    """(ciphertext with its tag, nonce) of a secured value, or a SecureError
    saying what is wrong with its shape."""
    parts = secured.split(";")
    if len(parts) != 2:
        raise SecureError("malformed secured value: expected 'base64(ciphertext);base64(nonce)'", source=source)
    sealed = _unb64(parts[0], "ciphertext", source)
    nonce = _unb64(parts[1], "nonce", source)
    if len(nonce) != NONCE_BYTES:
        raise SecureError(f"malformed secured value: the nonce is {len(nonce)} bytes, not {NONCE_BYTES}", source=source)
    if len(sealed) < TAG_BYTES:
        raise SecureError("malformed secured value: the ciphertext is shorter than its tag", source=source)
    return sealed, nonce


def seal(key: bytes, text: str, *, article_id: str) -> str:
    """``text`` encrypted for article ``article_id`` under ``key``."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, text.encode("utf-8"), _aad(article_id))
    return f"{_b64(sealed)};{_b64(nonce)}"


def unseal(key: bytes, secured: str, *, article_id: str, key_id: str = "?") -> str:
    """The text of a secured value; a SecureError when the key does not open
    it (altered, moved from another article, or another key under this id)."""
    sealed, nonce = split_secured(secured, source=article_id)
    try:
        data = AESGCM(key).decrypt(nonce, sealed, _aad(article_id))
    except InvalidTag:
        raise SecureError(
            f"the secured text does not decrypt with key {key_id!r}: it was altered, copied from another "
            "article, or the key under that id is not the one that sealed it",
            source=article_id,
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # only a buggy sealer could authenticate non-UTF-8
        raise SecureError("the secured text decrypts to bytes that are not UTF-8", source=article_id) from None


# -- the key ring ---------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    id: str
    secret: bytes = field(repr=False)
    created: str | None = None


def new_key_id(taken: Iterable[str] = (), now: datetime | None = None) -> str:
    """A fresh key id: the day it was made and random hex, so that ids sort
    by age and two systems practically never name different keys alike
    (a record from elsewhere then reads as foreign, not as tampered)."""
    day = (now or datetime.now(timezone.utc)).strftime("%Y%m%d")
    taken = set(taken)
    while True:
        key_id = f"{day}-{secrets.token_hex(4)}"
        if key_id not in taken:
            return key_id


class KeyRing:
    """Keys by id, one of them active. Never prints its secrets."""

    def __init__(self, keys: Iterable[Key], active: str, *, source: str = "key ring"):
        self.source = source
        self._keys: dict[str, Key] = {}
        for key in keys:
            if not _KEY_ID_RE.match(key.id):
                raise SecureError(f"bad key id {key.id!r}: use 1 to 64 letters, digits, '_', '.' or '-'", source=source)
            if key.id in self._keys:
                raise SecureError(f"key id {key.id!r} appears twice", source=source)
            if len(key.secret) != KEY_BYTES:
                raise SecureError(
                    f"key {key.id!r} is {len(key.secret)} bytes; AES-256 needs {KEY_BYTES}", source=source
                )
            self._keys[key.id] = key
        if not self._keys:
            raise SecureError("the key ring has no keys", source=source)
        if active not in self._keys:
            raise SecureError(f"the active key {active!r} is not in the ring", source=source)
        self.active_id = active

    def __repr__(self) -> str:
        return f"KeyRing(active={self.active_id!r}, ids={self.ids!r})"

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._keys

    @property
    def ids(self) -> list[str]:
        """Key ids, the active one first, then the others as listed."""
        return [self.active_id, *(k for k in self._keys if k != self.active_id)]

    @property
    def keys(self) -> list[Key]:
        return [self._keys[k] for k in self.ids]

    @classmethod
    def generate(cls, *, source: str = "key ring") -> "KeyRing":
        key_id = new_key_id()
        return cls([Key(key_id, AESGCM.generate_key(bit_length=256), _now())], key_id, source=source)

    def rotated(self) -> "KeyRing":
        """This ring with a fresh key, which becomes the active one."""
        key_id = new_key_id(self._keys)
        fresh = Key(key_id, AESGCM.generate_key(bit_length=256), _now())
        return KeyRing([fresh, *self.keys], key_id, source=self.source)

    def without(self, key_id: str) -> "KeyRing":
        if key_id not in self._keys:
            raise SecureError(f"no key {key_id!r} in the ring", source=self.source)
        if key_id == self.active_id:
            raise SecureError(f"key {key_id!r} is the active key; rotate to a new key before retiring it", source=self.source)
        return KeyRing([k for k in self.keys if k.id != key_id], self.active_id, source=self.source)

    # -- sealing and opening ----------------------------------------------------

    def seal(self, text: str, *, article_id: str) -> tuple[str, str]:
        """(secured value, key id) of ``text`` sealed with the active key."""
        return seal(self._keys[self.active_id].secret, text, article_id=article_id), self.active_id

    def open(self, secured: str, *, key_id: str | None, article_id: str) -> str:
        """The text of a secured value sealed with key ``key_id``."""
        if key_id is None:
            raise SecureError(
                "the full text was encrypted by another system's key (the record names no key id); "
                "it cannot be decrypted here",
                source=article_id,
            )
        key = self._keys.get(key_id)
        if key is None:
            raise SecureError(
                f"the full text was encrypted with key {key_id!r}, which is not in this project's key ring "
                "(another system's key, or a key removed from the ring)",
                source=article_id,
            )
        return unseal(key.secret, secured, article_id=article_id, key_id=key_id)

    def seal_article(self, article: Article) -> Article:
        """The article with its ``content`` sealed into ``secured``/``securedKey``
        (and no plain content); an article without content is left as it is."""
        if article.content is None:
            return article
        secured, key_id = self.seal(article.content, article_id=article.id or "")
        return article.model_copy(update={"secured": secured, "secured_key": key_id, "content": None})

    def reveal(self, article: Article) -> str:
        """An article's full text, or a SecureError saying why there is none."""
        if article.content is not None:
            return article.content
        if article.secured is None:
            raise SecureError("the article has no full text", source=article.id)
        return self.open(article.secured, key_id=article.secured_key, article_id=article.id or "")

    def open_article(self, article: Article, *, strict: bool = False) -> Article:
        """The article with its full text in ``content``. Unless ``strict``, a
        text this ring cannot open (foreign or altered) leaves ``content``
        empty, so that scoring goes on with the title and excerpt."""
        if article.content is not None or article.secured is None:
            return article
        try:
            text = self.reveal(article)
        except SecureError:
            if strict:
                raise
            return article
        return article.model_copy(update={"content": text})

    # -- the key file's shape -----------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        return {
            "version": KEY_FILE_VERSION,
            "active": self.active_id,
            "keys": [
                {"id": k.id, "key": _b64(k.secret), **({"created": k.created} if k.created else {})} for k in self.keys
            ],
        }

    @classmethod
    def from_data(cls, data: Any, *, source: str) -> "KeyRing":
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
            raise SecureError("not a key file: expected {version, active, keys: [{id, key}]}", source=source)
        if data.get("version", KEY_FILE_VERSION) != KEY_FILE_VERSION:
            raise SecureError(f"key file version {data.get('version')!r} is not supported", source=source)
        keys = []
        for i, entry in enumerate(data["keys"]):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("key"), str):
                raise SecureError(f"keys[{i}]: expected an id and a base64 key", source=source)
            try:
                secret = base64.b64decode(entry["key"], validate=True)
            except (binascii.Error, ValueError):
                raise SecureError(f"keys[{i}]: the key is not base64", source=source) from None
            created = entry.get("created")
            keys.append(Key(entry["id"], secret, created if isinstance(created, str) else None))
        if not keys:
            raise SecureError("the key file has no keys", source=source)
        active = data.get("active", keys[0].id)
        if not isinstance(active, str):
            raise SecureError("active: expected a key id", source=source)
        return cls(keys, active, source=source)

    @classmethod
    def from_env(cls, text: str) -> "KeyRing":
        """A ring from ``id:base64key,id:base64key`` (the first is active)."""
        source = f"${ENV_KEYS}"
        keys = []
        for i, item in enumerate(p.strip() for p in text.split(",")):
            if not item:
                continue
            key_id, sep, encoded = item.partition(":")
            if not sep:
                raise SecureError(f"entry {i + 1}: expected 'id:base64key'", source=source)
            try:
                secret = base64.b64decode(encoded.strip(), validate=True)
            except (binascii.Error, ValueError):
                raise SecureError(f"entry {i + 1}: the key of {key_id.strip()!r} is not base64", source=source) from None
            keys.append(Key(key_id.strip(), secret))
        if not keys:
            raise SecureError("no keys given", source=source)
        return cls(keys, keys[0].id, source=source)

    def to_env(self) -> str:
        return ",".join(f"{k.id}:{_b64(k.secret)}" for k in self.keys)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# -- key files ------------------------------------------------------------------


def key_file_problem(path: Path) -> str | None:
    """Why a key file is not private enough, or None when it is."""
    if os.name != "posix":
        return None
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return f"the key file is open to group or others (mode {stat.S_IMODE(mode):04o}); run 'chmod 600 {path}'"
    return None


def load_key_file(path: Path) -> KeyRing:
    source = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SecureError("no key file here", source=source) from None
    except OSError as exc:
        raise SecureError(f"cannot read: {exc.strerror or exc}", source=source) from None
    if not stat.S_ISREG(info.st_mode):
        raise SecureError("the key file is not a regular file", source=source)
    problem = key_file_problem(path)
    if problem and os.environ.get(ENV_ALLOW_OPEN_KEY_FILE) != "1":
        raise SecureError(f"{problem} (or set {ENV_ALLOW_OPEN_KEY_FILE}=1 to use it anyway)", source=source)
    if info.st_size > MAX_KEY_FILE_BYTES:
        raise SecureError("the key file is too large to be one", source=source)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SecureError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", source=source) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else load_yaml(text, source=source)
    except json.JSONDecodeError as exc:
        raise SecureError(f"not JSON ({exc.msg} at line {exc.lineno})", source=source) from None
    except RecordError as exc:
        raise SecureError(exc.reason, source=source) from None
    return KeyRing.from_data(data, source=source)


def write_key_file(path: Path, ring: KeyRing) -> None:
    """Replace the key file atomically with mode 0600, durably: the new file
    and its folder entry are on disk before any record is sealed with a key
    it holds (losing a key loses every text it sealed)."""
    write_atomic(path, json.dumps(ring.to_data(), indent=2) + "\n", mode=0o600)
    _fsync_folder(path.parent)


def create_key_file(path: Path) -> KeyRing:
    """A new key file holding one fresh key; an existing one is never
    overwritten (its keys may be the only way to read stored text)."""
    if path.exists():
        raise SecureError("a key file already exists here; it is kept as it is", source=str(path))
    ring = KeyRing.generate(source=str(path))
    write_key_file(path, ring)
    return ring


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not every platform opens folders
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def keys_from_env() -> bool:
    return bool(os.environ.get(ENV_KEYS, "").strip())


def project_ring(project: Project) -> KeyRing:
    """The project's key ring: ``TOPICWIRE_KEYS`` when set, else its key file."""
    if keys_from_env():
        return KeyRing.from_env(os.environ[ENV_KEYS])
    path = project.keys_file
    if not path.exists():
        raise SecureError(
            f"no key file: run 'topicwire keys init' to create one (or set {ENV_KEYS}); "
            "if the project had one, restore it from your backup: text sealed with its keys cannot be read without it",
            source=str(path),
        )
    return load_key_file(path)
