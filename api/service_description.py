"""The SPARQL 1.1 Service Description of /sparql, in every RDF format."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import Request
from starlette.responses import Response

from bioplan import formats

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
FORMAT_IRIS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
    "trig": "http://www.w3.org/ns/formats/TriG",
    "nquads": "http://www.w3.org/ns/formats/N-Quads",
}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def description_triples(endpoint: str, update_endpoint: str, graphs: list[str], federated: bool) -> list[ox.Triple]:
    """The query service at ``endpoint`` and the update service beside it, with the dataset."""
    service, dataset, default_graph = ox.NamedNode(endpoint), ox.BlankNode(), ox.BlankNode()
    updates = ox.NamedNode(update_endpoint)
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL10Query")),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        # Say it plainly: without default-graph-uri the default graph is the union of all graphs.
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(
            service,
            RDFS_COMMENT,
            ox.Literal(
                "The default graph is the union of all named graphs unless default-graph-uri or "
                "named-graph-uri is given. SERVICE is limited to an allowlist of endpoints.",
                language="en",
            ),
        ),
        ox.Triple(updates, RDF_TYPE, _sd("Service")),
        ox.Triple(updates, _sd("endpoint"), updates),
        ox.Triple(updates, _sd("supportedLanguage"), _sd("SPARQL11Update")),
        ox.Triple(updates, _sd("defaultDataset"), dataset),
        ox.Triple(
            updates,
            RDFS_COMMENT,
            ox.Literal(
                "Updates need a bearer token and are refused (422) when their result does not conform to the shapes.",
                language="en",
            ),
        ),
    ]
    if federated:  # only when an allowlist names endpoints SERVICE may reach
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    for iri in FORMAT_IRIS.values():
        triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(iri)))
    for graph in graphs:
        named = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(graph)),
        ]
    return triples


def service_description(request: Request, services, fmt: formats.Format) -> Response:
    """The description of this service in ``fmt`` (an RDF format, negotiated by the route)."""
    endpoint = request.url.replace(query="", fragment="")
    triples = description_triples(
        str(endpoint),
        str(endpoint.replace(path="/update")),
        services.store.named_graphs(),
        federated=bool(services.settings.service_allowlist),
    )
    if fmt.kind == formats.DATASET:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        body = formats.serialize_rdf(quads, fmt)
    else:
        body = formats.serialize_rdf(triples, fmt)
    return Response(body, media_type=fmt.content_type(), headers={"Vary": "Accept"})
