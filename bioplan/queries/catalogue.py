"""The stored queries as an API: what a listing says about each one, their answers as plain
JSON or as a table of linked cells, and the labels of the IRIs in them.

The answers themselves are computed elsewhere (the engine, from ``StoredQuery.bound_text``);
this module only reshapes the SPARQL JSON the engine writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan.labels import pick
from bioplan.namespaces import XSD, XSD_DERIVED_INTEGERS
from bioplan.queries.stored import Parameter, StoredQuery
from bioplan.sparql.text import sparql_term
from bioplan.store.interface import Store

_INTEGERS = {XSD + name for name in ("integer", *XSD_DERIVED_INTEGERS, "gYear")}
_NUMBERS = {XSD + "decimal", XSD + "double", XSD + "float"}
LABEL_SUFFIX = "Label"  # a column "xLabel" names the IRI in column "x"


def parameter_description(parameter: Parameter, lang: str) -> str:
    """The parameter's description (its help) in ``lang`` (or the other language), else one made
    from its label and kind: for programs (the JSON list, the OpenAPI document)."""
    given = pick(parameter.descriptions.items(), lang)
    if given:
        return given
    kinds = {
        "iri": ("địa chỉ định danh (IRI)", "an IRI"),
        "integer": ("số nguyên", "an integer"),
        "string": ("chuỗi ký tự", "a string"),
        "literal": ('literal, ví dụ "văn bản"@vi', 'a literal, e.g. "text"@en'),
    }
    vi, en = kinds[parameter.kind]
    name = pick(parameter.labels.items(), lang) or parameter.name
    return f"{name}: {vi}" if lang == "vi" else f"{name}: {en}"


def listing_entry(query: StoredQuery, path: str) -> dict:
    """One stored query as the listing shows it: names, titles, parameters, where to run it."""
    return {
        "name": query.name,
        "title": dict(query.titles),
        "description": dict(query.descriptions),
        "parameters": [
            {
                "name": p.name,
                "type": p.kind,
                "default": p.default,
                "description": {lang: parameter_description(p, lang) for lang in ("vi", "en")},
            }
            for p in query.parameters
        ],
        "url": path,
        "query": query.text,
    }


def plain_value(term: dict):
    """A SPARQL JSON term as a plain JSON value: numbers and booleans as such, the rest as text."""
    datatype = term.get("datatype")
    value = term["value"]
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in _NUMBERS:
            return float(value)
    except ValueError:
        return value
    if datatype == XSD + "boolean":
        return value in ("true", "1")
    return value


def plain_json(results: dict, name: str, values: Mapping[str, str | int | None]) -> dict:
    """SPARQL JSON results as rows of plain values, for systems that do not read SPARQL JSON."""
    columns = results["head"].get("vars", [])
    rows = [
        {column: plain_value(row[column]) if column in row else None for column in columns}
        for row in results.get("results", {}).get("bindings", [])
    ]
    out = {"query": name, "parameters": values, "columns": columns, "rows": rows, "truncated": False}
    if "boolean" in results:
        out["boolean"] = results["boolean"]
    out["truncated"] = bool(results.get("truncated", False))
    return out


@dataclass(frozen=True)
class Cell:
    kind: str  # uri, literal, bnode, triple
    value: str
    label: str | None = None  # from the row's "<column>Label" column
    language: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class ResultTable:
    columns: list[str]
    rows: list[list[Cell | None]]
    truncated: bool
    boolean: bool | None = None


def result_table(results: dict) -> ResultTable:
    """SPARQL JSON results as a table; a column "xLabel" becomes the text of the IRIs in "x"."""
    variables = results["head"].get("vars", [])
    labelled = {v: v + LABEL_SUFFIX for v in variables if v + LABEL_SUFFIX in variables}
    columns = [v for v in variables if v not in labelled.values()]
    rows: list[list[Cell | None]] = []
    for binding in results.get("results", {}).get("bindings", []):
        row: list[Cell | None] = []
        for column in columns:
            term = binding.get(column)
            if term is None:
                row.append(None)
                continue
            label = binding.get(labelled[column], {}).get("value") if column in labelled else None
            value = term["value"] if isinstance(term["value"], str) else json.dumps(term["value"])
            row.append(Cell(term["type"], value, label, term.get("xml:lang"), term.get("datatype")))
        rows.append(row)
    return ResultTable(columns, rows, bool(results.get("truncated", False)), results.get("boolean"))


def labels_of(store: Store, iris: Iterable[str], batch: int = 500) -> dict[str, list[tuple[str | None, str]]]:
    """The labels (rdfs:label, skos:prefLabel, eli:title) of ``iris``, every language, as (tag, text)."""
    wanted = sorted(set(iris))
    labels: dict[str, list[tuple[str | None, str]]] = {}
    for start in range(0, len(wanted), batch):
        values = " ".join(sparql_term(ox.NamedNode(iri)) for iri in wanted[start : start + batch])
        query = (
            "SELECT ?r ?label WHERE { VALUES ?r { " + values + " } "
            "?r <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel>"
            "|<http://data.europa.eu/eli/ontology#title> ?label FILTER(isLiteral(?label)) }"
        )
        for solution in store.query(query):
            labels.setdefault(solution["r"].value, []).append((solution["label"].language, solution["label"].value))
    return labels


def table_iris(table: ResultTable) -> set[str]:
    return {c.value for row in table.rows for c in row if c is not None and c.kind == "uri"}
