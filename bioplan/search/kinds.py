"""The kinds of resource people search for: what ?kind= filters by, and how a resource's types
(or, for a SKOS concept, its scheme) make it one kind."""

from __future__ import annotations

from dataclasses import dataclass

from bioplan.namespaces import BP, FUNDING_SOURCE_SCHEME, M8G, ORG, SCHEMA, SKOS, TASK_AREA_SCHEME, WASTE_DOMAIN_SCHEME


@dataclass(frozen=True)
class Kind:
    key: str  # the value of ?kind= and of "kind" in JSON
    vi: str
    en: str
    classes: tuple[str, ...] = ()  # rdf:type values that make a resource this kind
    schemes: tuple[str, ...] = ()  # skos:inScheme values (for SKOS concepts)


def _bp(*names: str) -> tuple[str, ...]:
    return tuple(BP + name for name in names)


# In priority order: a resource with types of two kinds gets the first (a bp:PartyPlan is a plan,
# not a Party instrument; a bp:AgencyCollective an agency).
KINDS: tuple[Kind, ...] = (
    Kind("plan", "Kế hoạch", "Plan", _bp("ProvincialPlan", "PartyPlan", "Plan")),
    Kind(
        "instrument",
        "Văn bản chỉ đạo",
        "Directive or instrument",
        _bp(
            "PartyResolution",
            "PartyProgramme",
            "PartyDirective",
            "GovernmentResolution",
            "GovernmentDecree",
            "PrimeMinisterDecision",
            "NationalAssemblyResolution",
            "Law",
            "LegalInstrument",
            "PartyInstrument",
            "PolicyInstrument",
        ),
    ),
    Kind("section", "Phần, mục", "Section", _bp("TaskGroup", "Section")),
    Kind("objective", "Mục tiêu", "Objective", _bp("GeneralObjective", "SpecificObjective", "Vision", "Objective")),
    Kind("target", "Chỉ tiêu", "Target", _bp("QuantifiedTarget")),
    Kind("task", "Nhiệm vụ", "Task", _bp("Task")),
    Kind("solution", "Giải pháp", "Solution", _bp("Solution")),
    Kind("duty", "Trách nhiệm của cơ quan", "Agency duty", _bp("AgencyDuty")),
    Kind("funding-provision", "Kinh phí", "Funding provision", _bp("FundingProvision")),
    Kind("purpose", "Mục đích, yêu cầu", "Purpose or requirement", _bp("Purpose", "Requirement")),
    Kind("provision", "Nội dung khác", "Other provision", _bp("GeneralProvision", "PlanItem")),
    Kind("obligation", "Nghĩa vụ báo cáo", "Reporting obligation", _bp("ReportingObligation")),
    Kind(
        "agency",
        "Cơ quan, tổ chức",
        "Agency",
        (*_bp("Agency", "AgencyCollective"), M8G + "PublicOrganisation", ORG + "Organization"),
    ),
    Kind("area", "Địa bàn", "Area", (*_bp("Province", "Country", "AdministrativeArea"), M8G + "AdminUnit")),
    Kind("person", "Người ký", "Person", (SCHEMA + "Person",)),
    Kind("waste-domain", "Loại chất thải", "Waste domain", schemes=(WASTE_DOMAIN_SCHEME,)),
    Kind("funding-source", "Nguồn kinh phí", "Funding source", schemes=(FUNDING_SOURCE_SCHEME,)),
    Kind("task-area", "Lĩnh vực nhiệm vụ", "Task area", schemes=(TASK_AREA_SCHEME,)),
    Kind("concept", "Khái niệm khác", "Other concept", (SKOS + "Concept",)),
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
KIND_CLASSES = sorted({cls for kind in KINDS for cls in kind.classes})
_KIND_RANK = {kind.key: rank for rank, kind in enumerate(KINDS)}
_KIND_OF_CLASS = {cls: kind.key for kind in reversed(KINDS) for cls in kind.classes}
_KIND_OF_SCHEME = {scheme: kind.key for kind in KINDS for scheme in kind.schemes}


def kind_of(classes: set[str]) -> str | None:
    """The key of the first kind that ``classes`` (types and concept schemes) make a resource."""
    keys = {_KIND_OF_SCHEME[c] for c in classes if c in _KIND_OF_SCHEME}
    keys |= {_KIND_OF_CLASS[c] for c in classes if c in _KIND_OF_CLASS}
    return min(keys, key=_KIND_RANK.__getitem__) if keys else None
