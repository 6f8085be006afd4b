"""Untrusted text parsed in a process of its own, with a time limit.

pyoxigraph's parsers are native code: a parser that crashes (a stack overflow is a segmentation
fault, not an exception) takes its whole process with it, and a parse cannot be interrupted.
Request bodies, and the syntax check of updates and of queries that are not evaluated, are
therefore parsed first here: a crash costs the request that caused it (the process is started
again for the next), a parse past the time limit is stopped by killing the process. Once the
text has parsed here, parsing it again where it is used is safe: the parsers are deterministic.

Bodies come back as N-Quads, which the caller reads with the line-based parser.
"""

from __future__ import annotations

import io
import multiprocessing
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import pyoxigraph as ox

from bioplan.engine.query import parse_position


class ParseRefused(Exception):
    """The text could not be parsed (400): ``code`` is malformed-rdf, malformed-query or
    malformed-update for a syntax error (with line and column where known), parser-failed when
    the parser crashed, too-complex when it ran past the time limit."""

    def __init__(self, code: str, message: str, line: int | None = None, column: int | None = None):
        self.code, self.message, self.line, self.column = code, message, line, column
        super().__init__(message)


@dataclass(frozen=True)
class _Syntax:
    message: str
    line: int | None
    column: int | None


def _parse_rdf(text: str, media_type: str, base_iri: str | None) -> bytes:
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"no RDF format for {media_type}")
    quads = [
        q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object)
        for q in ox.parse(text, format=fmt, base_iri=base_iri)
    ]
    out = io.BytesIO()
    ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)
    return out.getvalue()


def _check_query(text: str, base_iri: str | None) -> None:
    ox.Store().query(text, base_iri=base_iri)  # nothing to evaluate in an empty store


def _check_update(text: str, base_iri: str | None) -> None:
    try:
        ox.Store().update(text, base_iri=base_iri)
    except SyntaxError:
        raise
    except (OSError, RuntimeError, ValueError):
        pass  # evaluation errors on an empty store (a missing graph) mean nothing


def _answer(kind: str, payload: tuple):
    try:
        if kind == "rdf":
            return "ok", _parse_rdf(*payload)
        if kind == "query":
            _check_query(*payload)
            return "ok", None
        if kind == "update":
            _check_update(*payload)
            return "ok", None
        return "error", f"unknown request {kind!r}"
    except SyntaxError as error:
        if error.lineno:  # the RDF parsers fill in the position
            return "syntax", _Syntax(getattr(error, "msg", None) or str(error), error.lineno, error.offset)
        return "syntax", _Syntax(str(error), *parse_position(str(error)))
    except Exception as error:
        return "error", f"{type(error).__name__}: {error}"


def _serve(connection) -> None:  # the child's entry
    while True:
        try:
            kind, payload = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(_answer(kind, payload))


class ParseSandbox:
    """One parsing process, started when first needed and again after it dies or overruns."""

    def __init__(self, timeout_s: float = 10.0):
        self.timeout_s = timeout_s
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()  # one parse at a time: bodies are written one at a time anyway
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self.restarts = 0

    def _start(self) -> Connection:
        ours, theirs = self._context.Pipe()
        self._process = process = self._context.Process(
            target=_serve, args=(theirs,), daemon=True, name="bioplan-parse"
        )
        process.start()
        theirs.close()
        self._connection = ours
        return ours

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    def _ask(self, kind: str, payload: tuple, what: str, malformed: tuple[str, str]):
        with self._lock:
            connection = self._connection
            if self._process is None or connection is None or not self._process.is_alive():
                self._stop()
                connection = self._start()
            try:
                connection.send((kind, payload))
                if not connection.poll(self.timeout_s):
                    self._stop()
                    self.restarts += 1
                    raise ParseRefused(
                        "too-complex", f"reading the {what} took longer than {self.timeout_s:g} s and was stopped"
                    )
                status, result = connection.recv()
            except (EOFError, OSError, BrokenPipeError):
                self._stop()
                self.restarts += 1
                raise ParseRefused("parser-failed", f"the parser failed on the {what}; nothing was changed") from None
        if status == "syntax":
            raise ParseRefused(malformed[0], f"{malformed[1]}: {result.message}", result.line, result.column)
        if status == "error":
            raise ParseRefused("parser-failed", f"cannot read the {what}: {result}")
        return result

    def parse_rdf(self, text: str, media_type: str, base_iri: str | None) -> list[ox.Quad]:
        """The quads of ``text``; ParseRefused("syntax", …) with line and column on bad syntax."""
        what = f"body as {media_type}"
        nquads = self._ask("rdf", (text, media_type, base_iri), what, ("malformed-rdf", f"cannot read the {what}"))
        try:
            return list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        except (MemoryError, SyntaxError) as error:  # a literal longer than the N-Quads reader's line
            raise ParseRefused("too-complex", f"cannot read the {what}: {error}") from error

    def check_query(self, text: str, base_iri: str | None) -> None:
        self._ask("query", (text, base_iri), "query", ("malformed-query", "malformed query"))

    def check_update(self, text: str, base_iri: str | None) -> None:
        self._ask("update", (text, base_iri), "update", ("malformed-update", "malformed update"))

    def close(self) -> None:
        with self._lock:
            self._stop()
