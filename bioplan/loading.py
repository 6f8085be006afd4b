"""Loading: read, NFC-normalise, validate, then write each graph atomically."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan.layout import DataFile
from bioplan.rdfio import InputError, ReadFile, read
from bioplan.shacl import validate
from bioplan.store import Store
from bioplan.validation import ValidationReport


class InvalidData(Exception):
    """The input does not conform; nothing was written."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(f"{len(report.errors)} SHACL violation(s)")


@dataclass(frozen=True)
class LoadResult:
    triples_per_graph: dict[str, int]


def group_by_graph(read_files: list[ReadFile]) -> dict[str, list[ox.Quad]]:
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    for read_file in read_files:
        for quad in read_file.quads:
            name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
            if name is None:
                raise InputError(read_file.file.path, "triples in the default graph: put them in a named graph")
            graphs[name].append(quad)
    return dict(graphs)


def load(
    store: Store,
    files: list[DataFile],
    progress: Callable[[DataFile], None] = lambda _file: None,
    *,
    bulk: bool = False,
) -> LoadResult:
    """Validate ``files`` together with the shared context, then replace their graphs.

    Raises InputError for unreadable input and InvalidData for non-conforming input; in both
    cases the store is left exactly as it was. ``bulk``: write with the store's bulk loader, not
    in one transaction (validation still comes first).
    """
    read_files = []
    for file in files:
        read_files.append(read(file))
        progress(file)
    report = validate(read_files)
    if not report.conforms:
        raise InvalidData(report)
    graphs = group_by_graph(read_files)
    # Distinct triples per graph: loading the same files twice gives the same counts.
    store.replace_graphs(graphs, atomic=not bulk)
    return LoadResult(
        {name: len({(q.subject, q.predicate, q.object) for q in quads}) for name, quads in graphs.items()}
    )
