"""Every kind of page reads in one language: the Vietnamese rendering holds no English word, no
ontology term (bp:xxx) in its running text and no ISO date; the English rendering writes its
plurals right ("1 plan", never "1 plans").

The pages are fetched over HTTP from the server holding the example reports (so the dashboards
have something to show), found by following the links a reader would follow: the home page, the
index pages it links to, every plan listed on /plans, every plan dashboard listed on /dashboard.
The visible text is what a reader sees or hears: the text of the page (not its <script>, <style>,
<code>, <pre>, <kbd>, whose contents are technical identifiers) and the attributes read out
(title, aria-label, placeholder, alt); URLs are left out, and so is the one link that switches to
English, whose name is English by design.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
import pytest
from sparql_helpers import select

from bioplan.linked_data.vocabulary_labels import VOCABULARY_LABELS
from bioplan.namespaces import BP

QUANG_NGAI_STATEMENTS = "/doc/area/quang-ngai?view=statements"
INHERITING_AGENCY = "/id/org/quang-ngai-2025/so-cong-thuong"  # lists the items it inherited (dates)

# Words that mark English text on a Vietnamese page: the words of the site's own English (its
# headings, labels, the wording of section paths and dates) and the small words of any English
# sentence. Matched whole (word boundaries), case-insensitively; none is a Vietnamese word.
_ENGLISH_WORD_LIST = """
    bullet paragraph closing section plan plans task tasks agency agencies report reports reporting
    deadline deadlines target targets item items objective objectives province provinces admin unit
    label labels preferred note scope type replaces progress coverage search dataset directive
    directives waste funding source status date draft since from until of the and with for by on at is
    none class property properties domain range kind role lead file graph name title show view all
    value statements subject object home next previous page january february march april june july
    august september october november december
"""
ENGLISH_WORDS = [*_ENGLISH_WORD_LIST.split(), "is replaced by", "not found"]
# Longest first, so that "is replaced by" is found whole rather than as "is".
_ALTERNATIVES = "|".join(re.escape(word) for word in sorted(ENGLISH_WORDS, key=len, reverse=True))
ENGLISH = re.compile(r"\b(" + _ALTERNATIVES + r")\b", re.IGNORECASE)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# An ontology term in running text: a prefixed name (bp:Plan, skos:prefLabel, dct:isReplacedBy).
CURIE = re.compile(r"\b(?:bp|bpv|skos|dct|dcterms|rdf|rdfs|owl|prov|eli|schema|foaf|xsd|sh|void|org):[A-Za-z][\w-]*")
# A language tag shown beside a text ("Bắc Ninh @vi"): a reader is told a language by its name.
LANGUAGE_TAG = re.compile(r"@(?:vi|en)\b")
# "1 plans", "1 task groups", "1 quantified targets": a plural after 1 on an English page.
WRONG_PLURAL = re.compile(
    r"\b1 ((?:quantified |reporting |overdue |task |plan )?"
    r"(?:plans|items|tasks|agencies|reports|provinces|directives|targets|drafts|gaps|rows|groups|obligations|deadlines))\b"
)
URL = re.compile(r"(?:https?://|mailto:)\S+|(?<![\w/])/[\w\-./?=&%#]+")

# Code and the text of a query editor (a <textarea> holding SPARQL) are technical, not prose.
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp", "template", "textarea"}
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


ENGLISH_NAMED = "tiếng Anh"  # how a Vietnamese page names the language of a text it gives in English


class VisibleText(HTMLParser):
    """The text a reader of a page sees or hears, as fragments, each marked whether it stands in an
    element marked English (lang="en": a text the data gives in English)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fragments: list[tuple[str, bool]] = []
        self.open: list[tuple[str, bool, str | None]] = []  # each open element: left out? its lang?

    def skipping(self) -> bool:
        return any(skipped for _, skipped, _ in self.open)

    def in_english(self) -> bool:
        """Whether the innermost element that says its language says English."""
        marked = [language for _, _, language in self.open if language is not None]
        return bool(marked) and marked[-1].lower().startswith("en")

    def keep(self, fragments: list[str]) -> None:
        self.fragments += [(" ".join(f.split()), self.in_english()) for f in fragments if f.strip()]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        # The link to the other language names it in that language ("English"): by design.
        switch = tag == "a" and "lang" in (attributes.get("class") or "").split()
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, tag in SKIPPED_ELEMENTS or switch, attributes.get("lang")))
        if not self.skipping():
            self.keep([attributes[name] or "" for name in READ_ATTRIBUTES if attributes.get(name)])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping():
            attributes = dict(attrs)
            self.keep([attributes[name] or "" for name in READ_ATTRIBUTES if attributes.get(name)])

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping():
            self.keep([data])


def _named_english_runs(fragments: list[tuple[str, bool]]) -> set[int]:
    """The positions of the English fragments that the page names as English: a run of them with
    "tiếng Anh" right before or right after it (a text listed beside its Vietnamese)."""
    named: set[int] = set()
    start = 0
    while start < len(fragments):
        if not fragments[start][1]:
            start += 1
            continue
        end = start
        while end < len(fragments) and fragments[end][1]:
            end += 1
        before = fragments[start - 1][0] if start > 0 else ""
        after = fragments[end][0] if end < len(fragments) else ""
        if before.rstrip(" :").endswith(ENGLISH_NAMED) or after.startswith(ENGLISH_NAMED):
            named |= set(range(start, end))
        start = end
    return named


def visible_text(html: str, *, named_english_apart: bool = False) -> str:
    """The visible text of ``html``. With ``named_english_apart``, without the texts the page
    gives in English and names as such ("tiếng Anh"): those may stand on a Vietnamese page."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    left_out = _named_english_runs(parser.fragments) if named_english_apart else set()
    kept = [text for position, (text, _) in enumerate(parser.fragments) if position not in left_out]
    return URL.sub(" ", " ".join(kept))


def not_vietnamese(text: str) -> list[str]:
    """What in ``text`` is no Vietnamese: English words, ISO dates, ontology terms, language tags."""
    found = [match.group(0) for pattern in (ENGLISH, ISO_DATE, CURIE, LANGUAGE_TAG) for match in pattern.finditer(text)]
    return sorted(set(found), key=str.lower)


def context_of(text: str, words: list[str]) -> list[str]:
    """A little of the text around the first occurrence of each word, for the failure message."""
    shown = []
    for word in words[:8]:
        match = re.search(r"\b" + re.escape(word) + r"\b", text) or re.search(re.escape(word), text)
        if match:
            shown.append("…" + text[max(0, match.start() - 40) : match.end() + 40] + "…")
    return shown


def links_under(client: httpx.Client, path: str, prefix: str) -> list[str]:
    """The site paths starting with ``prefix`` that the Vietnamese page at ``path`` links to."""
    response = client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 200, path
    found = []
    for target in re.findall(r'href="([^"]+)"', response.text):
        parts = urlsplit(target.replace("&amp;", "&"))
        if not parts.netloc and parts.path.startswith(prefix) and "." not in parts.path.rsplit("/", 1)[-1]:
            found.append(parts.path)
    return sorted(set(found))


def with_lang(path: str, lang: str) -> str:
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


@pytest.fixture(scope="module")
def client(examples_url):
    with httpx.Client(base_url=examples_url, timeout=60, follow_redirects=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def my_pages(client) -> list[str]:
    return pages_of_every_kind(client)


def pages_of_every_kind(client: httpx.Client) -> list[str]:
    """Every kind of page but those the brief leaves to a separate test (see below), found as a
    reader finds them."""
    home_links = links_under(client, "/", "/")
    indexes = [
        path
        for path in ("/plans", "/provinces", "/directives", "/agencies", "/waste-domains", "/funding-sources")
        if path in home_links
    ]
    assert len(indexes) == 6, f"the home page links to every index page: {home_links}"
    plans = [path for path in links_under(client, "/plans", "/id/doc/")]
    assert len(plans) >= 5, plans
    directives = links_under(client, "/directives", "/id/doc/")
    waste_domains = links_under(client, "/waste-domains", "/def/waste-domain/")
    funding_sources = links_under(client, "/funding-sources", "/def/funding-source/")
    dashboards = links_under(client, "/dashboard", "/dashboard/")
    targets = [path for dashboard in dashboards for path in links_under(client, dashboard, "/targets/")]
    # An example progress report: a resource with no page of its own, on the generic page.
    reports = [path for dashboard in dashboards for path in links_under(client, dashboard, "/id/report/")]
    coverage = links_under(client, "/coverage", "/coverage/")
    assert directives and waste_domains and funding_sources and dashboards and targets and reports and coverage
    return [
        "/",
        *indexes,
        *plans,
        directives[0],
        waste_domains[0],
        funding_sources[0],
        QUANG_NGAI_STATEMENTS,
        plans[0] + "?view=statements",
        "/def/bioplan",
        "/calendar",
        "/dashboard",
        *dashboards,
        *sorted(set(targets)),
        reports[0],
        "/coverage",
        *coverage,
        "/void",
        "/doc/area/khong-co-tinh-nay",  # a 404 (the page repeats the path asked: Vietnamese words)
        *people_pages(client),
    ]


def people_pages(client: httpx.Client) -> list[str]:
    """Agency pages (one that inherited items through the reorganisation among them), every stored
    query's form and answer, search, the province pages, the query editor and the sign-in page."""
    agency = links_under(client, "/agencies", "/id/org/")[0]
    queries = links_under(client, "/queries", "/queries/")
    provinces = links_under(client, "/provinces", "/id/area/")
    assert provinces and queries
    search = ["/search?q=xu+ly+chat+thai", "/search?q=so+cong+thuong+quang+ngai"]
    return [
        "/agencies",
        agency,
        INHERITING_AGENCY,
        "/queries",
        *queries,
        *search,
        *provinces[:3],
        "/sparql",
        "/sign-in",
    ]


def offences(client: httpx.Client, paths: list[str]) -> dict[str, list[str]]:
    """For each page of ``paths`` whose Vietnamese rendering is not all Vietnamese, what offends
    (with a little context)."""
    found = {}
    for path in paths:
        response = client.get(path, headers={"accept": "text/html", "accept-language": "vi"})
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response.headers["content-type"].startswith("text/html"), path
        text = visible_text(response.text, named_english_apart=True)
        words = not_vietnamese(text)
        if words:
            found[path] = words + context_of(text, words)
    return found


def wrong_plurals(client: httpx.Client, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        text = visible_text(client.get(with_lang(path, "en"), headers={"accept": "text/html"}).text)
        if WRONG_PLURAL.search(text):
            found[path] = sorted(set(WRONG_PLURAL.findall(text)))
    return found


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}: {', '.join(words)}" for path, words in found.items())


def test_the_scan_catches_the_known_offenders():
    """The scan is only as good as its word list: it must see what these pages used to show."""
    html = (
        "<main><p>I.2, bullet 1</p><p>IV, closing paragraph</p><td>2025-07-01</td>"
        "<p>(bp:mirrorsTaskGroup)</p><th>Admin unit</th><th>preferred label</th><th>scope note</th>"
        "<th>Is Replaced By</th><p>Bắc Ninh @vi</p><p>(1 plans in its chain)</p></main>"
    )
    words = {word.lower() for word in not_vietnamese(visible_text(html))}
    assert {
        "bullet",
        "paragraph",
        "2025-07-01",
        "bp:mirrorstaskgroup",
        "@vi",
        "admin",
        "unit",
        "label",
        "note",
        "is replaced by",
    } <= words
    assert "plans" in words
    assert WRONG_PLURAL.search(visible_text(html))
    assert WRONG_PLURAL.search("1 task groups") and WRONG_PLURAL.search("1 quantified targets")
    assert not WRONG_PLURAL.search("1 plan, 11 plans, 21 plans, 2 task groups")


def test_the_scan_reads_only_what_a_reader_sees():
    html = (
        '<header><a class="lang" href="/?lang=en" lang="en">English</a></header>'
        "<main><p>Kế hoạch <code>bp:Plan</code> <a href='/plans?lang=en'>/plans</a></p>"
        "<pre>SELECT ?plan WHERE { ?plan a bp:Plan }</pre><script>var plan;</script>"
        '<time datetime="2025-07-01">01/07/2025</time><abbr title="the plans">KH</abbr></main>'
    )
    text = visible_text(html)
    assert "English" not in text and "SELECT" not in text and "/plans" not in text
    assert not_vietnamese(text) == ["plans", "the"]


def test_the_scan_lets_english_stand_only_where_the_page_names_it():
    """A text the data gives in English may stand beside its Vietnamese when the page says it is
    English ("tiếng Anh"), before or after it; English marked lang="en" and not named is found."""
    named = (
        '<dd><span lang="vi">tỉnh Quảng Ngãi</span> <small>tiếng Việt</small></dd>'
        '<dd><span lang="en">Quảng Ngãi Province</span> <small>tiếng Anh</small></dd>'
        '<p lang="en"><small lang="vi">tiếng Anh</small> A result that the plan aims at.</p>'
    )
    assert not_vietnamese(visible_text(named, named_english_apart=True)) == []
    unnamed = '<a href="/id/x"><span lang="en">Example report of the agency</span></a> <small>tiếng Việt</small>'
    assert {"agency", "of", "report", "the"} <= set(not_vietnamese(visible_text(unnamed, named_english_apart=True)))


def test_every_property_and_class_of_the_data_has_a_vietnamese_name(store):
    """The generic resource page, the ontology page and /void name the properties and classes the
    data uses: each has a Vietnamese name, our own ontology's terms from their @vi rdfs:label, the
    other vocabularies' from the core's table where the ontology labels them in English only."""
    used = select(
        store,
        """SELECT DISTINCT ?term WHERE { { GRAPH ?g { ?s ?term ?o } } UNION { GRAPH ?g { ?s a ?term } }
           FILTER(isIRI(?term)) }""",
    )
    labelled = select(
        store,
        """SELECT DISTINCT ?term WHERE { GRAPH ?g { ?term rdfs:label|skos:prefLabel ?label }
           FILTER(langMatches(lang(?label), "vi")) }""",
    )
    vietnamese = {row["term"] for row in labelled}
    terms = {row["term"] for row in used}
    assert len(terms) > 100  # the scan read the data
    own = sorted(term for term in terms if term.startswith(BP) and term not in vietnamese)
    assert not own, f"terms of the bioplan ontology with no @vi rdfs:label: {own}"
    others = sorted(term for term in terms - vietnamese if not term.startswith(BP) and term not in VOCABULARY_LABELS)
    assert not others, f"terms the pages would name in English only: {others}"
    # The table names in Vietnamese what the ontology does not: skos:prefLabel, dct:isReplacedBy...
    for term, name in [
        ("http://www.w3.org/2004/02/skos/core#prefLabel", "tên gọi"),
        ("http://www.w3.org/2004/02/skos/core#scopeNote", "ghi chú phạm vi"),
        ("http://purl.org/dc/terms/isReplacedBy", "được thay thế bởi"),
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "loại"),
    ]:
        assert ("vi", name) in VOCABULARY_LABELS[term]


def test_vietnamese_pages_are_all_vietnamese(client, my_pages):
    found = offences(client, my_pages)
    assert not found, "English, ISO dates or ontology terms on Vietnamese pages:\n" + report(found)


def test_english_pages_write_their_plurals_right(client, my_pages):
    found = wrong_plurals(client, my_pages)
    assert not found, "a plural after 1 on English pages:\n" + report(found)
