"""The `topicwire serve` command: the live API over the project's store."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Optional

import typer

from topicwire.cli.app import ConfigOption, app, err, open_project, out, project_keys
from topicwire.errors import TopicwireError


def _url_host(host: str) -> str:
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Address to listen on (default: serve.host, 127.0.0.1).")] = None,
    port: Annotated[
        Optional[int], typer.Option(min=1, max=65535, help="Port to listen on (default: serve.port, 8000).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Serve the live JSON API, feeds and cached images (one process)."""
    import uvicorn

    from topicwire.serve import create_app

    with open_project(config) as (project, store):
        host = host or project.settings.serve.host
        port = port or project.settings.serve.port
        if not project.editor_token:
            err.print(
                "warning: no editor token (TOPICWIRE_EDITOR_TOKEN or serve.editor_token): the editor API is disabled",
                markup=False,
            )
        try:
            # the key ring only serves the editors' full-text endpoint
            store.keys = project_keys(project)
        except TopicwireError as exc:
            err.print(f"warning: {exc}: editors cannot read full text through the API", markup=False)
        application = create_app(project, store)
        out.print(f"serving {project.settings.name} on http://{_url_host(host)}:{port}/", markup=False)
        # one process (no workers: the app holds the metrics and the store);
        # uvicorn's access log writes the request line and status only, never
        # request headers, so the editor's Authorization header stays out of it.
        # proxy_headers off: uvicorn would otherwise believe X-Forwarded-For
        # from 127.0.0.1; the app decides that itself, from serve.trusted_proxies
        # (serve/access.py), so that the setting is the only switch
        uvicorn.run(application, host=host, port=port, access_log=True, log_level="info", proxy_headers=False)
