"""The `bioplan` command line: validate, load, query, stats, reason."""

from __future__ import annotations

import hashlib
import sys
import time
from enum import StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from bioplan import layout
from bioplan.cli.tokens import token_app
from bioplan.engine.query import QueryError, execute, render
from bioplan.loading.loader import InvalidData, load
from bioplan.loading.rdfio import InputError, read_all
from bioplan.queries.stored import parse as parse_stored_query
from bioplan.settings import Settings
from bioplan.store.factory import is_remote, open_store
from bioplan.store.interface import StoreBusy

app = typer.Typer(help="vn-bioplan: the knowledge graph of Vietnam's biotechnology plans.", no_args_is_help=True)
app.add_typer(token_app, name="token")
err = Console(stderr=True, soft_wrap=True)  # a path:line:column or a message stays on one line, whatever the width

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class ReportFormat(StrEnum):
    text = "text"
    turtle = "turtle"
    json = "json"


class ResultFormat(StrEnum):
    json = "json"
    csv = "csv"
    tsv = "tsv"
    xml = "xml"
    table = "table"


PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Turtle, TriG, N-Quads files or folders (default: everything bundled)."),
]
StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store", help="Store folder, or a remote SPARQL endpoint URL (default: BIOPLAN_STORE or var/store)."
    ),
]


def _location(store: str | None) -> str:
    return store if store is not None else Settings().store


def _files(paths: list[Path] | None):
    return layout.expand(paths) if paths else layout.bundled_files()


def _print_input_error(error: InputError) -> None:
    err.print(f"[bold red]unreadable input[/] {error}", highlight=False, markup=True)


@app.command("validate")
def validate_command(
    paths: PathsArg = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.text,
    lang: Annotated[str, typer.Option(help="Language of messages in the text report: en or vi.")] = "en",
) -> None:
    """Validate data with the ontology and the SHACL shapes. Exit 0 conforms, 1 violations, 2 unreadable."""
    try:
        read_files = read_all(_files(paths))
    except InputError as error:
        _print_input_error(error)
        raise typer.Exit(EXIT_UNREADABLE) from None
    from bioplan.validation.shacl import validate  # imported on use: `bioplan load` starts writing before it

    report = validate(read_files)
    if format is ReportFormat.json:
        sys.stdout.write(report.to_json() + "\n")
    elif format is ReportFormat.turtle:
        sys.stdout.write(report.to_turtle())
    else:
        sys.stdout.write(report.to_text(lang))
    raise typer.Exit(EXIT_OK if report.conforms else EXIT_INVALID)


def _digest(files) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(
            str(
                file.path.relative_to(layout.PROJECT_ROOT)
                if file.path.is_relative_to(layout.PROJECT_ROOT)
                else file.path
            ).encode()
        )
        digest.update(hashlib.sha256(file.path.read_bytes()).digest())
    for path in layout.shape_files():
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


LOAD_STAMP = "bioplan-loaded.sha256"


@app.command("load")
def load_command(
    paths: PathsArg = None,
    store: StoreOpt = None,
    if_stale: Annotated[bool, typer.Option("--if-stale", help="Skip when these files are already loaded.")] = False,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="Write with the bulk loader: several times faster for large loads, but not one "
            "transaction (validation still comes first; if the write is interrupted, load again).",
        ),
    ] = False,
    examples: Annotated[
        bool,
        typer.Option(
            "--examples",
            help="Also load the made-up example reports (data/examples) into their own graph, "
            "validated with everything else. Without it, a load removes that graph: a store is "
            "either official or a demo.",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="One line: what was loaded, and how long it took (`make serve`).")
    ] = False,
) -> None:
    """Validate, then write into the on-disk store: one named graph per province, national, ontology."""
    files = _files(paths)
    if examples:
        files += [f for f in layout.example_files() if f not in files]
    demo = any(f.graph == layout.EXAMPLES_GRAPH for f in files)
    location = _location(store)
    # A remote store keeps no stamp: --if-stale always loads it.
    stamp = None if is_remote(location) else Path(location) / LOAD_STAMP
    digest = _digest(files)
    if quiet:  # the line is ended once the load is done: `make serve` shows one line per step
        err.print(f"loading {'the bundled data' if paths is None else 'the data'}: ", end="")
    if if_stale and stamp is not None and stamp.is_file() and stamp.read_text().strip() == digest:
        err.print(f"already loaded ({location} is up to date)" if quiet else f"{location} is up to date")
        return
    target = open_store(location)
    started = time.perf_counter()
    try:
        with Progress(console=err, transient=True, disable=quiet) as progress:
            task = progress.add_task("reading", total=len(files))
            result = load(target, files, progress=lambda _f: progress.advance(task), bulk=bulk)
        if not demo and layout.EXAMPLES_GRAPH in target.named_graphs():
            # The stamp tells an official load from a demo one (the example file is in the
            # digest); dropping the graph keeps an official store free of example reports.
            target.update(f"DROP SILENT GRAPH <{layout.EXAMPLES_GRAPH}>")
    except InputError as error:
        _print_input_error(error)
        raise typer.Exit(EXIT_UNREADABLE) from None
    except InvalidData as error:
        sys.stdout.write(error.report.to_text())
        err.print(f"[bold red]refused[/]: {error}; the store is unchanged")
        raise typer.Exit(EXIT_INVALID) from None
    finally:
        target.close()
    if stamp is not None:
        stamp.write_text(digest + "\n")
    if quiet:
        triples = sum(result.triples_per_graph.values())
        seconds = time.perf_counter() - started
        err.print(f"{len(files)} files, {triples} triples, validated and written in {seconds:.1f} s into {location}")
        return
    for graph, count in sorted(result.triples_per_graph.items()):
        err.print(f"{count:>8} triples  {graph}", highlight=False)
    err.print(f"loaded {len(files)} files in {time.perf_counter() - started:.1f} s into {location}")


@app.command("query")
def query_command(
    query: Annotated[str, typer.Argument(help="SPARQL text, or @file.rq")],
    store: StoreOpt = None,
    format: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="name=value for a stored query's parameter")
    ] = None,
) -> None:
    """Run a SPARQL query; the default graph is the union of all graphs, GRAPH ?g reaches each one."""
    bindings = None
    if query.startswith("@"):
        path = Path(query[1:])
        if not path.is_file():
            err.print(f"[bold red]no such query file[/]: {path}")
            raise typer.Exit(EXIT_UNREADABLE)
        stored = parse_stored_query(path)
        values = dict(p.split("=", 1) for p in param or [])
        try:
            bindings = stored.bindings(values)
        except ValueError as error:
            err.print(f"[bold red]{error}[/]")
            raise typer.Exit(EXIT_UNREADABLE) from None
        query = stored.text
    target = open_store(_location(store), read_only=True)
    try:
        result = execute(target, query, bindings)
        sys.stdout.write(render(result, format.value))
    except QueryError as error:
        where = f" at line {error.line}, column {error.column}" if error.line else ""
        err.print(f"[bold red]{error.message}[/]{where}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    finally:
        target.close()


STATS_GRAPHS = """
SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph ORDER BY ?graph
"""
STATS_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?instances) ?class
"""


@app.command("stats")
def stats_command(store: StoreOpt = None) -> None:
    """Triples per graph and instances per class."""
    target = open_store(_location(store), read_only=True)
    try:
        sys.stdout.write(render(execute(target, STATS_GRAPHS), "table") + "\n")
        sys.stdout.write(render(execute(target, STATS_CLASSES), "table"))
    finally:
        target.close()


@app.command("reason")
def reason_command(paths: PathsArg = None) -> None:
    """Check the ontology and data for OWL 2 DL consistency with HermiT (needs Java)."""
    from bioplan.validation.reasoning import check_consistency

    try:
        read_files = read_all(_files(paths) if paths else layout.bundled_files())
    except InputError as error:
        _print_input_error(error)
        raise typer.Exit(EXIT_UNREADABLE) from None
    result = check_consistency(q for r in read_files for q in r.quads)
    if result.consistent:
        sys.stdout.write("consistent\n")
        return
    sys.stdout.write("inconsistent\n" + result.explanation + "\n")
    for iri in result.unsatisfiable_classes:
        sys.stdout.write(f"unsatisfiable: {iri}\n")
    raise typer.Exit(EXIT_INVALID)


def add_plugin_commands(cli: typer.Typer) -> typer.Typer:
    """Adds the commands other packages declare under the ``bioplan.cli`` entry point group, so the core
    names no layer above it: `serve` comes from api/cli.py, which may import the web application."""
    present = {command.name for command in cli.registered_commands}
    for entry in entry_points(group="bioplan.cli"):
        if entry.name not in present:
            cli.command(entry.name)(entry.load())
    return cli


def main() -> None:  # console-script entry point
    try:
        add_plugin_commands(app)()
    except StoreBusy as error:  # `make serve` while another server holds the store: one line, no traceback
        err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
        raise SystemExit(1) from None
