"""The change feed (GET /changes) and the dump it starts from (/dump.nq): a replica loaded from a
dump taken in the middle of the writes and given the feed's entries after it holds exactly what
the service holds, from the JSON feed and from RDF Patch. Paging, caching, hostile input, and
the log across a restart of the app on the same store.

The server has a store of its own (ontology, national data, Lạng Sơn): writes of every kind by
the admin token and a Lạng Sơn token, one refused write that must not appear.
"""

from __future__ import annotations

import gzip
import logging
from datetime import date

import httpx
import pyoxigraph as ox
import pytest
from api_server import running_server

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.namespaces import graph_iri
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore
from bioplan.writes import changes as change_log
from bioplan.writes.auth import Principal, TokenFile
from bioplan.writes.changes import ChangeLog
from bioplan.writes.provenance import PROVENANCE_GRAPH
from bioplan.writes.service import WriteService

ADMIN = "admin-token-for-change-feed-tests"
ID = "https://w3id.org/vn-bioplan/id/"
PLAN = ID + "doc/lang-son/ubnd/kh/2025/de-an-1639"
DEPT_ST = ID + "org/lang-son/so-khoa-hoc-va-cong-nghe"
LANG_SON = graph_iri("lang-son")
NOTES = "https://example.org/graph/notes"
OTHER_NOTES = "https://example.org/graph/other-notes"
NOTE = ID + "note/change-feed"
SKOS_NOTE = "http://www.w3.org/2004/02/skos/core#note"
PATCH = "application/rdf-patch"


def files():
    return layout.expand(
        [layout.ONTOLOGY_DIR, layout.DATA_DIR / "national", layout.DATA_DIR / "provinces" / "lang-son"]
    )


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(URL, the store, the Lạng Sơn token, the dump taken in the middle as (sequence, bytes))."""
    folder = tmp_path_factory.mktemp("changes")
    store = OxigraphStore(folder / "store")
    load(store, files())
    tokens = folder / "tokens.json"
    _, lang_son = TokenFile(tokens).add("lang-son", "ls-editor")
    settings = Settings(store=str(store.path), admin_token=ADMIN, tokens_file=str(tokens), query_workers=1)
    try:
        with running_server(settings, store) as url, httpx.Client(base_url=url, timeout=120) as http:
            middle = write_everything(http, lang_son)
            yield url, store, lang_son, middle
    finally:
        store.close()


def update(http: httpx.Client, token: str, text: str) -> httpx.Response:
    return http.post(
        "/update", content=text.encode(), headers={**bearer(token), "content-type": "application/sparql-update"}
    )


def accepted(response: httpx.Response) -> None:
    assert response.status_code in (200, 201, 204), response.text


def write_everything(http: httpx.Client, lang_son: str) -> tuple[int, bytes]:
    """Every kind of write, by two tokens; returns the dump taken after the third."""
    accepted(update(http, ADMIN, f'INSERT DATA {{ GRAPH <{NOTES}> {{ <{NOTE}> <{SKOS_NOTE}> "một"@vi , "hai"@vi }} }}'))
    accepted(
        update(http, lang_son, f'INSERT DATA {{ GRAPH <{LANG_SON}> {{ <{DEPT_ST}> <{SKOS_NOTE}> "ghi chú"@vi }} }}')
    )
    accepted(update(http, ADMIN, f'DELETE DATA {{ GRAPH <{NOTES}> {{ <{NOTE}> <{SKOS_NOTE}> "hai"@vi }} }}'))
    dump = http.get("/dump.nq")
    assert dump.status_code == 200
    middle = (int(dump.headers["x-bioplan-change-sequence"]), dump.content)
    # Refused: a province token may not write a graph outside its province. Not in the feed.
    refused = update(http, lang_son, f'INSERT DATA {{ GRAPH <{NOTES}> {{ <{NOTE}> <{SKOS_NOTE}> "không"@vi }} }}')
    assert refused.status_code == 403
    # A graph PUT with a blank node, then replacing that graph (its blank node goes), then its DELETE.
    blank = f'<{NOTE}> <{SKOS_NOTE}> "ba"@vi . _:b <{SKOS_NOTE}> "nút trống"@vi .\n'
    turtle = {**bearer(ADMIN), "content-type": "text/turtle"}
    accepted(http.put("/graphs", params={"graph": OTHER_NOTES}, content=blank.encode(), headers=turtle))
    accepted(
        http.post(
            "/graphs", params={"graph": OTHER_NOTES}, content=f'_:c <{SKOS_NOTE}> "bốn"@vi .'.encode(), headers=turtle
        )
    )
    accepted(
        http.put(
            "/graphs", params={"graph": NOTES}, content=f'<{NOTE}> <{SKOS_NOTE}> "năm"@vi .'.encode(), headers=turtle
        )
    )
    accepted(http.delete("/graphs", params={"graph": NOTES}, headers=bearer(ADMIN)))
    accepted(http.post("/reports", json=progress_report(), headers=bearer(lang_son)))
    return middle


def progress_report() -> dict:
    return {
        "plan": PLAN,
        "agency": DEPT_ST,
        "year": date.today().year,
        "tasks": [{"task": PLAN + "/item/v-3-1", "status": "in-progress", "narrative": {"vi": "Đã triển khai."}}],
    }


def feed(http: httpx.Client, since: int = 0, accept: str = "application/json") -> list:
    """Every entry after ``since``, following the next links (JSON) or the pages' last sequence."""
    entries, url = [], f"/changes?since={since}"
    while True:
        response = http.get(url, headers={"accept": accept})
        assert response.status_code == 200, response.text
        if accept == PATCH:
            assert response.headers["content-type"].startswith(PATCH)
            entries.append(response.text)
            if response.headers["cache-control"] == "no-cache":
                return entries
            url = response.links["next"]["url"]
            continue
        body = response.json()
        entries += body["entries"]
        assert response.links["next"]["url"] == body["next"]
        if not body["full"]:
            return entries
        url = body["next"]


def nquads(text: str) -> list[ox.Quad]:
    return list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))


def term(text: str):
    """One N-Triples term (as the JSON feed writes it) back to a pyoxigraph term."""
    return next(iter(ox.parse(f"<urn:s> <urn:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES))).object


def replica_from_json(dump: bytes, entries: list[dict]) -> ox.Store:
    replica = ox.Store()
    replica.extend(nquads(dump.decode()))
    for entry in entries:
        for graph, difference in entry["graphs"].items():
            for change, apply in (("removed", replica.remove), ("added", replica.add)):
                for s, p, o in difference[change]:
                    subject = ox.BlankNode(s[2:]) if s.startswith("_:") else ox.NamedNode(s[1:-1])
                    apply(ox.Quad(subject, ox.NamedNode(p[1:-1]), term(o), ox.NamedNode(graph)))
    return replica


def replica_from_patch(dump: bytes, pages: list[str]) -> ox.Store:
    """A minimal RDF Patch reader: H, TX, TC lines checked, A and D applied (N-Quads after the letter)."""
    replica = ox.Store()
    replica.extend(nquads(dump.decode()))
    open_transactions = 0
    for line in "".join(pages).splitlines():
        letter, _, rest = line.partition(" ")
        if letter == "TX":
            open_transactions += 1
        elif letter == "TC":
            open_transactions -= 1
        elif letter in ("A", "D"):
            assert open_transactions == 1, line
            (quad,) = nquads(rest)
            (replica.add if letter == "A" else replica.remove)(quad)
        else:
            assert letter == "H" and rest.startswith("id <"), line
    assert open_transactions == 0
    return replica


def by_graph(store: ox.Store) -> dict[str, set[ox.Triple]]:
    graphs: dict[str, set[ox.Triple]] = {}
    for quad in store:
        graphs.setdefault(str(quad.graph_name), set()).add(quad.triple)
    return graphs


def test_the_feed_lists_every_accepted_write_in_order_and_not_the_refused_one(server):
    url, _, _, _ = server
    with httpx.Client(base_url=url, timeout=60) as http:
        entries = feed(http)
    assert [e["sequence"] for e in entries] == list(range(1, 9))
    assert [e["token"] for e in entries] == [
        "admin",
        "ls-editor",
        "admin",
        "admin",
        "admin",
        "admin",
        "admin",
        "ls-editor",
    ]
    assert entries == sorted(entries, key=lambda e: e["time"]) and all(e["time"].endswith("Z") for e in entries)
    assert all('"không"@vi' not in str(e) for e in entries)
    first = entries[0]["graphs"]
    assert first[NOTES] == {
        "removed": [],
        "added": sorted([[f"<{NOTE}>", f"<{SKOS_NOTE}>", '"hai"@vi'], [f"<{NOTE}>", f"<{SKOS_NOTE}>", '"một"@vi']]),
    }
    # Each write's record is in the feed too, as an addition to the provenance graph.
    assert f"<{entries[0]['activity']}>" in str(first[PROVENANCE_GRAPH]["added"])
    # A token's agent is recorded once: its first write adds it, later ones only their activity.
    agents = [e["sequence"] for e in entries if '"admin"' in str(e["graphs"][PROVENANCE_GRAPH]["added"])]
    assert agents == [1]
    assert entries[2]["graphs"][NOTES] == {"removed": [[f"<{NOTE}>", f"<{SKOS_NOTE}>", '"hai"@vi']], "added": []}
    # The blank node as the store labels it, the label the dump shows.
    assert any(s.startswith("_:") for s, _, _ in entries[3]["graphs"][OTHER_NOTES]["added"])


@pytest.mark.parametrize("accept", ["application/json", PATCH])
def test_a_replica_from_the_middle_dump_and_the_feed_after_it_is_the_store(server, accept):
    url, _, _, (sequence, dump) = server
    assert sequence == 3 and dump.startswith(b"# change-sequence 3\n")
    with httpx.Client(base_url=url, timeout=120) as http:
        after = feed(http, sequence, accept)
        final = http.get("/dump.nq")
        every_graph = {
            g: http.get("/graphs", params={"graph": g}, headers={"accept": "application/n-triples"})
            for g in (NOTES, OTHER_NOTES, LANG_SON)
        }
    replica = replica_from_json(dump, after) if accept == "application/json" else replica_from_patch(dump, after)
    assert final.headers["x-bioplan-change-sequence"] == "8"
    assert by_graph(replica) == by_graph(ox_store(final.content))
    assert every_graph[NOTES].status_code == 404 and f"<{NOTES}>" not in by_graph(replica)
    for graph in (OTHER_NOTES, LANG_SON):
        served = {q.triple for q in ox.parse(every_graph[graph].content, format=ox.RdfFormat.N_TRIPLES)}
        assert isomorphic(served, by_graph(replica)[f"<{graph}>"])


def ox_store(nquads_bytes: bytes) -> ox.Store:
    store = ox.Store()
    store.extend(nquads(nquads_bytes.decode()))
    return store


def isomorphic(left: set[ox.Triple], right: set[ox.Triple]) -> bool:
    """Equal but for blank node labels (enough here: each blank node has one distinct triple)."""

    def canonical(triples):
        return sorted(
            "\t".join("_:" if isinstance(t, ox.BlankNode) else str(t) for t in (x.subject, x.predicate, x.object))
            for x in triples
        )

    return canonical(left) == canonical(right)


def test_the_gzipped_dump_states_its_sequence_too(server):
    url, _, _, _ = server
    with httpx.Client(base_url=url, timeout=60) as http:
        response = http.get("/dump.nq.gz")
    text = gzip.decompress(response.content).decode()
    assert response.headers["x-bioplan-change-sequence"] == "8"
    assert text.startswith("# change-sequence 8\n") and nquads(text)


def test_paging_a_full_page_is_immutable_and_the_last_is_revalidated(server, monkeypatch):
    url, _, _, _ = server
    monkeypatch.setattr(change_log, "PAGE_SIZE", 3)  # the server runs in this process
    with httpx.Client(base_url=url, timeout=60) as http:
        first = http.get("/changes")
        assert [e["sequence"] for e in first.json()["entries"]] == [1, 2, 3]
        assert first.json()["full"] and first.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert first.links["next"]["url"] == first.json()["next"] == "/changes?since=3"
        assert not first.headers["etag"].startswith("W/")
        again = http.get("/changes", headers={"if-none-match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        middle = http.get("/changes?since=4")
        assert [e["sequence"] for e in middle.json()["entries"]] == [5, 6, 7]
        last = http.get("/changes?since=6")
        assert [e["sequence"] for e in last.json()["entries"]] == [7, 8]
        assert last.headers["cache-control"] == "no-cache" and last.json()["next"] == "/changes?since=8"
        assert http.get("/changes?since=6", headers={"if-none-match": last.headers["etag"]}).status_code == 304
        patch = http.get("/changes?since=6", headers={"accept": PATCH})
        assert patch.headers["etag"] != last.headers["etag"]  # another representation, another tag
        assert patch.text.count("TX .") == 2 and patch.text.count("TC .") == 2
        empty = http.get("/changes?since=8")
        assert empty.json()["entries"] == [] and empty.headers["cache-control"] == "no-cache"
        # A client ahead of this log (it followed another one) sees it: the last sequence is below its own.
        ahead = http.get("/changes?since=99999").json()
        assert ahead["entries"] == [] and ahead["last_sequence"] == 8 and ahead["next"] == "/changes?since=99999"


@pytest.mark.parametrize("since", ["-1", "abc", "1.5", "1e3", " 1", "9" * 40, "٣", str(2**62 + 1), "0x10"])
def test_a_since_that_is_no_sequence_number_is_400_in_the_one_error_body(server, since):
    url, _, _, _ = server
    with httpx.Client(base_url=url, timeout=60) as http:
        response = http.get("/changes", params={"since": since})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad-since"


@pytest.mark.parametrize("accept", ["text/html", "application/n-quads", "image/*", "application/json;q=0"])
def test_an_accept_of_nothing_offered_is_406(server, accept):
    url, _, _, _ = server
    with httpx.Client(base_url=url, timeout=60) as http:
        response = http.get("/changes", headers={"accept": accept})
    assert response.status_code == 406


def test_the_log_survives_a_restart_and_a_lost_append_is_detected(tmp_path, caplog):
    store = OxigraphStore(tmp_path / "store")
    load(store, layout.expand([layout.ONTOLOGY_DIR, layout.DATA_DIR / "national"]))
    settings = Settings(store=str(store.path), admin_token=ADMIN, tokens_file=str(tmp_path / "t.json"), query_workers=1)
    text = f'INSERT DATA {{ GRAPH <{NOTES}> {{ <{NOTE}> <{SKOS_NOTE}> "một"@vi }} }}'
    try:
        with running_server(settings, store) as url, httpx.Client(base_url=url, timeout=120) as http:
            accepted(update(http, ADMIN, text))
        store.close()
        store = OxigraphStore(tmp_path / "store")  # the store and the app opened again
        with running_server(settings, store) as url, httpx.Client(base_url=url, timeout=120) as http:
            accepted(update(http, ADMIN, text.replace("một", "hai")))
            entries = feed(http)
        assert [e["sequence"] for e in entries] == [1, 2]
        assert (tmp_path / "store.changes.sqlite").exists()
        # A write committed and never appended (the process died in between): found at start.
        WriteService(settings, store).update(Principal("admin", None), text.replace("một", "ba"))
        with caplog.at_level(logging.ERROR, logger="bioplan.writes.changes"):
            assert not ChangeLog(tmp_path / "store.changes.sqlite").check(store)
        assert "1 write(s) not logged" in caplog.text
    finally:
        store.close()
