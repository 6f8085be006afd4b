"""Common administrative abbreviations, matched with their expansions both ways: "Sở KH&CN" finds
"Sở Khoa học và Công nghệ", and the full name finds texts that abbreviate it. The query is
expanded; the index keeps the text as written."""

from __future__ import annotations

from dataclasses import dataclass

from bioplan.search.folding import Phrase, word_key, words


@dataclass(frozen=True)
class Abbreviation:
    forms: tuple[str, ...]  # as written: "KH&CN", "KHCN"
    expansions: tuple[str, ...]  # "khoa học và công nghệ", ...


# The abbreviations of Vietnamese administrative writing seen in the agencies' names and the
# plans' texts (data/ttl/**, skos:altLabel), plus the document types of numbers (QĐ, NQ, KH...).
ABBREVIATIONS: tuple[Abbreviation, ...] = tuple(
    Abbreviation(forms, expansions)
    for forms, expansions in (
        (("KH&CN", "KHCN", "KH-CN"), ("khoa học và công nghệ", "khoa học công nghệ")),
        (("TN&MT", "TNMT"), ("tài nguyên và môi trường",)),
        (("NN&PTNT", "NNPTNT"), ("nông nghiệp và phát triển nông thôn",)),
        (("NN&MT", "NNMT"), ("nông nghiệp và môi trường",)),
        (("UBND",), ("ủy ban nhân dân",)),
        (("HĐND",), ("hội đồng nhân dân",)),
        (("GD&ĐT", "GDĐT"), ("giáo dục và đào tạo",)),
        (("LĐ-TB&XH", "LĐTBXH"), ("lao động thương binh và xã hội",)),
        (("VH-TT&DL", "VHTTDL"), ("văn hóa thể thao và du lịch",)),
        (("KH&ĐT", "KHĐT"), ("kế hoạch và đầu tư",)),
        (("TT&TT", "TTTT"), ("thông tin và truyền thông",)),
        (("GTVT",), ("giao thông vận tải",)),
        (("MTTQ",), ("mặt trận tổ quốc",)),
        (("PT-TH", "PTTH"), ("phát thanh truyền hình",)),
        (("VPUB",), ("văn phòng ủy ban nhân dân",)),
        (("BTV",), ("ban thường vụ",)),
        (("CNSH",), ("công nghệ sinh học",)),
        (("BVMT",), ("bảo vệ môi trường",)),
        (("KT-XH", "KTXH"), ("kinh tế xã hội",)),
        (("ĐMST",), ("đổi mới sáng tạo",)),
        (("TTg",), ("thủ tướng",)),
        (("TC",), ("tài chính",)),
        (("CT",), ("công thương", "chỉ thị")),
        (("XD",), ("xây dựng",)),
        (("YT",), ("y tế",)),
        (("CP",), ("chính phủ",)),
        (("QH",), ("quốc hội",)),
        (("TW",), ("trung ương",)),
        (("TU",), ("tỉnh ủy",)),
        (("NQ",), ("nghị quyết",)),
        (("QĐ",), ("quyết định",)),
        (("NĐ",), ("nghị định",)),
        (("KH",), ("kế hoạch",)),
        (("CTr",), ("chương trình",)),
        (("ĐA",), ("đề án",)),
        (("DN",), ("doanh nghiệp",)),
    )
)


def _tables() -> tuple[dict[str, list[Phrase]], dict[Phrase, list[Phrase]]]:
    """(abbreviation key -> its alternatives), (expansion words -> the alternatives it may be written as)."""
    by_key: dict[str, list[Phrase]] = {}
    by_expansion: dict[Phrase, list[Phrase]] = {}
    for abbreviation in ABBREVIATIONS:
        expansions = [words(e) for e in abbreviation.expansions]
        forms = list(dict.fromkeys(f for form in abbreviation.forms for f in (words(form), (word_key(form),))))
        for form in abbreviation.forms:
            by_key[word_key(form)] = list(dict.fromkeys([*expansions, *forms]))
        # The other way (full name -> abbreviation) only with forms that cannot be a fragment of
        # another one: a lone "kh" would make "kế hoạch" match every "KH&CN".
        distinctive = [f for f in forms if len(f) > 1 or len(f[0]) > 2]
        for expansion in expansions:
            by_expansion[expansion] = list(dict.fromkeys([expansion, *distinctive]))
    return by_key, by_expansion


# Constant tables derived once from ABBREVIATIONS (pure data, never changed).
ALTERNATIVES_BY_KEY, ALTERNATIVES_BY_EXPANSION = _tables()
LONGEST_EXPANSION = max(len(e) for e in ALTERNATIVES_BY_EXPANSION)
