"""A real uvicorn server on a free loopback port, running the real app, for HTTP tests.

Tests run in parallel (pytest-xdist, beside other suites on the same machine): no port is fixed.
The in-thread server listens on a socket bound to port 0 before it starts, so no other process can
take its port in between; a server started as a process (`bioplan serve`, `oxigraph serve`) is
given a free port and started again on another one if that port was taken before it bound it.
"""

from __future__ import annotations

import os
import re
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

START_ATTEMPTS = 3  # a server process whose free port was taken before it bound it is started again


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_was_taken(log: str) -> bool:
    """Whether a server process's output says its port was taken (uvicorn's and Oxigraph's wording)."""
    return "address already in use" in log.lower() or "errno 98" in log.lower()


def says_it_listens(log: str, port: int) -> bool:
    """Whether a server process's output says it bound ``port`` (uvicorn's and Oxigraph's wording).
    An answer on the port alone is not enough: another test's server may hold it while this one,
    still starting, is about to fail to bind it."""
    said = re.compile(rf"(Uvicorn running on|Listening for requests at) http://[^ ]*:{port}(?!\d)")
    return said.search(log) is not None


@contextmanager
def running_server(settings: Settings, store=None) -> Iterator[str]:
    """Serve ``create_app(settings, store)`` on 127.0.0.1; yields the base URL."""
    app = create_app(settings, store)
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
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
        listening.close()


@contextmanager
def bioplan_serve(
    store: Path, log: Path, *options: str, env: dict[str, str] | None = None, start_timeout_s: float = 120
) -> Iterator[tuple[subprocess.Popen, str]]:
    """`bioplan serve` as a user runs it (a real process) on a free loopback port, everything it
    prints going to ``log``; yields (process, base URL) once it answers. Stopped with SIGTERM, so
    that what it printed is flushed to ``log``. Started again on another port if its port was taken
    before it bound it (``log`` then holds the last start)."""
    process = None
    try:
        for attempt in range(1, START_ATTEMPTS + 1):
            port = free_port()
            argv = [sys.executable, "-m", "bioplan", "serve", "--host", "127.0.0.1", "--port", str(port)]
            with log.open("wb") as out:  # the child keeps its own handle
                process = subprocess.Popen(
                    [*argv, "--store", str(store), *options],
                    cwd=layout.PROJECT_ROOT,
                    env={**os.environ, **(env or {})},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            url = f"http://127.0.0.1:{port}"
            if _answers(process, port, log, start_timeout_s, retry=attempt < START_ATTEMPTS):
                break
        yield process, url
    finally:
        if process is not None:
            _stop(process)


def _answers(process: subprocess.Popen, port: int, log: Path, timeout_s: float, retry: bool) -> bool:
    """Wait until `bioplan serve` answers a query (True), or exits because its port was taken and
    may be started again (False); raise when it exits otherwise or does not answer in time."""
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            answered = httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200
        except httpx.TransportError:
            answered = False
        if process.poll() is not None:  # checked after the request: whatever answered was not this process
            if retry and port_was_taken(log.read_text(errors="replace")):
                return False
            raise RuntimeError(f"bioplan serve exited with {process.returncode}: {log}")
        if answered and says_it_listens(log.read_text(errors="replace"), port):
            return True
        if time.monotonic() > deadline:
            raise RuntimeError(f"bioplan serve did not answer within {timeout_s:g} s: {log}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
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
