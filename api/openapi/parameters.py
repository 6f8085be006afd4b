"""The parameters and request bodies the routes read themselves, as the OpenAPI document
describes them: the SPARQL and Graph Store protocols, ``format`` (every value the route's offers
take: bioplan.formats.negotiation), ``lang``, the ETag headers."""

from __future__ import annotations

from api.openapi.responses import RDF_BODY_TYPES, TEXT, json_schema
from api.routes import sparql
from api.routes.calendar import CALENDAR_OFFERS
from api.routes.catalogue import DOCUMENT_OFFERS
from api.routes.graphs import READ_OFFERS
from api.routes.search import SEARCH_OFFERS
from api.routes.stored_queries import LISTING_OFFERS
from api.tables import TABLE_OFFERS
from bioplan.search.kinds import KINDS

# -- parameters -------------------------------------------------------------------------------


def query_parameter(name: str, schema: dict, description: str, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema, **extra}


def header_parameter(name: str, description: str) -> dict:
    return {"name": name, "in": "header", "required": False, "description": description, "schema": TEXT}


def format_parameter(values: list[str], description: str) -> dict:
    return query_parameter("format", {"type": "string", "enum": values}, description)


LANG = query_parameter(
    "lang",
    TEXT,
    "vi or en: the language of the page and of the labels in it (anything else: by Accept-Language, else vi).",
    examples={"en": {"value": "en"}},
)
IRIS = {"type": "array", "items": {"type": "string", "format": "iri", "description": "An absolute IRI."}}
DATASET_PARAMETERS = (
    query_parameter(
        "default-graph-uri",
        IRIS,
        "A graph of the query's default graph (SPARQL 1.1 Protocol); without it and named-graph-uri the default "
        "graph is the union of all graphs.",
        style="form",
        explode=True,
    ),
    query_parameter(
        "named-graph-uri",
        IRIS,
        "A named graph of the query's dataset (SPARQL 1.1 Protocol).",
        style="form",
        explode=True,
    ),
)
USING_PARAMETERS = (
    query_parameter(
        "using-graph-uri",
        IRIS,
        "A graph of the update's default graph (as USING; 400 with USING or WITH in the update).",
    ),
    query_parameter("using-named-graph-uri", IRIS, "A named graph of the update's dataset (as USING NAMED)."),
)
EXAMPLE_QUERY = (
    "PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
    "SELECT ?plan ?directive WHERE { ?plan eli:ensures_implementation_of ?directive } LIMIT 10"
)
QUERY_TEXT = {"type": "string", "description": "A SPARQL 1.1 query.", "examples": [EXAMPLE_QUERY]}
SPARQL_FORMAT = format_parameter(
    list(dict.fromkeys([*sparql.RESULT_OFFERS.parameter_values(), *sparql.GRAPH_OFFERS.parameter_values()])),
    "The answer's format (a name or a media type), overriding Accept: results formats for SELECT and ASK, "
    "RDF formats for CONSTRUCT and DESCRIBE, html for the query page.",
)
GRAPH_PARAMETERS = (
    query_parameter(
        "graph",
        {"type": "string", "description": "An absolute IRI."},
        "The graph (indirect graph identification); exactly one of graph and default.",
        examples={"lang-son": {"value": "https://w3id.org/vn-bioplan/graph/lang-son"}},
    ),
    query_parameter(
        "default",
        TEXT,
        "The default graph: the union of all graphs (read only); exactly one of graph and default. Its value "
        "is not read (`?default` alone says it).",
        allowEmptyValue=True,
    ),
)
IF_NONE_MATCH = header_parameter("If-None-Match", "ETags: 304 when one matches (a write: 412).")
IF_MATCH = header_parameter("If-Match", "ETags: the write is done only when one matches the graph's (else 412).")
CALENDAR_AGENCY = {  # the route's own check (api/routes/calendar.py), beside FastAPI's length limit
    "name": "agency",
    "in": "query",
    # Empty: every agency (what the calendar page's form sends for "all").
    "schema": {"type": "string", "maxLength": 2000, "pattern": "^(https?://|$)"},
}
SEARCH_KIND = query_parameter(
    "kind",
    {"type": "string", "enum": ["", *(k.key for k in KINDS)]},
    "Only results of this kind (empty: all).",
)
SEARCH_FORMAT = format_parameter(
    SEARCH_OFFERS.parameter_values(), "html, json or csv (else a .json or .csv suffix, else the Accept header)."
)
PAGE_OR_TABLE_FORMAT = format_parameter(
    TABLE_OFFERS.parameter_values(),
    "html, json or csv (or their media types), overriding Accept; a `.json` or `.csv` suffix does the same.",
)
DOCUMENT_FORMAT = format_parameter(
    DOCUMENT_OFFERS.parameter_values(),
    "html or an RDF format (a name or a media type), overriding Accept; a suffix does the same.",
)
GRAPH_FORMAT = format_parameter(
    READ_OFFERS.parameter_values(), "The RDF format (a name or a media type), overriding Accept."
)
CALENDAR_FORMAT = format_parameter(CALENDAR_OFFERS.parameter_values(), "html or json, overriding Accept.")
LISTING_FORMAT = format_parameter(
    LISTING_OFFERS.parameter_values(), "html, json or csv (or their media types), overriding Accept."
)


def path_example(name: str, value: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": TEXT,
        "examples": {"example": {"value": value}},
    }


SUFFIX = {
    "name": "suffix",
    "in": "path",
    "required": True,
    "description": "The format: html, json or csv.",
    "schema": {"type": "string", "enum": ["html", "json", "csv"]},
}
PLAN_KEY = "lang-son/ubnd/kh/2025/de-an-1639"

# -- bodies -----------------------------------------------------------------------------------


def form_body(properties: dict, required: list[str], text_media_type: str, text: dict) -> dict:
    arrays = [name for name, schema in properties.items() if schema.get("type") == "array"]
    return {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": properties, "required": required},
                "encoding": {name: {"style": "form", "explode": True} for name in arrays},
            },
            text_media_type: {"schema": text},
        },
    }


QUERY_BODY = form_body(
    {
        "query": QUERY_TEXT,
        "default-graph-uri": IRIS,
        "named-graph-uri": IRIS,
        "format": SPARQL_FORMAT["schema"],
    },
    ["query"],
    "application/sparql-query",
    QUERY_TEXT,
)
EXAMPLE_UPDATE = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "INSERT DATA { GRAPH <https://w3id.org/vn-bioplan/graph/lang-son> {\n"
    '  <https://w3id.org/vn-bioplan/id/org/lang-son/so-khoa-hoc-va-cong-nghe> rdfs:comment "Ghi chú."@vi } }'
)
UPDATE_TEXT = {"type": "string", "description": "A SPARQL 1.1 update.", "examples": [EXAMPLE_UPDATE]}
UPDATE_BODY = form_body(
    {"update": UPDATE_TEXT, "using-graph-uri": IRIS, "using-named-graph-uri": IRIS},
    ["update"],
    "application/sparql-update",
    UPDATE_TEXT,
)
EXAMPLE_TURTLE = (
    "<https://w3id.org/vn-bioplan/id/org/lang-son/so-khoa-hoc-va-cong-nghe> "
    '<http://www.w3.org/2000/01/rdf-schema#comment> "Ghi chú."@vi .\n'
)
GRAPH_BODY = {
    "required": True,
    "description": "The graph's triples in an RDF format (by Content-Type; UTF-8): a body naming another graph is "
    "refused (400).",
    "content": {
        m: {"schema": {"type": "string", "examples": [EXAMPLE_TURTLE]} if m == "text/turtle" else json_schema(m)}
        for m in RDF_BODY_TYPES
    },
}
