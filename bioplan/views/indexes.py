"""The index pages (provinces, directives, plans, agencies, waste domains, funding sources), each
with its counts, and the figures of the home page.

What a count counts:
- items: the plan items (bp:PlanItem: objectives, tasks, solutions, duties, funding provisions...);
- tasks: the items that are bp:Task (nhiệm vụ);
- an agency's lead / co-operating counts: the items where a participation gives it that role;
  "other roles" counts the items where it has any other role (implementing, focal point...);
- a directive's plans: those that ensure its implementation directly, and those reaching it
  through a chain of eli:ensures_implementation_of / eli:based_on (its whole chain).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from bioplan.namespaces import PREFIXES
from bioplan.views.common import Labels, Link, iri_ref, number, rows, sort_key, value
from bioplan.views.tables import LINK, LINKS, TEXT, Column, IndexTable

WASTE_DOMAIN_SCHEME = PREFIXES["wd"].rstrip("/")
FUNDING_SOURCE_SCHEME = PREFIXES["fs"].rstrip("/")

PLAN = "?plan a/rdfs:subClassOf* bp:Plan ."
DIRECTIVE = "?d a/rdfs:subClassOf* bp:PolicyInstrument . FILTER NOT EXISTS { ?d a/rdfs:subClassOf* bp:Plan }"
AGENCY = "?a a/rdfs:subClassOf* bp:Agency ."


def _counts(store, sparql: str) -> dict[str, int]:
    """``{key: n}`` from a query selecting ?k and ?n."""
    return {row["k"].value: number(row["n"]) for row in rows(store, sparql) if row["k"] is not None}


def _pairs(store, sparql: str) -> dict[str, list[str]]:
    """``{key: [values]}`` from a query selecting ?k and ?v."""
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows(store, sparql):
        if row["v"] is not None and row["v"].value not in found[row["k"].value]:
            found[row["k"].value].append(row["v"].value)
    return found


def _by_label(keys, labels: Labels) -> list[str]:
    return sorted(keys, key=lambda k: sort_key(labels(k)))


# -- provinces -----------------------------------------------------------------------------------


def provinces(store, lang: str) -> IndexTable:
    keys = [row["p"].value for row in rows(store, "SELECT DISTINCT ?p WHERE { ?p a bp:Province }")]
    plans = _counts(
        store, f"SELECT ?k (COUNT(DISTINCT ?plan) AS ?n) WHERE {{ {PLAN} ?plan eli:jurisdiction ?k }} GROUP BY ?k"
    )
    items = _counts(
        store,
        f"SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE {{ {PLAN} ?plan eli:jurisdiction ?k . ?i bp:isItemOf ?plan }} GROUP BY ?k",
    )
    tasks = _counts(
        store,
        f"SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE {{ {PLAN} ?plan eli:jurisdiction ?k . "
        "?i bp:isItemOf ?plan ; a bp:Task } GROUP BY ?k",
    )
    agencies = _counts(
        store, f"SELECT ?k (COUNT(DISTINCT ?a) AS ?n) WHERE {{ {AGENCY} ?a bp:province ?k }} GROUP BY ?k"
    )
    replaced = _pairs(store, "SELECT ?k ?v WHERE { ?k a bp:Province ; dct:isReplacedBy ?v }")
    labels = Labels(store, [*keys, *(v for vs in replaced.values() for v in vs)], lang)
    table = IndexTable(
        "provinces",
        "Tỉnh",
        "Provinces",
        "Các đơn vị hành chính cấp tỉnh trước và sau ngày 01/7/2025 (Nghị quyết 202/2025/QH15), với số "
        "kế hoạch, nội dung, nhiệm vụ, cơ quan của mỗi tỉnh; tỉnh đã sáp nhập ghi tỉnh thay thế.",
        "The province-level units before and after 1 July 2025 (Resolution 202/2025/QH15) with the number "
        "of their plans, plan items, tasks and agencies; a merged province names the one that replaced it.",
        (
            Column("province", "Tỉnh", "Province", LINK),
            Column("replaced_by", "Từ 01/7/2025 thuộc", "From 1 July 2025 part of", LINKS),
            Column("plans", "Kế hoạch", "Plans"),
            Column("items", "Nội dung", "Items"),
            Column("tasks", "Nhiệm vụ", "Tasks"),
            Column("agencies", "Cơ quan", "Agencies"),
        ),
    )
    order = sorted(keys, key=lambda k: (-plans.get(k, 0), sort_key(labels(k))))
    for key in order:
        table.rows.append(
            {
                "province": labels.link(key),
                "replaced_by": labels.links(replaced.get(key, [])),
                "plans": plans.get(key, 0),
                "items": items.get(key, 0),
                "tasks": tasks.get(key, 0),
                "agencies": agencies.get(key, 0),
            }
        )
    return table


# -- directives ----------------------------------------------------------------------------------


def directives(store, lang: str) -> IndexTable:
    found = rows(
        store,
        f"""SELECT ?d (SAMPLE(?id) AS ?number) (SAMPLE(?date) AS ?day) (SAMPLE(?issuer) AS ?by)
                  (SAMPLE(?kind) AS ?class) WHERE {{
              {DIRECTIVE}
              ?d a ?kind .
              OPTIONAL {{ ?d eli:id_local ?id }}
              OPTIONAL {{ ?d eli:date_document ?date }}
              OPTIONAL {{ ?d eli:passed_by ?issuer }}
            }} GROUP BY ?d""",
    )
    direct = _counts(
        store,
        f"SELECT ?k (COUNT(DISTINCT ?plan) AS ?n) WHERE {{ {PLAN} ?plan eli:ensures_implementation_of ?k }} GROUP BY ?k",
    )
    chain = _counts(
        store,
        f"SELECT ?k (COUNT(DISTINCT ?plan) AS ?n) WHERE {{ {PLAN} "
        "?plan (eli:ensures_implementation_of|eli:based_on)+ ?k } GROUP BY ?k",
    )
    labels = Labels(store, {value(r[k]) for r in found for k in ("d", "by", "class") if r[k] is not None}, lang)
    table = IndexTable(
        "directives",
        "Văn bản chỉ đạo",
        "Directives",
        "Các nghị quyết, quyết định, chương trình mà kế hoạch của tỉnh thực hiện hoặc dẫn chiếu, "
        "với số kế hoạch thực hiện trực tiếp và số kế hoạch trong cả chuỗi triển khai.",
        "The resolutions, decisions and programmes the provincial plans implement or cite, with the "
        "number of plans implementing each directly and the number of plans in its whole chain.",
        (
            Column("directive", "Văn bản", "Directive", LINK),
            Column("number", "Số, ký hiệu", "Number", TEXT),
            Column("date", "Ngày", "Date", TEXT),
            Column("issuer", "Cơ quan ban hành", "Issued by", LINK),
            Column("kind", "Loại", "Kind", LINK),
            Column("plans", "Kế hoạch thực hiện", "Plans implementing it"),
            Column("chain_plans", "Kế hoạch trong chuỗi", "Plans in its chain"),
        ),
    )
    found.sort(key=lambda r: (-chain.get(r["d"].value, 0), value(r["day"]) or "9999", labels(r["d"].value)))
    for r in found:
        key = r["d"].value
        table.rows.append(
            {
                "directive": labels.link(key),
                "number": value(r["number"]),
                "date": value(r["day"]),
                "issuer": labels.link(r["by"].value) if r["by"] is not None else None,
                "kind": labels.link(r["class"].value),
                "plans": direct.get(key, 0),
                "chain_plans": chain.get(key, 0),
            }
        )
    return table


# -- plans ---------------------------------------------------------------------------------------


def plan_status(draft: bool, lang: str) -> str:
    """A plan's status in the lists: a dự thảo (number and day blank) was issued by nobody yet."""
    if lang == "vi":
        return "Dự thảo" if draft else "Đã ban hành"
    return "Draft" if draft else "Issued"


def drafts(store) -> set[str]:
    """The plans that are drafts (bp:isDraft true)."""
    return {r["plan"].value for r in rows(store, f"SELECT ?plan WHERE {{ {PLAN} ?plan bp:isDraft true }}")}


def plan_date(day: str | None, earliest: str | None, latest: str | None) -> str | None:
    """The issue date, or the window the text allows ("2025-03-01 – 2025-06-30")."""
    if day:
        return day
    if earliest or latest:
        return f"{earliest or '…'} – {latest or '…'}"
    return None


def plans(store, lang: str) -> IndexTable:
    found = rows(
        store,
        f"""SELECT ?plan (SAMPLE(?area) AS ?province) (SAMPLE(?issuer) AS ?by) (SAMPLE(?date) AS ?day)
                  (SAMPLE(?early) AS ?earliest) (SAMPLE(?late) AS ?latest) WHERE {{
              {PLAN}
              OPTIONAL {{ ?plan eli:jurisdiction ?area }}
              OPTIONAL {{ ?plan eli:passed_by ?issuer }}
              OPTIONAL {{ ?plan eli:date_document ?date }}
              OPTIONAL {{ ?plan bp:dateEarliest ?early }}
              OPTIONAL {{ ?plan bp:dateLatest ?late }}
            }} GROUP BY ?plan""",
    )
    implements = _pairs(
        store, "SELECT ?k ?v WHERE { ?k a/rdfs:subClassOf* bp:Plan ; eli:ensures_implementation_of ?v }"
    )
    per_plan = {
        "items": "SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i bp:isItemOf ?k } GROUP BY ?k",
        "tasks": "SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i bp:isItemOf ?k ; a bp:Task } GROUP BY ?k",
        "targets": "SELECT ?k (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t bp:targetOf ?k } GROUP BY ?k",
        "obligations": "SELECT ?k (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o bp:obligationOf ?k } GROUP BY ?k",
    }
    counts = {name: _counts(store, sparql) for name, sparql in per_plan.items()}
    iris = {value(r[k]) for r in found for k in ("plan", "province", "by") if r[k] is not None}
    labels = Labels(store, iris | {d for ds in implements.values() for d in ds}, lang)
    table = IndexTable(
        "plans",
        "Kế hoạch",
        "Plans",
        "Các kế hoạch của tỉnh, văn bản mà mỗi kế hoạch thực hiện, và số nội dung, nhiệm vụ, chỉ tiêu, "
        "nghĩa vụ báo cáo của nó.",
        "The provincial plans, what each implements, and its numbers of items, tasks, targets and "
        "reporting obligations.",
        (
            Column("plan", "Kế hoạch", "Plan", LINK),
            Column("province", "Tỉnh", "Province", LINK),
            Column("status", "Tình trạng", "Status", TEXT),
            Column("issuer", "Cơ quan ban hành", "Issued by", LINK),
            Column("date", "Ngày", "Date", TEXT),
            Column("implements", "Thực hiện", "Implements", LINKS),
            Column("items", "Nội dung", "Items"),
            Column("tasks", "Nhiệm vụ", "Tasks"),
            Column("targets", "Chỉ tiêu", "Targets"),
            Column("obligations", "Báo cáo", "Reporting obligations"),
        ),
    )
    found.sort(
        key=lambda r: (sort_key(labels(value(r["province"]) or "")), value(r["day"]) or value(r["earliest"]) or "")
    )
    draft = drafts(store)
    for r in found:
        key = r["plan"].value
        table.rows.append(
            {
                "plan": labels.link(key),
                "province": labels.link(r["province"].value) if r["province"] is not None else None,
                "status": plan_status(key in draft, lang),
                "issuer": labels.link(r["by"].value) if r["by"] is not None else None,
                "date": plan_date(value(r["day"]), value(r["earliest"]), value(r["latest"])),
                "implements": labels.links(implements.get(key, [])),
                **{name: counts[name].get(key, 0) for name in per_plan},
            }
        )
    return table


# -- agencies ------------------------------------------------------------------------------------


def agencies(store, lang: str) -> IndexTable:
    found = rows(
        store,
        f"""SELECT ?a (SAMPLE(?area) AS ?province) (SAMPLE(?k) AS ?kind) WHERE {{
              {AGENCY}
              OPTIONAL {{ ?a bp:province ?area }}
              OPTIONAL {{ ?a bp:agencyKind ?k }}
            }} GROUP BY ?a""",
    )
    participation = "?i bp:isItemOf ?plan ; m8g:hasParticipation ?p . ?p m8g:hasParticipant ?k ; m8g:role ?role ."
    lead = _counts(
        store, f"SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE {{ {participation} FILTER(?role = role:lead) }} GROUP BY ?k"
    )
    cooperating = _counts(
        store,
        f"SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE {{ {participation} FILTER(?role = role:cooperating) }} GROUP BY ?k",
    )
    other = _counts(
        store,
        f"SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE {{ {participation} "
        "FILTER(?role NOT IN (role:lead, role:cooperating)) } GROUP BY ?k",
    )
    in_plans = _counts(
        store,
        f"""SELECT ?k (COUNT(DISTINCT ?plan) AS ?n) WHERE {{
              {{ ?i bp:isItemOf ?plan ; m8g:hasParticipation/m8g:hasParticipant ?k }}
              UNION {{ {PLAN} ?plan m8g:hasParticipation/m8g:hasParticipant ?k }}
            }} GROUP BY ?k""",
    )
    labels = Labels(store, {value(r[k]) for r in found for k in ("a", "province", "kind") if r[k] is not None}, lang)
    table = IndexTable(
        "agencies",
        "Cơ quan",
        "Agencies",
        "Các cơ quan, đơn vị được giao việc trong các kế hoạch: số nội dung chủ trì, phối hợp, "
        "có vai trò khác, và số kế hoạch tham gia.",
        "The agencies the plans assign work to: the items each leads, co-operates on or has another "
        "role in, and the plans it takes part in.",
        (
            Column("agency", "Cơ quan", "Agency", LINK),
            Column("province", "Tỉnh", "Province", LINK),
            Column("kind", "Loại cơ quan", "Kind", LINK),
            Column("lead", "Chủ trì", "Leads"),
            Column("cooperating", "Phối hợp", "Co-operates"),
            Column("other_roles", "Vai trò khác", "Other roles"),
            Column("plans", "Kế hoạch", "Plans"),
        ),
    )
    found.sort(key=lambda r: (sort_key(labels(value(r["province"]) or "")), sort_key(labels(r["a"].value))))
    for r in found:
        key = r["a"].value
        table.rows.append(
            {
                "agency": labels.link(key),
                "province": labels.link(r["province"].value) if r["province"] is not None else None,
                "kind": labels.link(r["kind"].value) if r["kind"] is not None else None,
                "lead": lead.get(key, 0),
                "cooperating": cooperating.get(key, 0),
                "other_roles": other.get(key, 0),
                "plans": in_plans.get(key, 0),
            }
        )
    return table


# -- waste domains and funding sources -----------------------------------------------------------


def _concepts(store, scheme: str) -> list[str]:
    return [r["c"].value for r in rows(store, f"SELECT DISTINCT ?c WHERE {{ ?c skos:inScheme {iri_ref(scheme)} }}")]


def waste_domains(store, lang: str) -> IndexTable:
    keys = _concepts(store, WASTE_DOMAIN_SCHEME)
    item = "?i bp:wasteDomain ?k ; bp:isItemOf ?plan ."
    items = _counts(store, f"SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE {{ {item} }} GROUP BY ?k")
    tasks = _counts(store, f"SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE {{ {item} ?i a bp:Task }} GROUP BY ?k")
    in_plans = _counts(store, f"SELECT ?k (COUNT(DISTINCT ?plan) AS ?n) WHERE {{ {item} }} GROUP BY ?k")
    areas = _counts(
        store, f"SELECT ?k (COUNT(DISTINCT ?area) AS ?n) WHERE {{ {item} ?plan eli:jurisdiction ?area }} GROUP BY ?k"
    )
    labels = Labels(store, keys, lang)
    table = IndexTable(
        "waste-domains",
        "Loại chất thải",
        "Waste domains",
        "Các loại chất thải (và môi trường bị ô nhiễm) mà nội dung của kế hoạch hướng tới xử lý.",
        "The kinds of waste (and polluted environment) the plan items set out to treat.",
        (
            Column("waste_domain", "Loại chất thải", "Waste domain", LINK),
            Column("items", "Nội dung", "Items"),
            Column("tasks", "Nhiệm vụ", "Tasks"),
            Column("plans", "Kế hoạch", "Plans"),
            Column("provinces", "Tỉnh", "Provinces"),
        ),
    )
    for key in _by_label(keys, labels):
        table.rows.append(
            {
                "waste_domain": labels.link(key),
                "items": items.get(key, 0),
                "tasks": tasks.get(key, 0),
                "plans": in_plans.get(key, 0),
                "provinces": areas.get(key, 0),
            }
        )
    return table


def funding_sources(store, lang: str) -> IndexTable:
    keys = _concepts(store, FUNDING_SOURCE_SCHEME)
    item = "?i bp:fundingSource ?k ; bp:isItemOf ?plan ."
    naming_plan = f"{{ {item} }} UNION {{ {PLAN} ?plan bp:fundingSource ?k }}"
    items = _counts(store, f"SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE {{ {item} }} GROUP BY ?k")
    in_plans = _counts(store, f"SELECT ?k (COUNT(DISTINCT ?plan) AS ?n) WHERE {{ {naming_plan} }} GROUP BY ?k")
    areas = _counts(
        store,
        f"SELECT ?k (COUNT(DISTINCT ?area) AS ?n) WHERE {{ {naming_plan} ?plan eli:jurisdiction ?area }} GROUP BY ?k",
    )
    labels = Labels(store, keys, lang)
    table = IndexTable(
        "funding-sources",
        "Nguồn kinh phí",
        "Funding sources",
        "Các nguồn kinh phí mà kế hoạch nêu, với số kế hoạch và số nội dung nêu mỗi nguồn.",
        "The funding sources the plans name, with the number of plans and of items naming each.",
        (
            Column("funding_source", "Nguồn kinh phí", "Funding source", LINK),
            Column("plans", "Kế hoạch", "Plans"),
            Column("items", "Nội dung", "Items"),
            Column("provinces", "Tỉnh", "Provinces"),
        ),
    )
    for key in _by_label(keys, labels):
        table.rows.append(
            {
                "funding_source": labels.link(key),
                "plans": in_plans.get(key, 0),
                "items": items.get(key, 0),
                "provinces": areas.get(key, 0),
            }
        )
    return table


# The index pages by path segment, in the order the home page shows them.
INDEXES: dict[str, Callable[[object, str], IndexTable]] = {
    "provinces": provinces,
    "directives": directives,
    "plans": plans,
    "agencies": agencies,
    "waste-domains": waste_domains,
    "funding-sources": funding_sources,
}


# -- the home page -------------------------------------------------------------------------------


@dataclass
class Home:
    totals: dict[str, int]  # plans, drafts among them, provinces (with a plan), items, tasks, agencies, ...
    provinces: list[Link]  # those with at least one plan
    plans: IndexTable
    directives: list[tuple[Link, int]]  # directives with plans in their chain, and how many


def home(store, lang: str) -> Home:
    totals_row = rows(
        store,
        f"""SELECT
              (COUNT(DISTINCT ?plan) AS ?plans) (COUNT(DISTINCT ?area) AS ?provinces) WHERE {{
              {PLAN} OPTIONAL {{ ?plan eli:jurisdiction ?area }} }}""",
    )[0]
    single = {
        "items": "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i bp:isItemOf ?plan }",
        "tasks": "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i bp:isItemOf ?plan ; a bp:Task }",
        "agencies": f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ {AGENCY} }}",
        "directives": f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ {DIRECTIVE} }}",
        "targets": "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a bp:QuantifiedTarget }",
        "obligations": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a bp:ReportingObligation }",
    }
    totals = {"plans": number(totals_row["plans"]), "provinces": number(totals_row["provinces"])}
    totals["drafts"] = len(drafts(store))
    totals |= {name: number(rows(store, sparql)[0]["n"]) for name, sparql in single.items()}
    province_table = provinces(store, lang)
    directive_table = directives(store, lang)
    return Home(
        totals=totals,
        provinces=[row["province"] for row in province_table.rows if row["plans"]],
        plans=plans(store, lang),
        directives=[(row["directive"], row["chain_plans"]) for row in directive_table.rows if row["chain_plans"]],
    )
