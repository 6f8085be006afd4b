import unicodedata

import pytest

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
