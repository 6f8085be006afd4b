"""Filing the browser's report form (POST /reports/new): the form's fields become a Submission that
goes through the same ReportService.submit, and the same SHACL gate, as POST /reports; a refusal
comes back as the form with what was entered and each message next to its field.

Field names: ``plan``, ``agency``, ``year``; for each step of the form (bioplan.writes.report_form),
``status.<key>``, ``narrative.<key>``, ``evidence.<key>`` (one link a line); for each target
``value.<key>``; ``key`` being the last segment of the step's or target's IRI, as in the report's
own parts (<report>/task/<key>, <report>/value/<key>), so a SHACL result finds its field.

Checked here, before the shapes, what a Submission cannot say or the shapes would let through:
a status outside the scheme, a narrative without a status, evidence that is not an http(s) link
(a ``javascript:`` IRI is an IRI to the shapes), a value that is not a number, an agency or year
the form did not offer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

import pyoxigraph as ox

from bioplan.text import nfc
from bioplan.writes.auth import Principal
from bioplan.writes.errors import Forbidden, InvalidWrite
from bioplan.writes.report_form import ReportForm, blank_form
from bioplan.writes.report_model import BadSubmission, IndicatorEntry, Receipt, Submission, TaskEntry
from bioplan.writes.reports import ReportService

GENERAL = ""  # the field name of messages about the whole report
_NUMBER = re.compile(r"-?\d{1,15}(?:[.,]\d{1,10})?")
MAX_LINKS = 50  # evidence links per item

# (Vietnamese, English) messages, by what they are about.
MESSAGES = {
    "status": ("Hãy chọn một trạng thái trong danh sách.", "Choose a status from the list."),
    "status-missing": (
        "Hãy chọn trạng thái cho nội dung này, hoặc xóa diễn giải và minh chứng nếu chưa báo cáo nội dung này.",
        "Choose a status for this item, or clear its narrative and evidence if you are not reporting on it.",
    ),
    "item": ("Nội dung này không thuộc kế hoạch được báo cáo.", "This item is not part of the plan reported on."),
    "narrative": (
        "Hãy viết diễn giải bằng tiếng Việt (tối đa 4000 ký tự).",
        "Write the narrative in Vietnamese (at most 4,000 characters).",
    ),
    "evidence": (
        "Minh chứng phải là đường dẫn bắt đầu bằng http:// hoặc https://, mỗi dòng một đường dẫn.",
        "Evidence must be links starting with http:// or https://, one per line.",
    ),
    "value": (
        "Hãy nhập một số (ví dụ 12 hoặc 3,5), theo đơn vị của chỉ tiêu.",
        "Enter a number (for example 12 or 3.5), in the target's unit.",
    ),
    "unit": (
        "Giá trị phải theo đơn vị của chỉ tiêu; giá trị không được quy đổi.",
        "The value must be in the target's unit; values are not converted.",
    ),
    "year": (
        "Năm báo cáo phải nằm trong thời gian thực hiện kế hoạch và không sau năm hiện tại.",
        "The reporting year must lie within the plan's period and not after this year.",
    ),
    "agency": (
        "Hãy chọn một cơ quan có vai trò trong kế hoạch.",
        "Choose an agency that has a role in the plan.",
    ),
    "tasks": (
        "Hãy chọn trạng thái và viết diễn giải cho ít nhất một nội dung.",
        "Choose a status and write a narrative for at least one item.",
    ),
    "current": (
        "Báo cáo khác của cơ quan cho cùng năm vừa được gửi; hãy gửi lại.",
        "Another report of the agency for the same year was just filed; send it again.",
    ),
    "forbidden": (
        "Mã truy cập của bạn không được ghi báo cáo này.",
        "Your access token may not write this report.",
    ),
    "refused": ("Báo cáo chưa đúng quy ước nên chưa được lưu.", "The report does not conform and was not stored."),
}

# Each shape of shapes/reports.ttl: which message, and whether it is about a step ("task"), a
# target's value ("value") or the report itself (the message's own field).
_SHAPES = {
    "Report-plan": ("refused", None),
    "Report-agency": ("agency", None),
    "ReportAgencyRule": ("agency", None),
    "Report-year": ("year", None),
    "ReportYearRule": ("year", None),
    "Report-tasks": ("tasks", None),
    "ReportCurrentRule": ("current", None),
    "TaskProgressShape": ("item", "task"),
    "TaskProgress-item": ("item", "task"),
    "TaskInPlanRule": ("item", "task"),
    "TaskProgress-status": ("status", "task"),
    "TaskProgress-narrative": ("narrative", "task"),
    "TaskProgress-narrativeLanguages": ("narrative", "task"),
    "TaskProgress-evidence": ("evidence", "task"),
    "IndicatorValueShape": ("value", "value"),
    "IndicatorValue-target": ("value", "value"),
    "IndicatorValue-value": ("value", "value"),
    "IndicatorValue-unit": ("unit", "value"),
    "IndicatorUnitOfTargetRule": ("unit", "value"),
    "IndicatorOfReportedPlanRule": ("value", "value"),
}
# The field a message about a step or a value goes next to.
_TASK_FIELD = {"item": "status", "status": "status", "narrative": "narrative", "evidence": "evidence"}


def message(what: str, lang: str) -> str:
    vi, en = MESSAGES[what]
    return vi if lang == "vi" else en


def _year(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) <= 4 else None


def evidence_links(text: str) -> list[str] | None:
    """The http(s) links of an evidence field, one a line; None when a line is anything else."""
    links = []
    for line in text.splitlines():
        link = line.strip()
        if not link:
            continue
        parts = urlsplit(link)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in link):
            return None
        try:
            ox.NamedNode(link)
        except ValueError:
            return None
        links.append(link)
    return links if len(links) <= MAX_LINKS else None


def _number(text: str) -> Decimal | None:
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def filled_form(
    service: ReportService, principal: Principal, fields: Sequence[tuple[str, str]], lang: str, today: date | None
) -> tuple[ReportForm, Submission | None]:
    """The form holding what was entered, and the Submission it makes (None when the form's own
    checks refuse it; the form then says why). UnknownPlan, OtherProvince."""
    entered: Mapping[str, str] = {nfc(name): nfc(value) for name, value in fields}
    asked_agency, asked_year = entered.get("agency", ""), _year(entered.get("year", "").strip())
    form = blank_form(service, principal, entered.get("plan", ""), lang, asked_agency, asked_year, today)
    if form.agency != asked_agency:
        form.add_error("agency", message("agency", lang))
    if asked_year not in form.years:
        form.add_error("year", message("year", lang))
    statuses = {choice.value for choice in form.statuses}
    tasks = []
    for row in form.items:
        row.status = entered.get(f"status.{row.key}", "").strip()
        row.narrative = entered.get(f"narrative.{row.key}", "").strip()
        row.evidence = entered.get(f"evidence.{row.key}", "").strip()
        links = evidence_links(row.evidence)
        if links is None:
            form.add_error(f"evidence.{row.key}", message("evidence", lang))
        if not row.status:
            if row.narrative or row.evidence:
                form.add_error(f"status.{row.key}", message("status-missing", lang))
            continue
        if row.status not in statuses:
            form.add_error(f"status.{row.key}", message("status", lang))
            continue
        narrative = (("vi", row.narrative),) if row.narrative else ()
        tasks.append(TaskEntry(row.iri, row.status, narrative, tuple(links or ())))
    indicators = []
    for target in form.targets:
        target.value = entered.get(f"value.{target.key}", "").strip()
        if not target.value:
            continue
        number = _number(target.value)
        if number is None:
            form.add_error(f"value.{target.key}", message("value", lang))
            continue
        indicators.append(IndicatorEntry(target.iri, number, target.unit))
    if form.errors or form.agency is None:
        if form.agency is None:
            form.add_error("agency", message("agency", lang))
        return form, None
    return form, Submission(form.plan, form.agency, form.year, tuple(tasks), tuple(indicators))


def with_refusal(form: ReportForm, error: Exception, lang: str) -> ReportForm:
    """``form`` with the messages of a refusal of the report service, each next to its field."""
    if isinstance(error, InvalidWrite):
        for violation in error.report.errors:
            shape = (violation.source_shape or violation.shape).rsplit("#", 1)[-1]
            what, part = _SHAPES.get(shape, ("refused", None))
            name = GENERAL if what in ("refused", "tasks", "current") else what
            if part is not None:
                key = violation.focus.rstrip("/").rsplit("/", 1)[-1]
                name = f"{_TASK_FIELD.get(what, 'status')}.{key}" if part == "task" else f"value.{key}"
            form.add_error(name, message(what, lang))
    elif isinstance(error, Forbidden):
        form.add_error(GENERAL, message("forbidden", lang))
    else:
        form.add_error(GENERAL, message("refused", lang))
    return form


def file_report(
    service: ReportService,
    principal: Principal,
    fields: Sequence[tuple[str, str]],
    lang: str,
    today: date | None = None,
) -> Receipt | ReportForm:
    """The Receipt of the report the form's ``fields`` make, filed through ``service``; or the form,
    with what was entered and why it was refused. UnknownPlan, OtherProvince."""
    form, submission = filled_form(service, principal, fields, lang, today)
    if submission is None:
        return form
    try:
        return service.submit(principal, submission)
    except (InvalidWrite, BadSubmission, Forbidden) as error:
        return with_refusal(form, error, lang)
