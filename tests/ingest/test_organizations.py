"""The organization registry: loading, refusing bad files, finding by domain,
and the public suffix list read without any download."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from topicwire import organizations as orgs_module
from topicwire.organizations import OrganizationError, Organizations, registrable_domain

DATA = Path(__file__).parent / "data" / "organizations"


@pytest.fixture(scope="module")
def registry() -> Organizations:
    return Organizations.load(DATA)


def test_loads_single_and_list_files(registry):
    assert len(registry) == 3
    harbour = registry.get("harbourpost")
    assert harbour.name == "Harbour Post"
    assert harbour.domains == ("harbourpost.com.au",)
    assert harbour.tier == 2
    assert harbour.alias_names == ("HarbourPost", "Harbour Post Media")
    assert harbour.images[0].url == "https://www.harbourpost.com.au/logo.png"
    assert harbour.social == (("x", "https://x.com/harbourpost"),)
    assert registry.get("bbc").domains == ("bbc.co.uk", "bbc.com")


@pytest.mark.parametrize(
    ("host", "org_id"),
    [
        ("harbourpost.com.au", "harbourpost"),
        ("www.harbourpost.com.au", "harbourpost"),
        ("WWW.HarbourPost.com.au.", "harbourpost"),
        ("news.bbc.co.uk", "bbc"),
        ("www.bbc.com", "bbc"),
        ("sport.bbc.co.uk", "bbc-sport"),  # the more specific listing wins
        ("live.sport.bbc.co.uk", "bbc-sport"),
        ("co.uk", None),
        ("notbbc.co.uk", None),
        ("harbourpost.com", None),
        ("127.0.0.1", None),
        ("", None),
    ],
)
def test_by_domain(registry, host, org_id):
    found = registry.by_domain(host)
    assert (found.id if found else None) == org_id


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("harbourpost.com.au", "harbourpost.com.au"),
        ("www.harbourpost.com.au", "harbourpost.com.au"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("a.b.example.com", "example.com"),
        ("someone.blogspot.com", "someone.blogspot.com"),  # private suffixes count
        ("www.例え.jp", "xn--r8jz45g.jp"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domain(host, domain):
    assert registrable_domain(host) == domain


def test_public_suffix_list_never_downloads(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    orgs_module._extractor.cache_clear()
    try:
        assert registrable_domain("news.example.co.nz") == "example.co.nz"
    finally:
        orgs_module._extractor.cache_clear()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ("id: a\nname: A\ndomain: a.com\nfounded: 1999\n", "founded", "not a field of an organization file"),
        ("id: a\nname: A\ndomain: a.com\ntier: 9\n", "tier", "less than or equal to 5"),
        ("id: a\nname: A\ndomain: https://a.com/\n", "domain", "domain name"),
        ("id: a\nname: A\n", "domain", "needs a domain"),
        ("id: A B\nname: A\ndomain: a.com\n", "id", "pattern"),
        ("id: a\ndomain: a.com\n", "name", "required"),
        ("id: a\nname: A\ndomain: a.com\nwebsite: ftp://a.com\n", "website", "http(s)"),
    ],
)
def test_bad_files_are_refused_naming_file_and_field(tmp_path, text, field, reason):
    path = write(tmp_path / "orgs", "bad.yaml", text)
    with pytest.raises(OrganizationError) as caught:
        Organizations.load(path.parent)
    message = str(caught.value)
    assert str(path) in message and field in message and reason in message
    assert "\n" not in message


def test_list_file_errors_name_the_entry(tmp_path):
    path = write(tmp_path / "orgs", "many.yaml", "- id: a\n  name: A\n  domain: a.com\n- id: b\n  name: B\n  colour: red\n")
    with pytest.raises(OrganizationError, match=r"many\.yaml\[1\]: colour"):
        Organizations.load(path.parent)


def test_duplicates_are_refused(tmp_path):
    folder = tmp_path / "orgs"
    write(folder, "a.yaml", "id: a\nname: A\ndomain: a.com\n")
    write(folder, "b.yaml", "id: b\nname: B\ndomains: [b.com, www.a.com]\n")
    with pytest.raises(OrganizationError, match="'a.com' already belongs to 'a'"):
        Organizations.load(folder)
    write(folder, "b.yaml", "id: a\nname: B\ndomain: b.com\n")
    with pytest.raises(OrganizationError, match="duplicate organization id 'a'"):
        Organizations.load(folder)


def test_website_stands_in_for_a_domain(tmp_path):
    folder = tmp_path / "orgs"
    write(folder, "w.yaml", "id: w\nname: W\nwebsite: https://www.w-news.org/about\n")
    assert Organizations.load(folder).by_domain("live.w-news.org").id == "w"


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(OrganizationError, match="not found"):
        Organizations.load(tmp_path / "nowhere")
