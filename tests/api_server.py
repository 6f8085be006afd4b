"""A real uvicorn server on a free loopback port, running the real app, for HTTP tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn

from api.app import create_app
from bioplan.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(settings: Settings, store=None) -> Iterator[str]:
    """Serve ``create_app(settings, store)`` on 127.0.0.1; yields the base URL."""
    app = create_app(settings, store)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        httpx.get(url + "/sparql", timeout=10)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)


BACKENDS = ("embedded", "remote")


@contextmanager
def serving(backend: str, folder, fill, **settings_fields) -> Iterator[str]:
    """The real app over a new store of ``backend`` (the embedded store, or a real Oxigraph
    server reached as a remote SPARQL endpoint), filled by ``fill(store)`` first; yields its URL."""
    from bioplan.remote_store import RemoteStore
    from bioplan.store import OxigraphStore

    if backend == "embedded":
        store = OxigraphStore(folder / "store")
        fill(store)
        try:
            with running_server(Settings(store=str(store.path), **settings_fields), store) as url:
                yield url
        finally:
            store.close()
        return
    from oxigraph_server import running_oxigraph  # imported here: it imports this module

    with running_oxigraph(folder / "oxigraph") as store_url:
        settings = Settings(store=store_url, **settings_fields)
        store = RemoteStore.from_url(store_url, settings)
        try:
            fill(store)
            with running_server(settings, store) as url:
                yield url
        finally:
            store.close()
