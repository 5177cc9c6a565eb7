"""/docs: the API reference as one plain HTML page, rendered on the server
from the OpenAPI document.

FastAPI's own /docs loads Swagger UI's script and styles from a CDN; the
server's Content-Security-Policy forbids that (and a self-hosted wire
should not call out to a CDN anyway), so the page here needs no script.
/openapi.json stays the machine-readable description.
"""

from __future__ import annotations

from html import escape
from typing import Any, Callable

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

METHODS = ("get", "post", "put", "delete", "patch")


def _schema_type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " | ".join(_schema_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    kind = str(schema.get("type", "string"))
    bounds = [f"{k} {schema[k]}" for k in ("minimum", "maximum") if k in schema]
    return kind + (f" ({', '.join(bounds)})" if bounds else "")


def _parameters(operation: dict[str, Any]) -> list[str]:
    rows = []
    for p in operation.get("parameters", []):
        schema = p.get("schema", {})
        default = f"; default {schema['default']}" if "default" in schema else ""
        rows.append(
            f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p.get('in', ''))}</td>"
            f"<td>{escape(_schema_type(schema))}{escape(default)}</td>"
            f"<td>{escape(p.get('description', '') or schema.get('description', ''))}</td></tr>"
        )
    return rows


def render(spec: dict[str, Any]) -> str:
    info = spec.get("info", {})
    title = escape(f"{info.get('title', 'topicwire')} API {info.get('version', '')}".strip())
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title></head><body>",
        f"<h1>{title}</h1>",
        f"<p>{escape(info.get('description', ''))}</p>",
        '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI).</p>',
    ]
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            out.append(f"<h2><code>{method.upper()} {escape(path)}</code></h2>")
            if operation.get("summary"):
                out.append(f"<p>{escape(operation['summary'])}</p>")
            if operation.get("description"):
                out.append(f"<p>{escape(operation['description'])}</p>")
            rows = _parameters(operation)
            if rows:
                out.append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>meaning</th></tr>")
                out.extend(rows)
                out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def router(openapi: Callable[[], dict[str, Any]]) -> APIRouter:
    api = APIRouter()

    @api.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(render(openapi()))

    return api
