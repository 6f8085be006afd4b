"""What a linked-data page shows and serialises of one resource: its own statements grouped by
property, the labels of everything it points to, one page of the links that point to it, its
provenance and the named graph of every statement (bioplan.linked_data.describe reads it from a
store; bioplan.linked_data.jsonld writes it as JSON-LD)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from bioplan.labels import PREFERRED_LABEL_PROPERTIES, local_name, pick
from bioplan.namespaces import PREFIXES, RDF_TYPE, XSD
from bioplan.paging import Paging

# Namespaces of vocabularies (not of instances) that JSON-LD keys and compact IRIs may use.
VOCABULARY_PREFIXES: tuple[str, ...] = ("bp", "eli", "org", "m8g", "pplan", "prov", "time", "skos", "dct", "schema")
VOCABULARY_PREFIXES += ("rdf", "rdfs", "xsd", "owl", "sh")


def compact_iri(iri: str) -> str:
    """``bp:leadAgency`` for a term of a known vocabulary; the IRI itself otherwise."""
    for prefix in VOCABULARY_PREFIXES:
        namespace = PREFIXES[prefix]
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


@dataclass(frozen=True)
class Term:
    """An IRI and its labels (language tag or None, text), best label property first."""

    iri: str
    labels: tuple[tuple[str | None, str], ...] = ()

    def label(self, lang: str) -> str:
        """The label for a reader of ``lang``; the local name when there is none."""
        return pick(self.labels, lang) or local_name(self.iri)

    def label_language(self, lang: str) -> str | None:
        """The language tag of `label` (for a `lang` attribute), None when it has none."""
        text = pick(self.labels, lang)
        return next((tag for tag, label in self.labels if label == text), None) if text else None

    @property
    def curie(self) -> str:
        return compact_iri(self.iri)


@dataclass(frozen=True)
class Value:
    """One object of a statement: an IRI (with labels), a literal, or a blank node with its own
    statements; and the named graphs that hold the statement."""

    term: ox.NamedNode | ox.BlankNode | ox.Literal
    graphs: tuple[str, ...]
    resource: Term | None = None  # for an IRI
    statements: tuple[PropertyValues, ...] = ()  # for a blank node

    @property
    def is_iri(self) -> bool:
        return isinstance(self.term, ox.NamedNode)

    @property
    def is_blank(self) -> bool:
        return isinstance(self.term, ox.BlankNode)

    @property
    def text(self) -> str:
        return self.term.value

    @property
    def language(self) -> str | None:
        return self.term.language if isinstance(self.term, ox.Literal) else None

    @property
    def datatype(self) -> str | None:
        """The datatype of a typed literal, None for strings and language-tagged strings."""
        if not isinstance(self.term, ox.Literal) or self.term.language:
            return None
        datatype = self.term.datatype.value
        return None if datatype == XSD + "string" else datatype

    @property
    def is_date(self) -> bool:
        """A date or date-time literal: a page shows it as a reader writes a day."""
        return self.datatype in (XSD + "date", XSD + "dateTime")


@dataclass(frozen=True)
class PropertyValues:
    predicate: Term
    values: tuple[Value, ...]

    def ordered_values(self, lang: str) -> list[Value]:
        """Values in the reader's language first, the rest in their stored order."""
        return sorted(self.values, key=lambda v: v.language is not None and v.language.split("-")[0] != lang)

    @property
    def languages(self) -> frozenset[str]:
        """The languages (primary subtags) of the values: a page names a value's language only
        where they are more than one."""
        return frozenset(v.language.lower().split("-")[0] for v in self.values if v.language)


@dataclass(frozen=True)
class InverseLink:
    subject: Term
    predicate: Term
    graphs: tuple[str, ...]


@dataclass(frozen=True)
class InversePage(Paging):
    """One page of the links pointing to the resource, ordered by property then subject."""

    links: tuple[InverseLink, ...] = ()


@dataclass(frozen=True)
class Provenance:
    """Where the statements about a resource come from in the source texts."""

    source_documents: tuple[Term, ...] = ()
    source_files: tuple[str, ...] = ()
    section_paths: tuple[str, ...] = ()
    source_sections: tuple[str, ...] = ()
    verbatim_texts: tuple[tuple[str | None, str], ...] = ()
    ocr_source_texts: tuple[str, ...] = ()
    derived_from: tuple[Term, ...] = ()
    editorial_notes: tuple[tuple[str | None, str], ...] = ()
    graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any((self.source_documents, self.source_files, self.section_paths, self.verbatim_texts))


@dataclass
class Description:
    resource: Term
    types: tuple[Term, ...]
    properties: tuple[PropertyValues, ...]
    inverse: InversePage
    provenance: Provenance
    quads: list[ox.Quad] = field(repr=False)  # every statement shown, with its graph: the RDF views
    truncated: bool = False

    @property
    def iri(self) -> str:
        return self.resource.iri

    def label(self, lang: str) -> str:
        return self.resource.label(lang)

    @property
    def graphs(self) -> frozenset[str]:
        """The named graphs of every statement shown (own, inverse links, neighbours' labels)."""
        return frozenset(q.graph_name.value for q in self.quads if isinstance(q.graph_name, ox.NamedNode))

    def ordered_properties(self, lang: str) -> list[PropertyValues]:
        """Labels first, then the other properties by their label in the reader's language."""

        def key(group: PropertyValues):
            iri = group.predicate.iri
            rank = (
                PREFERRED_LABEL_PROPERTIES.index(iri)
                if iri in PREFERRED_LABEL_PROPERTIES
                else len(PREFERRED_LABEL_PROPERTIES)
            )
            return (iri != RDF_TYPE, rank, group.predicate.label(lang).casefold())

        return sorted(self.properties, key=key)

    def triples(self) -> list[ox.Triple]:
        """The statements once each, whatever graphs hold them (for triple formats), in `ordered_quads` order."""
        return list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in self.ordered_quads()))

    def ordered_quads(self) -> list[ox.Quad]:
        """The resource's statements first, then its blank nodes', then each other subject's
        together: serialisers group consecutive statements of one subject."""
        main = ox.NamedNode(self.iri)

        def key(q: ox.Quad):
            rank = 0 if q.subject == main else 1 if isinstance(q.subject, ox.BlankNode) else 2
            return (rank, str(q.subject), q.predicate.value != RDF_TYPE, str(q.predicate), str(q.object))

        return sorted(self.quads, key=key)
