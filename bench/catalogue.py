"""The fixed material the generator draws from: provinces, agencies, directives, task texts.

Everything here is real vocabulary (the 34 province-level units from 1 July 2025, the usual
provincial departments, the national instruments of data/ttl/national/, the SKOS concepts of
ontology/schemes/); only the plans made from it are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass

ID = "https://w3id.org/vn-bioplan/id/"


@dataclass(frozen=True)
class Province:
    name: str  # "Hà Nội"
    city: bool  # a centrally-run city (thành phố) rather than a province (tỉnh)
    merged: bool  # formed by the 2025 merger: a new unit, IRI slug "<name>-2025"


# Nghị quyết 202/2025/QH15: 11 units unchanged, 23 formed by mergers (63 -> 34).
PROVINCES: tuple[Province, ...] = (
    Province("Hà Nội", True, False),
    Province("Huế", True, False),
    Province("Lai Châu", False, False),
    Province("Điện Biên", False, False),
    Province("Sơn La", False, False),
    Province("Lạng Sơn", False, False),
    Province("Quảng Ninh", False, False),
    Province("Thanh Hóa", False, False),
    Province("Nghệ An", False, False),
    Province("Hà Tĩnh", False, False),
    Province("Cao Bằng", False, False),
    Province("Tuyên Quang", False, True),
    Province("Lào Cai", False, True),
    Province("Thái Nguyên", False, True),
    Province("Phú Thọ", False, True),
    Province("Bắc Ninh", False, True),
    Province("Hưng Yên", False, True),
    Province("Hải Phòng", True, True),
    Province("Ninh Bình", False, True),
    Province("Quảng Trị", False, True),
    Province("Đà Nẵng", True, True),
    Province("Quảng Ngãi", False, True),
    Province("Gia Lai", False, True),
    Province("Khánh Hòa", False, True),
    Province("Lâm Đồng", False, True),
    Province("Đắk Lắk", False, True),
    Province("Hồ Chí Minh", True, True),
    Province("Đồng Nai", False, True),
    Province("Tây Ninh", False, True),
    Province("Cần Thơ", True, True),
    Province("Vĩnh Long", False, True),
    Province("Đồng Tháp", False, True),
    Province("Cà Mau", False, True),
    Province("An Giang", False, True),
)


@dataclass(frozen=True)
class Department:
    slug: str
    name: str  # Vietnamese, without the province
    english: str  # "Department of ..."; the province is appended
    kind: str  # agency-kind concept
    era: str  # "all", "pre" (merged away on 2025-03-01, Nghị định 45/2025/NĐ-CP) or "post"
    parent: str = "ubnd-tinh"
    state: bool = True  # a state body (m8g:PublicOrganisation)


DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "so-khoa-hoc-va-cong-nghe",
        "Sở Khoa học và Công nghệ",
        "Department of Science and Technology",
        "provincial-department",
        "all",
    ),
    Department("so-cong-thuong", "Sở Công Thương", "Department of Industry and Trade", "provincial-department", "all"),
    Department("so-tai-chinh", "Sở Tài chính", "Department of Finance", "provincial-department", "all"),
    Department("so-y-te", "Sở Y tế", "Department of Health", "provincial-department", "all"),
    Department(
        "so-giao-duc-va-dao-tao",
        "Sở Giáo dục và Đào tạo",
        "Department of Education and Training",
        "provincial-department",
        "all",
    ),
    Department("so-xay-dung", "Sở Xây dựng", "Department of Construction", "provincial-department", "all"),
    Department("so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "provincial-department", "all"),
    Department("so-tu-phap", "Sở Tư pháp", "Department of Justice", "provincial-department", "all"),
    Department("so-ngoai-vu", "Sở Ngoại vụ", "Department of Foreign Affairs", "provincial-department", "all"),
    Department(
        "so-van-hoa-the-thao-va-du-lich",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Department of Culture, Sports and Tourism",
        "provincial-department",
        "all",
    ),
    Department(
        "so-tai-nguyen-va-moi-truong",
        "Sở Tài nguyên và Môi trường",
        "Department of Natural Resources and Environment",
        "provincial-department",
        "pre",
    ),
    Department(
        "so-nong-nghiep-va-phat-trien-nong-thon",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Department of Agriculture and Rural Development",
        "provincial-department",
        "pre",
    ),
    Department(
        "so-ke-hoach-va-dau-tu",
        "Sở Kế hoạch và Đầu tư",
        "Department of Planning and Investment",
        "provincial-department",
        "pre",
    ),
    Department(
        "so-thong-tin-va-truyen-thong",
        "Sở Thông tin và Truyền thông",
        "Department of Information and Communications",
        "provincial-department",
        "pre",
    ),
    Department(
        "so-nong-nghiep-va-moi-truong",
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
        "provincial-department",
        "post",
    ),
    Department(
        "ban-quan-ly-cac-khu-cong-nghiep",
        "Ban Quản lý các khu công nghiệp",
        "Industrial Parks Management Board",
        "management-board",
        "all",
    ),
    Department(
        "trung-tam-ung-dung-tien-bo-khoa-hoc-va-cong-nghe",
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
        "Centre for Applying Scientific and Technological Advances",
        "public-centre",
        "all",
        parent="so-khoa-hoc-va-cong-nghe",
    ),
    Department(
        "bao-va-phat-thanh-truyen-hinh",
        "Báo và Phát thanh, Truyền hình",
        "Newspaper, Radio and Television",
        "press-media",
        "all",
    ),
    Department("truong-dai-hoc", "Trường Đại học", "University", "university", "all", parent="", state=False),
    Department(
        "hiep-hoi-doanh-nghiep",
        "Hiệp hội Doanh nghiệp",
        "Business Association",
        "association",
        "all",
        parent="",
        state=False,
    ),
    Department(
        "lien-minh-hop-tac-xa",
        "Liên minh Hợp tác xã",
        "Co-operative Alliance",
        "cooperative-alliance",
        "all",
        parent="",
        state=False,
    ),
    Department(
        "cong-ty-co-phan-cong-nghe-sinh-hoc",
        "Công ty Cổ phần Công nghệ sinh học",
        "Biotechnology Joint Stock Company",
        "enterprise",
        "all",
        parent="",
        state=False,
    ),
    Department(
        "cong-ty-tnhh-moi-truong-xanh",
        "Công ty TNHH Môi trường Xanh",
        "Green Environment Co., Ltd.",
        "enterprise",
        "all",
        parent="",
        state=False,
    ),
)


@dataclass(frozen=True)
class Collective:
    slug: str
    name: str
    english: str
    era: str


COLLECTIVES: tuple[Collective, ...] = (
    Collective("cac-so-ban-nganh", "Các sở, ban, ngành", "the departments, boards and sectors", "all"),
    Collective("cac-doanh-nghiep-tren-dia-ban", "Các doanh nghiệp trên địa bàn", "the enterprises in the area", "all"),
    Collective(
        "ubnd-cac-huyen-thi-xa-thanh-pho",
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
        "the district, town and city People's Committees",
        "pre",
    ),
    Collective(
        "ubnd-cac-xa-phuong", "Ủy ban nhân dân các xã, phường", "the commune and ward People's Committees", "post"
    ),
)

# Who leads which kind of work, by task area; the first department of the era wins most often.
LEADS_BY_AREA: dict[str, tuple[str, ...]] = {
    "science-technology": (
        "so-khoa-hoc-va-cong-nghe",
        "so-cong-thuong",
        "trung-tam-ung-dung-tien-bo-khoa-hoc-va-cong-nghe",
    ),
    "environment": ("so-tai-nguyen-va-moi-truong", "so-nong-nghiep-va-moi-truong", "so-xay-dung"),
    "agriculture": ("so-nong-nghiep-va-phat-trien-nong-thon", "so-nong-nghiep-va-moi-truong"),
    "health": ("so-y-te",),
    "industry": ("so-cong-thuong", "ban-quan-ly-cac-khu-cong-nghiep"),
    "enterprise-development": ("so-ke-hoach-va-dau-tu", "so-tai-chinh", "so-cong-thuong"),
    "investment": ("so-ke-hoach-va-dau-tu", "so-tai-chinh"),
    "capacity-workforce": ("so-noi-vu", "so-giao-duc-va-dao-tao", "so-khoa-hoc-va-cong-nghe"),
    "education": ("so-giao-duc-va-dao-tao", "truong-dai-hoc"),
    "legal-policy": ("so-tu-phap", "so-khoa-hoc-va-cong-nghe", "so-tai-chinh"),
    "international-cooperation": ("so-ngoai-vu", "so-khoa-hoc-va-cong-nghe"),
    "communication": (
        "so-thong-tin-va-truyen-thong",
        "so-van-hoa-the-thao-va-du-lich",
        "bao-va-phat-thanh-truyen-hinh",
    ),
    "infrastructure": ("so-khoa-hoc-va-cong-nghe", "so-xay-dung"),
}


@dataclass(frozen=True)
class Directive:
    iri: str
    short: str  # how plans name it: "Quyết định số 1639/QĐ-TTg"
    english: str
    year: int  # the year provincial plans implementing it are issued
    party: bool  # implemented by a Party plan (Ban Thường vụ Tỉnh ủy) rather than the people's committee
    task_groups: str | None  # IRI prefix of its national task groups, mirrored by the plan's sections
    subject: str  # what the plan is about, Vietnamese
    subject_en: str


D1639 = Directive(
    ID + "doc/ttg/qd/2024/1639",
    "Quyết định số 1639/QĐ-TTg",
    "Decision 1639/QĐ-TTg",
    2025,
    False,
    ID + "doc/ttg/qd/2024/1639/task-group/",
    "phát triển công nghiệp sinh học trong lĩnh vực bảo vệ môi trường đến năm 2030",
    "developing the bio-industry in environmental protection to 2030",
)
D1600 = Directive(
    ID + "doc/ttg/qd/2021/1600",
    "Quyết định số 1600/QĐ-TTg",
    "Decision 1600/QĐ-TTg",
    2022,
    False,
    None,
    "phát triển công nghiệp sinh học ngành Công Thương đến năm 2030",
    "developing the bio-industry of the Industry and Trade sector to 2030",
)
D189 = Directive(
    ID + "doc/cp/nq/2023/189",
    "Nghị quyết số 189/NQ-CP",
    "Resolution 189/NQ-CP",
    2024,
    False,
    ID + "doc/cp/nq/2023/189/task-group/",
    "thực hiện Chương trình hành động của Chính phủ về phát triển và ứng dụng công nghệ sinh học",
    "carrying out the Government's action programme on developing and applying biotechnology",
)
D36 = Directive(
    ID + "doc/bct/nq/2023/36",
    "Nghị quyết số 36-NQ/TW",
    "Resolution 36-NQ/TW",
    2023,
    True,
    ID + "doc/cp/nq/2023/189/task-group/",
    "phát triển và ứng dụng công nghệ sinh học phục vụ phát triển bền vững đất nước",
    "developing and applying biotechnology for the country's sustainable development",
)
D1671 = Directive(
    ID + "doc/ttg/qd/2015/1671",
    "Quyết định số 1671/QĐ-TTg",
    "Decision 1671/QĐ-TTg",
    2016,
    False,
    None,
    "bảo tồn và sử dụng bền vững nguồn gen đến năm 2025, định hướng đến năm 2030",
    "conserving and sustainably using genetic resources to 2025, with a vision to 2030",
)

# The plans of each province, in order; a province at a small scale has only the first few.
PLAN_DIRECTIVES: tuple[Directive, ...] = (D1639, D1600, D189, D36, D1671, D1639)


@dataclass(frozen=True)
class TaskGroup:
    title: str
    english: str
    areas: tuple[str, ...]
    actions: tuple[int, ...]  # indexes into ACTIONS


# 1639/QĐ-TTg's five task groups (data/AUTHORING.md); 189/NQ-CP's are the same five in another order.
GROUPS_1639: tuple[TaskGroup, ...] = (
    TaskGroup("Phát triển khoa học và công nghệ", "Science and technology", ("science-technology",), (0, 1, 7)),
    TaskGroup("Tăng cường tiềm lực", "Capacity and workforce", ("capacity-workforce",), (4, 2)),
    TaskGroup(
        "Hoàn thiện hệ thống văn bản pháp luật, cơ chế, chính sách",
        "Legal framework and policy",
        ("legal-policy",),
        (5,),
    ),
    TaskGroup("Hợp tác quốc tế", "International co-operation", ("international-cooperation",), (6,)),
    TaskGroup("Truyền thông, nâng cao nhận thức", "Communication", ("communication",), (3,)),
)
GROUPS_189: tuple[TaskGroup, ...] = (GROUPS_1639[4], GROUPS_1639[2], GROUPS_1639[0], GROUPS_1639[1], GROUPS_1639[3])


@dataclass(frozen=True)
class Action:
    text: str  # Vietnamese, followed by the waste domain's label
    english: str
    areas: tuple[str, ...]


ACTIONS: tuple[Action, ...] = (
    Action(
        "Nghiên cứu, ứng dụng công nghệ sinh học tiên tiến trong xử lý",
        "Research and apply advanced biotechnology to treat",
        ("science-technology", "environment"),
    ),
    Action(
        "Xây dựng và nhân rộng mô hình sử dụng chế phẩm vi sinh để xử lý",
        "Build and replicate models using microbial preparations to treat",
        ("science-technology", "environment"),
    ),
    Action(
        "Hỗ trợ doanh nghiệp đầu tư dây chuyền sản xuất chế phẩm sinh học quy mô công nghiệp để xử lý",
        "Support enterprises investing in industrial-scale production lines of bio-preparations to treat",
        ("enterprise-development", "investment"),
    ),
    Action(
        "Tuyên truyền, phổ biến kiến thức về ứng dụng công nghệ sinh học trong xử lý",
        "Communicate and disseminate knowledge on applying biotechnology to treat",
        ("communication",),
    ),
    Action(
        "Đào tạo, bồi dưỡng nguồn nhân lực làm chủ công nghệ sinh học xử lý",
        "Train a workforce able to master biotechnology for treating",
        ("capacity-workforce", "education"),
    ),
    Action(
        "Rà soát, đề xuất cơ chế, chính sách khuyến khích ứng dụng công nghệ sinh học để xử lý",
        "Review and propose mechanisms and policies encouraging biotechnology to treat",
        ("legal-policy",),
    ),
    Action(
        "Hợp tác với các tổ chức quốc tế tiếp nhận, chuyển giao công nghệ sinh học xử lý",
        "Co-operate with international organisations to receive and transfer biotechnology for treating",
        ("international-cooperation",),
    ),
    Action(
        "Đầu tư nâng cấp phòng thí nghiệm, trang thiết bị phân tích phục vụ xử lý",
        "Upgrade laboratories and analytical equipment serving the treatment of",
        ("infrastructure", "science-technology"),
    ),
)

# A clause that makes some items long (over 160 characters), as many real items are; labels stay whole.
LONG_CLAUSE = (
    ", bảo đảm phù hợp với quy hoạch tỉnh và các chương trình mục tiêu quốc gia có liên quan, góp phần bảo vệ môi trường, "
    "phát triển kinh tế tuần hoàn và thích ứng với biến đổi khí hậu"
)
LONG_CLAUSE_EN = ", in line with the provincial master plan and national target programmes, for environmental protection, a circular economy and climate adaptation"

# Waste domains (ontology/schemes/waste-domain.ttl): (slug, Vietnamese, English, weight, area).
WASTE_DOMAINS: tuple[tuple[str, str, str, int, str], ...] = (
    ("livestock-waste", "chất thải chăn nuôi", "livestock waste", 10, "agriculture"),
    ("aquaculture-waste", "chất thải nuôi trồng thủy sản", "aquaculture waste", 5, "agriculture"),
    ("agricultural-byproducts", "phụ phẩm nông nghiệp", "agricultural by-products", 9, "agriculture"),
    ("slaughterhouse-waste", "chất thải giết mổ", "slaughterhouse waste", 3, "agriculture"),
    ("food-processing-waste", "chất thải chế biến nông sản, thực phẩm", "food-processing waste", 5, "industry"),
    ("craft-village-waste", "chất thải làng nghề", "craft-village waste", 3, "environment"),
    ("medical-waste", "chất thải y tế", "medical waste", 4, "health"),
    ("municipal-solid-waste", "chất thải rắn sinh hoạt", "municipal solid waste", 9, "environment"),
    ("industrial-solid-waste", "chất thải rắn công nghiệp", "industrial solid waste", 5, "industry"),
    ("domestic-wastewater", "nước thải sinh hoạt", "domestic wastewater", 6, "environment"),
    ("industrial-wastewater", "nước thải công nghiệp", "industrial wastewater", 5, "industry"),
    ("hazardous-waste", "chất thải nguy hại", "hazardous waste", 3, "environment"),
    ("chemical-toxins", "chất độc hóa học tồn lưu", "residual chemical toxins", 1, "environment"),
    ("contaminated-environment", "môi trường đất, nước bị ô nhiễm", "contaminated soil and water", 3, "environment"),
    ("waste-general", "chất thải", "waste", 4, "environment"),
)

FUNDING: tuple[tuple[str, str, str], ...] = (
    (
        "provincial-budget",
        "Ngân sách tỉnh bố trí trong dự toán hằng năm của các cơ quan, đơn vị",
        "The provincial budget allocated in the annual estimates of agencies and units",
    ),
    (
        "central-budget",
        "Nguồn hỗ trợ từ ngân sách Trung ương qua các chương trình, đề án",
        "Support from the central budget through programmes and projects",
    ),
    (
        "science-technology-budget",
        "Kinh phí sự nghiệp khoa học và công nghệ",
        "Science and technology non-business funds",
    ),
    (
        "sponsorship-aid",
        "Nguồn tài trợ, viện trợ của các tổ chức, cá nhân trong và ngoài nước",
        "Sponsorship and aid from domestic and foreign organisations and individuals",
    ),
    ("enterprise-self-investment", "Vốn tự có của doanh nghiệp", "Enterprises' own capital"),
    (
        "integrated-programmes",
        "Lồng ghép trong các chương trình, dự án khác",
        "Integrated into other programmes and projects",
    ),
    ("other-lawful-sources", "Các nguồn vốn hợp pháp khác", "Other lawful sources"),
)

# Quantified targets of specific objectives: (Vietnamese, English, comparator, value, unit, unit text).
TARGETS: tuple[tuple[str, str, str, float, str, str], ...] = (
    (
        "Tăng tối thiểu {v:g}% số doanh nghiệp sản xuất chế phẩm sinh học xử lý chất thải",
        "At least {v:g}% more enterprises producing bio-preparations for waste treatment",
        "increase-at-least",
        10.0,
        "P1",
        "%",
    ),
    (
        "Ít nhất {v:g}% chất thải chăn nuôi được xử lý bằng công nghệ sinh học",
        "At least {v:g}% of livestock waste treated with biotechnology",
        "at-least",
        60.0,
        "P1",
        "%",
    ),
    (
        "Ít nhất {v:g} mô hình ứng dụng chế phẩm vi sinh được nhân rộng",
        "At least {v:g} models applying microbial preparations replicated",
        "at-least",
        5.0,
        "C62",
        "mô hình",
    ),
    (
        "Giảm tối thiểu {v:g}% chi phí xử lý chất thải rắn sinh hoạt",
        "Cut the cost of treating municipal solid waste by at least {v:g}%",
        "decrease-at-least",
        15.0,
        "P1",
        "%",
    ),
)

STATUSES: tuple[tuple[str, str], ...] = (
    ("Chưa triển khai", "not started"),
    ("Đang thực hiện", "in progress"),
    ("Đã hoàn thành", "completed"),
)
