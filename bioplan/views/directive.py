"""A directive and its implementation chain: the instruments it rests on above it, and below it
every document that implements it or is based on it, down to the provincial plans, laid out
as a small layered diagram (levels by longest path, so a plan implementing both a resolution
and the programme carrying it sits below both)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from bioplan.namespaces import BP, DCT, ELI, RDF_TYPE
from bioplan.store.interface import Store
from bioplan.views.common import (
    Facts,
    Labels,
    Link,
    bound,
    facts,
    iri_ref,
    lexical,
    rows,
    sort_key,
    value,
)
from bioplan.views.targets import Target, numbered, targets_of

IMPLEMENTS, BASED_ON = "implements", "based_on"
RELATIONS = {ELI + "ensures_implementation_of": IMPLEMENTS, ELI + "based_on": BASED_ON}

# Diagram geometry, in SVG user units (pixels at 100 %).
BOX_WIDTH, BOX_HEIGHT = 210, 54
GAP_X, GAP_Y, MARGIN = 22, 60, 12


@dataclass
class ChainNode:
    link: Link
    number: str | None  # eli:id_local ("1639/QĐ-TTg"); plans have none
    year: str | None
    area: Link | None
    is_plan: bool
    is_root: bool
    level: int = 0  # 0 at the top of the diagram
    x: int = 0
    y: int = 0

    @property
    def iri(self) -> str:
        return self.link.iri

    @property
    def cx(self) -> int:
        return self.x + BOX_WIDTH // 2


@dataclass(frozen=True)
class ChainEdge:
    child: str
    parent: str
    relation: str  # IMPLEMENTS (eli:ensures_implementation_of, drawn solid) or BASED_ON (dashed)


@dataclass(frozen=True)
class Line:
    """A link drawn from the implementing document up to the one it implements."""

    points: tuple[tuple[int, int], ...]
    relation: str

    @property
    def svg_points(self) -> str:
        return " ".join(f"{x},{y}" for x, y in self.points)


@dataclass
class Diagram:
    width: int
    height: int
    nodes: list[ChainNode]
    lines: list[Line]
    box_width: int = BOX_WIDTH
    box_height: int = BOX_HEIGHT


@dataclass(frozen=True)
class ChainPlan:
    plan: Link
    province: Link | None
    through: list[Link]  # the documents of the chain it implements or is based on
    depth: int  # steps below the directive


@dataclass
class DirectiveView:
    iri: str
    label: str
    title: str | None
    number: str | None
    date: str | None
    issuer: list[Link]
    kinds: list[Link]
    description: str | None
    timeframe: str | None
    upstream: list[Link]  # what it implements or is based on, directly
    chain_plans: list[ChainPlan]
    direct_plans: list[Link]  # plans that ensure its implementation directly
    cited_by: list[Link]
    targets: list[Target]
    task_groups: list[Link]  # its parts (eli:has_part)
    has_task_groups: bool  # a part is a bp:TaskGroup: the directive has a coverage matrix
    edges: list[ChainEdge] = field(default_factory=list)
    diagram: Diagram | None = None


def directive_view(store: Store, iri: str, lang: str) -> DirectiveView | None:
    """The directive at ``iri`` for a reader of ``lang``; None when it is not a policy instrument."""
    root = iri_ref(iri)
    head = facts(store, f"VALUES ?s {{ {root} }} ?s a/rdfs:subClassOf* bp:PolicyInstrument .")
    if not head.of(iri):
        return None
    edges = _edges(store, root)
    nodes = {iri} | {e.child for e in edges} | {e.parent for e in edges}
    node_facts = facts(store, f"VALUES ?s {{ {' '.join(iri_ref(n) for n in nodes)} }}")
    plans = {
        bound(r, "s")
        for r in rows(
            store,
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {' '.join(iri_ref(n) for n in nodes)} }} "
            "?s a/rdfs:subClassOf* bp:Plan }",
        )
    }
    cited_by = [
        bound(r, "s")
        for r in rows(
            store, f"SELECT DISTINCT ?s WHERE {{ ?s eli:cites {root} ; a/rdfs:subClassOf* bp:PolicyInstrument }}"
        )
    ]
    parts = facts(
        store,
        f"{{ ?s bp:targetOf {root} }} UNION {{ {root} eli:has_part ?s }} UNION {{ {root} dct:temporal ?s }}",
    )
    labels = Labels(store, nodes | node_facts.referenced_iris() | set(cited_by) | parts.referenced_iris(), lang)

    chain_nodes = {
        n: ChainNode(
            link=labels.link(n),
            number=value(node_facts.first(n, ELI + "id_local")),
            year=_year(node_facts, n),
            area=next(iter(labels.links(node_facts.iris(n, ELI + "jurisdiction"))), None),
            is_plan=n in plans,
            is_root=n == iri,
        )
        for n in nodes
    }
    below = _descendants(iri, edges)
    depth = _levels(iri, edges, below)
    diagram = _layout(chain_nodes, edges, depth, labels) if edges else None
    parents_of: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.child in below and e.parent not in parents_of[e.child]:
            parents_of[e.child].append(e.parent)
    chain_plans = [
        ChainPlan(
            plan=labels.link(p),
            province=chain_nodes[p].area,
            through=labels.links(parents_of[p]),
            depth=depth[p],
        )
        for p in below
        if p in plans
    ]
    chain_plans.sort(key=lambda c: (sort_key(c.province.label if c.province else ""), c.plan.iri))
    direct = [e.child for e in edges if e.parent == iri and e.child in plans and e.relation == IMPLEMENTS]
    timeframes = [lexical(node) for node in head.objects(iri, DCT + "temporal")]
    part_iris = head.iris(iri, ELI + "has_part")
    return DirectiveView(
        iri=iri,
        label=labels(iri),
        title=head.text(iri, ELI + "title", lang),
        number=value(head.first(iri, ELI + "id_local")),
        date=value(head.first(iri, ELI + "date_document")),
        issuer=labels.links(head.iris(iri, ELI + "passed_by")),
        kinds=labels.links(head.iris(iri, RDF_TYPE)),
        description=head.text(iri, DCT + "description", lang),
        timeframe=next((parts.text(t, BP + "timeframeText", lang) for t in timeframes), None),
        upstream=labels.links(dict.fromkeys(e.parent for e in edges if e.child == iri)),
        chain_plans=chain_plans,
        direct_plans=labels.links(dict.fromkeys(direct)),
        cited_by=labels.links(cited_by),
        targets=targets_of(parts, iri, labels, lang),
        task_groups=labels.links(sorted(part_iris, key=numbered)),
        has_task_groups=any(BP + "TaskGroup" in parts.iris(p, RDF_TYPE) for p in part_iris),
        edges=edges,
        diagram=diagram,
    )


def _edges(store: Store, root: str) -> list[ChainEdge]:
    """Every implements / based-on link between documents of the chain through ``root``."""
    path = "(eli:ensures_implementation_of|eli:based_on)*"
    found = rows(
        store,
        f"""SELECT DISTINCT ?child ?rel ?parent WHERE {{
              VALUES ?rel {{ eli:ensures_implementation_of eli:based_on }}
              ?child ?rel ?parent .
              {{ ?parent {path} {root} }} UNION {{ {root} {path} ?child }}
            }}""",
    )
    relations: dict[tuple[str, str], str] = {}
    for r in found:
        key = (bound(r, "child"), bound(r, "parent"))
        # One line per pair: "implements" says more than "based on" when a plan states both.
        if relations.get(key) != IMPLEMENTS:
            relations[key] = RELATIONS[bound(r, "rel")]
    return [ChainEdge(c, p, rel) for (c, p), rel in sorted(relations.items())]


def _descendants(root: str, edges: list[ChainEdge]) -> list[str]:
    below, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        for e in edges:
            if e.parent == parent and e.child not in below and e.child != root:
                below.append(e.child)
                frontier.append(e.child)
    return below


def _levels(root: str, edges: list[ChainEdge], below: list[str]) -> dict[str, int]:
    """Signed depth: 0 for the root, +n for the documents under it (longest path), -n above it."""
    depth = {root: 0}
    down = [e for e in edges if e.child in below and (e.parent in below or e.parent == root)]
    up = [e for e in edges if e.child not in below and e.parent not in below]
    for _ in range(len(edges) + 1):  # longest paths in a DAG settle in at most |edges| rounds
        changed = False
        for e in down:
            if e.parent in depth and depth.get(e.child, -1) < depth[e.parent] + 1:
                depth[e.child] = depth[e.parent] + 1
                changed = True
        for e in up:
            if e.child in depth and depth.get(e.parent, 1) > depth[e.child] - 1:
                depth[e.parent] = depth[e.child] - 1
                changed = True
        if not changed:
            break
    return depth


def _layout(nodes: dict[str, ChainNode], edges: list[ChainEdge], depth: dict[str, int], labels: Labels) -> Diagram:
    top = min(depth.values())
    levels: dict[int, list[ChainNode]] = defaultdict(list)
    for iri, d in depth.items():
        nodes[iri].level = d - top
        levels[d - top].append(nodes[iri])
    widest = max(len(row) for row in levels.values())
    width = 2 * MARGIN + widest * BOX_WIDTH + (widest - 1) * GAP_X
    parents: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        parents[e.child].append(e.parent)
    for level in sorted(levels):
        row = levels[level]

        row.sort(key=partial(_under_parents, level=level, nodes=nodes, parents=parents))
        row_width = len(row) * BOX_WIDTH + (len(row) - 1) * GAP_X
        for index, node in enumerate(row):
            node.x = (width - row_width) // 2 + index * (BOX_WIDTH + GAP_X)
            node.y = MARGIN + level * (BOX_HEIGHT + GAP_Y)
    height = 2 * MARGIN + len(levels) * BOX_HEIGHT + (len(levels) - 1) * GAP_Y
    lines, detours = [], 0
    for e in edges:
        child, parent = nodes[e.child], nodes[e.parent]
        # From the top of the implementing document to the bottom of the one it implements;
        # a link skipping levels goes round the boxes in between rather than through them.
        start, end = (child.cx, child.y), (parent.cx, parent.y + BOX_HEIGHT)
        between = [n for lvl in range(parent.level + 1, child.level) for n in levels[lvl]]
        if not any(_crosses(start, end, n) for n in between):
            lines.append(Line((start, end), e.relation))
            continue
        detours += 1
        x = max(n.x + BOX_WIDTH for n in between) + GAP_X // 2 + 6 * (detours - 1)
        width = max(width, x + MARGIN)
        below, above = child.y - GAP_Y // 2, end[1] + GAP_Y // 2
        lines.append(Line((start, (start[0], below), (x, below), (x, above), (end[0], above), end), e.relation))
    ordered = sorted(nodes.values(), key=lambda n: (n.level, n.x))
    return Diagram(width, height, ordered, lines)


def _crosses(start: tuple[int, int], end: tuple[int, int], node: ChainNode) -> bool:
    """Whether the straight segment start-end passes through the box of ``node``."""
    (x1, y1), (x2, y2) = start, end
    for y in (node.y, node.y + BOX_HEIGHT):
        if y1 == y2:
            continue
        x = x1 + (x2 - x1) * (y - y1) / (y2 - y1)
        if node.x - 4 <= x <= node.x + BOX_WIDTH + 4:
            return True
    return False


def _under_parents(node: ChainNode, level: int, nodes: dict[str, ChainNode], parents: dict[str, list[str]]) -> tuple:
    """Sort key within a row: under the documents it implements (mean x of those placed above),
    then by name; this keeps lines short and mostly uncrossed."""
    placed = [nodes[p].cx for p in parents[node.iri] if p in nodes and nodes[p].level < level]
    return (sum(placed) / len(placed) if placed else 0, sort_key(node.link.label))


def _year(found: Facts, iri: str) -> str | None:
    for prop in (ELI + "date_document", BP + "dateEarliest"):
        day = value(found.first(iri, prop))
        if day:
            return day[:4]
    return None
