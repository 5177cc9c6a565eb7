"""/api/editor/...: an editor's changes to the wire, behind a bearer token.

The token is compared in constant time and never logged or echoed. Without
a configured token every request is refused: an open editor API would let
anyone rewrite the wire. The request body is read only after the token
checked out, so an anonymous client learns nothing about what a valid
request would look like and changes nothing.

Order of the checks, and why: the client's network first (403 for any
client outside ``serve.editor_networks``, whatever its token, even when no
token is configured), then the token (401). An outsider thus gets the same
answer for a right, a wrong and a missing token and cannot use the API to
probe tokens, nor learn whether editing is switched on at all; only a
client on an editor network ever sees a 401.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any, Callable

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from topicwire.config import Project
from topicwire.errors import SecureError, StoreError
from topicwire.serve.access import IPNetwork, client_address, parse_networks, within
from topicwire.serve.errors import ApiError, store_error
from topicwire.serve.items import article_item, json_response
from topicwire.store import Store
from topicwire.store.articles import get_article
from topicwire.store.editorial import (
    editor_state,
    merge_stories,
    set_editor_topics,
    set_pinned,
    set_published,
    split_story,
)

MAX_BODY = 64 * 1024
NO_STORE = {"Cache-Control": "no-store"}


def _unauthorized(message: str, error: str | None = None) -> ApiError:
    challenge = 'Bearer realm="topicwire editor"' + (f', error="{error}"' if error else "")
    return ApiError(401, message, headers={"WWW-Authenticate": challenge, **NO_STORE})


# parses the header and documents the scheme in /openapi.json; the
# refusals themselves are ours, so that they all look alike
_BEARER = HTTPBearer(auto_error=False, description="The editor token (serve.editor_token or TOPICWIRE_EDITOR_TOKEN).")


def editor_access(
    token: str | None, networks: tuple[IPNetwork, ...], trusted_proxies: tuple[IPNetwork, ...]
) -> Callable[..., None]:
    """The dependency that guards every editor route (see the module's
    docstring for the order of its checks)."""
    expected = token.encode("utf-8") if token else None

    def authorize(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]
    ) -> None:
        client = client_address(request, trusted_proxies)
        if client is None or not within(client, networks):
            # no WWW-Authenticate: no credentials would change this answer.
            # The address is echoed only when it parsed as one (never a
            # header's raw text) so the message cannot carry injected text.
            raise ApiError(403, f"the editor API is not open to {client or 'an unknown address'}", headers=NO_STORE)
        if expected is None:
            raise _unauthorized("the editor API is disabled: no editor token is configured")
        if credentials is None or not credentials.credentials.strip():
            raise _unauthorized("an editor bearer token is required")
        if not hmac.compare_digest(credentials.credentials.strip().encode("utf-8"), expected):
            raise _unauthorized("the editor token is not valid", "invalid_token")

    return authorize


async def _json_body(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ApiError(413, f"body: larger than {MAX_BODY} bytes")
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "body: not JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "body: expected a JSON object")
    return data


def _id_list(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(400, f"{name}: expected a list of ids")
    return value


def _body_doc(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": required}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


_IDS = {"type": "array", "items": {"type": "string"}}


def router(project: Project, store: Store) -> APIRouter:
    serve = project.settings.serve
    guard = editor_access(project.editor_token, parse_networks(serve.editor_networks),
                          parse_networks(serve.trusted_proxies))
    api = APIRouter(prefix="/api/editor", tags=["editor"], dependencies=[Depends(guard)])
    threshold = project.settings.enrichment.publish_threshold
    half_life = project.settings.enrichment.heat_half_life_hours

    def change(action: Callable[[Any], Any]) -> Any:
        try:
            with store.begin() as conn:
                return action(conn)
        except StoreError as exc:
            raise store_error(exc) from None

    def article_answer(article_id: str, action: Callable[[Any], Any]) -> Response:
        def run(conn: Any) -> dict[str, Any]:
            action(conn)
            article = get_article(conn, article_id)
            if article is None:
                raise ApiError(404, f"no article {article_id[:100]!r}")
            return {"article": article_item(article), "editor": editor_state(conn, article_id)}

        return json_response(change(run), headers=NO_STORE)

    def choice_route(name: str, choice: bool | None, summary: str) -> None:
        @api.post(f"/articles/{{article_id}}/{name}", summary=summary, name=f"editor_{name}")
        def endpoint(article_id: str) -> Response:
            return article_answer(article_id, lambda conn: set_published(conn, article_id, choice, threshold=threshold))

    choice_route("publish", True, "Put an article on the wire whatever its score")
    choice_route("hide", False, "Take an article off the wire whatever its score")
    choice_route("rule", None, "Hand the publishing decision back to the rule")

    def pin_route(name: str, pinned: bool, summary: str) -> None:
        @api.post(f"/articles/{{article_id}}/{name}", summary=summary, name=f"editor_{name}")
        def endpoint(article_id: str) -> Response:
            return article_answer(article_id, lambda conn: set_pinned(conn, article_id, pinned))

    pin_route("pin", True, "Keep an article on top of its listings")
    pin_route("unpin", False, "Let a pinned article take its place by the listing's order again")

    @api.put(
        "/articles/{article_id}/topics",
        summary="Put an article in exactly these topics (names or ids); [] takes it out of all",
        openapi_extra=_body_doc({"topics": {"type": "array", "items": {"type": "string"}}}, ["topics"]),
    )
    async def put_topics(article_id: str, request: Request) -> Response:
        data = await _json_body(request)
        names = data.get("topics")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ApiError(400, "topics: expected a list of topic names")
        return await run_in_threadpool(
            article_answer, article_id, lambda conn: set_editor_topics(conn, article_id, names)
        )

    @api.delete("/articles/{article_id}/topics", summary="Hand an article's topics back to the classifier (next scoring)")
    def drop_topics(article_id: str) -> Response:
        return article_answer(article_id, lambda conn: set_editor_topics(conn, article_id, None))

    @api.post(
        "/stories/merge",
        summary="Move every article of the listed stories into the story 'into'",
        openapi_extra=_body_doc({"into": {"type": "string"}, "stories": _IDS}, ["into", "stories"]),
    )
    async def merge(request: Request) -> Response:
        data = await _json_body(request)
        into = data.get("into")
        if not isinstance(into, str) or not into:
            raise ApiError(400, "into: expected a story id")
        others = _id_list(data, "stories")
        moved = await run_in_threadpool(
            change, lambda conn: merge_stories(conn, into, others, half_life_hours=half_life)
        )
        return json_response({"story": into, "path": f"/api/stories/{into}", "moved": moved}, headers=NO_STORE)

    @api.post(
        "/stories/split",
        summary="Make the listed articles a story of their own",
        openapi_extra=_body_doc({"articles": _IDS}, ["articles"]),
    )
    async def split(request: Request) -> Response:
        data = await _json_body(request)
        ids = _id_list(data, "articles")
        story = await run_in_threadpool(change, lambda conn: split_story(conn, ids, half_life_hours=half_life))
        return json_response(
            {"story": story, "path": f"/api/stories/{story}", "articles": list(dict.fromkeys(ids))}, headers=NO_STORE
        )

    @api.get("/articles/{article_id}/text", summary="An article's full text, decrypted (editors only)")
    def full_text(article_id: str) -> Response:
        # the text is never in listings or on the site; an editor may read
        # it here, and it is not kept by any cache on the way
        if store.keys is None:
            raise ApiError(503, "the server has no key ring: full text cannot be decrypted", headers=NO_STORE)
        with store.connect() as conn:
            article = get_article(conn, article_id)
        if article is None:
            raise ApiError(404, f"no article {article_id[:100]!r}", headers=NO_STORE)
        try:
            text = store.keys.reveal(article)
        except SecureError as exc:
            raise ApiError(409, str(exc), headers=NO_STORE) from None
        return json_response({"id": article_id, "text": text}, headers=NO_STORE)

    return api
