"""Target tracking: the indicator values the current progress reports give for each target of a
plan over the years, the target as a level to reach where it is comparable with them, and the
chart of each (bioplan.views.target_chart)."""

from __future__ import annotations

from dataclasses import dataclass

from bioplan.namespaces import BP, SCHEMA
from bioplan.store.interface import Store, Term
from bioplan.views.common import Labels, Link, facts, iri_ref, lexical, rows, value
from bioplan.views.progress_reports import Reading, current_reports, plan_period, readings
from bioplan.views.tables import (
    EXAMPLE_COLUMN,
    LINK,
    NUMBER,
    RECEIVED_COLUMN,
    REPORT_COLUMN,
    REPORTED_BY_COLUMN,
    TEXT,
    Cell,
    Column,
    IndexTable,
)
from bioplan.views.target_chart import Chart, chart
from bioplan.views.targets import Target, plain_number, targets_of

# Comparators whose target value is a level the indicator reaches (in the target's unit); the
# relative ones are a change from the baseline, comparable only once a baseline value is known.
LEVEL_COMPARATORS = {"at-least", "at-most", "exactly", "rank-within-top"}
RELATIVE_COMPARATORS = {"increase-at-least": 1, "decrease-at-least": -1}
PERCENT = "P1"
STATED, REPORTED = "stated", "reported"
# The unit codes the report shapes allow (UN/CEFACT common codes), as a reader writes them.
UNIT_NAMES = {
    "C62": ("đơn vị", "units"),
    "P1": ("%", "%"),
    "KGM": ("kg", "kg"),
    "TNE": ("tấn", "tonnes"),
    "MTQ": ("m³", "m³"),
    "HAR": ("ha", "ha"),
    "MTK": ("m²", "m²"),
    "KWH": ("kWh", "kWh"),
    "LTR": ("lít", "litres"),
    "E50": ("đơn vị sản phẩm", "accounting units"),
    "VND": ("đồng", "đồng"),
}


def unit_name(code: str | None, lang: str) -> str:
    """A unit code as a reader writes the unit ("C62" -> "units"); an unknown code as it is."""
    if code is None:
        return ""
    vi, en = UNIT_NAMES.get(code, (code, code))
    return vi if lang == "vi" else en


@dataclass(frozen=True)
class YearValue:
    """The indicator's value for one year: the latest received current report's, and who gave it."""

    year: int
    reading: Reading
    reporter: Link
    others: list[tuple[Link, Reading]]  # other agencies' current values for the same year

    @property
    def text(self) -> str:
        return plain_number(self.reading.text) or self.reading.text


@dataclass
class TrackedTarget:
    target: Target
    unit_code: str | None
    baseline_value: float | None
    baseline_year: int | None
    baseline_source: str | None  # STATED by the plan, or REPORTED: the value reported for the baseline year
    values: list[YearValue]
    goal: float | None  # the target as a level of the indicator, in the values' unit; None: not comparable
    chart: Chart | None

    @property
    def comparator_name(self) -> str | None:
        return self.target.comparator.iri.rsplit("/", 1)[-1] if self.target.comparator else None

    @property
    def goal_text(self) -> str | None:
        return None if self.goal is None else plain_number(f"{self.goal:.2f}")

    @property
    def baseline_text(self) -> str | None:
        return None if self.baseline_value is None else plain_number(f"{self.baseline_value:.4f}")

    @property
    def values_unit(self) -> str | None:
        """The unit code of the latest reported value (the one the level to reach is given in)."""
        return self.values[-1].reading.unit if self.values else None


@dataclass
class TargetTracking:
    plan: Link
    key: str
    targets: list[TrackedTarget]
    example_data: bool  # some value shown comes from the example reports

    def table(self) -> IndexTable:
        """One row per target per year with a value (one row, without a year, for a target no
        report has given a value for yet)."""
        table = IndexTable(
            "targets",
            "Theo dõi chỉ tiêu",
            "Target tracking",
            "Các chỉ tiêu định lượng của kế hoạch và giá trị chỉ số các cơ quan báo cáo qua các năm.",
            "The plan's quantified targets and the indicator values the agencies reported over the years.",
            (
                Column("target", "Chỉ tiêu", "Target", LINK),
                Column("indicator", "Chỉ số", "Indicator", TEXT),
                Column("comparator", "So sánh", "Comparator", LINK),
                Column("baseline_text", "Mốc so sánh", "Baseline", TEXT),
                Column("baseline_value", "Giá trị mốc", "Baseline value", NUMBER),
                Column("baseline_year", "Năm mốc", "Baseline year", NUMBER),
                Column("baseline_source", "Nguồn giá trị mốc", "Baseline value from", TEXT),
                Column("target_value", "Giá trị chỉ tiêu", "Target value", NUMBER),
                Column("unit", "Đơn vị", "Unit", TEXT),
                Column("target_year", "Năm đạt", "Target year", NUMBER),
                Column("goal", "Mức cần đạt", "Level to reach", NUMBER),
                Column("year", "Năm báo cáo", "Reporting year", NUMBER),
                Column("value", "Giá trị", "Value", NUMBER),
                Column("value_unit", "Mã đơn vị", "Unit code", TEXT),
                REPORTED_BY_COLUMN,
                RECEIVED_COLUMN,
                REPORT_COLUMN,
                EXAMPLE_COLUMN,
            ),
        )
        for tracked in self.targets:
            t = tracked.target
            about: dict[str, Cell] = {
                "target": Link(t.iri, t.label),
                "indicator": t.indicator,
                "comparator": t.comparator,
                "baseline_text": t.baseline,
                "baseline_value": tracked.baseline_value,
                "baseline_year": tracked.baseline_year,
                "baseline_source": tracked.baseline_source,
                "target_value": float(t.value) if t.value is not None else None,
                "unit": t.unit,
                "target_year": int(t.year) if t.year else None,
                "goal": tracked.goal,
            }
            shown: list[YearValue | None] = [*tracked.values] or [None]  # a row even without a value
            for year_value in shown:
                reading = year_value.reading if year_value else None
                table.rows.append(
                    {
                        **about,
                        "year": year_value.year if year_value else None,
                        "value": reading.number if reading else None,
                        "value_unit": reading.unit if reading else None,
                        "reported_by": year_value.reporter if year_value else None,
                        "issued": reading.report.issued if reading else None,
                        "report": reading.report.iri if reading else None,
                        "example": ("true" if reading.report.example else "false") if reading else None,
                    }
                )
        return table

    def as_json(self, lang: str) -> dict:
        return {
            **self.table().as_json(lang),
            "plan": self.plan.iri,
            "plan_label": self.plan.label,
            "example_data": self.example_data,
        }


def _float(term: Term | None) -> float | None:
    try:
        return None if term is None else float(lexical(term))
    except ValueError:
        return None


def goal_level(
    comparator: str | None,
    target_value: float | None,
    target_unit: str | None,
    values_unit: str | None,
    baseline: float | None,
) -> float | None:
    """The target as a level of the indicator in the reported values' unit, or None when the two
    cannot be compared: a level in the same unit as is; a relative change in percent applied to
    a known baseline value."""
    if comparator is None or target_value is None:
        return None
    if comparator in LEVEL_COMPARATORS:
        return target_value if values_unit is None or target_unit == values_unit else None
    sign = RELATIVE_COMPARATORS.get(comparator)
    if sign is None or baseline is None:
        return None
    if target_unit == PERCENT and values_unit != PERCENT:
        return baseline * (1 + sign * target_value / 100)
    if target_unit == values_unit:
        return baseline + sign * target_value
    return None


def _year_values(found: list[Reading], labels: Labels) -> list[YearValue]:
    """Per year, the latest received value (``found`` is oldest first) and the others."""
    by_year: dict[int, list[Reading]] = {}
    for reading in found:
        by_year.setdefault(reading.report.year, []).append(reading)
    values = []
    for year in sorted(by_year):
        *earlier, chosen = by_year[year]
        others = [(labels.link(r.report.agency), r) for r in earlier if r.report.agency != chosen.report.agency]
        values.append(YearValue(year, chosen, labels.link(chosen.report.agency), others))
    return values


def target_tracking(store: Store, iri: str, key: str, lang: str) -> TargetTracking | None:
    """The targets of the plan at ``iri`` with their reported values; None when it is not a plan."""
    plan = iri_ref(iri)
    if not rows(store, f"SELECT ?t WHERE {{ {plan} a ?t . ?t rdfs:subClassOf* bp:Plan }} LIMIT 1"):
        return None
    first_year = plan_period(store, iri)[0]
    found = facts(store, f"?s bp:targetOf {plan} .")
    reports = current_reports(store, iri)
    values = readings(store, reports)
    labels = Labels(store, found.referenced_iris() | {iri} | {r.agency for r in reports}, lang)
    tracked = []
    for target in targets_of(found, iri, labels, lang):
        mine = [v for v in values if v.target == target.iri]
        year_values = _year_values(mine, labels)
        comparator = target.comparator.iri.rsplit("/", 1)[-1] if target.comparator else None
        baseline_value = _float(found.first(target.iri, BP + "baselineValue"))
        baseline_year_term = found.first(target.iri, BP + "baselineYear")
        baseline_year = int(float(lexical(baseline_year_term))) if baseline_year_term is not None else None
        baseline_source = STATED if baseline_value is not None else None
        if baseline_value is None:
            # A baseline known by its year only, or "so với hiện tại" (the present: when the plan
            # starts) for a relative target: the value reported for that year, if any.
            year = baseline_year
            if year is None and comparator in RELATIVE_COMPARATORS:
                year = first_year
            baseline_value = next((v.reading.number for v in year_values if v.year == year), None)
            if baseline_value is not None:
                baseline_year, baseline_source = year, REPORTED
        values_unit = year_values[-1].reading.unit if year_values else None
        unit_code = value(found.first(target.iri, SCHEMA + "unitCode"))
        goal = goal_level(
            comparator,
            float(target.value) if target.value is not None else None,
            unit_code,
            values_unit,
            baseline_value,
        )
        entry = TrackedTarget(
            target, unit_code, baseline_value, baseline_year, baseline_source, year_values, goal, None
        )
        entry.chart = chart(entry, first_year)
        tracked.append(entry)
    return TargetTracking(
        plan=labels.link(iri),
        key=key,
        targets=tracked,
        example_data=any(v.report.example for v in values),
    )
