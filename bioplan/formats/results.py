"""Writing query results with a row cap: SPARQL JSON, XML, CSV, TSV; RDF for graph results.

pyoxigraph serialises a whole result iterator; a capped result needs its own writer, and the
four SPARQL results formats are small enough to write here, per their W3C specifications.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from bioplan.formats import DATASET, Format, by_name, serialize_rdf

T = TypeVar("T")

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class QueryOutput:
    body: bytes
    format_name: str  # a name in bioplan.formats (names pickle; pyoxigraph formats do not)
    truncated: bool = False
    count: int | None = None  # rows or triples written; None for ASK

    @property
    def format(self) -> Format:
        return by_name(self.format_name)


def capped(items: Iterable[T], limit: int) -> tuple[list[T], bool]:
    head = list(itertools.islice(iter(items), limit + 1))
    return head[:limit], len(head) > limit


XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
XSD_FLOAT = "http://www.w3.org/2001/XMLSchema#float"


def _as_float32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def canonical_floating(lexical: str, single: bool = False) -> str:
    """The XSD 1.1 canonical form of an xsd:double (or, ``single``, xsd:float): "1.0E6".

    The store keeps numbers by value ("1.0E6"^^xsd:double comes back as "1000000"); the
    canonical form is the one lexical form of the value, and the one the W3C tests expect.
    """
    value = float(lexical)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    if value == 0:
        return "-0.0E0" if math.copysign(1.0, value) < 0 else "0.0E0"
    if single:  # the fewest digits that read back as the same 32-bit float
        value = _as_float32(value)
        shortest = next(
            text for digits in range(1, 10) if _as_float32(float(text := f"{value:.{digits - 1}e}")) == value
        )
    else:
        shortest = repr(value)
    sign, digits, exponent = Decimal(shortest).normalize().as_tuple()
    if not isinstance(exponent, int):  # "n", "N" or "F": a NaN or an infinity, answered above
        raise ValueError(f"not a finite number: {lexical}")
    text = "".join(map(str, digits))
    return f"{'-' if sign else ''}{text[0]}.{text[1:] or '0'}E{exponent + len(text) - 1}"


def canonical_term(term):
    """``term``, with xsd:double and xsd:float literals in their canonical form."""
    if isinstance(term, ox.Literal) and term.datatype.value in (XSD_DOUBLE, XSD_FLOAT):
        try:
            return ox.Literal(canonical_floating(term.value, term.datatype.value == XSD_FLOAT), datatype=term.datatype)
        except ValueError:  # not a valid lexical form: leave it as it is
            return term
    return term


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def write_solutions(variables: list[str], rows: list[list], fmt: Format, truncated: bool) -> bytes:
    """Solutions (rows of terms or None, in variable order) in a SPARQL results format."""
    rows = [[canonical_term(t) for t in row] for row in rows]
    if fmt.name == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        doc: dict = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if truncated:
            doc["truncated"] = True
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt.name == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head>\n<results>")
        for row in rows:
            out.append("<result>")
            out += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            out.append("</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt.name == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_csv_value(t) for t in row])
        return buffer.getvalue().encode("utf-8")
    if fmt.name == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"{fmt.name} is not a results format")


def write_boolean(value: bool, fmt: Format) -> bytes:
    if fmt.name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt.name == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head/>\n'
            f"<boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n"
        ).encode()
    if fmt.name in ("csv", "tsv"):
        return b"true\n" if value else b"false\n"
    raise ValueError(f"{fmt.name} is not a results format")


def write_graph(triples: Iterator[ox.Triple], fmt: Format, limit: int) -> tuple[bytes, bool, int]:
    kept, truncated = capped(triples, limit)
    if fmt.kind == DATASET:  # TriG and N-Quads carry quads: the triples go to the default graph
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in kept]
        return serialize_rdf(quads, fmt), truncated, len(quads)
    return serialize_rdf(kept, fmt), truncated, len(kept)
