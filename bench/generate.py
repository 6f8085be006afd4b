"""A deterministic generator of a national-scale graph in the project's own vocabulary.

    .venv/bin/python -m bench.generate --scale 0.1 --out var/bench/data

Scale 1.0 is about two million triples: the 34 province-level units, several plans each (one
per national instrument they implement), the agencies of each province with their kinds, tasks
with lead and co-operating roles (m8g:Participation plus the shortcuts), waste domains, funding
provisions, quantified targets, reporting obligations, and several years of progress per task.
The output follows data/AUTHORING.md file for file (`provinces/<slug>/agencies.ttl` and one
`kh-*.ttl` per plan, `national/areas-2025.ttl` for the units data/ttl/national/ lacks) and
conforms to the shapes when validated with the ontology and data/ttl/national/.

Progress has no term of its own in the ontology yet: a progress record is a `prov:Entity`
derived from its task (`prov:wasDerivedFrom`), with its year as a `bp:Timeframe`, the share done
as `schema:value` in percent, and its status in words (`skos:note`).
"""

from __future__ import annotations

import argparse
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from bench import catalogue as cat
from bench.turtle import TurtleDocument, blank, date, decimal, iri, string, text
from bioplan import layout
from bioplan.text import slugify

SEED = 20250701
FULL_SCALE_TRIPLES = 2_000_000
ID = cat.ID
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
VN = ID + "area/vn"
SYNTHETIC_NOTE = (
    text("Dữ liệu tổng hợp để đo hiệu năng (bench/generate.py), không phải văn bản thật.", "vi"),
    text("Synthetic data for benchmarking (bench/generate.py), not a real document.", "en"),
)
ROMAN = ("I", "II", "III", "IV", "V")


@dataclass(frozen=True)
class Sizes:
    """How much to generate; derived from the scale so that 1.0 is about two million triples."""

    provinces: int
    plans_per_province: int
    tasks_per_plan: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        if scale <= 0:
            raise ValueError("the scale must be positive")
        provinces = max(1, min(len(cat.PROVINCES), round(scale * 1700)))
        plans = max(1, min(len(cat.PLAN_DIRECTIVES), math.ceil(6 * math.sqrt(min(scale, 1.0)))))
        # Calibrated on the output: a province's agencies are about 200 triples, a plan without
        # its tasks about 420, a task with its roles and progress about 68 on average.
        budget = scale * FULL_SCALE_TRIPLES - provinces * (200 + plans * 420)
        tasks = max(3, round(budget / (provinces * plans * 68)))
        return cls(provinces, plans, tasks)


@dataclass
class Summary:
    files: int = 0
    provinces: int = 0
    plans: int = 0
    tasks: int = 0


# ---------------------------------------------------------------------------------------------
# Provinces and their agencies


@dataclass(frozen=True)
class Agency:
    iri: str
    name: str
    english: str
    era: str


@dataclass
class ProvinceContext:
    index: int
    province: cat.Province
    slug: str
    agencies: dict[str, Agency] = field(default_factory=dict)

    @property
    def area(self) -> str:
        return f"{ID}area/{self.slug}"

    @property
    def unit(self) -> str:
        """The unit word with the name: "tỉnh Lạng Sơn", "thành phố Huế"."""
        return ("thành phố " if self.province.city else "tỉnh ") + self.province.name

    def org(self, key: str) -> str:
        return f"{ID}org/{self.slug}/{key}"

    def available(self, era: str) -> list[Agency]:
        return [a for a in self.agencies.values() if a.era in ("all", era)]

    def agency(self, key: str, era: str) -> Agency | None:
        found = self.agencies.get(key)
        return found if found is not None and found.era in ("all", era) else None


def province_slug(province: cat.Province) -> str:
    return slugify(province.name) + ("-2025" if province.merged else "")


def areas_document(contexts: list[ProvinceContext], already_defined: set[str]) -> TurtleDocument:
    doc = TurtleDocument("The province-level units of 2025 that data/ttl/national/areas.ttl does not define.")
    for ctx in contexts:
        if ctx.area in already_defined:
            continue
        unit_en = (
            ("City of " if ctx.province.city else "") + ctx.province.name + ("" if ctx.province.city else " Province")
        )
        since = " (từ ngày 01/7/2025)" if ctx.province.merged else ""
        since_en = " (from 1 July 2025)" if ctx.province.merged else ""
        doc.add(
            ctx.area,
            ("a", ("bp:Province", "m8g:AdminUnit")),
            ("rdfs:label", (text(ctx.unit + since, "vi"), text(unit_en + since_en, "en"))),
            ("skos:prefLabel", (text(ctx.province.name, "vi"), text(ctx.province.name, "en"))),
            ("bp:partOfArea", iri(VN)),
        )
    return doc


def agencies_document(ctx: ProvinceContext, already_defined: set[str]) -> TurtleDocument:
    """The province's agencies; those data/ttl/national/ describes already (the bodies of the
    merged provinces, in reorganisation.ttl) are used as they are, not described twice."""
    doc = TurtleDocument(f"Agencies of {ctx.unit} (synthetic benchmark data).")
    area = iri(ctx.area)
    party = "Thành ủy" if ctx.province.city else "Tỉnh ủy"
    party_en = ("City" if ctx.province.city else "Provincial") + " Party Committee"
    top = (
        cat.Department("ubnd-tinh", f"Ủy ban nhân dân {ctx.unit}", f"People's Committee of {ctx.province.name}", "provincial-peoples-committee", "all", parent=""),
        cat.Department("hdnd-tinh", f"Hội đồng nhân dân {ctx.unit}", f"People's Council of {ctx.province.name}", "provincial-peoples-council", "all", parent=""),
        cat.Department("tinh-uy", f"{party} {ctx.province.name}", f"{ctx.province.name} {party_en}", "provincial-party-committee", "all", parent="", state=False),
        cat.Department("ban-thuong-vu-tinh-uy", f"Ban Thường vụ {party} {ctx.province.name}", f"Standing Board of the {ctx.province.name} {party_en}", "party-board", "all", parent="tinh-uy", state=False),
    )  # fmt: skip
    for body in top:
        _add_agency(doc, ctx, body, body.name, body.english, already_defined)
    for dept in cat.DEPARTMENTS:
        name, english = f"{dept.name} {ctx.unit}", f"{dept.english} of {ctx.province.name}"
        _add_agency(doc, ctx, dept, name, english, already_defined)
    for group in cat.COLLECTIVES:
        ctx.agencies[group.slug] = Agency(ctx.org(group.slug), group.name, group.english, group.era)
        if ctx.org(group.slug) in already_defined:
            continue
        doc.add(
            ctx.org(group.slug),
            ("a", "bp:AgencyCollective"),
            ("rdfs:label", (text(group.name, "vi"), text(group.english, "en"))),
            ("bp:agencyKind", "ak:agency-collective"),
            ("bp:province", area),
        )
    return doc


def _add_agency(
    doc: TurtleDocument, ctx: ProvinceContext, body: cat.Department, name: str, english: str, already_defined: set[str]
) -> None:
    ctx.agencies[body.slug] = Agency(ctx.org(body.slug), name, english, body.era)
    if ctx.org(body.slug) in already_defined:
        return
    doc.add(
        ctx.org(body.slug),
        ("a", ("bp:Agency", "m8g:PublicOrganisation") if body.state else "bp:Agency"),
        ("rdfs:label", (text(name, "vi"), text(english, "en"))),
        ("bp:agencyKind", f"ak:{body.kind}"),
        ("org:subOrganizationOf", iri(ctx.org(body.parent)) if body.parent else None),
        ("bp:province", iri(ctx.area)),
    )


# ---------------------------------------------------------------------------------------------
# Plans


@dataclass
class PlanWriter:
    """Writes one plan, its sections and items into a Turtle document."""

    ctx: ProvinceContext
    directive: cat.Directive
    number: int
    plan_date: str
    rng: random.Random
    doc: TurtleDocument

    def __post_init__(self):
        issuer_key = "btvtu" if self.directive.party else "ubnd"
        self.year = int(self.plan_date[:4])
        self.era = "pre" if self.plan_date < "2025-03-01" else "post"
        self.iri = f"{ID}doc/{self.ctx.slug}/{issuer_key}/kh/{self.year}/{self.number}"
        self.issuer = self.ctx.org("ban-thuong-vu-tinh-uy" if self.directive.party else "ubnd-tinh")
        self.top_sections: list[str] = []
        self.funding: set[str] = set()

    # -- helpers

    def section(self, path: tuple[int, ...], title: str, english: str, parent: str, kind="bp:Section", extra=()) -> str:
        section_id = ".".join([ROMAN[path[0]], *map(str, path[1:])])
        node = f"{self.iri}/section/{slugify(section_id)}"
        self.doc.add(
            node,
            ("a", kind),
            ("bp:sourceSection", string(section_id)),
            ("bp:sectionPath", string(section_id)),
            ("rdfs:label", (text(title, "vi"), text(english, "en"))),
            ("eli:is_part_of", iri(parent)),
            *extra,
            ("dct:source", iri(self.iri)),
        )
        return node

    def item(
        self, section: str, section_id: str, ordinal: int, kind: str, verbatim: str, english: str, *extra, step=False
    ) -> str:
        node = f"{section}".replace("/section/", "/item/") + f"-{ordinal}"
        self.doc.add(
            node,
            ("a", kind),
            ("bp:isItemOf", iri(self.iri)),
            ("pplan:isStepOfPlan", iri(self.iri) if step else None),
            ("bp:inSection", iri(section)),
            ("bp:sourceSection", string(section_id)),
            ("bp:itemOrdinal", str(ordinal)),
            ("bp:sectionPath", string(f"{section_id}, bullet {ordinal}")),
            ("bp:verbatimText", text(verbatim, "vi")),
            ("rdfs:label", (text(verbatim, "vi"), text(english, "en"))),  # whole: data/AUTHORING.md
            *extra,
            ("dct:source", iri(self.iri)),
        )
        return node

    def roles(self, node: str, roles: list[tuple[str, Agency]]) -> tuple:
        """Participations (written here) and the matching shortcut pairs for ``node``."""
        shortcuts: dict[str, list[str]] = {}
        participations = []
        for n, (role, agency) in enumerate(roles, start=1):
            participation = f"{node}/participation/{n}"
            participations.append(iri(participation))
            verb, verb_en = ROLE_WORDS[role]
            self.doc.add(
                participation,
                ("a", "m8g:Participation"),
                ("m8g:hasParticipant", iri(agency.iri)),
                ("m8g:role", f"role:{role}"),
                ("rdfs:label", (text(f"{agency.name} {verb}", "vi"), text(f"{agency.english} {verb_en}", "en"))),
            )
            shortcuts.setdefault(ROLE_SHORTCUTS[role], []).append(iri(agency.iri))
        return (("m8g:hasParticipation", participations), *shortcuts.items())

    def pick_lead(self, areas: tuple[str, ...]) -> Agency:
        for area in areas:
            candidates = [a for key in cat.LEADS_BY_AREA.get(area, ()) if (a := self.ctx.agency(key, self.era))]
            if candidates:
                # The first candidate leads most often, as the department in charge of the area would.
                return candidates[0] if self.rng.random() < 0.6 else self.rng.choice(candidates)
        return self.ctx.agencies["so-khoa-hoc-va-cong-nghe"]

    def cooperators(self, lead: Agency, count: int) -> list[Agency]:
        pool = [
            a
            for a in self.ctx.available(self.era)
            if a.iri != lead.iri
            and not a.iri.endswith(("/ubnd-tinh", "/hdnd-tinh", "/tinh-uy", "/ban-thuong-vu-tinh-uy"))
        ]
        return self.rng.sample(pool, min(count, len(pool)))

    # -- the document

    def write(self, tasks: int) -> int:
        sections = [
            self.write_purposes(),
            self.write_objectives(),
            self.write_tasks(tasks),
            self.write_funding(),
        ]
        focal = self.ctx.agency("so-khoa-hoc-va-cong-nghe", self.era)
        sections.append(self.write_organisation(focal))
        self.write_plan(sections, focal)
        return tasks

    def write_plan(self, sections: list[str], focal: Agency) -> None:
        d = self.directive
        if d.party:
            title = f"Kế hoạch thực hiện {d.short} của Bộ Chính trị về {d.subject}"
            title_en = f"Plan carrying out Politburo {d.english} on {d.subject_en}"
            id_local = f"{self.number}-KH/TU"
        else:
            title = f"Kế hoạch thực hiện {d.short} về {d.subject} trên địa bàn {self.ctx.unit}"
            title_en = f"Plan carrying out {d.english} on {d.subject_en} in {self.ctx.province.name}"
            id_local = f"{self.number}/KH-UBND"
        participation = self.roles(self.iri, [("focal-point", focal)])
        self.doc.add(
            self.iri,
            ("a", "bp:PartyPlan" if d.party else "bp:ProvincialPlan"),
            ("eli:type_document", "dt:kh"),
            ("eli:id_local", string(id_local)),
            ("eli:number", string(str(self.number))),
            ("eli:passed_by", iri(self.issuer)),
            ("eli:jurisdiction", iri(self.ctx.area)),
            ("eli:date_document", date(self.plan_date)),
            ("eli:title", (text(title, "vi"), text(title_en, "en"))),
            (
                "rdfs:label",
                (
                    text(f"Kế hoạch số {id_local} của {self.ctx.unit}", "vi"),
                    text(f"Plan {id_local} of {self.ctx.province.name}", "en"),
                ),
            ),
            ("eli:ensures_implementation_of", iri(d.iri)),
            ("eli:based_on", iri(d.iri)),
            (
                "dct:temporal",
                blank(("a", "bp:Timeframe"), ("bp:timeframeText", text("đến năm 2030", "vi")), ("bp:endYear", "2030")),
            ),
            ("bp:fundingSource", sorted(f"fs:{f}" for f in self.funding)),
            *participation,
            ("skos:editorialNote", SYNTHETIC_NOTE),
            ("eli:has_part", [iri(s) for s in sections]),
            ("dct:source", iri(self.iri)),
        )

    def write_purposes(self) -> str:
        top = self.section((0,), "MỤC ĐÍCH, YÊU CẦU", "PURPOSE AND REQUIREMENTS", self.iri, extra=[])
        purpose = self.section((0, 1), "Mục đích", "Purpose", top)
        requirement = self.section((0, 2), "Yêu cầu", "Requirements", top)
        self.doc.add(top, ("eli:has_part", (iri(purpose), iri(requirement))))
        d = self.directive
        self.item(
            purpose,
            "I.1",
            1,
            "bp:Purpose",
            f"Triển khai kịp thời, hiệu quả {d.short} trên địa bàn {self.ctx.unit}.",
            f"Carry out {d.english} promptly and effectively in {self.ctx.province.name}.",
            ("bp:taskArea", "ta:leadership-direction"),
        )
        self.item(
            purpose,
            "I.1",
            2,
            "bp:Purpose",
            "Nâng cao nhận thức của các cấp, các ngành về vai trò của công nghệ sinh học trong bảo vệ môi trường.",
            "Raise awareness at all levels and in all sectors of the role of biotechnology in environmental protection.",
            ("bp:taskArea", "ta:communication"),
        )
        self.item(
            requirement,
            "I.2",
            1,
            "bp:Requirement",
            "Xác định cụ thể nhiệm vụ, thời gian hoàn thành và trách nhiệm của các cơ quan, đơn vị có liên quan.",
            "Set out the tasks, deadlines and responsibilities of the agencies and units concerned.",
            ("bp:taskArea", "ta:monitoring-reporting"),
        )
        return top

    def write_objectives(self) -> str:
        top = self.section((1,), "MỤC TIÊU", "OBJECTIVES", self.iri)
        self.item(
            top,
            "II",
            1,
            "bp:GeneralObjective",
            f"Phát triển công nghiệp sinh học trở thành ngành kinh tế - kỹ thuật quan trọng của {self.ctx.unit}.",
            f"Make the bio-industry an important economic and technical sector of {self.ctx.province.name}.",
        )
        for n, (vi, en, comparator, value, unit, unit_text) in enumerate(self.rng.sample(cat.TARGETS, 2), start=1):
            value = value + self.rng.randrange(0, 4) * 5
            target = f"{self.iri}/target/{n}"
            verbatim = vi.format(v=value) + " đến năm 2030."
            item = self.item(
                top,
                "II",
                n + 1,
                "bp:SpecificObjective",
                verbatim,
                en.format(v=value) + " by 2030.",
                ("bp:hasTarget", iri(target)),
            )
            self.doc.add(
                target,
                ("a", "bp:QuantifiedTarget"),
                ("bp:targetOf", iri(self.iri)),
                ("bp:statedIn", iri(item)),
                ("rdfs:label", (text(vi.format(v=value), "vi"), text(en.format(v=value), "en"))),
                ("bp:indicator", text(vi.format(v=value), "vi")),
                ("bp:comparator", f"cmp:{comparator}"),
                ("schema:value", decimal(value)),
                ("schema:unitCode", string(unit)),
                ("schema:unitText", string(unit_text)),
                ("bp:targetYear", "2030"),
                ("bp:sectionPath", string(f"II, bullet {n + 1}")),
                ("dct:source", iri(self.iri)),
            )
        return top

    def write_tasks(self, tasks: int) -> str:
        top = self.section((2,), "NHIỆM VỤ VÀ GIẢI PHÁP", "TASKS AND SOLUTIONS", self.iri)
        groups = (
            cat.GROUPS_189 if self.directive.task_groups and "189" in self.directive.task_groups else cat.GROUPS_1639
        )
        children = []
        per_group = [tasks // len(groups) + (1 if g < tasks % len(groups) else 0) for g in range(len(groups))]
        for g, (group, count) in enumerate(zip(groups, per_group, strict=True), start=1):
            mirror = (
                ("bp:mirrorsTaskGroup", iri(f"{self.directive.task_groups}{g}"))
                if self.directive.task_groups
                else ("bp:mirrorsTaskGroup", None)
            )
            section = self.section(
                (2, g),
                group.title,
                group.english,
                top,
                "bp:TaskGroup",
                [("bp:taskArea", [f"ta:{a}" for a in group.areas]), mirror],
            )
            children.append(iri(section))
            for ordinal in range(1, count + 1):
                self.write_task(section, f"III.{g}", ordinal, group, first=(g == 1 and ordinal == 1))
        self.doc.add(top, ("eli:has_part", children))
        return top

    def write_task(self, section: str, section_id: str, ordinal: int, group: cat.TaskGroup, first: bool) -> None:
        action = cat.ACTIONS[self.rng.choice(group.actions)]
        domains = self.pick_domains()
        verbatim = f"{action.text} {domains[0][1]} trên địa bàn {self.ctx.unit}"
        english = f"{action.english} {domains[0][2]} in {self.ctx.province.name}"
        if self.rng.random() < 0.3:
            verbatim, english = verbatim + cat.LONG_CLAUSE, english + cat.LONG_CLAUSE_EN
        verbatim += "."
        areas = tuple(dict.fromkeys((*action.areas, *(d[4] for d in domains))))
        # The first task of every plan is led by the Department of Science and Technology, so
        # that the lookup queries find something at every scale.
        lead = self.ctx.agencies["so-khoa-hoc-va-cong-nghe"] if first else self.pick_lead(areas)
        roles = [("lead", lead)] + [("cooperating", a) for a in self.cooperators(lead, self.rng.randint(1, 3))]
        node = f"{section}".replace("/section/", "/item/") + f"-{ordinal}"
        start = self.year + self.rng.randint(0, 1)
        end = self.rng.choice((2025, 2027, 2030))
        end = max(end, start)
        self.item(
            section,
            section_id,
            ordinal,
            "bp:Task",
            verbatim,
            english,
            ("bp:taskArea", [f"ta:{a}" for a in areas]),
            ("bp:wasteDomain", [f"wd:{d[0]}" for d in domains]),
            (
                "dct:temporal",
                blank(
                    ("a", "bp:Timeframe"),
                    ("bp:timeframeText", text(f"Năm {start}-{end}", "vi")),
                    ("bp:startYear", str(start)),
                    ("bp:endYear", str(end)),
                ),
            ),
            *self.roles(node, roles),
            step=True,
        )
        self.write_progress(node, start)

    def pick_domains(self) -> list[tuple]:
        weights = [d[3] for d in cat.WASTE_DOMAINS]
        first = self.rng.choices(cat.WASTE_DOMAINS, weights)[0]
        if self.rng.random() < 0.35:
            second = self.rng.choices(cat.WASTE_DOMAINS, weights)[0]
            if second != first:
                return [first, second]
        return [first]

    def write_progress(self, task: str, start: int) -> None:
        """One progress record per year from the task's start to 2025 (at most four)."""
        done = 0.0
        for year in range(max(start, 2022), 2026):
            if year < start:
                continue
            done = min(100.0, done + self.rng.choice((0, 10, 20, 25, 40)))
            status, status_en = cat.STATUSES[0 if done == 0 else 2 if done >= 100 else 1]
            self.doc.add(
                f"{task}/progress/{year}",
                ("a", "prov:Entity"),
                ("prov:wasDerivedFrom", iri(task)),
                (
                    "dct:temporal",
                    blank(
                        ("a", "bp:Timeframe"),
                        ("bp:timeframeText", text(f"Năm {year}", "vi")),
                        ("bp:startYear", str(year)),
                        ("bp:endYear", str(year)),
                    ),
                ),
                ("schema:value", decimal(done)),
                ("schema:unitCode", string("P1")),
                (
                    "rdfs:label",
                    (text(f"Tiến độ năm {year}: {done:g}%", "vi"), text(f"Progress in {year}: {done:g}%", "en")),
                ),
                ("skos:note", (text(status, "vi"), text(status_en, "en"))),
            )

    def write_funding(self) -> str:
        top = self.section((3,), "KINH PHÍ THỰC HIỆN", "FUNDING", self.iri)
        for n, (source, vi, en) in enumerate(self.rng.sample(cat.FUNDING, 3), start=1):
            self.funding.add(source)
            self.item(top, "IV", n, "bp:FundingProvision", vi + ".", en + ".", ("bp:fundingSource", f"fs:{source}"))
        return top

    def write_organisation(self, focal: Agency) -> str:
        top = self.section((4,), "TỔ CHỨC THỰC HIỆN", "ORGANISATION OF IMPLEMENTATION", self.iri)
        ubnd = self.ctx.agencies["ubnd-tinh"]
        duties = [focal, *self.cooperators(focal, 5)]
        stating_item = ""  # the focal point's duty, which states the reporting obligations
        for n, agency in enumerate(duties, start=1):
            node = f"{top}".replace("/section/", "/item/") + f"-{n}"
            verbatim = f"{agency.name} chủ động triển khai các nhiệm vụ được giao tại Kế hoạch này"
            if n == 1:
                verbatim += (
                    f"; là cơ quan đầu mối theo dõi, tổng hợp, báo cáo {ubnd.name} trước ngày 15 tháng 12 hằng năm"
                )
            english = f"{agency.english} carries out the tasks assigned by this Plan."
            duty = self.item(
                top,
                "V",
                n,
                "bp:AgencyDuty",
                verbatim + ".",
                english,
                *self.roles(node, [("implementing", agency)]),
                step=True,
            )
            stating_item = stating_item or duty
        for n, (recipient, month, day) in enumerate(
            ((ubnd, 12, 15), (self.ctx.agencies["so-khoa-hoc-va-cong-nghe"], 11, 30)), start=1
        ):
            self.doc.add(
                f"{self.iri}/obligation/{n}",
                ("a", "bp:ReportingObligation"),
                ("bp:obligationOf", iri(self.iri)),
                ("prov:wasDerivedFrom", iri(stating_item)),
                ("bp:reportingAgency", iri(focal.iri if n == 1 else self.ctx.agencies["cac-so-ban-nganh"].iri)),
                ("bp:reportRecipient", iri(recipient.iri)),
                (
                    "bp:reportSubject",
                    (
                        text("báo cáo tình hình thực hiện Kế hoạch", "vi"),
                        text("report on the implementation of the Plan", "en"),
                    ),
                ),
                ("bp:deadlineText", text(f"trước ngày {day} tháng {month} hằng năm", "vi")),
                (
                    "bp:schedule",
                    blank(
                        ("a", "schema:Schedule"),
                        ("schema:repeatFrequency", string("P1Y")),
                        ("schema:byMonth", str(month)),
                        ("schema:byMonthDay", str(day)),
                    ),
                ),
                (
                    "rdfs:label",
                    (
                        text(f"Báo cáo {recipient.name} trước {day}/{month} hằng năm", "vi"),
                        text(f"Annual report to {recipient.english} before {day}/{month}", "en"),
                    ),
                ),
                ("bp:sectionPath", string("V, bullet 1")),
                ("dct:source", iri(self.iri)),
            )
        return top


ROLE_WORDS = {
    "lead": ("chủ trì", "leads"),
    "cooperating": ("phối hợp", "co-operates"),
    "implementing": ("thực hiện", "implements"),
    "focal-point": ("là cơ quan đầu mối", "is the focal point"),
}
ROLE_SHORTCUTS = {
    "lead": "bp:leadAgency",
    "cooperating": "bp:cooperatingAgency",
    "implementing": "bp:implementingAgency",
    "focal-point": "bp:focalPointAgency",
}


# ---------------------------------------------------------------------------------------------
# The whole dataset


def plan_number(province_index: int, plan_index: int) -> int:
    """Fixed whatever the scale, so the benchmark queries can name a plan: Hà Nội's first is 101."""
    return 101 + 37 * plan_index + 3 * province_index


def plan_date(directive: cat.Directive, plan_index: int, rng: random.Random) -> str:
    first_month = 8 if plan_index >= len(cat.PLAN_DIRECTIVES) - 1 else 3
    return f"{directive.year}-{rng.randint(first_month, 11):02d}-{rng.randint(1, 28):02d}"


def national_subjects() -> set[str]:
    """What data/ttl/national/ describes: the generator describes none of it again."""
    return {
        q.subject.value
        for path in sorted((layout.DATA_DIR / "national").glob("*.ttl"))
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        if isinstance(q.subject, ox.NamedNode) and q.predicate.value == RDFS_LABEL
    }


def generate(out: Path, scale: float = 0.1, seed: int = SEED) -> Summary:
    """Write the dataset for ``scale`` into ``out``; the same scale and seed give the same bytes."""
    sizes = Sizes.for_scale(scale)
    summary = Summary()
    contexts = [ProvinceContext(i, p, province_slug(p)) for i, p in enumerate(cat.PROVINCES[: sizes.provinces])]
    described = national_subjects()
    _write(out / "national" / "areas-2025.ttl", areas_document(contexts, described))
    summary.files += 1
    for ctx in contexts:
        folder = out / "provinces" / ctx.slug
        _write(folder / "agencies.ttl", agencies_document(ctx, described))
        summary.files += 1
        rng = random.Random(f"{seed}:{ctx.slug}")
        for j, directive in enumerate(cat.PLAN_DIRECTIVES[: sizes.plans_per_province]):
            doc = TurtleDocument(f"A synthetic plan of {ctx.unit} implementing {directive.short}.")
            writer = PlanWriter(ctx, directive, plan_number(ctx.index, j), plan_date(directive, j, rng), rng, doc)
            summary.tasks += writer.write(sizes.tasks_per_plan)
            _write(folder / f"kh-{writer.year}-{writer.number}.ttl", doc)
            summary.files += 1
            summary.plans += 1
        summary.provinces += 1
    return summary


def _write(path: Path, doc: TurtleDocument) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc.text(), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1, help="1.0 is about two million triples (default 0.1)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=Path("var/bench/data"))
    args = parser.parse_args(argv)
    summary = generate(args.out, args.scale, args.seed)
    print(
        f"wrote {summary.files} files to {args.out}: {summary.provinces} provinces, "
        f"{summary.plans} plans, {summary.tasks} tasks"
    )


if __name__ == "__main__":
    main()
