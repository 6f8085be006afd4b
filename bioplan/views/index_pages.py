"""The index pages of provinces, directives, plans and agencies, each with its counts.

What a count counts:
- items: the plan items (bp:PlanItem: objectives, tasks, solutions, duties, funding provisions...);
- tasks: the items that are bp:Task (nhiệm vụ);
- an agency's lead / co-operating counts: the items where a participation gives it that role;
  "other roles" counts the items where it has any other role (implementing, focal point...);
- a directive's plans: those that ensure its implementation directly, and those reaching it
  through a chain of eli:ensures_implementation_of / eli:based_on (its whole chain).
"""

from __future__ import annotations

from bioplan.store.interface import Store
from bioplan.views.common import Labels, bound, bound_values, rows, sort_key, value
from bioplan.views.counting import AGENCY, DIRECTIVE, PLAN, count_distinct, counts_for, pairs
from bioplan.views.plan_status import drafts, plan_date, plan_status
from bioplan.views.tables import (
    DATE_COLUMN,
    DIRECTIVE_COLUMN,
    IMPLEMENTING_PLANS_COLUMN,
    ISSUER_COLUMN,
    ITEMS_COLUMN,
    LINK,
    LINKS,
    NUMBER_COLUMN,
    PLAN_COLUMN,
    PLAN_STATUS_COLUMN,
    PLANS_COLUMN,
    PROVINCE_COLUMN,
    TASKS_COLUMN,
    Column,
    IndexTable,
)


def provinces(store: Store, lang: str) -> IndexTable:
    keys = [bound(row, "p") for row in rows(store, "SELECT DISTINCT ?p WHERE { ?p a bp:Province }")]
    in_province = f"{PLAN} ?plan eli:jurisdiction ?k ."
    per_province = {
        "plans": count_distinct(store, "plan", in_province),
        "items": count_distinct(store, "i", f"{in_province} ?i bp:isItemOf ?plan"),
        "tasks": count_distinct(store, "i", f"{in_province} ?i bp:isItemOf ?plan ; a bp:Task"),
        "agencies": count_distinct(store, "a", f"{AGENCY} ?a bp:province ?k"),
    }
    replaced = pairs(store, "SELECT ?k ?v WHERE { ?k a bp:Province ; dct:isReplacedBy ?v }")
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
            PROVINCE_COLUMN,
            Column("replaced_by", "Từ 01/7/2025 thuộc", "From 1 July 2025 part of", LINKS),
            PLANS_COLUMN,
            ITEMS_COLUMN,
            TASKS_COLUMN,
            Column("agencies", "Cơ quan", "Agencies"),
        ),
    )
    for key in sorted(keys, key=lambda k: (-per_province["plans"].get(k, 0), sort_key(labels(k)))):
        table.rows.append(
            {
                "province": labels.link(key),
                "replaced_by": labels.links(replaced.get(key, [])),
                **counts_for(key, per_province),
            }
        )
    return table


def directives(store: Store, lang: str) -> IndexTable:
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
    per_directive = {
        "plans": count_distinct(store, "plan", f"{PLAN} ?plan eli:ensures_implementation_of ?k"),
        "chain_plans": count_distinct(store, "plan", f"{PLAN} ?plan (eli:ensures_implementation_of|eli:based_on)+ ?k"),
    }
    labels = Labels(store, bound_values(found, ("d", "by", "class")), lang)
    table = IndexTable(
        "directives",
        "Văn bản chỉ đạo",
        "Directives",
        "Các nghị quyết, quyết định, chương trình mà kế hoạch của tỉnh thực hiện hoặc dẫn chiếu, "
        "với số kế hoạch thực hiện trực tiếp và số kế hoạch trong cả chuỗi triển khai.",
        "The resolutions, decisions and programmes the provincial plans implement or cite, with the "
        "number of plans implementing each directly and the number of plans in its whole chain.",
        (
            DIRECTIVE_COLUMN,
            NUMBER_COLUMN,
            DATE_COLUMN,
            ISSUER_COLUMN,
            Column("kind", "Loại", "Kind", LINK),
            IMPLEMENTING_PLANS_COLUMN,
            Column("chain_plans", "Kế hoạch trong chuỗi", "Plans in its chain"),
        ),
    )
    found.sort(
        key=lambda r: (
            -per_directive["chain_plans"].get(bound(r, "d"), 0),
            value(r["day"]) or "9999",
            labels(bound(r, "d")),
        )
    )
    for r in found:
        key = bound(r, "d")
        table.rows.append(
            {
                "directive": labels.link(key),
                "number": value(r["number"]),
                "date": value(r["day"]),
                "issuer": labels.optional_link(r["by"]),
                "kind": labels.link(bound(r, "class")),
                **counts_for(key, per_directive),
            }
        )
    return table


def plans(store: Store, lang: str) -> IndexTable:
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
    implements = pairs(store, "SELECT ?k ?v WHERE { ?k a/rdfs:subClassOf* bp:Plan ; eli:ensures_implementation_of ?v }")
    per_plan = {
        "items": count_distinct(store, "i", "?i bp:isItemOf ?k"),
        "tasks": count_distinct(store, "i", "?i bp:isItemOf ?k ; a bp:Task"),
        "targets": count_distinct(store, "t", "?t bp:targetOf ?k"),
        "obligations": count_distinct(store, "o", "?o bp:obligationOf ?k"),
    }
    iris = bound_values(found, ("plan", "province", "by"))
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
            PLAN_COLUMN,
            PROVINCE_COLUMN,
            PLAN_STATUS_COLUMN,
            ISSUER_COLUMN,
            DATE_COLUMN,
            Column("implements", "Thực hiện", "Implements", LINKS),
            ITEMS_COLUMN,
            TASKS_COLUMN,
            Column("targets", "Chỉ tiêu", "Targets"),
            Column("obligations", "Báo cáo", "Reporting obligations"),
        ),
    )
    found.sort(
        key=lambda r: (sort_key(labels(value(r["province"]) or "")), value(r["day"]) or value(r["earliest"]) or "")
    )
    draft = drafts(store)
    for r in found:
        key = bound(r, "plan")
        table.rows.append(
            {
                "plan": labels.link(key),
                "province": labels.optional_link(r["province"]),
                "status": plan_status(key in draft, lang),
                "issuer": labels.optional_link(r["by"]),
                "date": plan_date(value(r["day"]), value(r["earliest"]), value(r["latest"])),
                "implements": labels.links(implements.get(key, [])),
                **counts_for(key, per_plan),
            }
        )
    return table


def agencies(store: Store, lang: str) -> IndexTable:
    found = rows(
        store,
        f"""SELECT ?a (SAMPLE(?area) AS ?province) (SAMPLE(?k) AS ?kind) WHERE {{
              {AGENCY}
              OPTIONAL {{ ?a bp:province ?area }}
              OPTIONAL {{ ?a bp:agencyKind ?k }}
            }} GROUP BY ?a""",
    )
    participation = "?i bp:isItemOf ?plan ; m8g:hasParticipation ?p . ?p m8g:hasParticipant ?k ; m8g:role ?role ."
    per_agency = {
        "lead": count_distinct(store, "i", f"{participation} FILTER(?role = role:lead)"),
        "cooperating": count_distinct(store, "i", f"{participation} FILTER(?role = role:cooperating)"),
        "other_roles": count_distinct(
            store, "i", f"{participation} FILTER(?role NOT IN (role:lead, role:cooperating))"
        ),
        "plans": count_distinct(
            store,
            "plan",
            f"""{{ ?i bp:isItemOf ?plan ; m8g:hasParticipation/m8g:hasParticipant ?k }}
              UNION {{ {PLAN} ?plan m8g:hasParticipation/m8g:hasParticipant ?k }}""",
        ),
    }
    labels = Labels(store, bound_values(found, ("a", "province", "kind")), lang)
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
            PROVINCE_COLUMN,
            Column("kind", "Loại cơ quan", "Kind", LINK),
            Column("lead", "Chủ trì", "Leads"),
            Column("cooperating", "Phối hợp", "Co-operates"),
            Column("other_roles", "Vai trò khác", "Other roles"),
            PLANS_COLUMN,
        ),
    )
    found.sort(key=lambda r: (sort_key(labels(value(r["province"]) or "")), sort_key(labels(bound(r, "a")))))
    for r in found:
        key = bound(r, "a")
        table.rows.append(
            {
                "agency": labels.link(key),
                "province": labels.optional_link(r["province"]),
                "kind": labels.optional_link(r["kind"]),
                **counts_for(key, per_agency),
            }
        )
    return table
