"""Processes the benchmark starts: free loopback ports, start and stop by process group, the
peak resident memory of a process and all its descendants, sampled."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Direct children of ``pid``, from every one of its threads (Linux: /proc/PID/task/TID/children)."""
    found: list[int] = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in threads:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as children:
                found.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and every descendant, in KiB (0 once it has exited)."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                total += int(statm.read().split()[1]) * PAGE_KIB
        except (OSError, IndexError, ValueError):
            continue
        pending.extend(_children(pid))
    return total


@dataclass
class MemorySampler:
    """Samples a process tree's RSS in a thread until stopped; keeps the peak."""

    root: int
    interval_s: float = 0.25
    peak_kib: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.root))
            self._stop.wait(self.interval_s)

    def stop(self) -> int:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        return self.peak_kib


@dataclass
class Server:
    """A process started in its own session, so that it and its children stop together."""

    name: str
    process: subprocess.Popen
    log: Path
    sampler: MemorySampler
    started_at: float

    @classmethod
    def spawn(cls, name: str, argv: Sequence[str], log: Path, env: dict | None = None) -> Server:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            process = subprocess.Popen(
                list(argv), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, env=env,
            )  # fmt: skip
        return cls(name, process, log, MemorySampler(process.pid).start(), time.perf_counter())

    def wait_ready(self, probe: Callable[[], bool], timeout_s: float) -> float:
        """Poll ``probe`` until it answers true; the seconds since spawn. Bounded by ``timeout_s``."""
        deadline = self.started_at + timeout_s
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            if probe():
                return time.perf_counter() - self.started_at
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} was not ready after {timeout_s:.0f} s; see {self.log}")

    def stop(self, grace_s: float = 30) -> int:
        """Stop the process group (SIGTERM, then SIGKILL after ``grace_s``); the peak RSS in KiB."""
        peak = self.sampler.peak_kib
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=grace_s)
        # Children left behind in the group (spawned workers) go too; the group id is ours.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.sampler.stop()
        return max(peak, self.sampler.peak_kib)


def timed_run(argv: Sequence[str], log: Path, timeout_s: float, env: dict | None = None) -> tuple[float, int, int]:
    """Run a command to completion: (seconds, exit code, peak RSS of its tree in KiB)."""
    server = Server.spawn(Path(argv[0]).name, argv, log, env)
    try:
        code = server.process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        server.stop(grace_s=5)
        return time.perf_counter() - server.started_at, -1, server.sampler.peak_kib
    elapsed = time.perf_counter() - server.started_at
    return elapsed, code, server.stop(grace_s=1)
