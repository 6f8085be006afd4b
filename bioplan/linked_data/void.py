"""The dataset described with VoID and DCAT, from counts computed on the store, and its dump.

Identifiers (the dataset, its subsets, the distributions) are minted under the base IRI, beside
the data (`<base>void#dataset`); addresses (the SPARQL endpoint, the dump) are where this service
answers, given by the caller, since those must be fetched, not just named.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from bioplan.linked_data.vocabulary_labels import with_vocabulary_labels
from bioplan.namespaces import BP, CANONICAL_BASE, DCAT, DCT, FOAF, PREFIXES, RDF_TYPE, RDFS, SD, SKOS, VOID, XSD
from bioplan.store.interface import Store

XSD_INTEGER = ox.NamedNode(XSD + "integer")
IANA = "https://www.iana.org/assignments/media-types/"
# Classes whose first instance stands as an example of the dataset's resources.
EXAMPLE_CLASSES = ("PartyResolution", "PrimeMinisterDecision", "ProvincialPlan", "Task", "Agency", "QuantifiedTarget")

TITLES = {
    "vi": "Kế hoạch công nghệ sinh học của Việt Nam: văn bản Trung ương và kế hoạch của tỉnh",
    "en": "Vietnam's biotechnology plans: national directives and provincial plans",
}
DESCRIPTIONS = {
    "vi": "Các mục tiêu, chỉ tiêu, nhiệm vụ, giải pháp, cơ quan và vai trò, nguồn kinh phí, loại chất thải và "
    "nghĩa vụ báo cáo của các văn bản Trung ương về công nghệ sinh học và các kế hoạch của tỉnh thực hiện chúng, "
    "mỗi nội dung dẫn về vị trí của nó trong văn bản gốc.",
    "en": "The goals, quantified targets, tasks, solutions, agencies and roles, funding sources, waste domains "
    "and reporting obligations of Vietnam's national directives on biotechnology and of the provincial plans "
    "that carry them out, each traceable to its place in the source text.",
}


@dataclass(frozen=True)
class GraphCount:
    graph: str
    triples: int
    subjects: int

    @property
    def slug(self) -> str:
        return self.graph.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class DatasetStats:
    graphs: list[GraphCount]  # the named graphs
    default_graph_triples: int
    triples: int  # distinct triples over every graph
    subjects: int
    properties: int
    classes: list[tuple[str, int]]  # class, distinct instances
    vocabularies: list[str]
    examples: list[str]
    # The labels ((language, text), ...) of each class, for the page: the ontology's, and for the
    # classes of other vocabularies the Vietnamese names of bioplan.linked_data.vocabulary_labels.
    class_labels: dict[str, tuple[tuple[str | None, str], ...]] = field(default_factory=dict)

    @property
    def quads(self) -> int:
        return sum(g.triples for g in self.graphs) + self.default_graph_triples


def _rows(store: Store, sparql: str) -> list:
    return list(store.query(sparql, union_default_graph=False))


def _number(term) -> int:
    return int(term.value) if term is not None else 0


def vocabulary_of(term: str) -> str:
    """The namespace a class or property belongs to: a known prefix's, else up to its last # or /."""
    known = [ns for ns in PREFIXES.values() if term.startswith(ns)]
    if known:
        return max(known, key=len)
    cut = max(term.rfind("#"), term.rfind("/"))
    return term[: cut + 1] if cut > 0 else term


# Every triple, in a named graph or in the store's own default graph.
_ALL = "{ GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o }"


def dataset_stats(store: Store) -> DatasetStats:
    graphs = [
        GraphCount(r["g"].value, _number(r["triples"]), _number(r["subjects"]))
        for r in _rows(
            store,
            "SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) "
            "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        )
    ]
    default_graph = _number(_rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    totals = _rows(
        store,
        f"SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) "
        f"WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {_ALL} }} }}",
    )[0]
    classes = [
        (r["class"].value, _number(r["n"]))
        for r in _rows(
            store,
            f"SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {_ALL.replace('?p ?o', '<' + RDF_TYPE + '> ?class')} "
            f"FILTER(isIRI(?class)) }} GROUP BY ?class ORDER BY DESC(?n) ?class",
        )
    ]
    predicates = [r["p"].value for r in _rows(store, f"SELECT DISTINCT ?p WHERE {{ {_ALL} }}")]
    vocabularies = sorted({vocabulary_of(t) for t in [*predicates, *(c for c, _ in classes)]})
    values = " ".join(f"<{BP}{name}>" for name in EXAMPLE_CLASSES)
    found = {
        r["class"].value: r["example"].value
        for r in store.query(
            f"SELECT ?class (MIN(STR(?s)) AS ?example) WHERE {{ VALUES ?class {{ {values} }} ?s a ?class "
            f"FILTER(isIRI(?s)) }} GROUP BY ?class"
        )
    }
    examples = [found[BP + name] for name in EXAMPLE_CLASSES if BP + name in found]
    class_labels = _class_labels(store, [c for c, _ in classes])
    return DatasetStats(
        graphs=graphs,
        default_graph_triples=default_graph,
        triples=_number(totals["triples"]),
        subjects=_number(totals["subjects"]),
        properties=_number(totals["properties"]),
        classes=classes,
        vocabularies=vocabularies,
        examples=examples,
        class_labels=class_labels,
    )


def _class_labels(store: Store, classes: list[str]) -> dict[str, tuple[tuple[str | None, str], ...]]:
    """The labels of ``classes`` (rdfs:label, else skos:prefLabel), with the table's Vietnamese names."""
    if not classes:
        return {}
    values = " ".join(f"<{c}>" for c in classes)
    found: dict[str, list[tuple[str | None, str]]] = {c: [] for c in classes}
    for r in store.query(
        f"SELECT ?c ?label WHERE {{ VALUES ?c {{ {values} }} "
        f"{{ GRAPH ?g {{ ?c <{RDFS}label>|<{SKOS}prefLabel> ?label }} }} FILTER(isLiteral(?label)) }}"
    ):
        found[r["c"].value].append((r["label"].language, r["label"].value))
    return {c: with_vocabulary_labels(c, tuple(dict.fromkeys(labels))) for c, labels in found.items()}


def void_iris(base_iri: str) -> dict[str, str]:
    document = base_iri + "void"
    return {
        "document": document,
        "dataset": document + "#dataset",
        "service": document + "#sparql-service",
        "dump": document + "#dump-nquads",
        "dump_gz": document + "#dump-nquads-gzip",
        "sparql_distribution": document + "#sparql",
    }


def subset_iri(base_iri: str, graph: GraphCount) -> str:
    return f"{base_iri}void#graph-{graph.slug}"


def void_triples(stats: DatasetStats, *, base_iri: str, service_url: str) -> list[ox.Triple]:
    """The description: a void:Dataset and dcat:Dataset, one void:subset per named graph, the
    SPARQL endpoint as a dcat:DataService, and the N-Quads dump (plain and gzipped) as distributions.

    ``service_url`` is where this service answers, ending with "/"."""
    iris = void_iris(base_iri)
    out: list[ox.Triple] = []

    def node(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    def add(subject: str, predicate: str, obj) -> None:
        out.append(ox.Triple(node(subject), node(predicate), obj))

    def count(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=XSD_INTEGER)

    dataset, service = iris["dataset"], iris["service"]
    sparql, dump, dump_gz = service_url + "sparql", service_url + "dump.nq", service_url + "dump.nq.gz"
    add(iris["document"], RDF_TYPE, node(VOID + "DatasetDescription"))
    add(iris["document"], FOAF + "primaryTopic", node(dataset))
    add(iris["document"], DCT + "title", ox.Literal("Mô tả bộ dữ liệu vn-bioplan", language="vi"))
    add(iris["document"], DCT + "title", ox.Literal("Description of the vn-bioplan dataset", language="en"))

    add(dataset, RDF_TYPE, node(VOID + "Dataset"))
    add(dataset, RDF_TYPE, node(DCAT + "Dataset"))
    for lang, text in TITLES.items():
        add(dataset, DCT + "title", ox.Literal(text, language=lang))
    for lang, text in DESCRIPTIONS.items():
        add(dataset, DCT + "description", ox.Literal(text, language=lang))
    for lang, word in (("vi", "công nghệ sinh học"), ("en", "biotechnology"), ("vi", "kế hoạch"), ("en", "plan")):
        add(dataset, DCAT + "keyword", ox.Literal(word, language=lang))
    add(dataset, DCAT + "landingPage", node(service_url))
    add(dataset, FOAF + "homepage", node(service_url))
    add(dataset, VOID + "sparqlEndpoint", node(sparql))
    add(dataset, VOID + "dataDump", node(dump))
    add(dataset, VOID + "uriSpace", ox.Literal(CANONICAL_BASE + "id/"))
    add(dataset, VOID + "triples", count(stats.triples))
    add(dataset, VOID + "distinctSubjects", count(stats.subjects))
    add(dataset, VOID + "properties", count(stats.properties))
    add(dataset, VOID + "classes", count(len(stats.classes)))
    for vocabulary in stats.vocabularies:
        add(dataset, VOID + "vocabulary", node(vocabulary))
    for example in stats.examples:
        add(dataset, VOID + "exampleResource", node(example))
    for class_iri, entities in stats.classes:
        partition = ox.BlankNode()
        out.append(ox.Triple(node(dataset), node(VOID + "classPartition"), partition))
        out.append(ox.Triple(partition, node(VOID + "class"), node(class_iri)))
        out.append(ox.Triple(partition, node(VOID + "entities"), count(entities)))
    for graph in stats.graphs:
        subset = subset_iri(base_iri, graph)
        add(dataset, VOID + "subset", node(subset))
        add(subset, RDF_TYPE, node(VOID + "Dataset"))
        add(subset, SD + "name", node(graph.graph))
        add(subset, DCT + "title", ox.Literal(graph.slug))
        add(subset, VOID + "triples", count(graph.triples))
        add(subset, VOID + "distinctSubjects", count(graph.subjects))
        add(subset, VOID + "sparqlEndpoint", node(sparql))

    for iri, url, title, compressed in (
        (iris["dump"], dump, "N-Quads", False),
        (iris["dump_gz"], dump_gz, "N-Quads, gzip", True),
    ):
        add(dataset, DCAT + "distribution", node(iri))
        add(iri, RDF_TYPE, node(DCAT + "Distribution"))
        add(iri, DCT + "title", ox.Literal(f"Toàn bộ dữ liệu ({title})", language="vi"))
        add(iri, DCT + "title", ox.Literal(f"The whole dataset ({title})", language="en"))
        add(iri, DCAT + "downloadURL", node(url))
        add(iri, DCAT + "accessURL", node(url))
        add(iri, DCAT + "mediaType", node(IANA + "application/n-quads"))
        add(iri, DCT + "format", node("http://www.w3.org/ns/formats/N-Quads"))
        if compressed:
            add(iri, DCAT + "compressFormat", node(IANA + "application/gzip"))

    distribution = iris["sparql_distribution"]
    add(dataset, DCAT + "distribution", node(distribution))
    add(distribution, RDF_TYPE, node(DCAT + "Distribution"))
    add(distribution, DCT + "title", ox.Literal("SPARQL 1.1", language="en"))
    add(distribution, DCAT + "accessURL", node(sparql))
    add(distribution, DCAT + "accessService", node(service))
    add(service, RDF_TYPE, node(DCAT + "DataService"))
    add(service, DCT + "title", ox.Literal("Điểm truy vấn SPARQL", language="vi"))
    add(service, DCT + "title", ox.Literal("SPARQL endpoint", language="en"))
    add(service, DCAT + "endpointURL", node(sparql))
    add(service, DCAT + "endpointDescription", node(sparql))
    add(service, DCT + "conformsTo", node("https://www.w3.org/TR/sparql11-protocol/"))
    add(service, DCAT + "servesDataset", node(dataset))
    return out


def gzipped(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks`` compressed as one gzip stream, chunk by chunk."""
    stream = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: gzip header and trailer
    for chunk in chunks:
        compressed = stream.compress(chunk)
        if compressed:
            yield compressed
    yield stream.flush()
