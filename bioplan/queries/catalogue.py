"""The stored queries as an API: what a listing says about each one, their answers as plain
JSON or as a table of linked cells, and the values a parameter can usefully take.

The answers themselves are computed elsewhere (the engine, from ``StoredQuery.bound_text``);
this module only reshapes the SPARQL JSON the engine writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan.labels import pick
from bioplan.namespaces import BP, XSD, XSD_DERIVED_INTEGERS
from bioplan.queries.stored import Parameter, StoredQuery
from bioplan.sparql.text import sparql_term
from bioplan.store.interface import Store
from bioplan.text import fold

_INTEGERS = {XSD + name for name in ("integer", *XSD_DERIVED_INTEGERS, "gYear")}
_NUMBERS = {XSD + "decimal", XSD + "double", XSD + "float"}
LABEL_SUFFIX = "Label"  # a column "xLabel" names the IRI in column "x"


def parameter_description(parameter: Parameter, lang: str) -> str:
    """The parameter's description in ``lang`` (or the other language), else one made from its kind."""
    given = pick(parameter.descriptions.items(), lang)
    if given:
        return given
    kinds = {
        "iri": ("IRI", "an IRI"),
        "integer": ("số nguyên", "an integer"),
        "string": ("chuỗi ký tự", "a string"),
        "literal": ('literal, ví dụ "văn bản"@vi', 'a literal, e.g. "text"@en'),
    }
    vi, en = kinds[parameter.kind]
    return f"{parameter.name}: {vi}" if lang == "vi" else f"{parameter.name}: {en}"


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


def listing_row(entry: dict) -> dict[str, str]:
    """A listing entry flattened to one CSV row."""
    params = "; ".join(
        f"{p['name']}:{p['type']}" + (f"={p['default']}" if p["default"] is not None else "")
        for p in entry["parameters"]
    )
    return {
        "name": entry["name"],
        "title_vi": entry["title"].get("vi", ""),
        "title_en": entry["title"].get("en", ""),
        "description_vi": entry["description"].get("vi", ""),
        "description_en": entry["description"].get("en", ""),
        "parameters": params,
        "url": entry["url"],
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


# The values a parameter can take: resources of the same broad kind as its default (every
# instance of the default's most general classes in our ontology), or concepts of its scheme.
_CHOICES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT DISTINCT ?choice ?label WHERE {
  {
    SELECT DISTINCT ?choice WHERE {
      {
        %(default)s a/rdfs:subClassOf* ?broad .
        FILTER(STRSTARTS(STR(?broad), "%(bp)s"))
        FILTER NOT EXISTS { ?broad rdfs:subClassOf ?wider . FILTER(STRSTARTS(STR(?wider), "%(bp)s")) }
        ?choice a/rdfs:subClassOf* ?broad .
      } UNION {
        %(default)s skos:inScheme ?scheme .
        ?choice skos:inScheme ?scheme .
      }
      FILTER(isIRI(?choice))
    } LIMIT %(limit)d
  }
  OPTIONAL { ?choice rdfs:label|skos:prefLabel|eli:title ?label }
}
"""


def parameter_choices(store: Store, parameter: Parameter, lang: str, limit: int = 1000) -> list[tuple[str, str]]:
    """(IRI, label) pairs an IRI parameter can usefully take, sorted by label; [] for other kinds."""
    if parameter.kind != "iri" or not parameter.default:
        return []
    default = sparql_term(parameter.term(parameter.default))
    labels: dict[str, list[tuple[str | None, str]]] = {}
    for solution in store.query(_CHOICES % {"default": default, "bp": BP, "limit": limit}):
        iri = solution["choice"].value
        label = solution["label"]
        found = labels.setdefault(iri, [])  # an unlabelled choice is still a choice
        if isinstance(label, ox.Literal):
            found.append((label.language, label.value))
    choices = [(iri, pick(found, lang) or iri) for iri, found in labels.items()]
    return sorted(choices, key=lambda choice: (fold(choice[1]), choice[0]))


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
