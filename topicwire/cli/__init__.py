"""The ``topicwire`` command line.

Every error a user can cause ends as one line on stderr and a non-zero
exit; a traceback only appears with TOPICWIRE_DEBUG=1.
"""

from __future__ import annotations

import os
import sys

import typer
from typer.exceptions import TyperException

from topicwire.cli import crawl_cmds, digest_cmds, doctor_cmds, project_cmds, secure_cmds, serve_cmds, sources_cmds, worker_cmds, entity_cmds  # noqa: F401 - they register their commands
from topicwire.cli.app import app, err
from topicwire.errors import TopicwireError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: run the app, turning every failure into one line."""
    debug = os.environ.get("TOPICWIRE_DEBUG") == "1"
    try:
        code = app(standalone_mode=False)
    except TopicwireError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("error: interrupted", markup=False)
        sys.exit(130)
    except TyperException as exc:  # usage errors: unknown command, bad option...
        code = getattr(exc, "exit_code", 2)
        hint = " (see 'topicwire --help')" if code == 2 else ""
        err.print(f"error: {exc.format_message()}{hint}", markup=False)
        sys.exit(code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        err.print(f"error: internal error: {type(exc).__name__}: {exc} (TOPICWIRE_DEBUG=1 shows where)", markup=False)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
