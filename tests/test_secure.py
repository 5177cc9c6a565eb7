"""The cipher and the key ring: AES-256-GCM, nonces, associated data, key
files and the environment ring."""

from __future__ import annotations

import base64
import json
import os
import stat

import pytest

from topicwire.errors import SecureError
from topicwire.model import Article
from topicwire.records import dump_record, parse_record
from topicwire.secure import (
    ENV_ALLOW_OPEN_KEY_FILE,
    NONCE_BYTES,
    Key,
    KeyRing,
    create_key_file,
    load_key_file,
    project_ring,
    seal,
    split_secured,
    unseal,
    write_key_file,
)

TEXT = "The quartz lantern whispered seventeen riddles to the sleeping harbour.\n\nÜnïcödé too: 記事"
KEY = bytes(range(32))


def test_round_trip_and_the_format_of_the_record():
    secured = seal(KEY, TEXT, article_id="a1")
    ciphertext, nonce = secured.split(";")
    # standard base64 with padding, as the example record writes it
    assert base64.b64encode(base64.b64decode(ciphertext)).decode() == ciphertext
    assert len(base64.b64decode(nonce)) == NONCE_BYTES
    assert len(base64.b64decode(ciphertext)) == len(TEXT.encode("utf-8")) + 16  # text + GCM tag
    assert unseal(KEY, secured, article_id="a1") == TEXT
    assert TEXT.encode() not in secured.encode() and "quartz" not in secured


def test_every_encryption_draws_a_fresh_nonce():
    values = {seal(KEY, TEXT, article_id="a1") for _ in range(50)}
    assert len(values) == 50
    assert len({v.split(";")[1] for v in values}) == 50


def test_the_article_id_is_bound_a_value_moved_to_another_record_fails():
    ring = KeyRing([Key("k1", KEY)], "k1")
    secured, key_id = ring.seal(TEXT, article_id="article-one")
    with pytest.raises(SecureError, match="does not decrypt with key 'k1'") as caught:
        ring.open(secured, key_id=key_id, article_id="article-two")
    assert str(caught.value).startswith("article-two: ")
    assert ring.open(secured, key_id=key_id, article_id="article-one") == TEXT


@pytest.mark.parametrize("part", [0, 1])
def test_one_changed_byte_anywhere_is_refused(part):
    secured = seal(KEY, TEXT, article_id="a1")
    pieces = secured.split(";")
    raw = bytearray(base64.b64decode(pieces[part]))
    for position in (0, len(raw) // 2, len(raw) - 1):
        changed = bytearray(raw)
        changed[position] ^= 0x01
        broken = list(pieces)
        broken[part] = base64.b64encode(bytes(changed)).decode()
        with pytest.raises(SecureError, match="does not decrypt"):
            unseal(KEY, ";".join(broken), article_id="a1")


def test_a_wrong_key_is_an_error_not_garbage():
    secured = seal(KEY, TEXT, article_id="a1")
    with pytest.raises(SecureError, match="does not decrypt with key 'k9'"):
        unseal(bytes(32), secured, article_id="a1", key_id="k9")


@pytest.mark.parametrize(
    "value, reason",
    [
        ("no-separator", "expected 'base64(ciphertext);base64(nonce)'"),
        ("a;b;c", "expected 'base64(ciphertext);base64(nonce)'"),
        ("!!!!;AAAAAAAAAAAAAAAA", "the ciphertext is not base64"),
        ("AAAAAAAAAAAAAAAAAAAAAAAA;AAAA", "the nonce is 3 bytes, not 12"),
        ("AAAA;AAAAAAAAAAAAAAAA", "the ciphertext is shorter than its tag"),
    ],
)
def test_malformed_values_say_what_is_wrong(value, reason):
    with pytest.raises(SecureError, match="malformed secured value") as caught:
        split_secured(value)
    assert reason in str(caught.value)


def test_missing_and_foreign_keys_are_told_apart():
    ring = KeyRing([Key("k1", KEY)], "k1")
    secured, _ = ring.seal(TEXT, article_id="a1")
    with pytest.raises(SecureError, match="encrypted by another system's key"):
        ring.open(secured, key_id=None, article_id="a1")
    with pytest.raises(SecureError, match="key 'k2', which is not in this project's key ring"):
        ring.open(secured, key_id="k2", article_id="a1")


def test_rotation_keeps_old_keys_and_seals_with_the_new_one():
    ring = KeyRing([Key("k1", KEY)], "k1")
    old, _ = ring.seal(TEXT, article_id="a1")
    rotated = ring.rotated()
    assert rotated.active_id != "k1" and rotated.ids == [rotated.active_id, "k1"]
    new, key_id = rotated.seal(TEXT, article_id="a1")
    assert key_id == rotated.active_id
    assert rotated.open(old, key_id="k1", article_id="a1") == rotated.open(new, key_id=key_id, article_id="a1") == TEXT
    assert rotated.without("k1").ids == [rotated.active_id]
    with pytest.raises(SecureError, match="is the active key"):
        rotated.without(rotated.active_id)


def test_articles_are_sealed_and_opened_whole():
    ring = KeyRing.generate()
    article = Article(id="0123456789abcdef0123", title="T", content=TEXT)
    sealed = ring.seal_article(article)
    assert sealed.content is None and sealed.secured_key == ring.active_id
    assert ring.open_article(sealed).content == TEXT
    # the key id travels with the record file
    again = parse_record(dump_record(sealed))
    assert (again.secured, again.secured_key, again.content) == (sealed.secured, ring.active_id, None)
    assert f"securedKey: \"{ring.active_id}\"" in dump_record(sealed) or f"securedKey: {ring.active_id}" in dump_record(sealed)
    foreign = sealed.model_copy(update={"secured_key": None})
    assert ring.open_article(foreign).content is None  # scoring goes on without it
    with pytest.raises(SecureError, match="another system's key"):
        ring.open_article(foreign, strict=True)


def test_a_ring_never_shows_its_keys():
    ring = KeyRing([Key("k1", KEY)], "k1")
    shown = repr(ring) + repr(ring.keys) + str(ring.keys[0])
    assert base64.b64encode(KEY).decode() not in shown and repr(KEY) not in shown


def test_bad_rings_are_refused():
    with pytest.raises(SecureError, match="16 bytes; AES-256 needs 32"):
        KeyRing([Key("k1", bytes(16))], "k1")
    with pytest.raises(SecureError, match="appears twice"):
        KeyRing([Key("k1", KEY), Key("k1", KEY)], "k1")
    with pytest.raises(SecureError, match="active key 'k2' is not in the ring"):
        KeyRing([Key("k1", KEY)], "k2")
    with pytest.raises(SecureError, match="bad key id"):
        KeyRing([Key("k 1", KEY)], "k 1")


def test_key_file_is_created_private_and_read_back(tmp_path):
    path = tmp_path / "keys.json"
    ring = create_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["active"] == ring.active_id and len(base64.b64decode(data["keys"][0]["key"])) == 32
    loaded = load_key_file(path)
    secured, key_id = ring.seal(TEXT, article_id="a1")
    assert loaded.open(secured, key_id=key_id, article_id="a1") == TEXT
    with pytest.raises(SecureError, match="already exists"):
        create_key_file(path)
    rotated = loaded.rotated()
    write_key_file(path, rotated)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key_file(path).ids == rotated.ids
    assert not [p for p in tmp_path.iterdir() if p.name != "keys.json"]  # no temporary file left


def test_a_key_file_others_can_read_is_refused_unless_allowed(tmp_path, monkeypatch):
    path = tmp_path / "keys.json"
    create_key_file(path)
    os.chmod(path, 0o644)
    monkeypatch.delenv(ENV_ALLOW_OPEN_KEY_FILE, raising=False)
    with pytest.raises(SecureError, match=r"open to group or others \(mode 0644\); run 'chmod 600"):
        load_key_file(path)
    monkeypatch.setenv(ENV_ALLOW_OPEN_KEY_FILE, "1")
    assert load_key_file(path).ids


def test_a_yaml_key_file_is_read_too(tmp_path):
    ring = KeyRing([Key("k2", KEY), Key("k1", bytes(32))], "k2")
    path = tmp_path / "keys.yaml"
    path.write_text(
        "version: 1\nactive: k2\nkeys:\n"
        + "".join(f"  - id: {k.id}\n    key: {base64.b64encode(k.secret).decode()}\n" for k in ring.keys)
    )
    path.chmod(0o600)
    assert load_key_file(path).ids == ["k2", "k1"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("{", "not JSON"),
        ('{"keys": "x"}', "not a key file"),
        ('{"version": 9, "keys": []}', "version 9 is not supported"),
        ('{"keys": [{"id": "k1", "key": "***"}]}', r"keys\[0\]: the key is not base64"),
        ('{"keys": []}', "has no keys"),
    ],
)
def test_broken_key_files_name_the_file_and_problem(tmp_path, text, message):
    path = tmp_path / "keys.json"
    path.write_text(text)
    path.chmod(0o600)
    with pytest.raises(SecureError, match=message) as caught:
        load_key_file(path)
    assert str(caught.value).startswith(str(path))


def test_the_environment_ring_first_key_is_active(monkeypatch, tmp_path):
    from topicwire.config import Project, Settings

    two = KeyRing([Key("k2", KEY), Key("k1", bytes(32))], "k2")
    text = two.to_env()
    assert text == f"k2:{base64.b64encode(KEY).decode()},k1:{base64.b64encode(bytes(32)).decode()}"
    ring = KeyRing.from_env(f" {text.replace(',', ' , ')} ")
    assert ring.ids == ["k2", "k1"] and ring.active_id == "k2"
    project = Project(config_path=tmp_path / "topicwire.yaml", settings=Settings())
    monkeypatch.setenv("TOPICWIRE_KEYS", text)
    assert project_ring(project).ids == ["k2", "k1"]  # no key file needed
    monkeypatch.delenv("TOPICWIRE_KEYS")
    with pytest.raises(SecureError, match="no key file: run 'topicwire keys init'"):
        project_ring(project)
    for bad, message in (("k1", "expected 'id:base64key'"), ("k1:***", "not base64"), (",", "no keys given")):
        with pytest.raises(SecureError, match=message):
            KeyRing.from_env(bad)
