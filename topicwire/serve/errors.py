"""Every error the API gives is ``{"error": "one line"}`` naming what was
wrong (the parameter, the id), with a status a client can act on."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from topicwire.errors import StoreError
from topicwire.store.editorial import UnknownId


class ApiError(Exception):
    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def store_error(exc: StoreError, parameter: str | None = None) -> ApiError:
    """A store refusal as the client's error: unknown ids are 404, the rest 400."""
    name = exc.field or parameter
    message = f"{name}: {exc.reason}" if name else exc.reason
    if exc.source and not exc.field:
        message += f" ({exc.source})"
    return ApiError(404 if isinstance(exc, UnknownId) else 400, message)


def _one_line(exc: RequestValidationError) -> str:
    errors: list[dict[str, Any]] = list(exc.errors())
    if not errors:
        return "bad request"
    first = errors[0]
    # ("query", "limit") names the parameter; the body's own path follows "body"
    where = [str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body", "header")]
    message = str(first.get("msg", "is not valid"))
    message = message[0].lower() + message[1:] if message else message
    return f"{'.'.join(where)}: {message}" if where else message


def install_error_handlers(app: FastAPI) -> None:
    async def api_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.message, exc.headers)

    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else "request refused"
        # Starlette's own answers ("Not Found") read like the API's own
        if detail == HTTPStatus(exc.status_code).phrase:
            detail = detail.lower()
        return error_response(exc.status_code, detail, exc.headers)

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_response(400, _one_line(exc))

    async def refused(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StoreError)
        error = store_error(exc)
        return error_response(error.status, error.message)

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StoreError, refused)
