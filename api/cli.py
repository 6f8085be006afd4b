"""`bioplan serve`: the one command that needs the web application, so it lives beside it.

The core's command line (bioplan.cli) finds it through the ``bioplan.cli`` entry point group
declared in pyproject.toml and never imports this package.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
from typing import Annotated

import typer
from rich.console import Console

from bioplan.settings import Settings

err = Console(stderr=True)
# uvicorn's start-up chatter, left out so that `make serve` shows one line per step; its
# "Uvicorn running on ..." line stays (scripts wait for it), warnings and errors too.
STARTUP_CHATTER = ("Started server process", "Waiting for application startup.", "Application startup complete.")


def _not_chatter(record: logging.LogRecord) -> bool:
    return not (record.levelno == logging.INFO and str(record.msg).startswith(STARTUP_CHATTER))


def serve_command(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    store: Annotated[str | None, typer.Option("--store", help="Store folder, or a remote SPARQL endpoint URL.")] = None,
    access_log: Annotated[
        bool | None,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log every request on standard output (default: BIOPLAN_ACCESS_LOG, on). Each line costs "
            "about 0.15 ms; /metrics counts requests either way.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the linked-data site and the SPARQL endpoint over HTTP; the last line it prints
    before the requests names the home page."""
    import uvicorn

    from api.app import create_app

    overrides: dict = {"store": store} if store else {}
    if access_log is not None:
        overrides["access_log"] = access_log
    settings = Settings(**overrides)
    served = create_app(settings)  # opens the store: StoreBusy while another process holds it
    err.print(f"starting the query process over {settings.store}…", soft_wrap=True)
    config = uvicorn.Config(served, host=host, port=port, log_level="info", access_log=settings.access_log)
    logging.getLogger("uvicorn.error").addFilter(_not_chatter)  # after Config: it sets the logging up
    ready = f"serving {settings.store}: the home page is http://{host}:{port}/ (SPARQL endpoint: /sparql, API: /docs)"
    server = _announcing_server(config, ready)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C: a normal end, as with uvicorn.run
        server.run()
    if not server.started:
        sys.exit(3)  # uvicorn's exit code when the application did not start


def _announcing_server(config, ready: str):
    """A uvicorn server that prints ``ready`` once it takes requests (its lifespan, which starts
    the query process, is done); uvicorn is imported here, as above: only `serve` needs it."""
    import uvicorn

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                err.print(ready, soft_wrap=True)

    return AnnouncingServer(config)
