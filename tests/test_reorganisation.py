"""The 2025 reorganisation in the graph: who is responsible now for each agency and province the
seeds name, through the change events of data/ttl/national/reorganisation.ttl, asked of the stored
query queries/current-agency.rq in the core and over HTTP; and history kept (the old agencies stay)."""

from __future__ import annotations

import pytest

from bioplan.query import execute
from bioplan.stored_queries import all_queries

ID = "https://w3id.org/vn-bioplan/id/"
QUERY = all_queries()["current-agency"]
DEPARTMENTS = "2025-03-01"  # Nghị định 45/2025/NĐ-CP
PROVINCES = "2025-07-01"  # Nghị quyết 202/2025/QH15; the district level ends (203/2025/QH15, 72/2025/QH15)
BOTH = (DEPARTMENTS, PROVINCES)


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
    "org/lang-son/ubnd-cac-huyen-thanh-pho": {
        "org/lang-son/ubnd-cap-xa": (PROVINCES,),
        "org/lang-son/ubnd-tinh": (PROVINCES,),
    },
    "org/lang-son/so-nong-nghiep-va-moi-truong": {},  # already merged when the seed was written
    "org/lang-son/so-khoa-hoc-va-cong-nghe": {},
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
