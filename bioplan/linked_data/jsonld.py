"""A resource's description as JSON-LD a developer reads: short keys for the project's terms,
language maps for labels, the resource at the top with its links embedded, and the context it
uses embedded too (nothing is fetched at parse time). The whole context is published at a stable
URL (/context.jsonld).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan.labels import local_name
from bioplan.linked_data.description import VOCABULARY_PREFIXES, Description, compact_iri
from bioplan.namespaces import HYDRA, OWL, PREFIXES, RDF, RDF_TYPE, RDFS, XSD
from bioplan.store.interface import Store

# -- JSON-LD ----------------------------------------------------------------------------------
#
# Keys are the local names of the ontology's terms ("leadAgency", "label", "Task"); when two
# vocabularies share a local name, the project's own `bp:` term keeps it and the other is written
# as a compact IRI ("dct:title"). Coercions make values plain: IRIs as strings, labels as
# {"vi": ..., "en": ...}, dates and numbers as strings typed by the context. A value that does
# not fit its key's coercion is written under the compact IRI instead, so nothing is lost. A
# document embeds the part of the context it uses, so a processor never fetches anything.

KEYWORD_ALIASES = {"id": "@id", "type": "@type"}
ID, LANGUAGE = "@id", "@language"
# RDFS terms with fixed coercions: the ontology does not declare them.
CORE_TERMS = {RDFS + "label": LANGUAGE, RDFS + "comment": LANGUAGE}
CORE_TERMS |= {RDFS + name: ID for name in ("seeAlso", "isDefinedBy", "subClassOf", "subPropertyOf", "domain", "range")}
NATIVE_JSON_TYPES = {XSD + "integer", XSD + "boolean"}
SAMPLE_SIZE = 25  # values read per property whose declaration does not fix its coercion
# Not a vocabulary of the data but of the documents: a paged document's Hydra statements
# (bioplan.linked_data.hydra) are written "hydra:next", so the prefix is in every context.
DOCUMENT_PREFIXES = {"hydra": HYDRA}


def _compact(iri: str) -> str:
    """`compact_iri`, and ``hydra:next`` for a Hydra term."""
    for prefix, namespace in DOCUMENT_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return compact_iri(iri)


@dataclass(frozen=True)
class TermDefinition:
    name: str
    iri: str
    coercion: str | None = None  # "@id", "@language", a datatype IRI, or None

    def as_json(self) -> str | dict:
        if self.coercion is None:
            return compact_iri(self.iri)
        if self.coercion == LANGUAGE:
            return {"@id": compact_iri(self.iri), "@container": LANGUAGE}
        coercion = ID if self.coercion == ID else compact_iri(self.coercion)
        return {"@id": compact_iri(self.iri), "@type": coercion}


@dataclass(frozen=True)
class JsonLdContext:
    terms: dict[str, TermDefinition]  # by IRI

    def as_json(self, used: Iterable[str] | None = None) -> dict:
        """The context: aliases, vocabulary prefixes and the terms (only those in ``used``)."""
        wanted = set(self.terms) if used is None else set(used) & set(self.terms)
        context: dict = dict(KEYWORD_ALIASES)
        context |= {prefix: PREFIXES[prefix] for prefix in VOCABULARY_PREFIXES}
        context |= DOCUMENT_PREFIXES
        for term in sorted((self.terms[iri] for iri in wanted), key=lambda t: t.name):
            context[term.name] = term.as_json()
        return context


def _namespace_rank(iri: str) -> tuple[int, str]:
    for rank, prefix in enumerate(VOCABULARY_PREFIXES):
        if iri.startswith(PREFIXES[prefix]):
            return rank, iri
    return len(VOCABULARY_PREFIXES), iri


def jsonld_context(store: Store) -> JsonLdContext:
    """The context for the terms the ontology declares (and a few RDFS terms), read from ``store``."""
    query = f"""
        SELECT ?t ?kind ?range WHERE {{
          VALUES ?kind {{ <{OWL}Class> <{RDFS}Class> <{OWL}ObjectProperty> <{OWL}DatatypeProperty>
                          <{OWL}AnnotationProperty> <{RDF}Property> }}
          ?t a ?kind FILTER(isIRI(?t))
          OPTIONAL {{ ?t <{RDFS}range> ?range FILTER(isIRI(?range)) }}
        }}"""
    kinds: dict[str, str] = {}
    ranges: dict[str, str] = {}
    for row in store.query(query):
        kinds.setdefault(row["t"].value, row["kind"].value)
        if row["range"] is not None:
            ranges.setdefault(row["t"].value, row["range"].value)

    coercions: dict[str, str | None] = dict(CORE_TERMS)
    undecided = []
    for iri, kind in kinds.items():
        if iri in coercions or kind in (OWL + "Class", RDFS + "Class"):
            continue
        declared = ranges.get(iri)
        if kind == OWL + "ObjectProperty":
            coercions[iri] = ID
        elif declared == RDF + "langString":
            coercions[iri] = LANGUAGE
        elif declared and declared.startswith(XSD):
            coercions[iri] = None if declared == XSD + "string" else declared
        else:
            undecided.append(iri)
    coercions |= _coercions_from_values(store, sorted(undecided))

    # Integers and booleans stay JSON numbers and booleans: no coercion (JSON-LD reads them back
    # as xsd:integer and xsd:boolean). Decimals keep theirs: a JSON number would read as xsd:double.
    coercions = {iri: None if c in NATIVE_JSON_TYPES else c for iri, c in coercions.items()}
    reserved = set(KEYWORD_ALIASES) | set(VOCABULARY_PREFIXES) | set(DOCUMENT_PREFIXES)
    terms: dict[str, TermDefinition] = {}
    taken: set[str] = set()
    for iri in sorted({*kinds, *CORE_TERMS}, key=_namespace_rank):
        name = local_name(iri)
        if name in reserved or name in taken or not name.replace("_", "").replace("-", "").isalnum():
            continue  # written as a compact IRI instead
        taken.add(name)
        terms[iri] = TermDefinition(name, iri, coercions.get(iri))
    return JsonLdContext(terms)


def _coercions_from_values(store: Store, properties: list[str]) -> dict[str, str | None]:
    """The coercion the stored values of each property allow (a sample of them): IRIs, one
    language-tagged string per language, or one datatype; None when they are mixed or absent."""
    if not properties:
        return {}
    parts = [f"{{ SELECT (<{p}> AS ?p) ?o WHERE {{ ?s <{p}> ?o }} LIMIT {SAMPLE_SIZE} }}" for p in properties]
    seen: dict[str, set[str]] = defaultdict(set)
    for row in store.query(f"SELECT ?p ?o WHERE {{ {' UNION '.join(parts)} }}"):
        value = row["o"]
        if isinstance(value, ox.NamedNode):
            seen[row["p"].value].add(ID)
        elif isinstance(value, ox.Literal):
            seen[row["p"].value].add(LANGUAGE if value.language else value.datatype.value)
        else:
            seen[row["p"].value].add("blank")
    decided: dict[str, str | None] = {}
    for p in properties:
        kinds = seen.get(p, set())
        only = next(iter(kinds)) if len(kinds) == 1 else None
        decided[p] = None if only in (None, "blank", XSD + "string") else only
    return decided


def jsonld_document(description: Description, context: JsonLdContext) -> dict:
    """The description as one JSON-LD tree: the resource at the top, the resources it links to
    embedded with their labels, the links to it under "@reverse", blank nodes nested."""
    triples = description.triples()
    main = ox.NamedNode(description.iri)
    outgoing: dict = defaultdict(list)
    references: dict = defaultdict(int)
    for t in triples:
        outgoing[t.subject].append((t.predicate, t.object))
        references[t.object] += 1
    used: set[str] = set()

    def key_and_coercion(predicate: ox.NamedNode, value) -> tuple[str, str | None]:
        term = context.terms.get(predicate.value)
        if term is not None and not (term.coercion == LANGUAGE and not _is_language_string(value)):
            used.add(term.iri)
            return term.name, term.coercion
        return _compact(predicate.value), None

    def type_name(iri: str) -> str:
        term = context.terms.get(iri)
        if term is not None:
            used.add(iri)
            return term.name
        return _compact(iri)

    def node(subject, path: frozenset) -> dict:
        out: dict = {}
        if isinstance(subject, ox.NamedNode):
            out["id"] = subject.value
        elif references[subject] > 1:
            out["id"] = f"_:{subject.value}"
        types = []
        for predicate, value in outgoing[subject]:
            if value == main and subject != main:
                continue  # written once, under the resource's "@reverse"
            if predicate.value == RDF_TYPE and isinstance(value, ox.NamedNode):
                types.append(type_name(value.value))
                continue
            key, coercion = key_and_coercion(predicate, value)
            if coercion == LANGUAGE:
                by_language = out.setdefault(key, {})
                _add(by_language, value.language, value.value)
            else:
                _add(out, key, object_json(value, coercion, path))
        if types:
            out["type"] = types[0] if len(types) == 1 else types
        return out

    def object_json(value, coercion: str | None, path: frozenset):
        if isinstance(value, ox.Literal):
            return _literal_json(value, coercion)
        if isinstance(value, ox.BlankNode) or (value != main and value in outgoing and value not in path):
            return node(value, path | {value})
        return value.value if coercion == ID else {"id": value.value}

    document = node(main, frozenset({main}))
    reverse: dict = {}
    for t in triples:
        if t.object == main and t.subject != main and isinstance(t.subject, ox.NamedNode):
            key, _ = key_and_coercion(t.predicate, t.subject)
            _add(reverse, key, node(t.subject, frozenset({main, t.subject})))
    ordered = {key: document[key] for key in ("id", "type") if key in document}
    ordered |= {key: document[key] for key in sorted(document) if key not in ordered}
    if reverse:
        ordered["@reverse"] = reverse
    return {"@context": context.as_json(used), **ordered}


def _is_language_string(value) -> bool:
    return isinstance(value, ox.Literal) and bool(value.language)


def _literal_json(literal: ox.Literal, coercion: str | None):
    if literal.language:
        return {"@value": literal.value, "@language": literal.language}
    datatype = literal.datatype.value
    if coercion == datatype or (coercion is None and datatype == XSD + "string"):
        return literal.value
    if coercion is None and datatype == XSD + "integer" and _is_canonical_integer(literal.value):
        return int(literal.value)  # a JSON number reads back as this very xsd:integer
    if coercion is None and datatype == XSD + "boolean" and literal.value in ("true", "false"):
        return literal.value == "true"
    return {"@value": literal.value, "@type": compact_iri(datatype)}


def _is_canonical_integer(text: str) -> bool:
    return text.lstrip("-").isdigit() and str(int(text)) == text


def _add(container: dict, key: str, value) -> None:
    """Set ``key``, turning it into a list from the second value on."""
    if key not in container:
        container[key] = value
    elif isinstance(container[key], list):
        container[key].append(value)
    else:
        container[key] = [container[key], value]
