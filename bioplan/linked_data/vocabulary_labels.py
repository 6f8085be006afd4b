"""Vietnamese (and English) names for the terms of other vocabularies that the data uses.

The ontology (ontology/bioplan.ttl) labels its own terms in both languages; the external terms it
reuses (ontology/external.ttl) carry their owners' English labels only, and the RDF, RDFS and OWL
terms none. A Vietnamese page names every property and class it shows in Vietnamese: this table
gives the names the ontology does not, and `with_vocabulary_labels` adds them to the labels read
from the store where those lack one in the reader's language.
"""

from __future__ import annotations

from bioplan.namespaces import PREFIXES

_VI_EN: dict[str, tuple[str, str]] = {
    # RDF, RDFS, OWL
    "rdf:type": ("loại", "type"),
    "rdf:first": ("phần tử đầu", "first"),
    "rdf:rest": ("phần còn lại", "rest"),
    "rdfs:label": ("nhãn", "label"),
    "rdfs:comment": ("chú thích", "comment"),
    "rdfs:seeAlso": ("xem thêm", "see also"),
    "rdfs:isDefinedBy": ("được định nghĩa bởi", "is defined by"),
    "rdfs:subClassOf": ("lớp con của", "subclass of"),
    "rdfs:subPropertyOf": ("thuộc tính con của", "subproperty of"),
    "rdfs:domain": ("miền", "domain"),
    "rdfs:range": ("miền giá trị", "range"),
    "rdfs:Class": ("lớp", "class"),
    "rdf:Property": ("thuộc tính", "property"),
    "owl:Class": ("lớp", "class"),
    "owl:ObjectProperty": ("thuộc tính đối tượng", "object property"),
    "owl:DatatypeProperty": ("thuộc tính dữ liệu", "datatype property"),
    "owl:AnnotationProperty": ("thuộc tính chú thích", "annotation property"),
    "owl:AllDisjointClasses": ("nhóm lớp tách biệt", "disjoint classes"),
    "owl:Ontology": ("bộ từ vựng", "ontology"),
    "owl:members": ("thành viên", "members"),
    "owl:disjointWith": ("tách biệt với", "disjoint with"),
    "owl:inverseOf": ("nghịch đảo của", "inverse of"),
    "owl:versionInfo": ("phiên bản", "version"),
    "owl:versionIRI": ("IRI của phiên bản", "version IRI"),
    # XML Schema datatypes (the ranges of datatype properties)
    "xsd:string": ("chuỗi ký tự", "string"),
    "xsd:boolean": ("đúng hoặc sai", "boolean"),
    "xsd:integer": ("số nguyên", "integer"),
    "xsd:decimal": ("số thập phân", "decimal"),
    "xsd:date": ("ngày", "date"),
    "xsd:dateTime": ("ngày giờ", "date-time"),
    "xsd:gYear": ("năm", "year"),
    "rdf:langString": ("văn bản có ngôn ngữ", "language-tagged string"),
    # ELI: legal documents
    "eli:LegalResource": ("văn bản pháp lý", "legal resource"),
    "eli:LegalResourceSubdivision": ("phần của văn bản pháp lý", "legal resource subdivision"),
    "eli:id_local": ("mã riêng", "local identifier"),
    "eli:number": ("số hiệu", "number"),
    "eli:date_document": ("ngày văn bản", "date of document"),
    "eli:title": ("tiêu đề", "title"),
    "eli:passed_by": ("cơ quan ban hành", "passed by"),
    "eli:type_document": ("loại văn bản", "type of document"),
    "eli:based_on": ("căn cứ", "based on"),
    "eli:cites": ("dẫn chiếu", "cites"),
    "eli:ensures_implementation_of": ("thực hiện", "ensures implementation of"),
    "eli:has_part": ("gồm phần", "has part"),
    "eli:is_part_of": ("là phần của", "is part of"),
    "eli:jurisdiction": ("phạm vi áp dụng", "jurisdiction"),
    "eli:first_date_entry_in_force": ("ngày có hiệu lực", "first date of entry into force"),
    "eli:date_no_longer_in_force": ("ngày hết hiệu lực", "date no longer in force"),
    "eli:responsibility_of": ("thuộc trách nhiệm của", "responsibility of"),
    "eli:repeals": ("bãi bỏ", "repeals"),
    # ORG and the Core Public Organisation vocabulary
    "org:Organization": ("tổ chức", "organization"),
    "org:ChangeEvent": ("sự kiện thay đổi tổ chức", "change event"),
    "org:subOrganizationOf": ("trực thuộc", "sub-organization of"),
    "org:originalOrganization": ("tổ chức trước thay đổi", "original organization"),
    "org:resultingOrganization": ("tổ chức sau thay đổi", "resulting organization"),
    "m8g:PublicOrganisation": ("cơ quan nhà nước", "public organisation"),
    "m8g:AdminUnit": ("đơn vị hành chính", "administrative unit"),
    "m8g:Participation": ("sự tham gia", "participation"),
    "m8g:hasParticipation": ("có sự tham gia", "has participation"),
    "m8g:hasParticipant": ("bên tham gia", "has participant"),
    "m8g:role": ("vai trò", "role"),
    "m8g:hasFormalFramework": ("khung pháp lý", "has formal framework"),
    # P-PLAN, PROV, OWL-Time
    "pplan:Plan": ("kế hoạch", "plan"),
    "pplan:Step": ("bước", "step"),
    "pplan:isStepOfPlan": ("là bước của kế hoạch", "is step of plan"),
    "prov:Entity": ("thực thể", "entity"),
    "prov:Plan": ("kế hoạch", "plan"),
    "prov:Activity": ("hoạt động", "activity"),
    "prov:Agent": ("tác nhân", "agent"),
    "prov:wasDerivedFrom": ("trích từ", "was derived from"),
    "prov:wasAssociatedWith": ("do ai thực hiện", "was associated with"),
    "prov:endedAtTime": ("thời điểm kết thúc", "ended at time"),
    "time:Interval": ("khoảng thời gian", "interval"),
    "time:Instant": ("thời điểm", "instant"),
    # SKOS
    "skos:Concept": ("khái niệm", "concept"),
    "skos:ConceptScheme": ("bộ khái niệm", "concept scheme"),
    "skos:inScheme": ("thuộc bộ khái niệm", "is in scheme"),
    "skos:hasTopConcept": ("khái niệm gốc", "has top concept"),
    "skos:topConceptOf": ("là khái niệm gốc của", "is top concept in scheme"),
    "skos:closeMatch": ("tương đương gần", "has close match"),
    "skos:exactMatch": ("tương đương", "has exact match"),
    "skos:broader": ("khái niệm rộng hơn", "has broader"),
    "skos:narrower": ("khái niệm hẹp hơn", "has narrower"),
    "skos:prefLabel": ("tên gọi", "preferred label"),
    "skos:altLabel": ("tên khác", "alternative label"),
    "skos:definition": ("định nghĩa", "definition"),
    "skos:notation": ("ký hiệu", "notation"),
    "skos:editorialNote": ("ghi chú biên tập", "editorial note"),
    "skos:changeNote": ("ghi chú thay đổi", "change note"),
    "skos:scopeNote": ("ghi chú phạm vi", "scope note"),
    "skos:example": ("ví dụ", "example"),
    "skos:note": ("ghi chú", "note"),
    # Dublin Core terms
    "dct:source": ("nguồn", "source"),
    "dct:temporal": ("thời gian áp dụng", "temporal coverage"),
    "dct:isReplacedBy": ("được thay thế bởi", "is replaced by"),
    "dct:replaces": ("thay thế", "replaces"),
    "dct:date": ("ngày", "date"),
    "dct:title": ("tiêu đề", "title"),
    "dct:description": ("mô tả", "description"),
    "dct:license": ("giấy phép", "license"),
    "dct:creator": ("người tạo", "creator"),
    "dct:modified": ("ngày cập nhật", "modified"),
    # schema.org
    "schema:QuantitativeValue": ("giá trị định lượng", "quantitative value"),
    "schema:Schedule": ("lịch", "schedule"),
    "schema:Person": ("người", "person"),
    "schema:value": ("giá trị", "value"),
    "schema:minValue": ("giá trị tối thiểu", "minimum value"),
    "schema:maxValue": ("giá trị tối đa", "maximum value"),
    "schema:unitCode": ("mã đơn vị", "unit code"),
    "schema:unitText": ("đơn vị", "unit"),
    "schema:repeatFrequency": ("tần suất lặp lại", "repeat frequency"),
    "schema:byMonth": ("tháng", "by month"),
    "schema:byMonthDay": ("ngày trong tháng", "by day of month"),
    "schema:name": ("tên", "name"),
    "schema:jobTitle": ("chức danh", "job title"),
    "schema:worksFor": ("làm việc tại", "works for"),
    # FIBO goals and objectives
    "fibo-fnd-gao-obj:Goal": ("mục đích", "goal"),
    "fibo-fnd-gao-obj:Objective": ("mục tiêu", "objective"),
}

_FIBO_OBJECTIVES = "https://spec.edmcouncil.org/fibo/ontology/FND/GoalsAndObjectives/Objectives/"


def _expand(curie: str) -> str:
    prefix, name = curie.split(":", 1)
    namespace = _FIBO_OBJECTIVES if prefix == "fibo-fnd-gao-obj" else PREFIXES[prefix]
    return namespace + name


# IRI -> ((language, label), ...): a Vietnamese and an English name for each term.
VOCABULARY_LABELS: dict[str, tuple[tuple[str, str], ...]] = {
    _expand(curie): (("vi", vi), ("en", en)) for curie, (vi, en) in _VI_EN.items()
}


def with_vocabulary_labels(iri: str, labels: tuple[tuple[str | None, str], ...]) -> tuple[tuple[str | None, str], ...]:
    """``labels`` (read from the data), with this table's name of ``iri`` in each language the
    data does not label it in: the data's own labels win."""
    table = VOCABULARY_LABELS.get(iri, ())
    have = {(tag or "").lower().split("-")[0] for tag, _ in labels}
    return (*labels, *((tag, text) for tag, text in table if tag not in have))
