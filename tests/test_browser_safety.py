"""Browser safety (issue 13, items 6 and 7): what the data says cannot run in a reader's browser
or spreadsheet.

- Only http, https and mailto IRIs (and places on this site) become links; a `javascript:`,
  `data:`, `vbscript:` or `file:` IRI stored in the data (rdfs:seeAlso, a report's evidence, a
  query result) is shown as text. Checked with a real HTML parser on the pages served.
- Every response carries a strict Content-Security-Policy (no inline script), nosniff, a
  Referrer-Policy and frame-ancestors 'none'; the pages have no inline script or style for it
  to block.
- Human-facing CSV exports neutralise a cell starting like a formula (`=`, `+`, `-`, `@`, tab,
  carriage return) with a `'`; the SPARQL protocol's CSV results stay exactly as written.

A real server over a store of its own (ontology, national data, Lạng Sơn), written to as clients
write: SPARQL Update with the admin token, POST /reports with the province's token.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
import pytest
from api_server import running_server

from bioplan import layout
from bioplan.formats.csv_export import neutralise
from bioplan.linked_data.site_links import link_target
from bioplan.loading.loader import load
from bioplan.namespaces import graph_iri
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore
from bioplan.writes.auth import TokenFile

ADMIN = "admin-token-for-browser-safety"
ID = "https://w3id.org/vn-bioplan/id/"
PLAN_KEY = "lang-son/ubnd/kh/2025/de-an-1639"
PLAN = ID + "doc/" + PLAN_KEY
ITEM = PLAN + "/item/v-2-2"  # Sở KH&CN co-operates on it
AGENCY = ID + "org/lang-son/so-khoa-hoc-va-cong-nghe"
LANG_SON = graph_iri("lang-son")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
BP = "https://w3id.org/vn-bioplan/def/bioplan#"

FORMULA = '=HYPERLINK("http://attacker.example/","y")'
AGENCY_LABEL = FORMULA + " Sở KH&CN"
ITEM_LABEL = FORMULA + " nội dung"
UNSAFE = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(2)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgzKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(4)",
    "file:///etc/passwd",
)
SAFE = ("https://example.org/evidence", "mailto:so-khcn@example.org")
LINK_SCHEMES = {"", "http", "https", "mailto"}  # "" a place on this site


def sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(URL, the Lạng Sơn token), the data already written: the labels start with a formula, the
    item sees also every IRI of UNSAFE and SAFE."""
    folder = tmp_path_factory.mktemp("browser-safety")
    store = OxigraphStore(folder / "store")
    load(
        store,
        layout.expand([layout.ONTOLOGY_DIR, layout.DATA_DIR / "national", layout.DATA_DIR / "provinces" / "lang-son"]),
    )
    tokens = folder / "tokens.json"
    _, lang_son = TokenFile(tokens).add("lang-son", "ls-editor")
    settings = Settings(store=str(folder / "store"), admin_token=ADMIN, tokens_file=str(tokens), query_workers=1)
    see_also = " ".join(f"<{ITEM}> <{RDFS}seeAlso> <{iri}> ." for iri in UNSAFE + SAFE)
    # An item's Vietnamese label is its verbatim text (the shapes say so): both change.
    update = f"""
        DELETE {{ GRAPH <{LANG_SON}> {{
            <{AGENCY}> <{RDFS}label> ?agency . <{ITEM}> <{RDFS}label> ?item ; <{BP}verbatimText> ?verbatim
        }} }}
        INSERT {{ GRAPH <{LANG_SON}> {{
            <{AGENCY}> <{RDFS}label> {sparql_string(AGENCY_LABEL)}@vi .
            <{ITEM}> <{RDFS}label> {sparql_string(ITEM_LABEL)}@vi ; <{BP}verbatimText> {sparql_string(ITEM_LABEL)}@vi .
            {see_also}
        }} }}
        WHERE {{ GRAPH <{LANG_SON}> {{
            <{AGENCY}> <{RDFS}label> ?agency FILTER(LANG(?agency) = "vi")
            <{ITEM}> <{RDFS}label> ?item ; <{BP}verbatimText> ?verbatim FILTER(LANG(?item) = "vi")
        }} }}"""
    try:
        with running_server(settings, store) as url:
            written = httpx.post(
                url + "/update",
                content=update.encode(),
                headers={"content-type": "application/sparql-update", "authorization": f"Bearer {ADMIN}"},
                timeout=120,
            )
            assert written.status_code in (200, 204), written.text
            yield url, lang_son
    finally:
        store.close()


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server[0], timeout=60) as client:
        yield client


class Page(HTMLParser):
    """What a browser would make of a page: its anchors (href or None, text), its text, its
    scripts (attributes, content), style elements and attributes, event handler attributes."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str | None, str]] = []
        self.texts: list[str] = []
        self.titles: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles = 0
        self.inline_attributes: list[tuple[str, str, str]] = []
        self._open: list[list] = []  # the anchors being read: [href, text parts]
        self._script: dict | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.inline_attributes.append((tag, name, value or ""))
        if "title" in attributes:
            self.titles.append(attributes["title"] or "")
        if tag == "a":
            self._open.append([attributes.get("href"), []])
        elif tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))
        elif tag == "style":
            self.styles += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, parts = self._open.pop()
            self.anchors.append((href, "".join(parts).strip()))
        elif tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attributes, content = self.scripts[-1]
            self.scripts[-1] = (attributes, content + data)
            return
        self.texts.append(data)
        for _, parts in self._open:
            parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def hrefs(self) -> list[str]:
        return [href for href, _ in self.anchors if href is not None]


def html_page(http: httpx.Client, path: str, **params) -> Page:
    response = http.get(path, params=params, headers={"accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


def scheme(href: str) -> str:
    return urlsplit(href.strip()).scheme.lower()


def assert_no_unsafe_link(page: Page) -> None:
    assert {href: scheme(href) for href in page.hrefs() if scheme(href) not in LINK_SCHEMES} == {}


# ---------------------------------------------------------------- links


@pytest.mark.parametrize("view", [{}, {"view": "statements"}])
def test_a_stored_javascript_iri_is_shown_as_text_not_as_a_link(http, view):
    page = html_page(http, "/id/doc/" + PLAN_KEY + "/item/v-2-2", **view)
    assert_no_unsafe_link(page)
    for iri in UNSAFE:
        assert iri not in page.hrefs()
        assert iri in page.titles or iri in page.text  # still shown
        assert any(href is None and text for href, text in page.anchors)
    for iri in SAFE:  # the schemes a link may have stay links
        assert iri in page.hrefs()


def test_a_reports_javascript_evidence_is_refused_and_a_web_link_kept(http, server):
    """Evidence is shown as a link, so only web links are evidence (the shapes say so); an IRI of
    another scheme that reaches a page some other way is shown as text (the tests above)."""
    _, lang_son = server
    task = {"task": PLAN + "/item/v-3-1", "status": "in-progress", "narrative": {"vi": "Đã triển khai."}}
    body = {"plan": PLAN, "agency": AGENCY, "year": date.today().year}
    headers = {"authorization": f"Bearer {lang_son}"}
    evidence = ["javascript:alert(document.cookie)", "https://example.org/bao-cao"]
    refused = http.post("/reports", json={**body, "tasks": [{**task, "evidence": evidence}]}, headers=headers)
    assert refused.status_code == 422, refused.text
    assert {r["value"] for r in refused.json()["error"]["details"]["results"]} == {evidence[0]}
    posted = http.post("/reports", json={**body, "tasks": [{**task, "evidence": evidence[1:]}]}, headers=headers)
    assert posted.status_code == 201, posted.text
    part = html_page(http, posted.headers["location"] + "/task/v-3-1")
    assert_no_unsafe_link(part)
    assert "https://example.org/bao-cao" in part.hrefs()


def test_a_query_result_iri_is_no_link_unless_its_scheme_is_safe(http):
    """The query page without JavaScript: the IRIs of any query's answer, made up by the query."""
    values = " ".join(f"(<{iri}>)" for iri in UNSAFE + SAFE)
    page = html_page(http, "/sparql", query=f"SELECT ?x WHERE {{ VALUES (?x) {{ {values} }} }}")
    assert_no_unsafe_link(page)
    assert all(iri in page.text for iri in UNSAFE)
    assert set(SAFE) <= set(page.hrefs())


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "\x00\x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\rscript:alert(1)",
        "javascript\t:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "urn:isbn:0451450523",
    ],
)
def test_link_target_refuses_every_other_scheme_however_spelled(url):
    assert link_target(url) is None


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a", "HTTP://example.org/", "mailto:a@example.org", "/doc/x?lang=en", "#item-1", "?page=2"],
)
def test_link_target_keeps_web_links_and_site_paths(url):
    assert link_target(url) == url


# ---------------------------------------------------------------- headers


HTML_PAGES = [
    "/",
    "/plans",
    "/agencies",
    "/search?q=sinh+học",
    "/sparql",
    "/queries",
    "/queries/agency-roles",
    "/id/doc/" + PLAN_KEY,
    "/id/doc/" + PLAN_KEY + "/item/v-2-2",
    "/id/org/lang-son/so-khoa-hoc-va-cong-nghe",
    "/dashboard",
    "/dashboard/" + PLAN_KEY,
    "/targets/" + PLAN_KEY,
    "/coverage",
    "/calendar",
    "/def/bioplan",
    "/void",
    "/docs",  # Swagger UI, from /vendor/swagger-ui, started by a file of /static (tests/test_api_docs.py)
]


def policy(response: httpx.Response) -> dict[str, list[str]]:
    directives = {}
    for directive in response.headers["content-security-policy"].split(";"):
        name, *values = directive.split()
        directives[name.lower()] = values
    return directives


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_page_sends_a_strict_content_security_policy(http, path):
    response = http.get(path, headers={"accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives.get("style-src", directives["default-src"])
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] in ("strict-origin-when-cross-origin", "no-referrer")


@pytest.mark.parametrize("path", HTML_PAGES)
def test_no_page_has_inline_script_or_style_for_the_policy_to_block(http, path):
    page = html_page(http, path)
    assert page.inline_attributes == []
    assert page.styles == 0
    # A script is a file of this site, or data the page's script reads (never run).
    inline = [attributes for attributes, content in page.scripts if not attributes.get("src") and content.strip()]
    assert [attributes for attributes in inline if attributes.get("type") != "application/json"] == []
    assert_no_unsafe_link(page)


def test_other_answers_carry_the_headers_too(http):
    for response in (
        http.get("/plans.json"),
        http.get("/no/such/page", headers={"accept": "text/html"}),
        http.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"}),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert policy(response)["frame-ancestors"] == ["'none'"]


# ---------------------------------------------------------------- CSV


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # CSV for people: UTF-8 with a byte-order mark
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def assert_no_formula(rows: list[dict[str, str]]) -> None:
    assert [cell for row in rows for cell in row.values() if cell.startswith(("=", "+", "-", "@", "\t", "\r"))] == []


def test_search_csv_neutralises_a_formula(http):
    rows = csv_rows(http.get("/search.csv", params={"q": "HYPERLINK"}))
    titles = {row["Tiêu đề (IRI)"]: row["Tiêu đề"] for row in rows}
    assert titles[AGENCY] == "'" + AGENCY_LABEL and titles[ITEM] == "'" + ITEM_LABEL
    assert_no_formula(rows)
    # The JSON twin is data, not a spreadsheet: the label as it is.
    found = {r["iri"]: r["title"] for r in http.get("/search.json", params={"q": "HYPERLINK"}).json()["results"]}
    assert found[AGENCY] == AGENCY_LABEL


@pytest.mark.parametrize("path", ["/agencies.csv", "/agencies?format=csv"])
def test_an_index_csv_neutralises_a_formula(http, path):
    rows = csv_rows(http.get(path))
    labels = {row["Cơ quan (IRI)"]: row["Cơ quan"] for row in rows}
    assert labels[AGENCY] == "'" + AGENCY_LABEL
    assert_no_formula(rows)


def test_a_dashboard_csv_neutralises_a_formula(http):
    rows = csv_rows(http.get(f"/dashboard/{PLAN_KEY}.csv"))
    assert {row["Nội dung (IRI)"]: row["Nội dung"] for row in rows}[ITEM] == "'" + ITEM_LABEL
    assert_no_formula(rows)


@pytest.mark.parametrize(
    ("path", "params", "headers"),
    [
        ("/queries/agency-roles.csv", {}, {}),
        ("/queries/agency-roles", {"format": "csv"}, {}),
        ("/queries/agency-roles", {}, {"accept": "text/csv"}),
    ],
)
def test_a_stored_query_csv_neutralises_a_formula(http, path, params, headers):
    rows = csv_rows(http.get(path, params={"agency": AGENCY, **params}, headers=headers))
    # The CSV for people: headings from the query's own labels, a label column beside each IRI's.
    assert {row["Nội dung (IRI)"]: row["Nội dung (văn bản)"] for row in rows}[ITEM] == "'" + ITEM_LABEL
    assert {row["Nội dung (IRI)"]: row["Nội dung"] for row in rows}[ITEM] == "'" + ITEM_LABEL
    assert_no_formula(rows)
    plain = http.get("/queries/agency-roles.json", params={"agency": AGENCY}).json()
    assert len(plain["rows"]) == len(rows)


def test_sparql_csv_results_stay_as_the_w3c_format_writes_them(http):
    query = f'SELECT ?label WHERE {{ <{AGENCY}> <{RDFS}label> ?label FILTER(LANG(?label) = "vi") }}'
    for response in (
        http.get("/sparql", params={"query": query}, headers={"accept": "text/csv"}),
        http.post("/sparql", data={"query": query, "format": "csv"}),
    ):
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        assert [row["label"] for row in csv.DictReader(io.StringIO(response.text))] == [AGENCY_LABEL]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        (-5, "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Sở KH&CN", "Sở KH&CN"),
        (" =1", " =1"),
        (5, "5"),
        (None, ""),
        ("", ""),
    ],
)
def test_neutralise(value, cell):
    assert neutralise(value) == cell
