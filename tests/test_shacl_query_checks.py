"""SHACL's rules on the queries of a shapes graph are checked on rdflib's slow parse once per query
text: a query that passed is remembered on disk, one that breaks a rule is refused every time."""

from __future__ import annotations

import pytest

from bioplan.validation.shacl import user_sparql
from bioplan.validation.shacl.errors import ShapeError

GOOD = "SELECT $this ?value WHERE { $this <http://example.org/p> ?value . FILTER(?value > 3) }"
MINUS = "SELECT $this WHERE { $this <http://example.org/p> ?v MINUS { $this <http://example.org/q> ?v } }"
PREFIXES = {"ex": "http://example.org/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}


@pytest.fixture
def parses(monkeypatch, tmp_path) -> list[str]:
    """The texts rdflib is asked to parse, with the remembered passes kept in a fresh folder."""
    monkeypatch.setattr(user_sparql, "passed_checks_dir", lambda: tmp_path / "checks")
    seen: list[str] = []
    parse = user_sparql.parseQuery

    def counted(text: str):
        seen.append(text)
        return parse(text)

    monkeypatch.setattr(user_sparql, "parseQuery", counted)
    user_sparql._read_query.cache_clear()
    yield seen
    user_sparql._read_query.cache_clear()


def read(text: str) -> user_sparql.UserQuery:
    user_sparql._read_query.cache_clear()  # what a new process starts with
    return user_sparql.read_query(text, "SELECT", PREFIXES, {"this"})


def test_a_query_that_passed_is_not_parsed_again(parses, tmp_path):
    first = read(GOOD)
    assert len(parses) == 1
    assert len(list((tmp_path / "checks").iterdir())) == 1
    assert read(GOOD) == first
    assert len(parses) == 1


def test_a_query_breaking_a_rule_is_refused_every_time_and_never_remembered(parses, tmp_path):
    for _ in range(2):
        with pytest.raises(ShapeError, match="MINUS"):
            read(MINUS)
    assert len(parses) == 2
    assert not (tmp_path / "checks").exists()


def test_changed_rules_check_every_query_again(parses, monkeypatch):
    read(GOOD)
    monkeypatch.setattr(user_sparql, "_rules_digest", lambda: "other rules")
    read(GOOD)
    assert len(parses) == 2
