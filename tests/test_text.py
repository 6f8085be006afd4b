import unicodedata
from datetime import date

import pytest

from bioplan.labels import display_date, section_path
from bioplan.text import collapse_whitespace, fold, nfc, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Sở Khoa học và Công nghệ", "so-khoa-hoc-va-cong-nghe"),
        ("Đắk Nông", "dak-nong"),
        ("Sở Tài nguyên và Môi trường", "so-tai-nguyen-va-moi-truong"),
        ("UBND các huyện, thị xã, thành phố", "ubnd-cac-huyen-thi-xa-thanh-pho"),
        ("  Bình Thuận  ", "binh-thuan"),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_slugify_ignores_normalisation_form():
    name = "Lạng Sơn"
    assert slugify(unicodedata.normalize("NFD", name)) == slugify(name) == "lang-son"


def test_fold_handles_d_with_stroke():
    assert fold("Đường đi") == "duong di"


def test_nfc_composes():
    decomposed = unicodedata.normalize("NFD", "Quảng Ngãi")
    assert decomposed != "Quảng Ngãi"
    assert nfc(decomposed) == "Quảng Ngãi"


def test_collapse_whitespace():
    assert collapse_whitespace("  a \n\t b  ") == "a b"


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        ("2025-07-01", "vi", "01/07/2025"),
        ("2025-07-01", "en", "1 July 2025"),
        ("2025-12-31T23:59:00+07:00", "vi", "31/12/2025"),
        (date(2024, 2, 29), "en", "29 February 2024"),
        ("2025", "vi", "2025"),  # a year is no day: as it is
        (None, "vi", ""),
    ],
)
def test_dates_read_as_each_language_writes_them(value, lang, shown):
    assert display_date(value, lang) == shown


@pytest.mark.parametrize(
    ("path", "vi"),
    [
        ("I.2, bullet 1", "I.2, gạch đầu dòng 1"),
        ("II.1.a, bullet 3", "II.1.a, gạch đầu dòng 3"),
        ("I, paragraph 1", "I, đoạn 1"),
        ("IV, closing paragraph", "IV, đoạn kết"),
        ("IV, paragraph after IV.2", "IV, đoạn sau IV.2"),
        ("III.2.b", "III.2.b"),
    ],
)
def test_section_paths_read_in_vietnamese_on_vietnamese_pages(path, vi):
    assert section_path(path, "vi") == vi
    assert section_path(path, "en") == path
