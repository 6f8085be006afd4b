"""A real Virtuoso 7 server (`virtuoso-t`, Debian package `virtuoso-opensource`) on free loopback
ports, with a database and a virtuoso.ini of its own in a folder given by the test.

SPARQL Update over the plain /sparql endpoint needs the SPARQL_UPDATE role for the anonymous
"SPARQL" user: granted once it is online, through `isql` on its SQL port (loopback only, and the
server lives only as long as the test)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from api_server import START_ATTEMPTS, free_port

# More rows than the bundled data has triples: a remote store reads whole graphs with SELECT.
RESULT_SET_MAX_ROWS = 1_000_000

INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
DisableUnixSocket        = 1
MaxClientConnections     = 10
CheckpointInterval       = 60
CaseMode                 = 2
DirsAllowed              = ., {folder}
NumberOfBuffers          = 10000
MaxDirtyBuffers          = 6000
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 4
MaxQueryMem              = 256M

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {folder}
MaxClientConnections        = 10
ServerThreads               = 10
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
"""

_ONLINE = re.compile(r"Server online at .*?(\d+)")


def virtuoso_command() -> str:
    found = shutil.which("virtuoso-t")
    if found is None:
        raise RuntimeError("virtuoso-t is missing: apt-get install virtuoso-opensource (as .ci/run does)")
    return found


def isql_command() -> str:
    found = shutil.which("isql-vt") or shutil.which("isql")
    if found is None:
        raise RuntimeError("isql-vt is missing: apt-get install virtuoso-opensource")
    return found


@dataclass
class VirtuosoServer:
    process: subprocess.Popen
    folder: Path
    sql_port: int
    http_port: int

    @property
    def sparql_url(self) -> str:
        """The store URL: Virtuoso takes queries and updates at the same /sparql."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self, statement: str) -> str:
        """Run one SQL statement as dba; its output (isql exits 0 even on an SQL error, so it is checked)."""
        result = subprocess.run(
            [isql_command(), str(self.sql_port), "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql {statement!r} failed: {output}")
        return output

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class PortTaken(RuntimeError):
    pass


def start_virtuoso(
    folder: Path, *, max_rows: int = RESULT_SET_MAX_ROWS, startup_timeout_s: float = 120
) -> VirtuosoServer:
    """`virtuoso-t +foreground` with a new database in ``folder``, once /sparql answers, its log
    says it is online and SPARQL Update is granted; ``max_rows`` is its ResultSetMaxRows (Debian's
    virtuoso.ini: 10000). Started again on other ports if one was taken."""
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            return _start_virtuoso(folder / f"attempt-{attempt}", max_rows, startup_timeout_s)
        except PortTaken:
            if attempt == START_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _start_virtuoso(folder: Path, max_rows: int, startup_timeout_s: float) -> VirtuosoServer:
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(folder=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
    with (folder / "stdout.log").open("wb") as out:
        process = subprocess.Popen(
            [virtuoso_command(), "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = VirtuosoServer(process, folder, sql_port, http_port)
    deadline = time.monotonic() + startup_timeout_s
    while True:
        try:
            answered = httpx.get(server.sparql_url, params={"query": "ASK {}"}, timeout=5).status_code == 200
        except httpx.TransportError:
            answered = False
        if process.poll() is not None:
            log = server.log() + (folder / "stdout.log").read_text(errors="replace")
            taken = "address already in use" in log.lower() or "failed to start listening" in log.lower()
            raise (PortTaken if taken else RuntimeError)(f"virtuoso-t exited with {process.returncode}: {log}")
        if answered and _ONLINE.search(server.log()):
            break
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"virtuoso-t did not answer on {server.sparql_url} within {startup_timeout_s:g} s")
        time.sleep(0.2)
    try:
        server.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
    except Exception:
        server.stop()
        raise
    return server


@contextmanager
def running_virtuoso(folder: Path, **options) -> Iterator[VirtuosoServer]:
    """A Virtuoso server for the duration of the block (``options``: those of start_virtuoso)."""
    server = start_virtuoso(folder, **options)
    try:
        yield server
    finally:
        server.stop()
