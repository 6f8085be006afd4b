"""bioplan.formats.negotiation without HTTP: a table of Accept headers, suffixes and format
parameters against the offers of the routes, and Accept-Language."""

from __future__ import annotations

import pytest

from bioplan import formats
from bioplan.formats.negotiation import (
    NoSuchSuffix,
    NotAcceptable,
    Offers,
    negotiate,
    negotiate_language,
    parse_accept,
    preferred,
    split_suffix,
)

HTML, DATA, CSV = formats.by_name("html"), formats.by_name("data"), formats.by_name("csv")
DOCUMENT = Offers((HTML, *formats.of_kinds(formats.GRAPH, formats.DATASET)))
TABLE = Offers((HTML, DATA, CSV))
STORED = Offers((HTML, DATA, *formats.of_kinds(formats.RESULTS)), default=DATA)
RESULTS = Offers(formats.of_kinds(formats.RESULTS))
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFLIB = "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, application/n-quads"


@pytest.mark.parametrize(
    ("offers", "accept", "expected"),
    [
        (DOCUMENT, None, "html"),
        (DOCUMENT, "", "html"),
        (DOCUMENT, "*/*", "html"),
        (DOCUMENT, BROWSER, "html"),
        (DOCUMENT, "text/turtle", "turtle"),
        (DOCUMENT, "application/json", "jsonld"),  # another media type of JSON-LD
        (DOCUMENT, "text/plain", "ntriples"),
        (DOCUMENT, RDFLIB, "rdfxml"),  # equal q: the range named first
        (DOCUMENT, "text/html;q=0.5, text/turtle", "turtle"),
        (DOCUMENT, "text/turtle;q=0.2, application/ld+json;q=0.8", "jsonld"),
        (DOCUMENT, "application/rdf+xml;q=0, text/turtle;q=0.1", "turtle"),
        (DOCUMENT, "text/html, text/turtle;q=0.9", "html"),
        (DOCUMENT, "text/turtle;q=0.9, */*", "html"),  # */* gives every other offer q=1
        (DOCUMENT, "text/*", "html"),  # the default, when the range names it
        (DOCUMENT, "application/*", "ntriples"),  # else the first offer it names
        (DOCUMENT, "TEXT/TURTLE; Q=0.5", "turtle"),
        (TABLE, "application/json", "data"),
        (TABLE, "text/csv", "csv"),
        (STORED, None, "data"),
        (STORED, "application/json", "data"),  # its own media type before SPARQL JSON's second one
        (STORED, "application/sparql-results+json", "json"),
        (STORED, "application/xml", "xml"),
        (STORED, BROWSER, "html"),
        (RESULTS, "application/json", "json"),
        (RESULTS, "text/*", "csv"),
    ],
)
def test_accept(offers, accept, expected):
    assert negotiate(accept, offers).name == expected


@pytest.mark.parametrize(
    ("offers", "accept"),
    [(DOCUMENT, "image/png"), (TABLE, "application/rdf+xml"), (RESULTS, "text/turtle"), (DOCUMENT, "*/*;q=0")],
)
def test_accept_nothing_offered_is_not_acceptable(offers, accept):
    with pytest.raises(NotAcceptable) as refused:
        negotiate(accept, offers)
    assert all(media_type in str(refused.value) for media_type in offers.media_types())
    assert preferred(accept, offers) is offers.default  # an answer that must be given anyway


@pytest.mark.parametrize(
    ("offers", "value", "expected"),
    [
        (TABLE, "json", "data"),  # a suffix's name first
        (TABLE, "application/json", "data"),
        (TABLE, "HTML", "html"),
        (STORED, "json", "data"),
        (STORED, "srj", "json"),
        (STORED, "xml", "xml"),
        (STORED, "sparql-xml", "xml"),
        (STORED, "text", "tsv"),
        (RESULTS, "json", "json"),
        (RESULTS, "application/json", "json"),
        (DOCUMENT, "ttl", "turtle"),
        (DOCUMENT, "json-ld", "jsonld"),
        (DOCUMENT, "rdf/xml", "rdfxml"),
        (DOCUMENT, "nq", "nquads"),
    ],
)
def test_format_parameter_wins_over_accept(offers, value, expected):
    assert negotiate("text/html", offers, format_param=value).name == expected


@pytest.mark.parametrize(("offers", "value"), [(TABLE, "xml"), (TABLE, "tsv"), (RESULTS, "turtle"), (DOCUMENT, "csv")])
def test_format_parameter_not_offered_is_not_acceptable(offers, value):
    with pytest.raises(NotAcceptable):
        negotiate(None, offers, format_param=value)


def test_every_parameter_value_names_an_offer():
    for offers in (DOCUMENT, TABLE, STORED, RESULTS):
        values = offers.parameter_values()
        assert values[0] == "" and len(values) == len(set(values))
        assert all(offers.by_parameter(value) is not None for value in values[1:])


def test_suffix_wins_and_an_unknown_one_names_nothing():
    assert negotiate("text/html", TABLE, suffix="csv", format_param="json") is CSV
    with pytest.raises(NoSuchSuffix):
        negotiate(None, TABLE, suffix="xls")
    assert split_suffix("ttg/qd/2024/1639.json", TABLE) == ("ttg/qd/2024/1639", DATA)
    assert split_suffix("lang-son/kh/1.5", TABLE) is None
    assert split_suffix("doc/x.ttl", DOCUMENT) == ("doc/x", formats.by_name("turtle"))


def test_the_default_must_be_offered():
    with pytest.raises(ValueError):
        Offers((HTML, CSV), default=DATA)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "vi"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("fr", "vi"),
        ("*", "vi"),
        ("fr, en;q=0.5", "en"),
        ("vi;q=0.5, en;q=0.8", "en"),
        ("en;q=0, *", "vi"),
    ],
)
def test_accept_language(header, expected):
    assert negotiate_language(header, ("vi", "en"), "vi") == expected


def test_parse_accept_reads_q_values_and_bounds_them():
    ranges = parse_accept("text/html;level=1;q=0.5, application/json;q=x, text/csv;q=7, ,*/*")
    assert [(r.value, r.quality, r.position) for r in ranges] == [
        ("text/html", 0.5, 0),
        ("application/json", 0.0, 1),
        ("text/csv", 1.0, 2),
        ("*/*", 1.0, 4),
    ]
