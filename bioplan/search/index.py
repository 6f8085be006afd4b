"""Full-text search over the graph: an in-memory SQLite FTS5 index of what people look for.

What is indexed: one entry per resource of a kind people search for (plans, directives, sections,
objectives, targets, tasks, solutions, duties, funding provisions, reporting obligations, agencies,
areas, persons, waste domains, funding sources, other SKOS concepts), per named graph. An entry has
a title (its labels, vi and en, with alternative labels, titles and numbers) and a text (the
verbatim item text, definitions, notes, descriptions...), both indexed *folded*
(``bioplan.text.fold``: no diacritics, đ -> d, lower case), so "xu ly chat thai y te" and "xử lý
chất thải y tế" are the same query whatever the Unicode normalisation it came in. The original
text is kept beside the folded one; a match is highlighted in the original (diacritics kept) by
mapping the folded offsets back, character by character.

Ranking is FTS5's bm25 with a title match weighing ``TITLE_WEIGHT`` times a text match, a bonus
for the query's words appearing together as a phrase, and one for a word typed with diacritics
found with the same diacritics (the title and text are indexed a second time as written, lower
case): "sở" finds "số" too, after "sở". Common administrative abbreviations match
their expansions both ways ("Sở KH&CN" finds "Sở Khoa học và Công nghệ", and the full name finds
texts that abbreviate it): the query is expanded, the index keeps the text as written.

Entries are per named graph, so a write that replaces graphs re-indexes exactly those graphs
(``refresh``), from the quads the write path hands over. One connection, one lock: searches from
request threads and refreshes from the writer thread take turns (both are short).
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan.namespaces import BP, CANONICAL_BASE, PREFIXES
from bioplan.text import fold, nfc

RDF_TYPE = PREFIXES["rdf"] + "type"
SKOS = PREFIXES["skos"]
IN_SCHEME = SKOS + "inScheme"
ELI, M8G, ORG, SCHEMA = PREFIXES["eli"], PREFIXES["m8g"], PREFIXES["org"], PREFIXES["schema"]
RDFS, DCT = PREFIXES["rdfs"], PREFIXES["dct"]

TITLE_WEIGHT = 5.0
PASSAGE_CHARS = 240  # the longest passage shown around a match
MAX_QUERY_GROUPS = 32  # words (or phrases) of a query used at most


# ---------------------------------------------------------------------------------------------
# What is indexed


@dataclass(frozen=True)
class Kind:
    key: str  # the value of ?kind= and of "kind" in JSON
    vi: str
    en: str
    classes: tuple[str, ...] = ()  # rdf:type values that make a resource this kind
    schemes: tuple[str, ...] = ()  # skos:inScheme values (for SKOS concepts)


def _bp(*names: str) -> tuple[str, ...]:
    return tuple(BP + name for name in names)


# In priority order: a resource with types of two kinds gets the first (a bp:PartyPlan is a plan,
# not a Party instrument; a bp:AgencyCollective an agency).
KINDS: tuple[Kind, ...] = (
    Kind("plan", "Kế hoạch", "Plan", _bp("ProvincialPlan", "PartyPlan", "Plan")),
    Kind(
        "instrument",
        "Văn bản chỉ đạo",
        "Directive or instrument",
        _bp(
            "PartyResolution",
            "PartyProgramme",
            "PartyDirective",
            "GovernmentResolution",
            "GovernmentDecree",
            "PrimeMinisterDecision",
            "NationalAssemblyResolution",
            "Law",
            "LegalInstrument",
            "PartyInstrument",
            "PolicyInstrument",
        ),
    ),
    Kind("section", "Phần, mục", "Section", _bp("TaskGroup", "Section")),
    Kind("objective", "Mục tiêu", "Objective", _bp("GeneralObjective", "SpecificObjective", "Vision", "Objective")),
    Kind("target", "Chỉ tiêu", "Target", _bp("QuantifiedTarget")),
    Kind("task", "Nhiệm vụ", "Task", _bp("Task")),
    Kind("solution", "Giải pháp", "Solution", _bp("Solution")),
    Kind("duty", "Trách nhiệm của cơ quan", "Agency duty", _bp("AgencyDuty")),
    Kind("funding-provision", "Kinh phí", "Funding provision", _bp("FundingProvision")),
    Kind("purpose", "Mục đích, yêu cầu", "Purpose or requirement", _bp("Purpose", "Requirement")),
    Kind("provision", "Nội dung khác", "Other provision", _bp("GeneralProvision", "PlanItem")),
    Kind("obligation", "Nghĩa vụ báo cáo", "Reporting obligation", _bp("ReportingObligation")),
    Kind(
        "agency",
        "Cơ quan, tổ chức",
        "Agency",
        (*_bp("Agency", "AgencyCollective"), M8G + "PublicOrganisation", ORG + "Organization"),
    ),
    Kind("area", "Địa bàn", "Area", (*_bp("Province", "Country", "AdministrativeArea"), M8G + "AdminUnit")),
    Kind("person", "Người ký", "Person", (SCHEMA + "Person",)),
    Kind("waste-domain", "Loại chất thải", "Waste domain", schemes=(CANONICAL_BASE + "def/waste-domain",)),
    Kind("funding-source", "Nguồn kinh phí", "Funding source", schemes=(CANONICAL_BASE + "def/funding-source",)),
    Kind("task-area", "Lĩnh vực nhiệm vụ", "Task area", schemes=(CANONICAL_BASE + "def/task-area",)),
    Kind("concept", "Khái niệm khác", "Other concept", (SKOS + "Concept",)),
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
_KIND_RANK = {kind.key: rank for rank, kind in enumerate(KINDS)}
_KIND_OF_CLASS = {cls: kind.key for kind in reversed(KINDS) for cls in kind.classes}
_KIND_OF_SCHEME = {scheme: kind.key for kind in KINDS for scheme in kind.schemes}

# The names a resource goes by: matched with TITLE_WEIGHT. The first two are its display labels,
# the preferred one first ("Lạng Sơn" before "tỉnh Lạng Sơn").
LABEL_PROPERTIES = (SKOS + "prefLabel", RDFS + "label")
TITLE_PROPERTIES = (
    *LABEL_PROPERTIES,
    ELI + "title",
    DCT + "title",
    SCHEMA + "name",
    SKOS + "altLabel",
    ELI + "id_local",
    SKOS + "notation",
)
# What it says. Left out on purpose: OCR source text (its errors would match nonsense; the
# curated verbatim text is indexed), curators' editorial notes, dates notes, "Nơi nhận" lines.
TEXT_PROPERTIES = (
    BP + "verbatimText",
    BP + "preamble",
    BP + "indicator",
    BP + "baselineText",
    BP + "reportSubject",
    BP + "deadlineText",
    SKOS + "definition",
    SKOS + "scopeNote",
    SKOS + "note",
    SKOS + "example",
    DCT + "description",
)
_TITLE_SET, _TEXT_SET, _LABEL_SET = set(TITLE_PROPERTIES), set(TEXT_PROPERTIES), set(LABEL_PROPERTIES)
_READ_PREDICATES = (RDF_TYPE, IN_SCHEME, *TITLE_PROPERTIES, *TEXT_PROPERTIES)
_READ_SET = set(_READ_PREDICATES)

_GRAPH_BASE = CANONICAL_BASE + "graph/"
_NOT_PROVINCES = {"national", "ontology", "provenance"}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def province_of(graph: str) -> str | None:
    """The province slug of a named graph (…/graph/<slug>); None for the national, ontology and other graphs."""
    if not graph.startswith(_GRAPH_BASE):
        return None
    slug = graph[len(_GRAPH_BASE) :]
    return slug if _SLUG.match(slug) and slug not in _NOT_PROVINCES else None


@dataclass(frozen=True)
class Entry:
    """One searchable resource as one graph describes it."""

    iri: str
    kind: str
    graph: str
    labels: tuple[tuple[str | None, str], ...]  # (language, text) display labels
    titles: tuple[str, ...]  # every name, labels first
    texts: tuple[str, ...]

    @property
    def province(self) -> str | None:
        return province_of(self.graph)


def entries_of_graph(graph: str, triples: Iterable[tuple[str, str, ox.NamedNode | ox.Literal]]) -> list[Entry]:
    """The entries described by ``triples`` ((subject IRI, predicate IRI, object) of one graph)."""
    types: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, list[tuple[str, ox.Literal]]] = defaultdict(list)
    for subject, predicate, obj in triples:
        if predicate in (RDF_TYPE, IN_SCHEME):
            if isinstance(obj, ox.NamedNode):
                types[subject].add(obj.value)
        elif isinstance(obj, ox.Literal) and predicate in _READ_SET:
            literals[subject].append((predicate, obj))
    entries = []
    for subject, classes in types.items():
        kind = _kind_of(classes)
        if kind is None:
            continue
        said = sorted(literals.get(subject, ()), key=lambda pl: (_order(pl[0]), pl[1].language or "", pl[1].value))
        labels = tuple((lit.language, nfc(lit.value)) for p, lit in said if p in _LABEL_SET)
        titles = tuple(dict.fromkeys(nfc(lit.value) for p, lit in said if p in _TITLE_SET))
        texts = tuple(dict.fromkeys(nfc(lit.value) for p, lit in said if p in _TEXT_SET))
        if titles or texts:
            entries.append(Entry(subject, kind, graph, labels, titles, texts))
    return entries


def _kind_of(classes: set[str]) -> str | None:
    keys = {_KIND_OF_SCHEME[c] for c in classes if c in _KIND_OF_SCHEME}
    keys |= {_KIND_OF_CLASS[c] for c in classes if c in _KIND_OF_CLASS}
    return min(keys, key=_KIND_RANK.__getitem__) if keys else None


_PROPERTY_ORDER = {p: i for i, p in enumerate(_READ_PREDICATES)}


def _order(predicate: str) -> int:
    return _PROPERTY_ORDER.get(predicate, len(_PROPERTY_ORDER))


# ---------------------------------------------------------------------------------------------
# Folding with a way back


# Folding one character is a pure function of that character, and texts repeat few characters.
_fold_char = functools.lru_cache(maxsize=1 << 16)(fold)


def fold_by_character(text: str) -> str:
    """``text`` folded character by character: what the index holds."""
    return "".join(map(_fold_char, text))


def fold_with_origin(text: str) -> tuple[str, list[int]]:
    """``fold_by_character(text)``, and for each of its characters the index in ``text`` of the
    character it came from.

    Folding keeps the length of most Vietnamese text (one precomposed "ệ" folds to one "e"), but
    not always: a base letter followed by a combining mark that has no precomposed form is two
    characters folded to one, and a few letters that NFC never recomposes (Tibetan "གྷ") are one
    folded to two. Folding each character on its own keeps the way back exact.
    """
    pieces, origin = [], []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return "".join(pieces), origin


# ---------------------------------------------------------------------------------------------
# Abbreviations


@dataclass(frozen=True)
class Abbreviation:
    forms: tuple[str, ...]  # as written: "KH&CN", "KHCN"
    expansions: tuple[str, ...]  # "khoa học và công nghệ", ...


# The abbreviations of Vietnamese administrative writing seen in the agencies' names and the
# plans' texts (data/ttl/**, skos:altLabel), plus the document types of numbers (QĐ, NQ, KH...).
ABBREVIATIONS: tuple[Abbreviation, ...] = tuple(
    Abbreviation(forms, expansions)
    for forms, expansions in (
        (("KH&CN", "KHCN", "KH-CN"), ("khoa học và công nghệ", "khoa học công nghệ")),
        (("TN&MT", "TNMT"), ("tài nguyên và môi trường",)),
        (("NN&PTNT", "NNPTNT"), ("nông nghiệp và phát triển nông thôn",)),
        (("NN&MT", "NNMT"), ("nông nghiệp và môi trường",)),
        (("UBND",), ("ủy ban nhân dân",)),
        (("HĐND",), ("hội đồng nhân dân",)),
        (("GD&ĐT", "GDĐT"), ("giáo dục và đào tạo",)),
        (("LĐ-TB&XH", "LĐTBXH"), ("lao động thương binh và xã hội",)),
        (("VH-TT&DL", "VHTTDL"), ("văn hóa thể thao và du lịch",)),
        (("KH&ĐT", "KHĐT"), ("kế hoạch và đầu tư",)),
        (("TT&TT", "TTTT"), ("thông tin và truyền thông",)),
        (("GTVT",), ("giao thông vận tải",)),
        (("MTTQ",), ("mặt trận tổ quốc",)),
        (("PT-TH", "PTTH"), ("phát thanh truyền hình",)),
        (("VPUB",), ("văn phòng ủy ban nhân dân",)),
        (("BTV",), ("ban thường vụ",)),
        (("CNSH",), ("công nghệ sinh học",)),
        (("BVMT",), ("bảo vệ môi trường",)),
        (("KT-XH", "KTXH"), ("kinh tế xã hội",)),
        (("ĐMST",), ("đổi mới sáng tạo",)),
        (("TTg",), ("thủ tướng",)),
        (("TC",), ("tài chính",)),
        (("CT",), ("công thương", "chỉ thị")),
        (("XD",), ("xây dựng",)),
        (("YT",), ("y tế",)),
        (("CP",), ("chính phủ",)),
        (("QH",), ("quốc hội",)),
        (("TW",), ("trung ương",)),
        (("TU",), ("tỉnh ủy",)),
        (("NQ",), ("nghị quyết",)),
        (("QĐ",), ("quyết định",)),
        (("NĐ",), ("nghị định",)),
        (("KH",), ("kế hoạch",)),
        (("CTr",), ("chương trình",)),
        (("ĐA",), ("đề án",)),
        (("DN",), ("doanh nghiệp",)),
    )
)

# Words as the index's tokenizer (unicode61) sees them: letters and digits; "_" separates.
_WORD = re.compile(r"[^\W_]+")
Phrase = tuple[str, ...]


def _spelled(text: str) -> Phrase:
    """The words of ``text`` as written (NFC, lower case): what the exact columns hold."""
    return tuple(_WORD.findall(nfc(text).lower()))


def _words(text: str) -> Phrase:
    """The words of ``text`` folded: what the folded columns hold."""
    return tuple(fold_by_character(word) for word in _spelled(text))


def _key(text: str) -> str:
    return "".join(_words(text))


def _abbreviation_tables() -> tuple[dict[str, list[Phrase]], dict[Phrase, list[Phrase]]]:
    """(abbreviation key -> its alternatives), (expansion words -> the alternatives it may be written as)."""
    by_key: dict[str, list[Phrase]] = {}
    by_expansion: dict[Phrase, list[Phrase]] = {}
    for abbreviation in ABBREVIATIONS:
        expansions = [_words(e) for e in abbreviation.expansions]
        forms = list(dict.fromkeys(f for form in abbreviation.forms for f in (_words(form), (_key(form),))))
        for form in abbreviation.forms:
            by_key[_key(form)] = list(dict.fromkeys([*expansions, *forms]))
        # The other way (full name -> abbreviation) only with forms that cannot be a fragment of
        # another one: a lone "kh" would make "kế hoạch" match every "KH&CN".
        distinctive = [f for f in forms if len(f) > 1 or len(f[0]) > 2]
        for expansion in expansions:
            by_expansion[expansion] = list(dict.fromkeys([expansion, *distinctive]))
    return by_key, by_expansion


_BY_KEY, _BY_EXPANSION = _abbreviation_tables()
_LONGEST_EXPANSION = max(len(e) for e in _BY_EXPANSION)


# ---------------------------------------------------------------------------------------------
# Queries


_CHUNK = re.compile(r'"([^"]*)"?|(\S+)')
_EXACT_COLUMNS = "{title_exact text_exact}"


@dataclass(frozen=True)
class _Group:
    """One word (or phrase) of a query: it matches if any alternative does."""

    alternatives: tuple[Phrase, ...]  # folded, in the folded columns
    exact: Phrase | None = None  # as typed, when it has diacritics: a bonus in the exact columns

    def expression(self) -> str:
        terms = [_phrase(p) for p in self.alternatives]
        if self.exact is not None:
            # It matches only where the folded phrase does too: it ranks, it does not widen.
            terms.append(f"{_EXACT_COLUMNS} : {_phrase(self.exact)}")
        return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def _group(alternatives: Iterable[Phrase], spelled: Phrase | None = None) -> _Group:
    alternatives = tuple(alternatives)
    exact = spelled if spelled is not None and spelled != alternatives[0] else None
    return _Group(alternatives, exact)


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what a person typed; None when it has no words.

    Every word must match (AND), folded; a quoted part must match as a phrase; an abbreviation
    matches itself or its expansion, and an expansion its abbreviations (OR). A word typed with
    diacritics also matches as typed in the exact columns, which ranks "sở" above "số" for "sở"
    (both match). Every term is quoted, so no character of the query is FTS5 syntax. With two or
    more words, the words together as a phrase are OR'ed in: it matches nothing more, but bm25
    ranks the entries holding the phrase higher.
    """
    groups: list[_Group] = []
    plain: list[tuple[str, str]] = []  # consecutive single words (folded, as typed), for expansions

    def flush() -> None:
        groups.extend(_expansion_groups(plain))
        plain.clear()

    for quoted, chunk in _CHUNK.findall(nfc(query)):
        if quoted:
            flush()
            if spelled := _spelled(quoted):
                groups.append(_group([_words(quoted)], spelled))
            continue
        key = _key(chunk)
        if key in _BY_KEY:
            flush()
            groups.append(_group(_BY_KEY[key]))
            continue
        spelled = _spelled(chunk)
        if len(spelled) == 1:
            plain.append((_words(chunk)[0], spelled[0]))
        elif spelled:  # "36-NQ/TW", "KH&CN"-like chunks that are no known abbreviation
            flush()
            groups.append(_group([_words(chunk)], spelled))
    flush()
    groups = groups[:MAX_QUERY_GROUPS]
    if not groups:
        return None
    conjunction = " AND ".join(group.expression() for group in groups)
    if len(groups) == 1:
        return conjunction
    together = tuple(word for group in groups for word in group.alternatives[0])
    return f"{_phrase(together)} OR ({conjunction})"


def _expansion_groups(words: list[tuple[str, str]]) -> list[_Group]:
    """One group per word, except runs of words that spell an expansion ("y te" -> "y te" | "yt")."""
    groups, position = [], 0
    while position < len(words):
        for length in range(min(_LONGEST_EXPANSION, len(words) - position), 1, -1):
            run = words[position : position + length]
            folded = tuple(f for f, _ in run)
            if folded in _BY_EXPANSION:
                groups.append(_group(_BY_EXPANSION[folded], tuple(s for _, s in run)))
                position += length
                break
        else:
            folded, spelled = words[position]
            groups.append(_group([(folded,)], (spelled,)))
            position += 1
    return groups


def _phrase(words: Phrase) -> str:
    # Words hold letters and digits only: quoting them is all the escaping FTS5 needs.
    return '"' + " ".join(words) + '"'


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    province: str | None
    graph: str
    labels: tuple[tuple[str | None, str], ...]
    passage: str  # original text (diacritics kept) around the match, "…" where cut
    highlights: tuple[tuple[int, int], ...]  # [start, end) of each match in ``passage``, in characters
    field: str  # "title" or "text": where the passage comes from
    score: float  # bm25: lower is better


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    hits: tuple[Hit, ...]
    kinds: dict[str, int]  # matches per kind (within the province filter)
    provinces: dict[str | None, int]  # matches per province (within the kind filter); None: national


_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use marks around a match in highlight(): never in text
_SEPARATOR = "\n"


def _marked_spans(marked: str) -> list[tuple[int, int]]:
    """The [start, end) spans between the marks, as offsets in the text without them."""
    spans, position, start = [], 0, None
    for char in marked:
        if char == _OPEN:
            start = position
        elif char == _CLOSE:
            if start is not None and position > start:
                spans.append((start, position))
            start = None
        else:
            position += 1
    return spans


def passage(original: str, folded_spans: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The part of ``original`` to show and the matches in it, from spans in its folded form."""
    _, origin = fold_with_origin(original)
    spans: list[tuple[int, int]] = []
    for start, end in sorted(folded_spans):
        if not 0 <= start < end <= len(origin):
            continue
        start, end = origin[start], origin[end - 1] + 1
        gap = original[spans[-1][1] : start] if spans else _SEPARATOR
        if not gap.strip() and _SEPARATOR not in gap:  # "[Sở] [KH&CN]" reads as "[Sở KH&CN]"
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    if not spans:  # nothing to show around: the start of the first field
        first = original.split(_SEPARATOR, 1)[0]
        return (first if len(first) <= PASSAGE_CHARS else first[:PASSAGE_CHARS].rsplit(" ", 1)[0] + "…"), ()
    # The field (one label or one text) with the most matches.
    fields, offset = [], 0
    for text in original.split(_SEPARATOR):
        fields.append((offset, offset + len(text)))
        offset += len(text) + len(_SEPARATOR)
    field_start, field_end = max(fields, key=lambda f: (sum(1 for s, e in spans if f[0] <= s and e <= f[1]), -f[0]))
    inside = [(s, e) for s, e in spans if field_start <= s and e <= field_end]
    start, end = field_start, field_end
    if end - start > PASSAGE_CHARS:
        start = max(field_start, inside[0][0] - PASSAGE_CHARS // 4)
        if start > field_start:  # begin on a word
            space = original.find(" ", start, inside[0][0])
            start = space + 1 if space >= 0 else start
        end = min(field_end, start + PASSAGE_CHARS)
        if end < field_end:
            space = original.rfind(" ", max(start, inside[0][1]), end)
            end = space if space >= 0 else end
    prefix = "…" if start > field_start else ""
    suffix = "…" if end < field_end else ""
    shift = len(prefix) - start
    shown = tuple((s + shift, e + shift) for s, e in inside if start <= s and e <= end)
    return prefix + original[start:end] + suffix, shown


# ---------------------------------------------------------------------------------------------
# The index

_COLUMNS = (
    "title",
    "text",
    "title_exact",
    "text_exact",
    "iri",
    "kind",
    "graph",
    "province",
    "title_original",
    "text_original",
    "labels",
)
_IRI, _GRAPH, _LABELS = (_COLUMNS.index(name) for name in ("iri", "graph", "labels"))


def _row(entry: Entry) -> tuple:
    """The values of ``_COLUMNS`` for an entry: its texts folded, as written (lower case), and original."""
    title, text = _SEPARATOR.join(entry.titles), _SEPARATOR.join(entry.texts)
    return (
        fold_by_character(title),
        fold_by_character(text),
        title.lower(),
        text.lower(),
        entry.iri,
        entry.kind,
        entry.graph,
        entry.province,
        title,
        text,
        json.dumps(entry.labels, ensure_ascii=False),
    )


_SCHEMA = """
CREATE VIRTUAL TABLE entries USING fts5(
    title, text, title_exact, text_exact,
    iri UNINDEXED, kind UNINDEXED, graph UNINDEXED, province UNINDEXED,
    title_original UNINDEXED, text_original UNINDEXED, labels UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 0'
);
CREATE TABLE labels (iri TEXT NOT NULL, graph TEXT NOT NULL, labels TEXT NOT NULL);
CREATE INDEX labels_by_iri ON labels (iri);
CREATE INDEX labels_by_graph ON labels (graph);
"""
# Porter stems English words ("wastes" ~ "waste"); folded Vietnamese syllables have none of its
# suffixes, so they pass through unchanged.

# Two queries: the typed resources of the kinds above (with their concept schemes), and the
# texts. Asking for every rdf:type would bring back every participation, timeframe and record.
_CLASSES = sorted({cls for kind in KINDS for cls in kind.classes})
_TYPES_QUERY = (
    "SELECT ?g ?s ?c WHERE { GRAPH ?g { { VALUES ?c { "
    + " ".join(f"<{c}>" for c in _CLASSES)
    + f" }} ?s a ?c }} UNION {{ ?s <{IN_SCHEME}> ?c }} FILTER(isIRI(?s) && isIRI(?c)) }} }}"
)
_TEXTS_QUERY = (
    "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { VALUES ?p { "
    + " ".join(f"<{p}>" for p in (*TITLE_PROPERTIES, *TEXT_PROPERTIES))
    + " } ?s ?p ?o FILTER(isIRI(?s) && isLiteral(?o)) } }"
)


class SearchIndex:
    """The search index of one service. Build it with ``build(store)``; keep it current with ``refresh``."""

    def __init__(self) -> None:
        # One in-memory database; the lock serialises every use of its one connection.
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    @classmethod
    def build(cls, store) -> SearchIndex:
        index = cls()
        index.load(store)
        return index

    def load(self, store) -> None:
        """(Re)index every graph of ``store``: two SPARQL queries over all named graphs."""
        with self._lock:  # held while reading too: a refresh cannot land between read and write
            by_graph: dict[str, list] = defaultdict(list)
            for graph, subject, cls in store.query(_TYPES_QUERY):
                by_graph[graph.value].append((subject.value, RDF_TYPE, cls))
            for graph, subject, predicate, obj in store.query(_TEXTS_QUERY):
                by_graph[graph.value].append((subject.value, predicate.value, obj))
            with self._db:
                self._db.execute("DELETE FROM entries")
                self._db.execute("DELETE FROM labels")
                for graph, triples in by_graph.items():
                    self._insert(entries_of_graph(graph, triples))

    def refresh(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        """Re-index exactly ``graphs`` from their full new content (an empty one: nothing left)."""
        prepared = {
            graph: entries_of_graph(
                graph,
                (
                    (q.subject.value, q.predicate.value, q.object)
                    for q in quads
                    if isinstance(q.subject, ox.NamedNode) and q.predicate.value in _READ_SET
                ),
            )
            for graph, quads in graphs.items()
        }
        with self._lock, self._db:
            for graph, entries in prepared.items():
                self._db.execute("DELETE FROM entries WHERE graph = ?", (graph,))
                self._db.execute("DELETE FROM labels WHERE graph = ?", (graph,))
                self._insert(entries)

    def _insert(self, entries: Iterable[Entry]) -> None:
        rows = [_row(entry) for entry in entries]
        self._db.executemany(
            f"INSERT INTO entries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})", rows
        )
        self._db.executemany(
            "INSERT INTO labels (iri, graph, labels) VALUES (?, ?, ?)",
            ((row[_IRI], row[_GRAPH], row[_LABELS]) for row in rows),
        )

    # -- reading --------------------------------------------------------------------------

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM entries").fetchone()[0]

    def search(
        self,
        query: str,
        *,
        province: str | None = None,
        kind: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResults:
        """The entries matching ``query``, best first, ``limit`` from ``offset``, with counts per
        kind and per province. A query without words matches nothing."""
        expression = match_expression(query)
        if expression is None:
            return SearchResults(query, 0, (), {}, {})
        with self._lock:
            # One count per (kind, province) serves both facets: each within the other filter.
            counts = self._db.execute(
                "SELECT kind, province, count(*) FROM entries WHERE entries MATCH ? GROUP BY kind, province",
                [expression],
            ).fetchall()
            rows = self._db.execute(
                f"SELECT iri, kind, province, graph, labels, title_original, text_original,"
                f" highlight(entries, 0, '{_OPEN}', '{_CLOSE}'), highlight(entries, 1, '{_OPEN}', '{_CLOSE}'),"
                f" bm25(entries, {TITLE_WEIGHT}, 1.0, {TITLE_WEIGHT}, 1.0) AS score"
                f" FROM entries WHERE entries MATCH ?{_and('province', province)}{_and('kind', kind)}"
                " ORDER BY score, iri LIMIT ? OFFSET ?",
                [expression, *_param(province), *_param(kind), limit, offset],
            ).fetchall()
        kinds: dict[str, int] = defaultdict(int)
        provinces: dict[str | None, int] = defaultdict(int)
        total = 0
        for row_kind, row_province, n in counts:
            if province is None or row_province == province:
                kinds[row_kind] += n
            if kind is None or row_kind == kind:
                provinces[row_province] += n
            if (province is None or row_province == province) and (kind is None or row_kind == kind):
                total += n
        return SearchResults(query, total, tuple(_hit(*row) for row in rows), dict(kinds), dict(provinces))

    def _counts(self, column: str) -> dict:
        return dict(self._db.execute(f"SELECT {column}, count(*) FROM entries GROUP BY {column}").fetchall())

    def overview(self) -> tuple[dict[str, int], dict[str | None, int]]:
        """Entries per kind and per province in the whole index (for a search form's filters)."""
        with self._lock:
            return self._counts("kind"), self._counts("province")

    def labels_of(self, iri: str) -> tuple[tuple[str | None, str], ...]:
        """The display labels of an indexed resource (empty when it is not indexed)."""
        with self._lock:
            row = self._db.execute("SELECT labels FROM labels WHERE iri = ? LIMIT 1", (iri,)).fetchone()
        return tuple(tuple(label) for label in json.loads(row[0])) if row else ()


def _and(column: str, value: str | None) -> str:
    return f" AND {column} = ?" if value is not None else ""


def _param(value: str | None) -> list[str]:
    return [value] if value is not None else []


def _hit(iri, kind, province, graph, labels, title_original, text_original, title_marked, text_marked, score) -> Hit:
    text_spans = _marked_spans(text_marked)
    field, original, spans = (
        ("text", text_original, text_spans) if text_spans else ("title", title_original, _marked_spans(title_marked))
    )
    shown, highlights = passage(original, spans)
    return Hit(
        iri,
        kind,
        province,
        graph,
        tuple(tuple(label) for label in json.loads(labels)),
        shown,
        highlights,
        field,
        score,
    )
