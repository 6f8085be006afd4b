"""`bioplan serve`: the one command that needs the web application, so it lives beside it.

The core's command line (bioplan.cli) finds it through the ``bioplan.cli`` entry point group
declared in pyproject.toml and never imports this package.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from bioplan.settings import Settings

err = Console(stderr=True)


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
    """Serve the SPARQL endpoint (and, later, the linked-data site) over HTTP."""
    import uvicorn

    from api.app import create_app

    overrides: dict = {"store": store} if store else {}
    if access_log is not None:
        overrides["access_log"] = access_log
    settings = Settings(**overrides)
    served = create_app(settings)  # opens the store: StoreBusy while another process holds it
    err.print(
        f"serving {settings.store} on http://{host}:{port}/ (SPARQL endpoint: /sparql, API: /docs)", soft_wrap=True
    )
    uvicorn.run(served, host=host, port=port, log_level="info", access_log=settings.access_log)
