"""Who may use the editor API: 403 for any client outside the editor
networks (whatever its token), 401 for a client inside without the right
token; in every refusal nothing changes and the token shows nowhere."""

from __future__ import annotations

import ast
import inspect
import logging
import textwrap

import pytest
from serve_fixtures import TOKEN, client_for, fingerprint, project_of
from sqlalchemy import select

from topicwire.config import Project, ServeSettings, load_project
from topicwire.errors import ConfigError
from topicwire.serve import editor
from topicwire.store.schema import articles

AUTH = {"Authorization": f"Bearer {TOKEN}"}
OUTSIDE = ("203.0.113.5", 50000)  # TEST-NET-3: never a real client
LOOPBACK = ("127.0.0.1", 50000)


def project_with(settings_file, *, token: str | None = TOKEN, **serve) -> Project:
    """The crawled project with its serve section replaced (token, networks, proxies)."""
    base = project_of(settings_file, token=token)
    settings = ServeSettings(editor_token=token, **serve)
    return Project(config_path=base.config_path, settings=base.settings.model_copy(update={"serve": settings}))


@pytest.fixture
def wire(crawled_project, tmp_path, monkeypatch, caplog):
    """A private copy of the store, every log record captured, and the ids
    the editor requests name."""
    monkeypatch.delenv("TOPICWIRE_EDITOR_TOKEN", raising=False)
    caplog.set_level(logging.DEBUG)
    store = crawled_project.copy_store(tmp_path)
    with client_for(project_of(crawled_project.settings), store) as reader:
        article = reader.get("/api/news?limit=1").json()["value"][0]["id"]
        story_ids = [s["id"] for s in reader.get("/api/stories?limit=2").json()["value"]]
    yield store, article, story_ids
    store.close()


def editor_requests(article: str, story_ids: list[str]) -> list[tuple[str, str, object]]:
    return [
        ("post", f"/api/editor/articles/{article}/publish", None),
        ("post", f"/api/editor/articles/{article}/hide", None),
        ("post", f"/api/editor/articles/{article}/pin", None),
        ("put", f"/api/editor/articles/{article}/topics", {"topics": ["AI Ethics"]}),
        ("delete", f"/api/editor/articles/{article}/topics", None),
        ("post", "/api/editor/stories/merge", {"into": story_ids[0], "stories": story_ids[1:]}),
        ("post", "/api/editor/stories/split", {"articles": [article]}),
        ("get", f"/api/editor/articles/{article}/text", None),
    ]


def assert_no_token_anywhere(answer, caplog) -> None:
    assert TOKEN not in answer.text
    assert all(TOKEN not in value for value in answer.headers.values())
    assert TOKEN not in caplog.text
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


# -- 401: on an editor network, without the right token -----------------------------------------------------------


@pytest.mark.parametrize(
    "token,headers,reason",
    [
        (None, AUTH, "no editor token is configured"),
        (TOKEN, {}, "an editor bearer token is required"),
        (TOKEN, {"Authorization": "Bearer wrong-token-0123456789abcdef"}, "the editor token is not valid"),
        (TOKEN, {"Authorization": f"Bearer {TOKEN[:-1]}"}, "the editor token is not valid"),  # a prefix
        (TOKEN, {"Authorization": f"Bearer {TOKEN}{TOKEN}"}, "the editor token is not valid"),
        (TOKEN, {"Authorization": f"Basic {TOKEN}"}, "an editor bearer token is required"),  # malformed: scheme
        (TOKEN, {"Authorization": TOKEN}, "an editor bearer token is required"),  # malformed: no scheme
        (TOKEN, {"Authorization": "Bearer "}, "an editor bearer token is required"),  # malformed: empty
        (TOKEN, {"Authorization": "Bearer ünïcode-token-0123456789".encode()}, "the editor token is not valid"),  # not ASCII
    ],
)
def test_401_on_an_editor_network_without_the_right_token(crawled_project, wire, caplog, token, headers, reason):
    store, article, story_ids = wire
    before = fingerprint(store)
    with client_for(project_with(crawled_project.settings, token=token), store, client=LOOPBACK) as client:
        for method, path, body in editor_requests(article, story_ids):
            answer = client.request(method, path, json=body, headers=headers)
            assert answer.status_code == 401, (method, path)
            assert reason in answer.json()["error"]
            assert answer.headers["www-authenticate"].startswith('Bearer realm="topicwire editor"')
            assert answer.headers["cache-control"] == "no-store"
            assert_no_token_anywhere(answer, caplog)
        # the body is not read before the token checked out
        assert client.post("/api/editor/stories/split", content=b"{not json", headers=headers).status_code == 401
    assert fingerprint(store) == before


# -- 403: outside the editor networks, whatever the token ---------------------------------------------------------


@pytest.mark.parametrize(
    "token,headers",
    [
        (TOKEN, AUTH),  # the right token does not open the API to an outsider
        (TOKEN, {"Authorization": "Bearer wrong-token-0123456789abcdef"}),
        (TOKEN, {}),
        (TOKEN, {"Authorization": f"Basic {TOKEN}"}),
        (None, AUTH),  # nor does it tell outsiders whether editing is on
    ],
)
def test_403_outside_the_editor_networks_whatever_the_token(crawled_project, wire, caplog, token, headers):
    store, article, story_ids = wire
    before = fingerprint(store)
    with client_for(project_with(crawled_project.settings, token=token), store, client=OUTSIDE) as client:
        for method, path, body in editor_requests(article, story_ids):
            answer = client.request(method, path, json=body, headers=headers)
            assert answer.status_code == 403, (method, path)
            assert answer.json() == {"error": "the editor API is not open to 203.0.113.5"}
            # no challenge: no credentials would change this answer
            assert "www-authenticate" not in answer.headers
            assert answer.headers["cache-control"] == "no-store"
            assert_no_token_anywhere(answer, caplog)
        assert client.post("/api/editor/stories/split", content=b"{not json", headers=headers).status_code == 403
        # the rest of the API is open to everyone as before
        assert client.get("/api/news?limit=1").status_code == 200
    assert fingerprint(store) == before


def test_an_outsider_cannot_tell_tokens_apart(crawled_project, wire):
    store, article, _ = wire
    answers = []
    with client_for(project_with(crawled_project.settings), store, client=OUTSIDE) as client:
        for headers in (AUTH, {"Authorization": "Bearer wrong-token-0123456789abcdef"}, {}):
            answer = client.post(f"/api/editor/articles/{article}/pin", headers=headers)
            answers.append((answer.status_code, answer.content, sorted(answer.headers.items())))
    assert answers[0] == answers[1] == answers[2]


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_loopback_is_an_editor_network_by_default(crawled_project, wire, address):
    store, article, _ = wire
    with client_for(project_with(crawled_project.settings), store, client=(address, 50000)) as client:
        assert client.post(f"/api/editor/articles/{article}/pin", headers=AUTH).status_code == 200


@pytest.mark.parametrize("address", ["10.0.0.7", "192.168.1.20", "fe80::1", "2001:db8::5", "testclient", ""])
def test_anything_else_is_outside_by_default(crawled_project, wire, address):
    store, article, _ = wire
    before = fingerprint(store)
    with client_for(project_with(crawled_project.settings), store, client=(address, 50000)) as client:
        answer = client.post(f"/api/editor/articles/{article}/pin", headers=AUTH)
    assert answer.status_code == 403
    # an address that is not one is never echoed as given
    expected = address if address in ("10.0.0.7", "192.168.1.20", "fe80::1", "2001:db8::5") else "an unknown address"
    assert answer.json()["error"] == f"the editor API is not open to {expected}"
    assert fingerprint(store) == before


def test_editor_networks_open_the_api_to_more_clients(crawled_project, wire):
    store, article, _ = wire
    project = project_with(crawled_project.settings, editor_networks=["203.0.113.0/24", "2001:db8::/32"])
    with client_for(project, store, client=OUTSIDE) as client:
        assert client.post(f"/api/editor/articles/{article}/hide", headers=AUTH).status_code == 200
        # inside the network the token is still needed
        assert client.post(f"/api/editor/articles/{article}/publish").status_code == 401
    with client_for(project, store, client=("2001:db8::5", 1)) as client:
        assert client.post(f"/api/editor/articles/{article}/publish", headers=AUTH).status_code == 200
    # loopback is no longer listed, so it is outside now
    with client_for(project, store, client=LOOPBACK) as client:
        assert client.post(f"/api/editor/articles/{article}/pin", headers=AUTH).status_code == 403
    with store.connect() as conn:
        assert conn.execute(select(articles.c.editor_published).where(articles.c.id == article)).scalar_one() is True


# -- X-Forwarded-For: believed from trusted proxies only ----------------------------------------------------------


def test_forwarded_for_is_ignored_without_trusted_proxies(crawled_project, wire):
    store, article, _ = wire
    before = fingerprint(store)
    with client_for(project_with(crawled_project.settings), store, client=OUTSIDE) as client:
        for claim in ("127.0.0.1", "::1", "127.0.0.1, 127.0.0.1"):
            answer = client.post(f"/api/editor/articles/{article}/pin", headers={**AUTH, "X-Forwarded-For": claim})
            assert answer.status_code == 403
            assert answer.json()["error"] == "the editor API is not open to 203.0.113.5"
    assert fingerprint(store) == before


@pytest.mark.parametrize(
    "forwarded,status,seen",
    [
        ("203.0.113.9", 403, "203.0.113.9"),  # the real client, outside
        ("127.0.0.1, 203.0.113.9", 403, "203.0.113.9"),  # a claim on the left is the client's own: ignored
        ("10.1.2.3", 200, None),  # an editor on the office network, through the proxy
        ("203.0.113.9, 10.1.2.3", 200, None),
        ("not-an-address", 403, "an unknown address"),
        ("", 403, "127.0.0.1"),  # no header: the proxy itself is the client, and it is not an editor network
    ],
)
def test_forwarded_for_from_a_trusted_proxy(crawled_project, wire, forwarded, status, seen):
    store, article, _ = wire
    project = project_with(crawled_project.settings, editor_networks=["10.0.0.0/8"], trusted_proxies=["127.0.0.1"])
    headers = {**AUTH, "X-Forwarded-For": forwarded} if forwarded else AUTH
    with client_for(project, store, client=LOOPBACK) as client:
        answer = client.post(f"/api/editor/articles/{article}/pin", headers=headers)
    assert answer.status_code == status
    if seen:
        assert answer.json()["error"] == f"the editor API is not open to {seen}"


def test_networks_are_checked_when_the_settings_load(tmp_path):
    settings = tmp_path / "topicwire.yaml"
    settings.write_text("serve:\n  editor_networks: ['10.0.0.0/8', 'intranet']\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(settings)
    assert caught.value.field == "serve.editor_networks[1]"
    assert "'intranet' is not a network" in str(caught.value)
    settings.write_text("serve:\n  trusted_proxies: ['10.0.0.0/33']\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_project(settings)
    settings.write_text("serve:\n  trusted_proxies: ['10.0.0.1', 'fd00::/8']\n", encoding="utf-8")
    assert load_project(settings).settings.serve.trusted_proxies == ["10.0.0.1", "fd00::/8"]
    assert load_project(settings).settings.serve.editor_networks == ["127.0.0.0/8", "::1/128"]


# -- the code itself ------------------------------------------------------------------------------------------------


def test_the_token_is_compared_in_constant_time_only():
    tree = ast.parse(textwrap.dedent(inspect.getsource(editor.editor_access)))
    calls = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr == "compare_digest" and getattr(node.func.value, "id", None) == "hmac"
    ]
    assert len(calls) == 1
    # no ==, !=, in or startswith on the token or what the client sent
    secrets = {"expected", "credentials", "token"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            assert not (names & secrets) or all(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops), ast.unparse(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in ("startswith", "endswith", "find", "index"), ast.unparse(node)


def test_serve_does_not_let_uvicorn_believe_forwarded_headers():
    from topicwire.cli import serve_cmds

    tree = ast.parse(inspect.getsource(serve_cmds))
    runs = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run"
        and getattr(node.func.value, "id", None) == "uvicorn"
    ]
    assert len(runs) == 1
    keywords = {k.arg: k.value for k in runs[0].keywords}
    assert isinstance(keywords.get("proxy_headers"), ast.Constant) and keywords["proxy_headers"].value is False
