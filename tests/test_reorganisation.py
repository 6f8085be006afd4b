"""The 2025 reorganisation in the graph: who is responsible now for each agency and province the
seeds name, through the change events of data/ttl/national/reorganisation.ttl, asked of the stored
query queries/current-agency.rq in the core and over HTTP; and history kept (the old agencies stay)."""

from __future__ import annotations

import pytest

from bioplan import layout
from bioplan.engine.query import execute
from bioplan.queries.stored import all_queries

ID = "https://w3id.org/vn-bioplan/id/"
QUERY = all_queries()["current-agency"]
DEPARTMENTS = "2025-03-01"  # Nghị định 45/2025/NĐ-CP
PROVINCES = "2025-07-01"  # Nghị quyết 202/2025/QH15; the district level ends (203/2025/QH15, 72/2025/QH15)
BOTH = (DEPARTMENTS, PROVINCES)
MINISTRIES = "2025-03-01"  # Nghị quyết 176/2025/QH15; the merged ministries operate from 1 March 2025
CENTRAL_PARTY = "2025-02-03"  # Politburo decisions carrying out Kết luận 121-KL/TW, announced that day


def _same_body(old: str, new: str, *names: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """Bodies that only moved to the new province on 1 July 2025, under the same name."""
    return {f"org/{old}/{name}": {f"org/{new}/{name}": (PROVINCES,)} for name in names}


def _departments_merged(old: str, new: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """The departments merged on 1 March 2025, then moved to the new province on 1 July 2025."""
    return {
        f"org/{old}/so-tai-nguyen-va-moi-truong": {f"org/{new}/so-nong-nghiep-va-moi-truong": BOTH},
        f"org/{old}/so-nong-nghiep-va-phat-trien-nong-thon": {f"org/{new}/so-nong-nghiep-va-moi-truong": BOTH},
        f"org/{old}/so-ke-hoach-va-dau-tu": {f"org/{new}/so-tai-chinh": BOTH},
        f"org/{old}/so-thong-tin-va-truyen-thong": {
            f"org/{new}/so-khoa-hoc-va-cong-nghe": BOTH,
            f"org/{new}/so-van-hoa-the-thao-va-du-lich": BOTH,  # press and publishing
        },
        f"org/{old}/ubnd-cac-huyen-thi-xa-thanh-pho": {
            f"org/{new}/ubnd-cap-xa": (PROVINCES,),
            f"org/{new}/ubnd-tinh": (PROVINCES,),
        },
    }


def _unchanged(area: str, *names: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """Bodies with no change event: unchanged, or themselves the current result of the reorganisation."""
    return {f"org/{area}/{name}": {} for name in names}


# seed agency or area -> {current successor: the dates of the steps that lead to it}; {} = no change recorded.
EXPECTED: dict[str, dict[str, tuple[str, ...]]] = {
    **_departments_merged("binh-thuan", "lam-dong-2025"),
    **_same_body(
        "binh-thuan",
        "lam-dong-2025",
        *("ubnd-tinh", "so-khoa-hoc-va-cong-nghe", "so-giao-duc-va-dao-tao", "so-tai-chinh"),
        *("so-cong-thuong", "so-y-te", "so-noi-vu"),
    ),
    **_departments_merged("quang-ngai", "quang-ngai-2025"),
    **_same_body(
        "quang-ngai",
        "quang-ngai-2025",
        *("ubnd-tinh", "hdnd-tinh", "thuong-truc-hdnd-tinh", "van-phong-ubnd-tinh"),
        *("so-cong-thuong", "so-khoa-hoc-va-cong-nghe", "so-tai-chinh", "so-y-te"),
    ),
    **_same_body("bac-giang", "bac-ninh-2025", "ubnd-tinh", "hdnd-tinh"),
    # the departments formed on 1 March 2025 (named by no seed, described beside the ones they merged)
    **_same_body("binh-thuan", "lam-dong-2025", "so-nong-nghiep-va-moi-truong", "so-van-hoa-the-thao-va-du-lich"),
    **_same_body("quang-ngai", "quang-ngai-2025", "so-nong-nghiep-va-moi-truong", "so-van-hoa-the-thao-va-du-lich"),
    # Bình Thuận: Party bodies, the press, centres, collectives (60-NQ/TW; Nghị quyết 202/2025/QH15)
    **_same_body(
        "binh-thuan",
        "lam-dong-2025",
        *("tinh-uy", "ban-thuong-vu-tinh-uy", "cac-to-chuc-chinh-tri-xa-hoi"),
        *("cac-so-ban-nganh", "cac-co-quan-don-vi-lien-quan"),
    ),
    "org/binh-thuan/bao-binh-thuan": {"org/lam-dong-2025/bao-va-phat-thanh-truyen-hinh-lam-dong": (PROVINCES,)},
    "org/binh-thuan/dai-phat-thanh-truyen-hinh-binh-thuan": {
        "org/lam-dong-2025/bao-va-phat-thanh-truyen-hinh-lam-dong": (PROVINCES,)
    },
    # the centres pass with their department (their own reorganisation is not recorded)
    "org/binh-thuan/trung-tam-doi-moi-sang-tao-va-ung-dung-khoa-hoc-cong-nghe": {
        "org/lam-dong-2025/so-khoa-hoc-va-cong-nghe": (PROVINCES,)
    },
    "org/binh-thuan/trung-tam-thong-tin-va-ung-dung-tien-bo-khcn": {
        "org/lam-dong-2025/so-khoa-hoc-va-cong-nghe": (PROVINCES,)
    },
    "org/binh-thuan/cac-truong-cao-dang-dai-hoc-tren-dia-ban-tinh": {},  # not rearranged; a note says why
    # Quảng Ngãi
    **_same_body(
        "quang-ngai",
        "quang-ngai-2025",
        *("tinh-uy", "thuong-truc-tinh-uy", "bao-quang-ngai", "cac-co-quan-bao-dai"),
        "ban-quan-ly-khu-kinh-te-dung-quat-va-cac-khu-cong-nghiep-quang-ngai",
        *("cac-so-ban-nganh", "cac-so-ban-nganh-lien-quan", "cac-so-nganh-lien-quan"),
        *("cac-so-ban-nganh-don-vi-lien-quan", "cac-so-ban-nganh-dia-phuong", "cac-don-vi-lien-quan"),
        *("don-vi-co-lien-quan", "cac-co-quan-to-chuc-don-vi-lien-quan"),
    ),
    "org/quang-ngai/dai-phat-thanh-truyen-hinh-tinh": {"org/quang-ngai-2025/bao-quang-ngai": (PROVINCES,)},
    # enterprises and the business association are not State bodies: no change, a note says why
    "org/quang-ngai/cac-doanh-nghiep-tren-dia-ban-tinh": {},
    "org/quang-ngai/cac-doanh-nghiep-hop-tac-xa-tren-dia-ban-tinh": {},
    "org/quang-ngai/cac-doanh-nghiep-hoat-dong-lien-quan-den-cong-nghiep-sinh-hoc-nganh-cong-thuong": {},
    "org/quang-ngai/hiep-hoi-doanh-nghiep-tinh": {},
    # Bắc Giang
    **_same_body(
        "bac-giang",
        "bac-ninh-2025",
        *("tinh-uy", "ban-thuong-vu-tinh-uy", "thuong-truc-tinh-uy", "van-phong-tinh-uy"),
        *("uy-ban-mttq-tinh", "ban-thuong-vu-tinh-doan", "dang-uy-truc-thuoc-tinh-uy"),
        *("cac-to-chuc-chinh-tri-xa-hoi-tinh", "mat-tran-to-quoc-va-doan-the-cac-cap"),
        *("cac-co-quan-thong-tin-truyen-thong", "cac-co-quan-so-ban-nganh-tinh", "cac-co-quan-lien-quan"),
        *("cac-dia-phuong-don-vi-co-lien-quan", "cac-cap-cac-nganh-cac-dia-phuong"),
    ),
    "org/bac-giang/ban-tuyen-giao-tinh-uy": {"org/bac-ninh-2025/ban-tuyen-giao-va-dan-van-tinh-uy": (PROVINCES,)},
    # the Party affairs committees and Party delegations ceased; their functions passed on
    "org/bac-giang/ban-can-su-dang-ubnd-tinh": {"org/bac-ninh-2025/dang-uy-ubnd-tinh": (PROVINCES,)},
    "org/bac-giang/dang-doan-hdnd-tinh": {"org/bac-ninh-2025/dang-uy-cac-co-quan-dang-tinh": (PROVINCES,)},
    "org/bac-giang/dang-doan-uy-ban-mttq-tinh": {"org/bac-ninh-2025/dang-uy-cac-co-quan-dang-tinh": (PROVINCES,)},
    "org/bac-giang/cac-ban-can-su-dang-dang-doan": {"org/bac-ninh-2025/dang-uy-truc-thuoc-tinh-uy": (PROVINCES,)},
    "org/bac-giang/huyen-uy-thanh-uy": {  # ended with the district level
        "org/bac-ninh-2025/dang-uy-cap-xa": (PROVINCES,),
        "org/bac-ninh-2025/tinh-uy": (PROVINCES,),
    },
    "org/bac-giang/cac-co-quan-trung-uong": {},  # national bodies, not rearranged with the province
    "org/lang-son/ubnd-cac-huyen-thanh-pho": {
        "org/lang-son/ubnd-cap-xa": (PROVINCES,),
        "org/lang-son/ubnd-tinh": (PROVINCES,),
    },
    # Lạng Sơn: not merged as a province; its seed (2025) already names the merged departments
    "org/lang-son/so-nong-nghiep-va-moi-truong": {},  # already merged when the seed was written
    **_unchanged(
        "lang-son",
        *("ubnd-tinh", "hdnd-tinh", "van-phong-ubnd-tinh", "so-khoa-hoc-va-cong-nghe", "so-tai-chinh"),
        *("so-giao-duc-va-dao-tao", "so-y-te", "so-ngoai-vu", "so-van-hoa-the-thao-va-du-lich"),
        *("trung-tam-khoa-hoc-va-cong-nghe-lang-son", "trung-tam-xuc-tien-dau-tu-thuong-mai-va-du-lich"),
        *("bao-va-dai-phat-thanh-truyen-hinh-lang-son", "tinh-uy", "dang-uy-ubnd-tinh"),
        *("uy-ban-mat-tran-to-quoc-viet-nam-tinh", "lien-minh-hop-tac-xa-tinh", "hiep-hoi-doanh-nghiep-tinh"),
        *("cac-to-chuc-chinh-tri-xa-hoi", "cac-so-ban-nganh-cua-tinh", "cac-so-ban-nganh-khac-cua-tinh"),
        *("cac-co-quan-don-vi-lien-quan", "cac-co-quan-truyen-thong"),
        "ubnd-cap-xa",  # a receiver of the district level's functions
    ),
    # national bodies
    "org/vn/bo-tai-nguyen-va-moi-truong": {"org/vn/bo-nong-nghiep-va-moi-truong": (MINISTRIES,)},
    "org/vn/bo-nong-nghiep-va-phat-trien-nong-thon": {"org/vn/bo-nong-nghiep-va-moi-truong": (MINISTRIES,)},
    "org/vn/ban-tuyen-giao-trung-uong": {"org/vn/ban-tuyen-giao-va-dan-van-trung-uong": (CENTRAL_PARTY,)},
    "org/vn/ban-dan-van-trung-uong": {"org/vn/ban-tuyen-giao-va-dan-van-trung-uong": (CENTRAL_PARTY,)},
    "org/vn/ban-can-su-dang-bo-khoa-hoc-va-cong-nghe": {"org/vn/dang-uy-bo-khoa-hoc-va-cong-nghe": (CENTRAL_PARTY,)},
    **_unchanged(
        "vn",
        *("chinh-phu", "quoc-hoi", "thu-tuong-chinh-phu", "bo-chinh-tri", "ban-bi-thu", "bo-cong-thuong"),
        "bo-khoa-hoc-va-cong-nghe",  # absorbed Bộ Thông tin và Truyền thông, kept its name and IRI
        # formed by the reorganisation
        *("bo-nong-nghiep-va-moi-truong", "ban-tuyen-giao-va-dan-van-trung-uong", "dang-uy-bo-khoa-hoc-va-cong-nghe"),
    ),
    # the bodies of the new provinces (from 1 July 2025), described in the national graph
    **_unchanged(
        "lam-dong-2025",
        *("ubnd-tinh", "so-cong-thuong", "so-giao-duc-va-dao-tao", "so-khoa-hoc-va-cong-nghe", "so-noi-vu"),
        *("so-nong-nghiep-va-moi-truong", "so-tai-chinh", "so-van-hoa-the-thao-va-du-lich", "so-y-te"),
        *("tinh-uy", "ban-thuong-vu-tinh-uy", "bao-va-phat-thanh-truyen-hinh-lam-dong", "ubnd-cap-xa"),
        *("cac-so-ban-nganh", "cac-co-quan-don-vi-lien-quan", "cac-to-chuc-chinh-tri-xa-hoi"),
    ),
    **_unchanged(
        "quang-ngai-2025",
        *("ubnd-tinh", "hdnd-tinh", "thuong-truc-hdnd-tinh", "van-phong-ubnd-tinh", "so-cong-thuong"),
        *("so-khoa-hoc-va-cong-nghe", "so-nong-nghiep-va-moi-truong", "so-tai-chinh", "so-y-te"),
        *("so-van-hoa-the-thao-va-du-lich", "tinh-uy", "thuong-truc-tinh-uy", "bao-quang-ngai", "ubnd-cap-xa"),
        "ban-quan-ly-khu-kinh-te-dung-quat-va-cac-khu-cong-nghiep-quang-ngai",
        *("cac-so-ban-nganh", "cac-so-ban-nganh-lien-quan", "cac-so-nganh-lien-quan"),
        *("cac-so-ban-nganh-don-vi-lien-quan", "cac-so-ban-nganh-dia-phuong", "cac-don-vi-lien-quan"),
        *("don-vi-co-lien-quan", "cac-co-quan-to-chuc-don-vi-lien-quan", "cac-co-quan-bao-dai"),
    ),
    **_unchanged(
        "bac-ninh-2025",
        *("ubnd-tinh", "hdnd-tinh", "tinh-uy", "ban-thuong-vu-tinh-uy", "thuong-truc-tinh-uy"),
        *("van-phong-tinh-uy", "ban-tuyen-giao-va-dan-van-tinh-uy", "dang-uy-ubnd-tinh"),
        *("dang-uy-cac-co-quan-dang-tinh", "dang-uy-truc-thuoc-tinh-uy", "dang-uy-cap-xa", "uy-ban-mttq-tinh"),
        *("ban-thuong-vu-tinh-doan", "cac-to-chuc-chinh-tri-xa-hoi-tinh", "mat-tran-to-quoc-va-doan-the-cac-cap"),
        *("cac-co-quan-thong-tin-truyen-thong", "cac-co-quan-so-ban-nganh-tinh", "cac-co-quan-lien-quan"),
        *("cac-dia-phuong-don-vi-co-lien-quan", "cac-cap-cac-nganh-cac-dia-phuong"),
    ),
    # the four seed provinces
    "area/binh-thuan": {"area/lam-dong-2025": (PROVINCES,)},
    "area/bac-giang": {"area/bac-ninh-2025": (PROVINCES,)},
    "area/quang-ngai": {"area/quang-ngai-2025": (PROVINCES,)},  # a new unit with the old name
    "area/lang-son": {},
}


def successors(rows: list[dict[str, str]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["current"].removeprefix(ID), set()).add(row["date"])
    return {current: tuple(sorted(dates)) for current, dates in found.items()}


def core_rows(store, agency: str) -> list[dict[str, str]]:
    solutions = execute(store, QUERY.text, QUERY.bindings({"agency": ID + agency}))
    return [{v.value: s[v].value for v in solutions.variables if s[v] is not None} for s in solutions]


@pytest.mark.parametrize("agency", sorted(EXPECTED))
def test_current_successors_through_the_stored_query(store, agency):
    assert successors(core_rows(store, agency)) == EXPECTED[agency]


@pytest.mark.parametrize("agency", sorted(EXPECTED))
def test_current_successors_over_http(http, agency):
    response = http.get("/queries/current-agency.srj", params={"agency": ID + agency})
    assert response.status_code == 200, response.text
    rows = [{var: term["value"] for var, term in b.items()} for b in response.json()["results"]["bindings"]]
    assert successors(rows) == EXPECTED[agency]


def test_the_way_from_binh_thuan_environment_to_the_new_lam_dong(store):
    """The issue's example: each step with its event, date and legal basis."""
    rows = core_rows(store, "org/binh-thuan/so-tai-nguyen-va-moi-truong")
    steps = [
        (r["date"], r["from"].removeprefix(ID), r["to"].removeprefix(ID), r["legalBasis"].removeprefix(ID))
        for r in rows
    ]
    assert steps == [
        (
            DEPARTMENTS,
            "org/binh-thuan/so-tai-nguyen-va-moi-truong",
            "org/binh-thuan/so-nong-nghiep-va-moi-truong",
            "doc/cp/nd/2025/45",
        ),
        (
            PROVINCES,
            "org/binh-thuan/so-nong-nghiep-va-moi-truong",
            "org/lam-dong-2025/so-nong-nghiep-va-moi-truong",
            "doc/qh/nq/2025/202",
        ),
    ]
    assert {r["kind"].rsplit("#", 1)[1] for r in rows} == {"Merger"}
    assert {r["currentLabel"] for r in rows} == {"Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng (từ 01/7/2025)"}


def test_district_functions_pass_to_every_receiver_as_a_transfer(store):
    rows = core_rows(store, "org/quang-ngai/ubnd-cac-huyen-thi-xa-thanh-pho")
    assert {r["kind"].rsplit("#", 1)[1] for r in rows} == {"TransferOfFunctions"}
    assert {r["legalBasis"].removeprefix(ID) for r in rows} == {"doc/qh/nq/2025/203", "doc/qh/luat/2025/72"}


MERGED_PROVINCES = ("binh-thuan", "quang-ngai", "bac-giang")
GRAPH = "https://w3id.org/vn-bioplan/graph/"
PROVINCE_GRAPHS = tuple(sorted(p.name for p in (layout.DATA_DIR / "provinces").iterdir() if p.is_dir()))


def graphs_with_agencies(store) -> set[str]:
    rows = execute(
        store,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a a <https://w3id.org/vn-bioplan/def/bioplan#Agency> } }",
    )
    return {r["g"].value.removeprefix(GRAPH) for r in rows}


def agencies_of(store, graph: str) -> set[str]:
    """The agencies a graph describes: bp:Agency or any subclass of it (bp:AgencyCollective)."""
    rows = execute(
        store,
        f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?a WHERE {{
          GRAPH <{GRAPH}{graph}> {{ ?a a ?class }}
          GRAPH <{GRAPH}ontology> {{ ?class rdfs:subClassOf* <https://w3id.org/vn-bioplan/def/bioplan#Agency> }}
        }}""",
    )
    return {r["a"].value.removeprefix(ID) for r in rows}


def test_every_graph_describing_agencies_is_checked_below(store):
    assert graphs_with_agencies(store) <= {*PROVINCE_GRAPHS, "national"}
    assert set(PROVINCE_GRAPHS) >= {*MERGED_PROVINCES, "lang-son"}


@pytest.mark.parametrize("graph", (*PROVINCE_GRAPHS, "national"))
def test_the_table_names_every_agency_of_every_province_and_the_national_graph(store, graph):
    """Every agency a province graph or the national graph describes has its expected successors above
    ({} when none)."""
    agencies = agencies_of(store, graph)
    assert agencies, f"no agency in the {graph} graph"
    assert sorted(agencies - set(EXPECTED)) == []


NOTES_IN_NATIONAL_GRAPH = f"""
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?a (GROUP_CONCAT(DISTINCT LANG(?note)) AS ?langs) WHERE {{
  GRAPH <{GRAPH}national> {{ ?a skos:editorialNote ?note }}
}} GROUP BY ?a
"""


def test_agencies_of_merged_provinces_left_unchanged_say_why(store):
    """No event for enterprises, colleges, the association and the central agencies: the reorganisation
    data says why, in Vietnamese and English."""
    unchanged = {a for a, now in EXPECTED.items() if not now and a.split("/")[1] in MERGED_PROVINCES}
    assert len(unchanged) == 6
    notes = {
        r["a"].value.removeprefix(ID): set(r["langs"].value.split()) for r in execute(store, NOTES_IN_NATIONAL_GRAPH)
    }
    assert {a: notes.get(a) for a in unchanged} == {a: {"vi", "en"} for a in unchanged}


PARTY_STEP = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX m8g: <http://data.europa.eu/m8g/>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?basis ?source WHERE {{ ?event org:originalOrganization <{old}> ; m8g:hasFormalFramework ?basis ; dct:source ?source }}
"""


@pytest.mark.parametrize(
    "agency",
    [
        "org/binh-thuan/tinh-uy",
        "org/quang-ngai/tinh-uy",
        "org/bac-giang/tinh-uy",
        "org/bac-giang/uy-ban-mttq-tinh",
        "org/binh-thuan/bao-binh-thuan",
    ],
)
def test_party_front_and_press_steps_rest_on_the_new_province_and_cite_60_nq_tw(store, agency):
    """Their legal basis is the State act that formed the new province (202/2025/QH15), since the
    decisions that merged each of them are not recorded; the Party's decision (60-NQ/TW) is their source."""
    rows = list(execute(store, PARTY_STEP.format(old=ID + agency)))
    assert {(r["basis"].value.removeprefix(ID), r["source"].value.removeprefix(ID)) for r in rows} == {
        ("doc/qh/nq/2025/202", "doc/bchtw/nq/2025/60")
    }


@pytest.mark.parametrize(
    ("agency", "basis"),
    [
        ("org/vn/bo-tai-nguyen-va-moi-truong", "doc/qh/nq/2025/176"),
        ("org/vn/bo-nong-nghiep-va-phat-trien-nong-thon", "doc/qh/nq/2025/176"),
        ("org/vn/ban-tuyen-giao-trung-uong", "doc/bchtw/kl/2025/121"),
        ("org/vn/ban-dan-van-trung-uong", "doc/bchtw/kl/2025/121"),
        ("org/vn/ban-can-su-dang-bo-khoa-hoc-va-cong-nghe", "doc/bchtw/kl/2025/121"),
    ],
)
def test_national_steps_rest_on_a_state_act_or_for_party_bodies_on_121_kl_tw(store, agency, basis):
    """Ministries rest on the National Assembly's resolution on the Government's structure; the central
    Party bodies on the Party's own instrument, Kết luận 121-KL/TW, which is also their source."""
    rows = list(execute(store, PARTY_STEP.format(old=ID + agency)))
    assert {(r["basis"].value.removeprefix(ID), r["source"].value.removeprefix(ID)) for r in rows} == {(basis, basis)}


HISTORY = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?old ?label ?area WHERE {
  ?event org:originalOrganization ?old .
  OPTIONAL { ?old rdfs:label ?label FILTER (LANG(?label) = "vi") }
  OPTIONAL { ?old bp:province ?area }
}
"""


def test_history_is_kept_old_agencies_keep_their_labels_and_provinces(store):
    rows = list(execute(store, HISTORY))
    old = {r["old"].value: (r["label"], r["area"]) for r in rows}
    assert ID + "org/binh-thuan/so-tai-nguyen-va-moi-truong" in old
    assert (
        old[ID + "org/binh-thuan/so-tai-nguyen-va-moi-truong"][0].value == "Sở Tài nguyên và Môi trường tỉnh Bình Thuận"
    )
    for agency, (label, area) in old.items():
        assert label is not None, f"{agency} lost its label"
        assert area is not None and "-2025" not in area.value, f"{agency} was moved to {area}"
    changed = {ID + a for a, successors_ in EXPECTED.items() if successors_ and a.startswith("org/")}
    assert changed <= set(old), "every agency that changed is the original organisation of an event"


REPLACED = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?old ?new WHERE {
  { ?event org:originalOrganization ?old ; org:resultingOrganization ?new }
  UNION { ?event bp:originalArea ?old ; bp:resultingArea ?new }
  FILTER NOT EXISTS { ?old dct:isReplacedBy ?new . ?new dct:replaces ?old }
}
"""


def test_every_step_links_old_and_new_both_ways(store):
    assert list(execute(store, REPLACED)) == []


def test_the_agency_page_says_what_became_of_it_with_links_both_ways(http):
    """Old IRIs keep resolving: the old department's page names its successor and the date,
    and the successor's page names what it came from."""
    old = "/id/org/binh-thuan/so-tai-nguyen-va-moi-truong"
    new = "/id/org/binh-thuan/so-nong-nghiep-va-moi-truong"
    page = http.get(old, follow_redirects=True, headers={"accept": "text/html"}).text
    changes = page.split('class="changes"')[1].split("</ul>")[0]
    assert 'data-direction="into"' in changes and f'href="{new}"' in changes and "2025-03-01" in changes
    successor = http.get(new, follow_redirects=True, headers={"accept": "text/html"}).text
    assert f'href="{old}"' in successor.split('class="changes"')[1].split("</ul>")[0]


def test_a_task_page_shows_its_original_lead_agency_and_who_leads_now(http, store):
    """A Quảng Ngãi task led by Sở Nông nghiệp và Phát triển nông thôn: led now by Sở Nông nghiệp
    và Môi trường of the new Quảng Ngãi (both steps, 1 March and 1 July 2025, have taken effect)."""
    old = "https://w3id.org/vn-bioplan/id/org/quang-ngai/so-nong-nghiep-va-phat-trien-nong-thon"
    found = list(
        store.query(f"SELECT ?t WHERE {{ ?t <https://w3id.org/vn-bioplan/def/bioplan#leadAgency> <{old}> }} LIMIT 1")
    )
    assert found
    task = found[0]["t"].value.removeprefix("https://w3id.org/vn-bioplan/id/")
    page = http.get(f"/doc/{task}", headers={"accept": "text/html"}).text
    lead_now = page.split('class="lead-now"')[1].split("</p>")[0]
    assert 'href="/id/org/quang-ngai/so-nong-nghiep-va-phat-trien-nong-thon"' in lead_now
    assert 'href="/id/org/quang-ngai-2025/so-nong-nghiep-va-moi-truong"' in lead_now
    lang_son = list(
        store.query(
            "SELECT ?t WHERE { ?t <https://w3id.org/vn-bioplan/def/bioplan#leadAgency> ?a FILTER(STRSTARTS(STR(?a), 'https://w3id.org/vn-bioplan/id/org/lang-son/so-')) } LIMIT 1"
        )
    )
    unchanged = lang_son[0]["t"].value.removeprefix("https://w3id.org/vn-bioplan/id/")
    assert 'class="lead-now"' not in http.get(f"/doc/{unchanged}", headers={"accept": "text/html"}).text


@pytest.mark.parametrize(
    ("agency", "lang", "into", "successor_says"),
    [
        ("org/binh-thuan/so-tai-nguyen-va-moi-truong", "vi", "hợp nhất vào", "hợp nhất từ"),
        ("org/binh-thuan/so-tai-nguyen-va-moi-truong", "en", "merged into", "merged from"),
        ("org/quang-ngai/ubnd-cac-huyen-thi-xa-thanh-pho", "en", "functions passed to", "took over functions of"),
    ],
)
def test_the_agency_page_words_the_change_by_its_kind(http, store, agency, lang, into, successor_says):
    """A merger reads "merged into X", a transfer of functions "functions passed to X"; the page of
    each X says the converse."""
    page = http.get(f"/doc/{agency}", params={"lang": lang}, headers={"accept": "text/html"}).text
    changes = page.split('class="changes"')[1].split("</ul>")[0]
    assert into in " ".join(changes.split())
    first = next(r["to"] for r in core_rows(store, agency) if r["from"] == ID + agency).removeprefix(ID)
    successor = http.get(f"/doc/{first}", params={"lang": lang}, headers={"accept": "text/html"}).text
    assert successor_says in " ".join(successor.split('class="changes"')[1].split("</ul>")[0].split())
