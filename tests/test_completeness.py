"""Nothing in a seed is left out: per seed and per section, the items of the source text
(read independently by tests/seedtext.py) are the items of the graph, in order, word for word."""

from __future__ import annotations

from collections import defaultdict

import pytest
from seedtext import read_seed

from bioplan import layout
from bioplan.engine.query import execute
from bioplan.text import collapse_whitespace

SEEDS = sorted(layout.SEEDS_DIR.glob("*.txt"))

ITEMS = """
PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#>
SELECT ?section ?ordinal ?text ?ocr WHERE {
  ?plan bp:sourceFile ?file .
  ?item a/rdfs:subClassOf* bp:PlanItem ; bp:isItemOf ?plan ;
        bp:sourceSection ?section ; bp:itemOrdinal ?ordinal ; bp:verbatimText ?text .
  OPTIONAL { ?item bp:ocrSourceText ?ocr }
}
"""


def graph_items(store, seed_name: str) -> dict[str, list[tuple[int, str]]]:
    query = ITEMS.replace("?plan bp:sourceFile ?file", f'?plan bp:sourceFile "{seed_name}"')
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + query
    items: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in execute(store, query):
        source_text = row["ocr"] if row["ocr"] is not None else row["text"]
        items[row["section"].value].append((int(row["ordinal"].value), collapse_whitespace(source_text.value)))
    return {section: sorted(values) for section, values in items.items()}


def test_the_seeds_are_there():
    assert len(SEEDS) == 5, f"expected the five seed plans in {layout.SEEDS_DIR}"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_item_counts_per_section_match_the_seed(store, seed):
    source = read_seed(seed).counts()
    graph = {section: len(items) for section, items in graph_items(store, seed.name).items()}
    assert graph, f"no plan in the graph has bp:sourceFile {seed.name!r}"
    assert graph == source


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_ordinals_run_from_one_without_gaps(store, seed):
    for section, items in graph_items(store, seed.name).items():
        assert [ordinal for ordinal, _ in items] == list(range(1, len(items) + 1)), section


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_item_texts_are_the_seed_texts_in_order(store, seed):
    source = read_seed(seed).items
    for section, items in graph_items(store, seed.name).items():
        assert [text for _, text in items] == source.get(section, []), section
