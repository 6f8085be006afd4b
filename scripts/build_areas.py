"""Build data/ttl/national/areas.ttl: every province-level unit of Viet Nam in force until 30 June
2025 (63) and from 1 July 2025 (34, Nghị quyết 202/2025/QH15), and the merger events between them.

    .venv/bin/python scripts/build_areas.py                 # rewrites data/ttl/national/areas.ttl
    .venv/bin/python scripts/build_areas.py --output X.ttl  # writes elsewhere
    .venv/bin/python scripts/build_areas.py --check         # exit 1 when the file is not what it builds

The lists and the old -> new mapping come from the PyPI package vietnamadminunits (its
`admin_units_legacy` and `admin_units` tables and the converter's province mapping), never typed
by hand; its name and version go into the output (a header comment and prov:wasDerivedFrom on
every unit and event). What the package does not hold is written below by hand: the country, and
the scope notes of the units described before this script existed (HAND_WRITTEN_NOTES).

IRIs (data/AUTHORING.md, section Areas): a unit that kept its identity on 1 July 2025 (the same
name, formed from itself alone) keeps one IRI for both periods, id/area/<slug>; a unit formed by
a merger is a new unit, id/area/<slug>-2025, even when it has the name of one of the units it was
formed from; its merger event is id/event/2025-07-01/<slug>-2025.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bioplan.text import fold, nfc, slugify

PACKAGE = "vietnamadminunits"
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "data" / "ttl" / "national" / "areas.ttl"

ID = "https://w3id.org/vn-bioplan/id/"
VN = ID + "area/vn"
RESOLUTION_202 = ID + "doc/qh/nq/2025/202"  # Nghị quyết 202/2025/QH15 (instruments.ttl)
DATE = "2025-07-01"
BEFORE, AFTER = 63, 34  # the counts Nghị quyết 202/2025/QH15 gives; the package must agree

PREFIXES = """\
@prefix bp:     <https://w3id.org/vn-bioplan/def/bioplan#> .
@prefix m8g:    <http://data.europa.eu/m8g/> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
"""

COUNTRY = f"""\
<{VN}> a bp:Country , m8g:AdminUnit ;
    rdfs:label "Việt Nam"@vi , "Viet Nam"@en ;
    skos:prefLabel "Việt Nam"@vi , "Viet Nam"@en ;
    skos:altLabel "nước Cộng hòa xã hội chủ nghĩa Việt Nam"@vi , "Socialist Republic of Viet Nam"@en , "Vietnam"@en ;
    skos:exactMatch <http://www.wikidata.org/entity/Q881> .
"""

# Scope notes written by hand for the units described before this script (kept word for word);
# every other merged unit gets the generated notes of scope_notes().
HAND_WRITTEN_NOTES: dict[str, tuple[str, str]] = {
    "quang-ngai": (
        "Tỉnh Quảng Ngãi trước ngày 01/7/2025. Tỉnh Quảng Ngãi mới (hợp nhất với tỉnh Kon Tum) là một đơn vị khác.",
        "Quảng Ngãi Province before 1 July 2025. The new Quảng Ngãi Province (merged with Kon Tum) is a different unit.",
    ),
    "lam-dong": (
        "Tỉnh Lâm Đồng trước ngày 01/7/2025. Tỉnh Lâm Đồng mới (hợp nhất với Bình Thuận và Đắk Nông) là một đơn vị khác.",
        "Lâm Đồng Province before 1 July 2025. The new Lâm Đồng Province (merged with Bình Thuận and Đắk Nông) is a different unit.",
    ),
    "bac-ninh": (
        "Tỉnh Bắc Ninh trước ngày 01/7/2025. Tỉnh Bắc Ninh mới (hợp nhất với Bắc Giang) là một đơn vị khác.",
        "Bắc Ninh Province before 1 July 2025. The new Bắc Ninh Province (merged with Bắc Giang) is a different unit.",
    ),
    "lam-dong-2025": (
        "Tỉnh Lâm Đồng sau sắp xếp đơn vị hành chính cấp tỉnh năm 2025 (Bình Thuận, Đắk Nông và Lâm Đồng cũ), hoạt động từ ngày 01/7/2025.",
        "Lâm Đồng Province after the 2025 provincial reorganisation (the former Bình Thuận, Đắk Nông and Lâm Đồng), operating from 1 July 2025.",
    ),
    "bac-ninh-2025": (
        "Tỉnh Bắc Ninh sau sắp xếp đơn vị hành chính cấp tỉnh năm 2025 (Bắc Giang và Bắc Ninh cũ), hoạt động từ ngày 01/7/2025.",
        "Bắc Ninh Province after the 2025 provincial reorganisation (the former Bắc Giang and Bắc Ninh), operating from 1 July 2025.",
    ),
    "quang-ngai-2025": (
        "Tỉnh Quảng Ngãi sau sắp xếp đơn vị hành chính cấp tỉnh năm 2025 (Kon Tum và Quảng Ngãi cũ), hoạt động từ ngày 01/7/2025; cùng tên với tỉnh cũ nhưng là đơn vị mới.",
        "Quảng Ngãi Province after the 2025 provincial reorganisation (the former Kon Tum and Quảng Ngãi), operating from 1 July 2025; same name as the old province but a new unit.",
    ),
}


# -- the source ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A province-level unit as the package gives it."""

    name: str  # without its kind: "Lạng Sơn", "Bà Rịa - Vũng Tàu"
    city: bool  # a thành phố trực thuộc Trung ương, else a tỉnh
    code: str  # the package's province code, for a stable order
    key: str  # the package's key, for its mapping


@dataclass(frozen=True)
class Source:
    package: str
    version: str
    before: list[Unit]  # in force until 30 June 2025
    after: list[Unit]  # in force from 1 July 2025
    formed_from: dict[str, list[str]]  # key of a unit after -> keys of the units before it was formed from

    @property
    def iri(self) -> str:
        """The package release as a Package URL (purl), the object of prov:wasDerivedFrom."""
        return f"pkg:pypi/{self.package}@{self.version}"


def _unit(full_name: str, short_name: str, code: str, key: str) -> Unit:
    full_name, short_name = nfc(full_name.strip()), nfc(short_name.strip())
    for kind, city in (("Thành phố ", True), ("Tỉnh ", False)):
        if full_name.startswith(kind) and full_name[len(kind) :] == short_name:
            return Unit(short_name, city, code, key)
    raise SystemExit(f"{PACKAGE}: cannot read the kind of {full_name!r} ({short_name!r})")


def read_source() -> Source:
    """The two lists and the mapping from the installed package, checked against Nghị quyết 202."""
    from vietnamadminunits.converter.converter_2025 import DICT_PROVINCE
    from vietnamadminunits.database import query

    columns = "province, provinceShort, provinceCode, provinceKey"
    before, after = (
        sorted(
            {_unit(*(r[c] for c in columns.split(", "))) for r in query(f"SELECT DISTINCT {columns} FROM {table}")},
            key=lambda u: (u.code, u.key),
        )
        for table in ("admin_units_legacy", "admin_units")
    )
    formed_from = {new: list(olds) for new, olds in DICT_PROVINCE.items()}
    source = Source(PACKAGE, importlib.metadata.version(PACKAGE), before, after, formed_from)
    check(source)
    return source


def check(source: Source) -> None:
    """Stop unless the package describes what Nghị quyết 202/2025/QH15 did: 63 units, then 34,
    each old unit in exactly one new one."""
    problems = []
    if len(source.before) != BEFORE or len(source.after) != AFTER:
        problems.append(f"{len(source.before)} units before and {len(source.after)} after, not {BEFORE} and {AFTER}")
    old_keys = [u.key for u in source.before]
    new_keys = [u.key for u in source.after]
    if set(source.formed_from) != set(new_keys):
        problems.append("the mapping does not cover exactly the units after 1 July 2025")
    mapped = [old for olds in source.formed_from.values() for old in olds]
    if sorted(mapped) != sorted(old_keys):
        problems.append("the mapping does not place every unit before 1 July 2025 exactly once")
    for units in (source.before, source.after):
        slugs = [slugify(u.name) for u in units]
        if len(set(slugs)) != len(slugs):
            problems.append("two units of one list have the same slug")
    if problems:
        raise SystemExit(f"{PACKAGE} {source.version}: " + "; ".join(problems))


# -- what the graph says -------------------------------------------------------------------------


def kind_vi(unit: Unit) -> str:
    return "thành phố" if unit.city else "tỉnh"


def label_vi(unit: Unit) -> str:
    """ "tỉnh Lạng Sơn", "thành phố Hà Nội"."""
    return f"{kind_vi(unit)} {unit.name}"


def label_en(unit: Unit) -> str:
    """ "Lạng Sơn Province", "Hà Nội City"."""
    return f"{unit.name} {'City' if unit.city else 'Province'}"


def ascii_name(text: str) -> str:
    """The name without diacritics, case kept: "Đắk Nông" -> "Dak Nong"."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(str.maketrans({"đ": "d", "Đ": "D"})))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def upper_first(text: str) -> str:
    """ "tỉnh Lạng Sơn" -> "Tỉnh Lạng Sơn" (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def listing(names: list[str], conjunction: str) -> str:
    """ "A", "A và B", "A, B và C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def by_name(units: list[Unit]) -> list[Unit]:
    return sorted(units, key=lambda u: (fold(u.name), u.name))


@dataclass(frozen=True)
class Merger:
    result: Unit
    originals: list[Unit]  # in alphabetical order

    @property
    def slug(self) -> str:
        return f"{slugify(self.result.name)}-2025"

    @property
    def iri(self) -> str:
        return f"{ID}event/{DATE}/{self.slug}"

    def label_vi(self) -> str:
        kinds = {u.city for u in self.originals}
        if len(kinds) == 1:
            originals = f"các {kind_vi(self.originals[0])} " + listing([u.name for u in self.originals], "và")
        else:
            originals = listing([label_vi(u) for u in self.originals], "và")
        return f"Hợp nhất {originals} thành {label_vi(self.result)} (01/7/2025)"

    def label_en(self) -> str:
        kinds = {u.city for u in self.originals}
        if len(kinds) == 1:
            kind = "cities" if self.originals[0].city else "provinces"
            originals = listing([u.name for u in self.originals], "and") + f" {kind}"
        else:
            originals = listing([label_en(u) for u in self.originals], "and")
        return f"{originals} merged into {label_en(self.result)} (1 July 2025)"


@dataclass
class Graph:
    """The units and events to write: IRIs by unit, and the mergers."""

    source: Source
    iris: dict[tuple[str, str], str]  # ("before" | "after", key) -> area IRI
    kept: list[Unit]  # the units of both periods (one IRI)
    merged_away: list[Unit]  # units before 1 July 2025 that a merger replaced
    mergers: list[Merger]
    successor: dict[str, Merger]  # key of a merged-away unit -> its merger

    def merger(self, unit: Unit) -> Merger | None:
        """The merger that formed ``unit`` (a unit after 1 July 2025), if one did."""
        return next((m for m in self.mergers if m.result.key == unit.key), None)


def plan(source: Source) -> Graph:
    before = {u.key: u for u in source.before}
    iris: dict[tuple[str, str], str] = {}
    kept: list[Unit] = []
    mergers: list[Merger] = []
    successor: dict[str, Merger] = {}
    for unit in source.after:
        originals = [before[key] for key in source.formed_from[unit.key]]
        if len(originals) == 1 and (originals[0].name, originals[0].city) == (unit.name, unit.city):
            kept.append(unit)
            iris[("before", originals[0].key)] = iris[("after", unit.key)] = f"{ID}area/{slugify(unit.name)}"
            continue
        if len(originals) < 2:
            raise SystemExit(f"{unit.name}: formed from one unit under another name or kind; no rule for that")
        merger = Merger(unit, by_name(originals))
        mergers.append(merger)
        iris[("after", unit.key)] = f"{ID}area/{merger.slug}"
        for old in originals:
            iris[("before", old.key)] = f"{ID}area/{slugify(old.name)}"
            successor[old.key] = merger
    merged_away = [u for u in source.before if u.key in successor]
    kept.sort(key=lambda u: (u.code, u.key))
    return Graph(source, iris, kept, merged_away, mergers, successor)


def scope_notes(graph: Graph, unit: Unit, period: str) -> tuple[str, str] | None:
    """Why two units share a name: a merged-away unit whose name the new unit took, and every unit
    formed by a merger. Hand-written notes win."""
    slug = graph.iris[(period, unit.key)].rsplit("/", 1)[1]
    if slug in HAND_WRITTEN_NOTES:
        return HAND_WRITTEN_NOTES[slug]
    formed_by = graph.merger(unit) if period == "after" else None
    if formed_by is not None:
        names_vi = listing([u.name for u in formed_by.originals], "và")
        names_en = listing([u.name for u in formed_by.originals], "and")
        return (
            f"{upper_first(label_vi(unit))} sau sắp xếp đơn vị hành chính cấp tỉnh năm 2025 ({names_vi} cũ), "
            "hoạt động từ ngày 01/7/2025.",
            f"{label_en(unit)} after the 2025 provincial reorganisation (the former {names_en}), operating from 1 July 2025.",
        )
    merger = graph.successor.get(unit.key) if period == "before" else None
    if merger is None or merger.result.name != unit.name:
        return None
    others = [u.name for u in merger.originals if u.key != unit.key]
    new = merger.result
    return (
        f"{upper_first(label_vi(unit))} trước ngày 01/7/2025. {upper_first(label_vi(new))} mới "
        f"(hợp nhất với {listing(others, 'và')}) là một đơn vị khác.",
        f"{label_en(unit)} before 1 July 2025. The new {label_en(new)} (merged with {listing(others, 'and')}) "
        "is a different unit.",
    )


# -- Turtle --------------------------------------------------------------------------------------


def literal(text: str, lang: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


def block(subject: str, statements: list[tuple[str, list[str]]]) -> str:
    """One subject's statements, one predicate a line, as the hand-written files have them."""
    return f"<{subject}> " + " ;\n    ".join(f"{p} {' , '.join(objects)}" for p, objects in statements) + " .\n"


def unit_block(graph: Graph, unit: Unit, period: str) -> str:
    iri = graph.iris[(period, unit.key)]
    since_vi, since_en = (" (từ ngày 01/7/2025)", " (from 1 July 2025)") if iri.endswith("-2025") else ("", "")
    types = ["bp:Province", "bp:Municipality", "m8g:AdminUnit"] if unit.city else ["bp:Province", "m8g:AdminUnit"]
    statements = [
        ("a", types),
        ("rdfs:label", [literal(label_vi(unit) + since_vi, "vi"), literal(label_en(unit) + since_en, "en")]),
        ("skos:prefLabel", [literal(unit.name, "vi"), literal(unit.name, "en")]),
    ]
    if ascii_name(unit.name) != unit.name:
        statements.append(("skos:altLabel", [literal(ascii_name(unit.name), "en")]))
    notes = scope_notes(graph, unit, period)
    if notes:
        statements.append(("skos:scopeNote", [literal(notes[0], "vi"), literal(notes[1], "en")]))
    statements.append(("bp:partOfArea", [f"<{VN}>"]))
    if period == "before" and unit.key in graph.successor:
        statements.append(("dct:isReplacedBy", [f"<{graph.iris[('after', graph.successor[unit.key].result.key)]}>"]))
    if period == "after":
        merger = graph.merger(unit)
        if merger:
            statements.append(("dct:replaces", [f"<{graph.iris[('before', u.key)]}>" for u in merger.originals]))
    statements.append(("prov:wasDerivedFrom", [f"<{graph.source.iri}>"]))
    return block(iri, statements)


def event_block(graph: Graph, merger: Merger) -> str:
    return block(
        merger.iri,
        [
            ("a", ["bp:Merger", "org:ChangeEvent"]),
            ("rdfs:label", [literal(merger.label_vi(), "vi"), literal(merger.label_en(), "en")]),
            ("bp:originalArea", [f"<{graph.iris[('before', u.key)]}>" for u in merger.originals]),
            ("bp:resultingArea", [f"<{graph.iris[('after', merger.result.key)]}>"]),
            ("dct:date", [f'"{DATE}"^^xsd:date']),
            ("m8g:hasFormalFramework", [f"<{RESOLUTION_202}>"]),
            ("dct:source", [f"<{RESOLUTION_202}>"]),
            ("prov:wasDerivedFrom", [f"<{graph.source.iri}>"]),
        ],
    )


def source_block(source: Source) -> str:
    return block(
        source.iri,
        [
            ("a", ["prov:Entity"]),
            ("rdfs:label", [literal(f"{source.package} {source.version}", "en")]),
            (
                "dct:description",
                [
                    literal(
                        f"Gói Python {source.package} {source.version} (PyPI): danh sách {len(source.before)} đơn vị "
                        f"hành chính cấp tỉnh đến ngày 30/6/2025, {len(source.after)} đơn vị từ ngày 01/7/2025 và "
                        "đơn vị mới mà mỗi đơn vị cũ hợp thành.",
                        "vi",
                    ),
                    literal(
                        f"The Python package {source.package} {source.version} (PyPI): the {len(source.before)} "
                        f"province-level units until 30 June 2025, the {len(source.after)} from 1 July 2025, and "
                        "the new unit each old one became part of.",
                        "en",
                    ),
                ],
            ),
        ],
    )


def section(title: str) -> str:
    return f"\n# {'-' * (95 - len(title))} {title}\n\n"


def render(source: Source) -> str:
    graph = plan(source)
    parts = [
        f"# GENERATED by scripts/build_areas.py from the PyPI package {source.package} {source.version}:\n"
        "# do not edit; change the script (its HAND_WRITTEN_NOTES for scope notes) and run `make areas`.\n",
        PREFIXES,
        "\n# Administrative areas: the country and every province-level unit before and after the 2025\n"
        "# reorganisation (Nghị quyết 202/2025/QH15, in force from 2025-07-01): "
        f"{len(source.before)} units until 30 June 2025,\n"
        f"# {len(source.after)} from 1 July 2025 ({len(graph.kept)} of them unchanged, "
        f"{len(graph.mergers)} formed by a merger), and the merger events.\n"
        "# A unit formed by a merger is a new unit with its own IRI (<slug>-2025), even with an old name;\n"
        "# every merged unit is dct:isReplacedBy it, and it dct:replaces them.\n\n",
        COUNTRY,
        section("the source of the lists"),
        source_block(source),
        section(f"units in force before and after 1 July 2025 ({len(graph.kept)})"),
        "\n".join(unit_block(graph, u, "after") for u in graph.kept),
        section(f"units merged on 1 July 2025 ({len(graph.merged_away)})"),
        "\n".join(unit_block(graph, u, "before") for u in graph.merged_away),
        section(f"units formed on 1 July 2025 ({len(graph.mergers)})"),
        "\n".join(unit_block(graph, m.result, "after") for m in graph.mergers),
        section(f"merger events under Nghị quyết 202/2025/QH15 ({len(graph.mergers)})"),
        "\n".join(event_block(graph, m) for m in graph.mergers),
    ]
    return nfc("".join(parts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the output differs")
    args = parser.parse_args(argv)
    text = render(read_source())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} is not what scripts/build_areas.py builds: run `make areas`", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
