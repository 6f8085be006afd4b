"""The `bioplan` command as a user runs it: a real process, a real on-disk store."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from api_server import bioplan_serve, free_port
from cli_runs import bioplan, graph_sizes
from rdflib.compare import isomorphic

from bioplan import layout

QN_PLAN = "https://w3id.org/vn-bioplan/id/doc/quang-ngai/ubnd/kh/de-an-1600"


@pytest.fixture
def broken_province(tmp_path):
    """A copy of Quảng Ngãi's folder whose plan implements nothing."""
    folder = tmp_path / "provinces" / "quang-ngai"
    shutil.copytree(layout.DATA_DIR / "provinces" / "quang-ngai", folder)
    plan = next(folder.glob("kh-*.ttl"))
    text = plan.read_text(encoding="utf-8")
    fixed = re.sub(r"\n\s*eli:ensures_implementation_of <[^>]+> ;", "", text)
    assert fixed != text
    plan.write_text(fixed, encoding="utf-8")
    return folder


def quad_count(store_dir) -> int:
    return sum(graph_sizes(store_dir).values())


def test_validate_bundled_data_conforms():
    result = bioplan("validate")
    assert "Conforms" in result.stdout


def test_validate_reports_violations_with_exit_1(broken_province):
    result = bioplan("validate", str(broken_province), "--format", "json", check=1)
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    focus = [r for r in report["results"] if r["focusNode"] == QN_PLAN]
    assert focus and focus[0]["sourceFile"].endswith(".ttl")
    assert any("implement" in r["message"]["en"] for r in focus)


def test_validate_text_report_groups_by_focus_node(broken_province):
    result = bioplan("validate", str(broken_province), check=1)
    assert result.stdout.splitlines()[0].startswith(QN_PLAN)
    assert "violation(s)" in result.stdout


def test_validate_turtle_report_is_a_shacl_report(broken_province):
    result = bioplan("validate", str(broken_province), "--format", "turtle", check=1)
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, rdflib.RDF.type, sh.ValidationReport) in graph


def test_validate_unreadable_input_names_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "x" .\nex:c ex:d ex:e ex:f .\n', encoding="utf-8")
    result = bioplan("validate", str(bad), check=2)
    assert re.search(r"bad\.ttl:3:\d+", result.stderr), result.stderr


def test_load_is_idempotent_and_refuses_bad_input(tmp_path, broken_province):
    store_dir = tmp_path / "store"
    bioplan("load", "--store", str(store_dir))
    first = quad_count(store_dir)
    bioplan("load", "--store", str(store_dir))
    assert quad_count(store_dir) == first > 10_000

    refused = bioplan("load", "--store", str(store_dir), str(broken_province), check=1)
    assert "unchanged" in refused.stderr
    assert quad_count(store_dir) == first

    bad = tmp_path / "provinces" / "lang-son" / "bad.ttl"
    bad.parent.mkdir(parents=True)
    bad.write_text("<a> <b> .", encoding="utf-8")
    bioplan("load", "--store", str(store_dir), str(bad), check=2)
    assert quad_count(store_dir) == first


def test_bulk_load_writes_the_same_dataset_and_still_validates_first(tmp_path, broken_province):
    atomic, bulk = tmp_path / "atomic", tmp_path / "bulk"
    bioplan("load", "--store", str(atomic))
    bioplan("load", "--bulk", "--store", str(bulk))
    bioplan("load", "--bulk", "--store", str(bulk))  # again: graphs replaced, not doubled
    datasets = []
    for store_dir in (atomic, bulk):
        store = ox.Store.read_only(str(store_dir))
        lines: dict[str, list[str]] = {}
        for quad in store.quads_for_pattern(None, None, None, None):
            lines.setdefault(quad.graph_name.value, []).append(f"{quad.triple} .")
        datasets.append({name: rdflib.Graph().parse(data="\n".join(text), format="nt") for name, text in lines.items()})
        del store
    assert datasets[0].keys() == datasets[1].keys()
    for name, graph in datasets[0].items():  # blank node labels differ between loads
        assert isomorphic(graph, datasets[1][name]), name
    total = sum(len(g) for g in datasets[0].values())
    assert total > 10_000

    refused = bioplan("load", "--bulk", "--store", str(bulk), str(broken_province), check=1)
    assert "unchanged" in refused.stderr
    assert quad_count(bulk) == total
    # A first bulk load is written while it is validated: refused, it leaves nothing behind.
    empty = tmp_path / "empty"
    bioplan("load", "--bulk", "--store", str(empty), str(broken_province), check=1)
    assert quad_count(empty) == 0
    # Files go to the writer as they are read: a file that cannot be parsed, after good ones,
    # still leaves nothing behind.
    unparsable = tmp_path / "provinces" / "zz-unparsable" / "bad.ttl"
    unparsable.parent.mkdir(parents=True)
    unparsable.write_text("<a> <b> .", encoding="utf-8")
    bioplan("load", "--bulk", "--store", str(empty), str(layout.DATA_DIR / "provinces"), str(unparsable), check=2)
    assert quad_count(empty) == 0


def test_load_normalises_to_nfc(tmp_path):
    """Decomposed input mints no second IRI or label: it is composed on the way in."""
    import unicodedata

    source = layout.DATA_DIR / "provinces" / "quang-ngai"
    folder = tmp_path / "provinces" / "quang-ngai"
    folder.mkdir(parents=True)
    for path in source.glob("*.ttl"):
        (folder / path.name).write_text(
            unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8"
        )
    store_dir = tmp_path / "store"
    bioplan("load", "--store", str(store_dir), str(folder))
    result = bioplan(
        "query",
        "--store",
        str(store_dir),
        "--format",
        "tsv",
        'SELECT ?l WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(CONTAINS(?l, "Quảng Ngãi")) }'
        " LIMIT 1",
    )
    assert "Quảng Ngãi" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "table", "xml"])
def test_query_formats(store_dir, fmt):
    query = "SELECT ?plan WHERE { ?plan a <https://w3id.org/vn-bioplan/def/bioplan#ProvincialPlan> } ORDER BY ?plan"
    out = bioplan("query", "--store", str(store_dir), "--format", fmt, query).stdout
    if fmt == "json":
        rows = json.loads(out)["results"]["bindings"]
        assert QN_PLAN in [r["plan"]["value"] for r in rows]
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == ["plan"] and [QN_PLAN] in rows
    elif fmt == "tsv":
        assert out.splitlines()[0] == "?plan" and f"<{QN_PLAN}>" in out.splitlines()
    elif fmt == "xml":
        assert "<sparql" in out and QN_PLAN in out
    else:
        assert out.splitlines()[0].strip() == "plan" and QN_PLAN in out and "(4 rows)" in out


def test_query_default_graph_is_the_union_and_graph_reaches_each(store_dir):
    union = bioplan(
        "query",
        "--store",
        str(store_dir),
        "--format",
        "json",
        "ASK { ?p <http://data.europa.eu/eli/ontology#ensures_implementation_of> ?d . ?d a ?t }",
    )
    assert json.loads(union.stdout)["boolean"] is True
    graphs = bioplan(
        "query",
        "--store",
        str(store_dir),
        "--format",
        "csv",
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
    ).stdout.split()
    assert "https://w3id.org/vn-bioplan/graph/quang-ngai" in graphs
    assert "https://w3id.org/vn-bioplan/graph/national" in graphs


def test_query_from_file_with_parameters(store_dir):
    out = bioplan(
        "query",
        "--store",
        str(store_dir),
        "--format",
        "csv",
        "@queries/plans-implementing.rq",
        "--param",
        "directive=https://w3id.org/vn-bioplan/id/doc/ttg/qd/2021/1600",
    ).stdout
    assert QN_PLAN in out and "lang-son" not in out


def test_query_syntax_error_names_line_and_column(store_dir):
    result = bioplan("query", "--store", str(store_dir), "SELECT * WHERE {\n ?s ?p }", check=1)
    assert "line 2" in result.stderr and "column" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "parser"),
    [("table", ox.RdfFormat.TURTLE), ("json", ox.RdfFormat.JSON_LD), ("xml", ox.RdfFormat.RDF_XML)],
)
def test_construct_gives_rdf(store_dir, fmt, parser):
    out = bioplan(
        "query",
        "--store",
        str(store_dir),
        "--format",
        fmt,
        f"CONSTRUCT {{ <{QN_PLAN}> ?p ?o }} WHERE {{ <{QN_PLAN}> ?p ?o }}",
    ).stdout
    triples = list(ox.parse(out, format=parser))
    assert len(triples) > 10 and all(t.subject == ox.NamedNode(QN_PLAN) for t in triples)


def test_stats(store_dir):
    out = bioplan("stats", "--store", str(store_dir)).stdout
    assert "https://w3id.org/vn-bioplan/graph/bac-giang" in out
    assert "https://w3id.org/vn-bioplan/def/bioplan#Task" in out


def _served_requests_log(tmp_path, *options: str) -> str:
    """What `bioplan serve` prints (standard output and error) around one query."""
    log = tmp_path / f"serve{''.join(options)}.log"  # one log per way of serving
    with bioplan_serve(tmp_path / "store", log, *options, start_timeout_s=60) as (_process, url):
        assert httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200
    return log.read_text(encoding="utf-8")


def test_serve_logs_each_request_unless_told_not_to(tmp_path):
    assert '"GET /sparql?query=ASK+%7B%7D HTTP/1.1" 200' in _served_requests_log(tmp_path)
    quiet = _served_requests_log(tmp_path, "--no-access-log")
    assert "serving" in quiet
    assert "GET /sparql" not in quiet


def test_serve_on_a_store_another_process_holds_says_so_in_one_line(tmp_path):
    """`make serve` while another server holds the store: which store, held by which process."""
    store = tmp_path / "held"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import pyoxigraph, time; s = pyoxigraph.Store({str(store)!r}); print(1, flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"1"
        result = subprocess.run(
            [sys.executable, "-m", "bioplan", "serve", "--store", str(store), "--port", "0"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(store) in lines[0] and f"process {holder.pid}" in lines[0], lines[0]


def test_quiet_load_says_in_one_line_what_it_loaded_or_that_it_had_nothing_to_do(tmp_path):
    """`make serve`'s second step: one line, whether the store was loaded or already up to date."""
    store = str(tmp_path / "store")
    loaded = bioplan("load", "--quiet", "--if-stale", "--store", store)
    (line,) = loaded.stderr.strip().splitlines()
    assert re.fullmatch(
        rf"loading the bundled data: \d+ files, \d+ triples, validated and written in [\d.]+ s into {re.escape(store)}",
        line,
    ), line
    again = bioplan("load", "--quiet", "--if-stale", "--store", store)
    assert again.stderr.strip().splitlines() == [f"loading the bundled data: already loaded ({store} is up to date)"]


def _make_serve_lines(tmp_path, store, run: int) -> list[str]:
    """What `make serve` prints until the home page line (a real make, on a free port), then stops it
    and everything it started."""
    port = free_port()
    env = {**os.environ, "BIOPLAN_STORE": str(store)}
    log = tmp_path / f"make-serve-{run}.log"
    with log.open("wb") as out:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PORT={port}"],
            cwd=layout.PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # make, bioplan serve and its query process stop together
        )
    try:
        deadline = time.monotonic() + 180
        while f"http://127.0.0.1:{port}/ " not in log.read_text(errors="replace"):
            assert make.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=30).status_code == 200
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.wait(timeout=60)
        _wait_for_the_group_to_end(make.pid)  # the store is free for the next run
    return log.read_text(errors="replace").splitlines()


def _wait_for_the_group_to_end(group: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(group, signal.SIGKILL)


@pytest.mark.skipif(
    subprocess.run(["make", "-q", ".venv/.installed"], cwd=layout.PROJECT_ROOT).returncode != 0,
    reason="the packages are not installed: `make serve` would install them first",
)
def test_make_serve_shows_one_line_per_step_and_names_the_home_page_last(tmp_path):
    store = tmp_path / "store"
    first, second = _make_serve_lines(tmp_path, store, 1), _make_serve_lines(tmp_path, store, 2)
    assert re.fullmatch(r"2/3 loading the bundled data: \d+ files, \d+ triples, validated and written in .*", first[1])
    assert second[1] == f"2/3 loading the bundled data: already loaded ({store} is up to date)"
    for lines in (first, second):
        assert lines[0].startswith("1/3 installing: already installed"), lines
        assert lines[2] == f"3/3 starting the query process over {store}…", lines
        home = next(i for i, line in enumerate(lines) if "the home page is http://127.0.0.1:" in line)
        assert lines[home].startswith(f"serving {store}: the home page is http://127.0.0.1:"), lines
        # Between: only the query process's line and uvicorn's "running on"; no start-up chatter.
        assert len(lines[3:home]) <= 2, lines
        assert not any("startup" in line or "Started server process" in line for line in lines[:home]), lines
        assert "Traceback" not in "\n".join(lines)


def test_serve_names_the_home_page_last_without_start_up_chatter(tmp_path):
    log = _served_requests_log(tmp_path, "--no-access-log")
    lines = [line for line in log.splitlines() if line.strip()]
    home = next(i for i, line in enumerate(lines) if "the home page is http://127.0.0.1:" in line)
    assert re.fullmatch(
        r"serving \S+: the home page is http://127\.0\.0\.1:\d+/ \(SPARQL endpoint: /sparql, API: /docs\)", lines[home]
    )
    assert lines[0].startswith("starting the query process over ")
    assert not any(chatter in log for chatter in ("Waiting for application startup", "Application startup complete"))
