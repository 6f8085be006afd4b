"""A real uvicorn server on a free loopback port, running the real app, for HTTP tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from api.app import create_app
from bioplan import layout
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


@contextmanager
def bioplan_serve(
    store: Path, log: Path, *options: str, env: dict[str, str] | None = None, start_timeout_s: float = 120
) -> Iterator[tuple[subprocess.Popen, str]]:
    """`bioplan serve` as a user runs it (a real process) on a free loopback port, everything it
    prints going to ``log``; yields (process, base URL) once it answers. Stopped with SIGTERM, so
    that what it printed is flushed to ``log``."""
    port = free_port()
    argv = [sys.executable, "-m", "bioplan", "serve", "--host", "127.0.0.1", "--port", str(port), "--store", str(store)]
    with log.open("wb") as out:  # the child keeps its own handle
        process = subprocess.Popen(
            [*argv, *options],
            cwd=layout.PROJECT_ROOT,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"bioplan serve exited with {process.returncode}: {log}")
            try:
                if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"bioplan serve did not answer within {start_timeout_s:g} s: {log}")
            time.sleep(0.1)
        yield process, url
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


BACKENDS = ("embedded", "remote")


@contextmanager
def serving(backend: str, folder, fill, **settings_fields) -> Iterator[str]:
    """The real app over a new store of ``backend`` (the embedded store, or a real Oxigraph
    server reached as a remote SPARQL endpoint), filled by ``fill(store)`` first; yields its URL."""
    from bioplan.store.embedded import OxigraphStore
    from bioplan.store.remote import RemoteStore

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
