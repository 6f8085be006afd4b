"""A small, complete province graph that the shapes accept, and one broken variant per rule.

BASE_TTL follows data/AUTHORING.md: a Bình Thuận plan implementing 1639/QĐ-TTg, with sections, a
specific objective and its target, a task with a lead and two co-operating agencies (one of them
national), a solution, a funding provision, an agency duty and the reporting obligation it states,
the agencies and areas they need, and the national instrument with a task group and a target of its
own (not transcribed, so exempt from the "place in the source" rules). Together with the ontology
files (classes and concept schemes) it is the base every variant starts from.

Each variant is a SPARQL Update applied to a copy of the base graph; it must make the rule's shape
report a result. The shape is named by its local name in the vbs: namespace.
"""

from __future__ import annotations

from dataclasses import dataclass

from bioplan.namespaces import sparql_prologue

SHAPES_NS = "https://w3id.org/vn-bioplan/def/shapes#"
OP = ";\n"  # separates the operations of a SPARQL Update (never used inside one)

ID = "https://w3id.org/vn-bioplan/id/"
P = ID + "doc/binh-thuan/ubnd/kh/2025/2025-02-26"
DECISION = ID + "doc/ttg/qd/2024/1639"
TASK = P + "/item/ii-1-1"
SOLUTION = P + "/item/ii-1-2"
OBJECTIVE = P + "/item/i-2-1"
FUNDING = P + "/item/iii-1"
DUTY = P + "/item/iv-1"
TARGET = P + "/target/1"
OBLIGATION = P + "/obligation/1"
DEPT_ST = ID + "org/binh-thuan/so-khoa-hoc-va-cong-nghe"
DEPT_NRE = ID + "org/binh-thuan/so-tai-nguyen-va-moi-truong"
UBND = ID + "org/binh-thuan/ubnd-tinh"
REPORT = ID + "report/binh-thuan/ubnd/kh/2025/2025-02-26/2025/binh-thuan/so-khoa-hoc-va-cong-nghe/1"
PROGRESS = REPORT + "/task/ii-1-1"
VALUE = REPORT + "/value/1"

BASE_TTL = f"""
@prefix bp:     <https://w3id.org/vn-bioplan/def/bioplan#> .
@prefix wd:     <https://w3id.org/vn-bioplan/def/waste-domain/> .
@prefix fs:     <https://w3id.org/vn-bioplan/def/funding-source/> .
@prefix ak:     <https://w3id.org/vn-bioplan/def/agency-kind/> .
@prefix role:   <https://w3id.org/vn-bioplan/def/role/> .
@prefix ta:     <https://w3id.org/vn-bioplan/def/task-area/> .
@prefix dt:     <https://w3id.org/vn-bioplan/def/document-type/> .
@prefix cmp:    <https://w3id.org/vn-bioplan/def/comparator/> .
@prefix ps:     <https://w3id.org/vn-bioplan/def/progress-status/> .
@prefix eli:    <http://data.europa.eu/eli/ontology#> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix m8g:    <http://data.europa.eu/m8g/> .
@prefix pplan:  <http://purl.org/net/p-plan#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

# ---- areas

<{ID}area/vn> a bp:Country , m8g:AdminUnit ;
    rdfs:label "Việt Nam"@vi , "Viet Nam"@en .

<{ID}area/binh-thuan> a bp:Province , m8g:AdminUnit ;
    rdfs:label "tỉnh Bình Thuận"@vi , "Bình Thuận Province"@en ;
    bp:partOfArea <{ID}area/vn> .

<{ID}area/lang-son> a bp:Province , m8g:AdminUnit ;
    rdfs:label "tỉnh Lạng Sơn"@vi , "Lạng Sơn Province"@en ;
    bp:partOfArea <{ID}area/vn> .

# ---- national bodies and the national instrument (not transcribed)

<{ID}org/vn/thu-tuong-chinh-phu> a bp:Agency , m8g:PublicOrganisation ;
    rdfs:label "Thủ tướng Chính phủ"@vi , "Prime Minister of Viet Nam"@en ;
    bp:agencyKind ak:prime-minister ;
    bp:province <{ID}area/vn> .

<{ID}org/vn/bo-khoa-hoc-va-cong-nghe> a bp:Agency , m8g:PublicOrganisation ;
    rdfs:label "Bộ Khoa học và Công nghệ"@vi , "Ministry of Science and Technology"@en ;
    bp:agencyKind ak:national-ministry ;
    bp:province <{ID}area/vn> .

<{DECISION}> a bp:PrimeMinisterDecision ;
    eli:id_local "1639/QĐ-TTg" ;
    eli:number "1639" ;
    eli:date_document "2024-12-24"^^xsd:date ;
    eli:type_document dt:qd ;
    eli:passed_by <{ID}org/vn/thu-tuong-chinh-phu> ;
    eli:jurisdiction <{ID}area/vn> ;
    eli:title "Quyết định phê duyệt Đề án phát triển công nghiệp sinh học trong lĩnh vực bảo vệ môi trường đến năm 2030"@vi ,
        "Decision approving the project on bio-industry in environmental protection to 2030"@en ;
    rdfs:label "Quyết định số 1639/QĐ-TTg"@vi , "Decision 1639/QĐ-TTg"@en ;
    eli:has_part <{DECISION}/task-group/1> ;
    dct:source <{DECISION}> .

<{DECISION}/task-group/1> a bp:TaskGroup ;
    rdfs:label "Phát triển khoa học và công nghệ"@vi , "Science and technology"@en ;
    bp:taskArea ta:science-technology ;
    eli:is_part_of <{DECISION}> ;
    dct:source <{DECISION}> .

<{DECISION}/target/1> a bp:QuantifiedTarget ;
    bp:targetOf <{DECISION}> ;
    rdfs:label "Tăng tối thiểu 10% doanh nghiệp sản xuất chế phẩm sinh học xử lý chất thải"@vi ,
        "At least 10% more enterprises producing bio-preparations for waste treatment"@en ;
    bp:indicator "Số doanh nghiệp sản xuất chế phẩm sinh học xử lý chất thải"@vi ;
    bp:comparator cmp:increase-at-least ;
    schema:value 10.0 ;
    schema:unitCode "P1" ; schema:unitText "%" ;
    bp:targetYear 2030 ;
    dct:source <{DECISION}> .

# ---- provincial agencies

<{UBND}> a bp:Agency , m8g:PublicOrganisation ;
    rdfs:label "Ủy ban nhân dân tỉnh Bình Thuận"@vi , "People's Committee of Bình Thuận Province"@en ;
    skos:altLabel "UBND tỉnh"@vi ;
    bp:agencyKind ak:provincial-peoples-committee ;
    bp:province <{ID}area/binh-thuan> .

<{DEPT_ST}> a bp:Agency , m8g:PublicOrganisation ;
    rdfs:label "Sở Khoa học và Công nghệ tỉnh Bình Thuận"@vi , "Department of Science and Technology of Bình Thuận"@en ;
    skos:altLabel "Sở KH&CN"@vi ;
    bp:agencyKind ak:provincial-department ;
    bp:province <{ID}area/binh-thuan> ;
    org:subOrganizationOf <{UBND}> .

<{DEPT_NRE}> a bp:Agency , m8g:PublicOrganisation ;
    rdfs:label "Sở Tài nguyên và Môi trường tỉnh Bình Thuận"@vi , "Department of Natural Resources and Environment of Bình Thuận"@en ;
    bp:agencyKind ak:provincial-department ;
    bp:province <{ID}area/binh-thuan> ;
    org:subOrganizationOf <{UBND}> .

<{ID}org/binh-thuan/cac-so-ban-nganh> a bp:AgencyCollective ;
    rdfs:label "Các sở, ban, ngành"@vi , "The departments and agencies"@en ;
    bp:agencyKind ak:agency-collective ;
    bp:province <{ID}area/binh-thuan> .

# ---- the plan

<{P}> a bp:ProvincialPlan ;
    eli:type_document dt:kh ;
    eli:passed_by <{UBND}> ;
    eli:jurisdiction <{ID}area/binh-thuan> ;
    eli:date_document "2025-02-26"^^xsd:date ;
    eli:title "Kế hoạch phát triển công nghiệp sinh học trong lĩnh vực bảo vệ môi trường đến năm 2030"@vi ,
        "Plan for developing bio-industry in environmental protection to 2030"@en ;
    rdfs:label "Kế hoạch thực hiện Đề án 1639 tỉnh Bình Thuận"@vi , "Bình Thuận plan implementing Project 1639"@en ;
    eli:ensures_implementation_of <{DECISION}> ;
    eli:based_on <{DECISION}> ;
    bp:preamble "Nhằm triển khai thực hiện Quyết định số 1639/QĐ-TTg, UBND tỉnh ban hành Kế hoạch như sau:"@vi ;
    bp:recipientLine "Bộ Khoa học và Công nghệ (b/c);"@vi ;
    bp:signatureBlock "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"@vi ;
    bp:sourceFile "000_6944ed60b4e00f21.txt" ;
    dct:temporal [ a bp:Timeframe ; bp:timeframeText "đến năm 2030"@vi ; bp:endYear 2030 ] ;
    bp:fundingSource fs:provincial-budget ;
    m8g:hasParticipation <{P}/participation/1> ;
    bp:focalPointAgency <{DEPT_ST}> ;
    eli:has_part <{P}/section/i> , <{P}/section/ii> , <{P}/section/iii> , <{P}/section/iv> ;
    dct:source <{P}> .

<{P}/participation/1> a m8g:Participation ;
    m8g:hasParticipant <{DEPT_ST}> ;
    m8g:role role:focal-point ;
    rdfs:label "Sở Khoa học và Công nghệ là cơ quan đầu mối"@vi , "The Department of Science and Technology is the focal point"@en .

# ---- sections

<{P}/section/i> a bp:Section ;
    bp:sourceSection "I" ;
    rdfs:label "MỤC TIÊU"@vi , "OBJECTIVES"@en ;
    eli:is_part_of <{P}> ;
    eli:has_part <{P}/section/i-2> ;
    dct:source <{P}> .

<{P}/section/i-2> a bp:Section ;
    bp:sourceSection "I.2" ;
    rdfs:label "Mục tiêu cụ thể"@vi , "Specific objectives"@en ;
    eli:is_part_of <{P}/section/i> ;
    dct:source <{P}> .

<{P}/section/ii> a bp:Section ;
    bp:sourceSection "II" ;
    rdfs:label "NHIỆM VỤ VÀ GIẢI PHÁP"@vi , "TASKS AND SOLUTIONS"@en ;
    eli:is_part_of <{P}> ;
    eli:has_part <{P}/section/ii-1> ;
    dct:source <{P}> .

<{P}/section/ii-1> a bp:TaskGroup ;
    bp:sourceSection "II.1" ;
    rdfs:label "Phát triển khoa học và công nghệ"@vi , "Science and technology"@en ;
    eli:is_part_of <{P}/section/ii> ;
    bp:mirrorsTaskGroup <{DECISION}/task-group/1> ;
    bp:taskArea ta:science-technology ;
    dct:source <{P}> .

<{P}/section/iii> a bp:Section ;
    bp:sourceSection "III" ;
    rdfs:label "KINH PHÍ THỰC HIỆN"@vi , "FUNDING"@en ;
    eli:is_part_of <{P}> ;
    dct:source <{P}> .

<{P}/section/iv> a bp:Section ;
    bp:sourceSection "IV" ;
    rdfs:label "TỔ CHỨC THỰC HIỆN"@vi , "ORGANISATION OF IMPLEMENTATION"@en ;
    eli:is_part_of <{P}> ;
    dct:source <{P}> .

# ---- items

<{OBJECTIVE}> a bp:SpecificObjective ;
    bp:isItemOf <{P}> ;
    bp:inSection <{P}/section/i-2> ;
    bp:sourceSection "I.2" ;
    bp:itemOrdinal 1 ;
    bp:sectionPath "I.2, bullet 1" ;
    bp:verbatimText "Đến năm 2030, tăng tối thiểu 10% doanh nghiệp sản xuất chế phẩm sinh học xử lý chất thải."@vi ;
    rdfs:label "Đến năm 2030, tăng tối thiểu 10% doanh nghiệp sản xuất chế phẩm sinh học xử lý chất thải."@vi ,
        "By 2030, at least 10% more enterprises producing bio-preparations for waste treatment."@en ;
    bp:hasTarget <{TARGET}> ;
    bp:wasteDomain wd:waste-general ;
    dct:source <{P}> .

<{TASK}> a bp:Task ;
    bp:isItemOf <{P}> ;
    pplan:isStepOfPlan <{P}> ;
    bp:inSection <{P}/section/ii-1> ;
    bp:sourceSection "II.1" ;
    bp:itemOrdinal 1 ;
    bp:sectionPath "II.1, bullet 1" ;
    bp:verbatimText "Nghiên cứu, ứng dụng và chuyển giao công nghệ sinh học trong xử lý chất thải chăn nuôi, phụ phẩm nông nghiệp và phục hồi môi trường bị ô nhiễm trên địa bàn tỉnh, ưu tiên các chế phẩm sinh học được sản xuất trong nước."@vi ;
    rdfs:label "Nghiên cứu, ứng dụng và chuyển giao công nghệ sinh học trong xử lý chất thải chăn nuôi, phụ phẩm nông nghiệp và phục hồi môi trường bị ô nhiễm trên địa bàn tỉnh, ưu tiên các chế phẩm sinh học được sản xuất trong nước."@vi ,
        "Research, apply and transfer biotechnology for treating livestock waste and agricultural by-products and restoring polluted environments in the province, favouring domestic bio-preparations."@en ;
    bp:taskArea ta:science-technology ;
    bp:wasteDomain wd:livestock-waste , wd:agricultural-byproducts ;
    dct:temporal [ a bp:Timeframe ; bp:timeframeText "Năm 2025-2030"@vi ; bp:startYear 2025 ; bp:endYear 2030 ] ;
    m8g:hasParticipation <{TASK}/participation/1> , <{TASK}/participation/2> , <{TASK}/participation/3> ;
    bp:leadAgency <{DEPT_ST}> ;
    bp:cooperatingAgency <{DEPT_NRE}> , <{ID}org/vn/bo-khoa-hoc-va-cong-nghe> ;
    dct:source <{P}> .

<{TASK}/participation/1> a m8g:Participation ;
    m8g:hasParticipant <{DEPT_ST}> ;
    m8g:role role:lead ;
    rdfs:label "Sở Khoa học và Công nghệ chủ trì"@vi , "The Department of Science and Technology leads"@en .

<{TASK}/participation/2> a m8g:Participation ;
    m8g:hasParticipant <{DEPT_NRE}> ;
    m8g:role role:cooperating ;
    rdfs:label "Sở Tài nguyên và Môi trường phối hợp"@vi , "The Department of Natural Resources and Environment co-operates"@en .

<{TASK}/participation/3> a m8g:Participation ;
    m8g:hasParticipant <{ID}org/vn/bo-khoa-hoc-va-cong-nghe> ;
    m8g:role role:cooperating ;
    rdfs:label "Bộ Khoa học và Công nghệ phối hợp"@vi , "The Ministry of Science and Technology co-operates"@en .

<{SOLUTION}> a bp:Solution ;
    bp:isItemOf <{P}> ;
    pplan:isStepOfPlan <{P}> ;
    bp:inSection <{P}/section/ii-1> ;
    bp:sourceSection "II.1" ;
    bp:itemOrdinal 2 ;
    bp:sectionPath "II.1, bullet 2" ;
    bp:verbatimText "Đẩy mạnh hợp tác với các viện, trường trong nghiên cứu chế phẩm sinh học."@vi ;
    bp:ocrSourceText "Đẩy mạnh hợp tác vó'i các viện, trường trong nghiên cứu chế phẩm sinh học." ;
    skos:editorialNote "Sửa lỗi OCR: 'vó'i' thành 'với'."@vi , "OCR corrected: 'vó'i' -> 'với'."@en ;
    rdfs:label "Đẩy mạnh hợp tác với các viện, trường trong nghiên cứu chế phẩm sinh học."@vi ,
        "Step up co-operation with institutes and universities on researching bio-preparations."@en ;
    bp:taskArea ta:science-technology , ta:education ;
    dct:source <{P}> .

<{FUNDING}> a bp:FundingProvision ;
    bp:isItemOf <{P}> ;
    bp:inSection <{P}/section/iii> ;
    bp:sourceSection "III" ;
    bp:itemOrdinal 1 ;
    bp:sectionPath "III, paragraph 1" ;
    bp:verbatimText "Kinh phí thực hiện Kế hoạch được bố trí từ nguồn ngân sách tỉnh theo phân cấp hiện hành."@vi ;
    rdfs:label "Kinh phí thực hiện Kế hoạch được bố trí từ nguồn ngân sách tỉnh theo phân cấp hiện hành."@vi ,
        "The plan is funded from the provincial budget under the current decentralisation."@en ;
    bp:fundingSource fs:provincial-budget ;
    dct:source <{P}> .

<{DUTY}> a bp:AgencyDuty ;
    bp:isItemOf <{P}> ;
    pplan:isStepOfPlan <{P}> ;
    bp:inSection <{P}/section/iv> ;
    bp:sourceSection "IV" ;
    bp:itemOrdinal 1 ;
    bp:sectionPath "IV.1" ;
    bp:verbatimText "Các sở, ban, ngành định kỳ trước ngày 30 tháng 11 hằng năm báo cáo kết quả thực hiện về UBND tỉnh (qua Sở Khoa học và Công nghệ)."@vi ;
    rdfs:label "Các sở, ban, ngành định kỳ trước ngày 30 tháng 11 hằng năm báo cáo kết quả thực hiện về UBND tỉnh (qua Sở Khoa học và Công nghệ)."@vi ,
        "The departments and agencies report their results to the People's Committee (through the Department of Science and Technology) before 30 November every year."@en ;
    bp:taskArea ta:monitoring-reporting ;
    m8g:hasParticipation <{DUTY}/participation/1> , <{DUTY}/participation/2> , <{DUTY}/participation/3> ;
    bp:implementingAgency <{ID}org/binh-thuan/cac-so-ban-nganh> ;
    bp:reportingAgency <{ID}org/binh-thuan/cac-so-ban-nganh> ;
    bp:reportRecipient <{UBND}> ;
    dct:source <{P}> .

<{DUTY}/participation/1> a m8g:Participation ;
    m8g:hasParticipant <{ID}org/binh-thuan/cac-so-ban-nganh> ;
    m8g:role role:implementing ;
    rdfs:label "Các sở, ban, ngành thực hiện"@vi , "The departments and agencies implement"@en .

<{DUTY}/participation/2> a m8g:Participation ;
    m8g:hasParticipant <{ID}org/binh-thuan/cac-so-ban-nganh> ;
    m8g:role role:reporting ;
    rdfs:label "Các sở, ban, ngành báo cáo"@vi , "The departments and agencies report"@en .

<{DUTY}/participation/3> a m8g:Participation ;
    m8g:hasParticipant <{UBND}> ;
    m8g:role role:report-recipient ;
    rdfs:label "UBND tỉnh nhận báo cáo"@vi , "The People's Committee receives the reports"@en .

# ---- the quantified target and the reporting obligation

<{TARGET}> a bp:QuantifiedTarget ;
    bp:targetOf <{P}> ;
    bp:statedIn <{OBJECTIVE}> ;
    rdfs:label "Tăng tối thiểu 10% doanh nghiệp sản xuất chế phẩm sinh học xử lý chất thải"@vi ,
        "At least 10% more enterprises producing bio-preparations for waste treatment"@en ;
    bp:indicator "Số doanh nghiệp sản xuất chế phẩm sinh học xử lý chất thải"@vi ,
        "Number of enterprises producing bio-preparations for waste treatment"@en ;
    bp:comparator cmp:increase-at-least ;
    schema:value 10.0 ;
    schema:unitCode "P1" ; schema:unitText "%" ;
    bp:baselineText "so với hiện tại"@vi ;
    bp:targetYear 2030 ;
    bp:sectionPath "I.2, bullet 1" ;
    dct:source <{P}> .

<{OBLIGATION}> a bp:ReportingObligation ;
    bp:obligationOf <{P}> ;
    prov:wasDerivedFrom <{DUTY}> ;
    bp:reportingAgency <{ID}org/binh-thuan/cac-so-ban-nganh> ;
    bp:reportRecipient <{UBND}> ;
    bp:via <{DEPT_ST}> ;
    bp:reportSubject "kết quả thực hiện Kế hoạch"@vi , "the results of the Plan"@en ;
    bp:deadlineText "Định kỳ trước ngày 30 tháng 11 hằng năm"@vi ;
    bp:schedule [ a schema:Schedule ; schema:repeatFrequency "P1Y" ; schema:byMonth 11 ; schema:byMonthDay 30 ] ;
    rdfs:label "Báo cáo hằng năm trước 30/11 về UBND tỉnh"@vi , "Annual report before 30 November to the People's Committee"@en ;
    bp:sectionPath "IV.1" ;
    dct:source <{P}> .

# ---- a progress report on the plan, by the lead of its task

<{REPORT}> a bp:ProgressReport ;
    rdfs:label "Báo cáo năm 2025"@vi , "Progress report for 2025"@en ;
    bp:reportOn <{P}> ; bp:submittedBy <{DEPT_ST}> ; bp:reportingYear 2025 ;
    dct:issued "2025-11-20T08:00:00Z"^^xsd:dateTime ;
    bp:deadline "2025-11-30"^^xsd:date ; bp:isLate false ; bp:fulfils <{OBLIGATION}> ;
    bp:hasTaskProgress <{PROGRESS}> ;
    bp:hasIndicatorValue <{VALUE}> .

<{PROGRESS}> a bp:TaskProgress ;
    bp:progressOf <{TASK}> ; bp:status ps:in-progress ;
    bp:narrative "Đang thực hiện."@vi , "Under way."@en ;
    bp:evidence <https://example.org/evidence/1> .

<{VALUE}> a bp:IndicatorValue ;
    bp:valueFor <{TARGET}> ; schema:value 3 ; schema:unitCode "P1" .
"""


@dataclass(frozen=True)
class Variant:
    """One way of breaking the base graph, and the shape that must report it."""

    id: str
    shape: str  # local name in the vbs: namespace
    update: str  # SPARQL Update, without PREFIX declarations

    @property
    def shape_iri(self) -> str:
        return SHAPES_NS + self.shape

    @property
    def sparql(self) -> str:
        # Each operation gets its own PREFIX declarations: rdflib 7 loses some prefixes (dct:) when it
        # carries the prologue over to the next operation of a multi-operation update.
        return OP.join(sparql_prologue() + operation for operation in self.update.split(OP))


def _replace(subject: str, prop: str, old: str, new: str) -> str:
    return f"DELETE DATA {{ <{subject}> {prop} {old} }}{OP}INSERT DATA {{ <{subject}> {prop} {new} }}"


def _drop(subject: str, prop: str) -> str:
    return f"DELETE WHERE {{ <{subject}> {prop} ?value }}"


def _add(triples: str) -> str:
    return f"INSERT DATA {{ {triples} }}"


def _drop_lang(subject: str, prop: str, lang: str) -> str:
    return f'DELETE {{ <{subject}> {prop} ?v }} WHERE {{ <{subject}> {prop} ?v FILTER (LANG(?v) = "{lang}") }}'


# A change event of the 2025 reorganisation, complete except for the properties left out: the base
# graph has none, so the change-event variants add one that lacks what their rule requires.
EVENT = ID + "event/2025-03-01/binh-thuan-so-tai-nguyen-va-moi-truong"
EVENT_PARTS = {
    "org:originalOrganization": f"<{DEPT_NRE}>",
    "org:resultingOrganization": f"<{DEPT_ST}>",
    "dct:date": '"2025-03-01"^^xsd:date',
    "m8g:hasFormalFramework": f"<{DECISION}>",
}


def _event(kind: str = "bp:Merger", without: str = "", **replaced: str) -> str:
    """INSERT DATA of a change event of the given kind, without one property or with values replaced
    (keyword names use `_` for `:`)."""
    parts = {
        prop: replaced.get(prop.replace(":", "_"), value) for prop, value in EVENT_PARTS.items() if prop != without
    }
    body = " ; ".join(f"{prop} {value}" for prop, value in parts.items())
    return _add(f'<{EVENT}> a {kind} , org:ChangeEvent ; rdfs:label "Sự kiện"@vi , "Event"@en ; {body} .')


# The numbered rules of the brief are noted as "(rule n)".
VIOLATIONS: list[Variant] = [
    # reports.ttl
    Variant("report-without-plan", "Report-plan", _drop(REPORT, "bp:reportOn")),
    Variant("report-on-a-missing-plan", "Report-plan", _replace(REPORT, "bp:reportOn", f"<{P}>", f"<{P}-none>")),
    Variant("report-without-agency", "Report-agency", _drop(REPORT, "bp:submittedBy")),
    Variant("report-year-as-text", "Report-year", _replace(REPORT, "bp:reportingYear", "2025", '"2025"')),
    Variant("report-without-issued", "Report-issued", _drop(REPORT, "dct:issued")),
    Variant("report-without-tasks", "Report-tasks", _drop(REPORT, "bp:hasTaskProgress")),
    Variant(
        "report-deadline-as-text",
        "Report-deadline",
        _replace(REPORT, "bp:deadline", '"2025-11-30"^^xsd:date', '"30/11/2025"'),
    ),
    Variant("report-late-twice", "Report-late", _add(f"<{REPORT}> bp:isLate true .")),
    Variant("report-year-before-plan", "ReportYearRule", _replace(REPORT, "bp:reportingYear", "2025", "2024")),
    Variant("report-year-after-plan", "ReportYearRule", _replace(REPORT, "bp:reportingYear", "2025", "2031")),
    Variant(
        "report-year-not-begun",
        "ReportYearRule",
        _drop(REPORT, "dct:issued") + OP + _add(f'<{REPORT}> dct:issued "2024-12-20T08:00:00Z"^^xsd:dateTime .'),
    ),
    Variant(
        "report-by-agency-without-role",
        "ReportAgencyRule",
        _replace(REPORT, "bp:submittedBy", f"<{DEPT_ST}>", f"<{ID}org/binh-thuan/so-tu-phap>")
        + OP
        + _add(f'<{ID}org/binh-thuan/so-tu-phap> a bp:Agency ; rdfs:label "Sở Tư pháp"@vi .'),
    ),
    Variant(
        "two-current-reports",
        "ReportCurrentRule",
        _add(
            f"<{REPORT}-2> a bp:ProgressReport ; bp:reportOn <{P}> ; bp:submittedBy <{DEPT_ST}> ; "
            f'bp:reportingYear 2025 ; dct:issued "2025-11-21T08:00:00Z"^^xsd:dateTime ; bp:hasTaskProgress <{PROGRESS}> .'
        ),
    ),
    Variant("progress-without-item", "TaskProgress-item", _drop(PROGRESS, "bp:progressOf")),
    Variant(
        "status-outside-scheme",
        "TaskProgress-status",
        _replace(PROGRESS, "bp:status", "ps:in-progress", "cmp:at-least"),
    ),
    Variant("status-twice", "TaskProgress-status", _add(f"<{PROGRESS}> bp:status ps:completed .")),
    Variant("narrative-without-vietnamese", "TaskProgress-narrative", _drop_lang(PROGRESS, "bp:narrative", "vi")),
    Variant(
        "narrative-in-french", "TaskProgress-narrativeLanguages", _add(f'<{PROGRESS}> bp:narrative "En cours."@fr .')
    ),
    Variant(
        "evidence-as-text",
        "TaskProgress-evidence",
        _replace(PROGRESS, "bp:evidence", "<https://example.org/evidence/1>", '"https://example.org/evidence/1"'),
    ),
    Variant(
        "evidence-javascript-link",
        "TaskProgress-evidence",
        _replace(PROGRESS, "bp:evidence", "<https://example.org/evidence/1>", "<javascript:alert(1)>"),
    ),
    Variant(
        "task-of-another-plan",
        "TaskInPlanRule",
        _replace(PROGRESS, "bp:progressOf", f"<{TASK}>", f"<{DECISION}/task-group/1>"),
    ),
    Variant("value-without-target", "IndicatorValue-target", _drop(VALUE, "bp:valueFor")),
    Variant("value-as-text", "IndicatorValue-value", _replace(VALUE, "schema:value", "3", '"ba"')),
    Variant("value-in-no-unit", "IndicatorValue-unit", _replace(VALUE, "schema:unitCode", '"P1"', '"doanh nghiệp"')),
    Variant(
        "value-in-another-unit",
        "IndicatorUnitOfTargetRule",  # the target is in percent (P1); tonnes is a unit code, but not its unit
        _replace(VALUE, "schema:unitCode", '"P1"', '"TNE"'),
    ),
    Variant(
        "value-for-a-national-target",
        "IndicatorOfReportedPlanRule",
        _replace(VALUE, "bp:valueFor", f"<{TARGET}>", f"<{DECISION}/target/1>"),
    ),
    # documents.ttl
    Variant("plan-implements-nothing", "Plan-implements", _drop(P, "eli:ensures_implementation_of")),  # rule 1
    Variant(
        "party-plan-implements-nothing",
        "Plan-implements",  # rule 1
        f"DELETE DATA {{ <{P}> a bp:ProvincialPlan }}{OP}INSERT DATA {{ <{P}> a bp:PartyPlan }}{OP}"
        + _drop(P, "eli:ensures_implementation_of"),
    ),
    Variant(
        "plan-implements-unknown",
        "Plan-implementsInstrument",
        _replace(P, "eli:ensures_implementation_of", f"<{DECISION}>", f"<{ID}doc/ttg/qd/2024/9999>"),
    ),
    Variant("number-abc", "PolicyInstrument-number", _replace(DECISION, "eli:id_local", '"1639/QĐ-TTg"', '"abc"')),  # 2
    Variant(
        "number-digits-only",
        "PolicyInstrument-number",  # rule 2
        _replace(DECISION, "eli:id_local", '"1639/QĐ-TTg"', '"1639"'),
    ),
    Variant(
        "number-symbol-only",
        "PolicyInstrument-number",  # rule 2
        _replace(DECISION, "eli:id_local", '"1639/QĐ-TTg"', '"QĐ-TTg"'),
    ),
    Variant(
        "date-as-string",
        "PolicyInstrument-dates",  # rule 3
        _replace(P, "eli:date_document", '"2025-02-26"^^xsd:date', '"26/02/2025"'),
    ),
    Variant(
        "date-earliest-datetime",
        "PolicyInstrument-dates",  # rule 3
        _add(f'<{P}> bp:dateEarliest "2025-02-01T00:00:00"^^xsd:dateTime .'),
    ),
    Variant(
        "two-issue-dates", "PolicyInstrument-issueDateCount", _add(f'<{P}> eli:date_document "2025-02-27"^^xsd:date .')
    ),
    Variant(
        "date-window-reversed",
        "DateWindowRule",
        _add(f'<{P}> bp:dateEarliest "2025-03-01"^^xsd:date ; bp:dateLatest "2025-01-31"^^xsd:date .'),
    ),
    Variant("plan-without-jurisdiction", "Plan-jurisdiction", _drop(P, "eli:jurisdiction")),
    Variant("plan-without-issuer", "PlanIssuedOrDraftShape", _drop(P, "eli:passed_by")),
    Variant(  # a draft was passed by nobody
        "draft-with-issuer", "PlanIssuedOrDraftShape", _add(f"<{P}> bp:isDraft true ; eli:responsibility_of <{UBND}> .")
    ),
    Variant("plan-issued-by-a-person", "Plan-issuer", _replace(P, "eli:passed_by", f"<{UBND}>", f"<{ID}person/x>")),
    Variant("plan-without-type", "Plan-documentType", _drop(P, "eli:type_document")),
    Variant("plan-title-english-only", "Plan-title", _drop_lang(P, "eli:title", "vi")),
    # items.ttl
    Variant("item-without-document", "PlanItem-document", _drop(OBJECTIVE, "bp:isItemOf")),
    Variant("item-without-section", "PlanItem-section", _drop(OBJECTIVE, "bp:inSection")),
    Variant("item-without-source", "PlanItem-source", _drop(OBJECTIVE, "dct:source")),  # rule 13
    Variant(
        "item-source-elsewhere",
        "PlanItem-sourceIsDocument",
        _replace(OBJECTIVE, "dct:source", f"<{P}>", f"<{DECISION}>"),
    ),
    Variant("item-without-source-section", "PlanItem-sourceSection", _drop(OBJECTIVE, "bp:sourceSection")),  # 13
    Variant(
        "item-source-section-malformed",
        "PlanItem-sourceSection",
        _replace(OBJECTIVE, "bp:sourceSection", '"I.2"', '"I.2 (bullet)"'),
    ),
    Variant("item-without-ordinal", "PlanItem-ordinal", _drop(OBJECTIVE, "bp:itemOrdinal")),  # rule 13
    Variant("item-ordinal-zero", "PlanItem-ordinal", _replace(OBJECTIVE, "bp:itemOrdinal", "1", "0")),
    Variant("item-without-section-path", "PlanItem-sectionPath", _drop(OBJECTIVE, "bp:sectionPath")),  # rule 13
    Variant(
        "item-without-vietnamese-text",
        "PlanItem-verbatimText",  # rule 13
        f"DELETE {{ <{OBJECTIVE}> bp:verbatimText ?v }} INSERT {{ <{OBJECTIVE}> bp:verbatimText ?en }} "
        f'WHERE {{ <{OBJECTIVE}> bp:verbatimText ?v BIND (STRLANG(STR(?v), "en") AS ?en) }}',
    ),
    Variant(
        "item-section-id-mismatch",
        "PlanItem-sectionIdMatches",
        _replace(SOLUTION, "bp:sourceSection", '"II.1"', '"II.2"'),
    ),
    Variant(
        "item-in-other-documents-section",
        "PlanItem-sectionInDocument",
        _replace(OBJECTIVE, "bp:inSection", f"<{P}/section/i-2>", f"<{DECISION}/task-group/1>"),
    ),
    Variant("item-ordinal-gap", "SectionNumberingRule", _replace(SOLUTION, "bp:itemOrdinal", "2", "3")),
    Variant("item-ordinal-duplicate", "SectionNumberingRule", _replace(SOLUTION, "bp:itemOrdinal", "2", "1")),
    Variant(
        "item-label-not-verbatim",
        "ItemLabelRule",
        _replace(
            SOLUTION,
            "rdfs:label",
            '"Đẩy mạnh hợp tác với các viện, trường trong nghiên cứu chế phẩm sinh học."@vi',
            '"Hợp tác với các viện, trường"@vi',
        ),
    ),
    Variant("task-not-step-of-plan", "Step-plan", _drop(TASK, "pplan:isStepOfPlan")),  # rule 4
    Variant("solution-not-step-of-plan", "Step-plan", _drop(SOLUTION, "pplan:isStepOfPlan")),  # rule 4
    Variant("duty-not-step-of-plan", "Step-plan", _drop(DUTY, "pplan:isStepOfPlan")),  # rule 4
    Variant(
        "step-of-other-plan",
        "Step-planIsDocument",
        _add(f"<{ID}doc/binh-thuan/ubnd/kh/2024/ctr-64> a bp:ProvincialPlan . ")
        + OP
        + _replace(TASK, "pplan:isStepOfPlan", f"<{P}>", f"<{ID}doc/binh-thuan/ubnd/kh/2024/ctr-64>"),
    ),
    Variant("objective-as-step", "StepOfPlanShape", _add(f"<{OBJECTIVE}> pplan:isStepOfPlan <{P}> .")),
    Variant(
        "section-id-malformed",
        "Section-sourceSection",
        _replace(f"{P}/section/iii", "bp:sourceSection", '"III"', '"Phần III"'),
    ),
    Variant("section-without-parent", "Section-parent", _drop(f"{P}/section/iii", "eli:is_part_of")),
    Variant(
        "section-not-listed-by-parent",
        "Section-parentListsIt",
        f"DELETE DATA {{ <{P}> eli:has_part <{P}/section/iii> }}",
    ),
    Variant("section-without-source", "Section-source", _drop(f"{P}/section/iii", "dct:source")),
    Variant("transcribed-section-without-id", "TranscribedSectionRule", _drop(f"{P}/section/i", "bp:sourceSection")),
    Variant("ocr-correction-without-note", "OcrCorrection-note", _drop_lang(SOLUTION, "skos:editorialNote", "vi")),
    # agencies.ttl
    Variant("agency-without-province", "Agency-province", _drop(DEPT_NRE, "bp:province")),
    Variant("agency-without-kind", "Agency-kind", _drop(DEPT_NRE, "bp:agencyKind")),
    Variant("agency-with-two-kinds", "Agency-kind", _add(f"<{DEPT_NRE}> bp:agencyKind ak:public-centre .")),
    Variant(
        "agency-parent-unknown",
        "Agency-parent",
        _replace(DEPT_NRE, "org:subOrganizationOf", f"<{UBND}>", f"<{ID}org/binh-thuan/ubnd>"),
    ),
    Variant(
        "agency-area-not-its-iri",
        "AgencyAreaIriRule",
        _replace(
            f"{ID}org/binh-thuan/cac-so-ban-nganh", "bp:province", f"<{ID}area/binh-thuan>", f"<{ID}area/lang-son>"
        ),
    ),
    Variant(
        "participation-with-two-participants",
        "Participation-participant",
        _add(f"<{TASK}/participation/2> m8g:hasParticipant <{UBND}> ."),
    ),
    Variant(
        "participant-not-organisation",
        "Participation-participantIsOrganisation",  # rule 6
        _replace(
            f"{TASK}/participation/3", "m8g:hasParticipant", f"<{ID}org/vn/bo-khoa-hoc-va-cong-nghe>", f"<{ID}area/vn>"
        ),
    ),
    Variant("participation-without-role", "Participation-role", _drop(f"{TASK}/participation/1", "m8g:role")),
    Variant(
        "task-with-two-leads",
        "AgencyRoles-oneLead",  # rule 5
        _add(
            f"<{TASK}> bp:leadAgency <{DEPT_NRE}> ; m8g:hasParticipation <{TASK}/participation/4> . "
            f"<{TASK}/participation/4> a m8g:Participation ; m8g:hasParticipant <{DEPT_NRE}> ; "
            f"m8g:role role:lead ."
        ),
    ),
    Variant(
        "lead-not-organisation",
        "AgencyRoles-agencyIsOrganisation",  # rule 6
        _replace(TASK, "bp:leadAgency", f"<{DEPT_ST}>", f"<{ID}person/tran-phuoc-hien>")
        + OP
        + _replace(f"{TASK}/participation/1", "m8g:hasParticipant", f"<{DEPT_ST}>", f"<{ID}person/tran-phuoc-hien>"),
    ),
    Variant(
        "cooperating-not-organisation",
        "AgencyRoles-agencyIsOrganisation",  # rule 6
        _replace(TASK, "bp:cooperatingAgency", f"<{DEPT_NRE}>", f"<{ID}area/binh-thuan>"),
    ),
    Variant(
        "agency-of-other-province",
        "ParticipantProvinceRule",  # rule 7
        _add(
            f"<{ID}org/lang-son/so-khoa-hoc-va-cong-nghe> a bp:Agency , m8g:PublicOrganisation ; "
            f'rdfs:label "Sở Khoa học và Công nghệ tỉnh Lạng Sơn"@vi ; '
            f"bp:agencyKind ak:provincial-department ; bp:province <{ID}area/lang-son> . "
            f"<{TASK}> bp:cooperatingAgency <{ID}org/lang-son/so-khoa-hoc-va-cong-nghe> ; "
            f"m8g:hasParticipation <{TASK}/participation/4> . "
            f"<{TASK}/participation/4> a m8g:Participation ; "
            f"m8g:hasParticipant <{ID}org/lang-son/so-khoa-hoc-va-cong-nghe> ; m8g:role role:cooperating ."
        ),
    ),
    Variant(
        "shortcut-without-participation",
        "ShortcutParticipationRule",
        f"DELETE DATA {{ <{TASK}> m8g:hasParticipation <{TASK}/participation/2> }}",
    ),
    Variant(
        "lead-shortcut-without-participation",
        "ShortcutParticipationRule",
        _replace(f"{TASK}/participation/1", "m8g:role", "role:lead", "role:cooperating"),
    ),
    Variant(
        "participation-without-shortcut",
        "ParticipationShortcutRule",
        f"DELETE DATA {{ <{TASK}> bp:cooperatingAgency <{DEPT_NRE}> }}",
    ),
    Variant("lead-participation-without-shortcut", "ParticipationShortcutRule", _drop(TASK, "bp:leadAgency")),
    # agencies.ttl: change events
    Variant("event-without-original", "ChangeEvent-original", _event(without="org:originalOrganization")),
    Variant("event-without-date", "ChangeEvent-date", _event(without="dct:date")),
    Variant("event-date-as-string", "ChangeEvent-date", _event(dct_date='"01/03/2025"')),
    Variant("event-without-legal-basis", "ChangeEvent-legalBasis", _event(without="m8g:hasFormalFramework")),
    # the legal basis is a State (bp:LegalInstrument) or a Party instrument (bp:PartyInstrument): neither fails
    Variant(
        "event-legal-basis-not-an-instrument", "ChangeEvent-legalBasis", _event(m8g_hasFormalFramework=f"<{UBND}>")
    ),
    Variant(
        "event-legal-basis-a-part-of-an-instrument",
        "ChangeEvent-legalBasis",
        _event(m8g_hasFormalFramework=f"<{DECISION}/task-group/1>"),
    ),
    Variant(
        "transfer-without-receiver",
        "ChangeEventResultRule",
        _event("bp:TransferOfFunctions", without="org:resultingOrganization"),
    ),
    # targets.ttl
    Variant("target-without-value", "Target-value", _drop(TARGET, "schema:value")),  # rule 9
    Variant("target-value-as-text", "Target-value", _replace(TARGET, "schema:value", "10.0", '"10%"')),  # rule 9
    Variant(
        "target-without-unit",
        "TargetUnitRule",  # rule 9
        _drop(TARGET, "schema:unitCode") + OP + _drop(TARGET, "schema:unitText"),
    ),
    Variant("target-without-document", "Target-document", _drop(TARGET, "bp:targetOf")),
    Variant(
        "target-stated-in-section",
        "Target-statedIn",
        _replace(TARGET, "bp:statedIn", f"<{OBJECTIVE}>", f"<{P}/section/i-2>"),
    ),
    Variant("target-without-comparator", "Target-comparator", _drop(TARGET, "bp:comparator")),
    Variant("target-year-as-text", "Target-targetYear", _replace(TARGET, "bp:targetYear", "2030", '"2030"')),
    Variant("target-without-source", "Target-source", _drop(TARGET, "dct:source")),
    Variant(
        "target-section-path-tagged",
        "Target-sectionPath",
        _replace(TARGET, "bp:sectionPath", '"I.2, bullet 1"', '"I.2, bullet 1"@vi'),
    ),
    Variant(
        "target-not-listed-by-item",
        "Target-listedByItem",
        f"DELETE DATA {{ <{OBJECTIVE}> bp:hasTarget <{TARGET}> }}",
    ),
    Variant("transcribed-target-without-place", "TranscribedTargetRule", _drop(TARGET, "bp:sectionPath")),
    # obligations.ttl
    Variant("obligation-without-recipient", "Obligation-recipient", _drop(OBLIGATION, "bp:reportRecipient")),  # 10
    Variant("obligation-without-deadline", "ObligationDeadlineRule", _drop(OBLIGATION, "bp:schedule")),  # rule 10
    Variant(
        "unscheduled-obligation-without-text",
        "ObligationDeadlineRule",  # rule 10
        _drop(OBLIGATION, "bp:schedule")
        + OP
        + _drop(OBLIGATION, "bp:deadlineText")
        + OP
        + _add(f"<{OBLIGATION}> bp:isUnscheduled true ."),
    ),
    Variant("obligation-without-reporter", "Obligation-reporter", _drop(OBLIGATION, "bp:reportingAgency")),
    Variant("obligation-without-document", "Obligation-document", _drop(OBLIGATION, "bp:obligationOf")),
    Variant(
        "obligation-derived-from-section",
        "Obligation-derivedFrom",
        _replace(OBLIGATION, "prov:wasDerivedFrom", f"<{DUTY}>", f"<{P}/section/iv>"),
    ),
    Variant(
        "due-date-as-string",
        "Obligation-dueDate",  # rule 3
        _add(f'<{OBLIGATION}> bp:dueDate "30/11/2025" .'),
    ),
    Variant(
        "schedule-untyped",
        "Obligation-schedule",
        f"DELETE {{ ?schedule a schema:Schedule }} WHERE {{ <{OBLIGATION}> bp:schedule ?schedule }}",
    ),
    Variant("unscheduled-not-boolean", "Obligation-unscheduled", _add(f'<{OBLIGATION}> bp:isUnscheduled "yes" .')),
    Variant("obligation-without-source", "Obligation-source", _drop(OBLIGATION, "dct:source")),
    Variant(
        "obligation-section-path-number",
        "Obligation-sectionPath",
        _replace(OBLIGATION, "bp:sectionPath", '"IV.1"', "4"),
    ),
    Variant(
        "transcribed-obligation-without-item", "TranscribedObligationRule", _drop(OBLIGATION, "prov:wasDerivedFrom")
    ),
    Variant(
        "schedule-frequency-in-words",
        "Schedule-frequency",
        f'DELETE {{ ?s schema:repeatFrequency "P1Y" }} INSERT {{ ?s schema:repeatFrequency "hằng năm" }} '
        f"WHERE {{ <{OBLIGATION}> bp:schedule ?s }}",
    ),
    Variant(
        "schedule-month-13",
        "Schedule-month",
        f"DELETE {{ ?s schema:byMonth 11 }} INSERT {{ ?s schema:byMonth 13 }} WHERE {{ <{OBLIGATION}> bp:schedule ?s }}",
    ),
    Variant(
        "schedule-day-32",
        "Schedule-day",
        f"DELETE {{ ?s schema:byMonthDay 30 }} INSERT {{ ?s schema:byMonthDay 32 }} "
        f"WHERE {{ <{OBLIGATION}> bp:schedule ?s }}",
    ),
    # vocabularies.ttl
    Variant(
        "role-outside-scheme",
        "Participation-roleInScheme",  # rule 11
        _replace(f"{TASK}/participation/2", "m8g:role", "role:cooperating", "ak:provincial-department"),
    ),
    Variant(
        "role-unknown",
        "Participation-roleInScheme",  # rule 11
        _replace(f"{TASK}/participation/2", "m8g:role", "role:cooperating", "role:chair"),
    ),
    Variant(
        "waste-domain-outside-scheme",
        "Classification-wasteDomain",  # rule 12
        _replace(TASK, "bp:wasteDomain", "wd:livestock-waste", "fs:provincial-budget"),
    ),
    Variant(
        "funding-source-outside-scheme",
        "Classification-fundingSource",  # rule 12
        _replace(FUNDING, "bp:fundingSource", "fs:provincial-budget", "fs:lottery"),
    ),
    Variant(
        "task-area-outside-scheme",
        "Classification-taskArea",  # rule 12
        _replace(TASK, "bp:taskArea", "ta:science-technology", "wd:livestock-waste"),
    ),
    Variant(
        "agency-kind-outside-scheme",
        "Agency-kindInScheme",  # rule 12
        _replace(DEPT_NRE, "bp:agencyKind", "ak:provincial-department", "ak:ministry-department"),
    ),
    Variant(
        "document-type-outside-scheme",
        "PolicyInstrument-typeInScheme",
        _replace(P, "eli:type_document", "dt:kh", "dt:plan"),
    ),
    Variant(
        "comparator-outside-scheme",
        "Target-comparatorInScheme",
        _replace(TARGET, "bp:comparator", "cmp:increase-at-least", "cmp:about"),
    ),
    Variant(
        "concept-without-scheme",
        "Concept-scheme",
        _add('ta:space a skos:Concept ; skos:prefLabel "Vũ trụ"@vi , "Space"@en .'),
    ),
    Variant(
        "concept-with-two-vietnamese-labels",
        "Concept-onePrefLabelPerLanguage",
        _add('ta:education skos:prefLabel "Giáo dục và đào tạo nghề"@vi .'),
    ),
    # labels.ttl
    Variant(
        "agency-without-vietnamese-label",
        "Labelled-vietnameseLabel",  # rule 8
        _drop_lang(DEPT_NRE, "rdfs:label", "vi"),
    ),
    Variant("item-without-vietnamese-label", "Labelled-vietnameseLabel", _drop_lang(FUNDING, "rdfs:label", "vi")),
    Variant("target-without-vietnamese-label", "Labelled-vietnameseLabel", _drop_lang(TARGET, "rdfs:label", "vi")),
    Variant(
        "concept-without-vietnamese-label",
        "Concept-vietnamesePrefLabel",  # rule 8
        _drop_lang("https://w3id.org/vn-bioplan/def/waste-domain/livestock-waste", "skos:prefLabel", "vi"),
    ),
    Variant(
        "class-without-vietnamese-label",
        "TermLabelRule",  # rule 8
        _drop_lang("https://w3id.org/vn-bioplan/def/bioplan#Task", "rdfs:label", "vi"),
    ),
    Variant(
        "property-without-vietnamese-label",
        "TermLabelRule",  # rule 8
        _drop_lang("https://w3id.org/vn-bioplan/def/bioplan#leadAgency", "rdfs:label", "vi"),
    ),
    Variant(
        "label-without-language-tag",
        "LanguageTag-labels",  # rule 8
        _add(f'<{DEPT_NRE}> rdfs:label "Sở Tài nguyên và Môi trường" .'),
    ),
    Variant(
        "alt-label-without-language-tag",
        "LanguageTag-labels",  # rule 8
        _replace(DEPT_ST, "skos:altLabel", '"Sở KH&CN"@vi', '"Sở KH&CN"'),
    ),
    Variant(
        "deadline-text-without-language-tag",
        "TextLanguage-tagged",
        _replace(
            OBLIGATION,
            "bp:deadlineText",
            '"Định kỳ trước ngày 30 tháng 11 hằng năm"@vi',
            '"Định kỳ trước ngày 30 tháng 11 hằng năm"',
        ),
    ),
]

WARNINGS: list[Variant] = [
    Variant("agency-without-english-label", "Labelled-englishLabel", _drop_lang(DEPT_NRE, "rdfs:label", "en")),
    Variant(
        "agency-with-two-vietnamese-labels",
        "Labelled-oneLabelPerLanguage",
        _add(f'<{DEPT_NRE}> rdfs:label "Sở TN&MT"@vi .'),
    ),
    Variant(
        "concept-without-english-label",
        "Concept-englishPrefLabel",
        _drop_lang("https://w3id.org/vn-bioplan/def/waste-domain/livestock-waste", "skos:prefLabel", "en"),
    ),
    Variant(
        "class-without-english-label",
        "TermEnglishLabelRule",
        _drop_lang("https://w3id.org/vn-bioplan/def/bioplan#Task", "rdfs:label", "en"),
    ),
    Variant("plan-without-english-title", "Plan-englishTitle", _drop_lang(P, "eli:title", "en")),
    Variant("plan-without-source-file", "Plan-sourceFile", _drop(P, "bp:sourceFile")),
    Variant(
        "plan-without-focal-point",
        "Plan-focalPoint",
        _drop(P, "bp:focalPointAgency") + OP + _drop(P, "m8g:hasParticipation"),
    ),
    Variant("undated-plan-without-window", "UndatedPlanRule", _drop(P, "eli:date_document")),
    Variant("plan-not-its-own-source", "PlanOwnSourceRule", _drop(P, "dct:source")),
    Variant("participation-without-label", "Participation-label", _drop(f"{TASK}/participation/1", "rdfs:label")),
    Variant("target-without-year", "Target-yearGiven", _drop(TARGET, "bp:targetYear")),
    Variant("target-without-indicator", "Target-indicator", _drop_lang(TARGET, "bp:indicator", "vi")),
    Variant("obligation-without-deadline-text", "Obligation-deadlineText", _drop(OBLIGATION, "bp:deadlineText")),
    Variant("obligation-without-subject", "Obligation-subject", _drop(OBLIGATION, "bp:reportSubject")),
    Variant(
        "ocr-correction-without-english-note",
        "OcrCorrection-englishNote",
        _drop_lang(SOLUTION, "skos:editorialNote", "en"),
    ),
]

# Document numbers the pattern of vbs:PolicyInstrument-number must accept or reject.
GOOD_NUMBERS = [
    "1639/QĐ-TTg",
    "36-NQ/TW",
    "189/NQ-CP",
    "64-CTr/TU",
    "45/2025/NĐ-CP",
    "202/2025/QH15",
    "1600/QĐ-TTg",
    "72/2025/QH15",
    "01/KH-UBND",
]
BAD_NUMBERS = ["abc", "1639", "QĐ-TTg", "1639/", "1639 QĐ-TTg", "1639/qđ-ttg", "Số 1639/QĐ-TTg", "1639/QĐ-TTg "]
