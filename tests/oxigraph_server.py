"""A real Oxigraph server (`oxigraph serve`, PyPI package `oxigraph`) on a free loopback port."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from api_server import START_ATTEMPTS, free_port, port_was_taken, says_it_listens


def oxigraph_command() -> str:
    # The CLI is installed beside the interpreter; fall back to PATH for other layouts.
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph CLI is missing: pip install oxigraph (the project's test extra)")
    return found


@dataclass
class OxigraphServer:
    process: subprocess.Popen
    base_url: str

    @property
    def query_url(self) -> str:
        """The store URL: ``/update`` and ``/store`` are beside it."""
        return self.base_url + "/query"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_oxigraph(location: Path, *options: str, startup_timeout_s: float = 30) -> OxigraphServer:
    """`oxigraph serve` over the store in ``location`` (created if needed) with ``options``,
    once it answers. Its output goes to ``<location>-oxigraph.log`` beside the store. Started
    again on another port if its port was taken before it bound it."""
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            return _start_oxigraph(location, options, startup_timeout_s)
        except PortTaken:
            if attempt == START_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


class PortTaken(RuntimeError):
    pass


def _start_oxigraph(location: Path, options: tuple[str, ...], startup_timeout_s: float) -> OxigraphServer:
    location.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = location.parent / f"{location.name}-oxigraph.log"
    with log_path.open("wb") as log:  # the child keeps its own handle
        process = subprocess.Popen(
            [oxigraph_command(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *options],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = OxigraphServer(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + startup_timeout_s
    while True:
        try:
            answered = httpx.get(server.base_url + "/", timeout=2).status_code == 200
        except httpx.TransportError:
            answered = False
        if process.poll() is not None:  # checked after the request: whatever answered was not this process
            log = log_path.read_text(errors="replace")
            error = PortTaken if port_was_taken(log) else RuntimeError
            raise error(f"oxigraph serve exited with {process.returncode}: {log}")
        if answered and says_it_listens(log_path.read_text(errors="replace"), port):
            return server
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"oxigraph serve did not answer on {server.base_url} within {startup_timeout_s:g} s")
        time.sleep(0.05)


@contextmanager
def running_oxigraph(location: Path, *options: str) -> Iterator[str]:
    """An Oxigraph server for the duration of the block; yields its query endpoint URL."""
    server = start_oxigraph(location, *options)
    try:
        yield server.query_url
    finally:
        server.stop()
