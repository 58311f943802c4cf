from pathlib import Path

from kratom_handouts import fonts
from kratom_handouts.errors import Origin
from kratom_handouts.model import Text

NOTO = fonts.FAMILIES["noto-sans"]


def test_bundled_family_has_four_faces_on_disk():
    assert set(NOTO.files) == set(fonts.FACES)
    assert all(path.is_file() for path in NOTO.files.values())
    assert (fonts.FONT_DIR / "noto-sans" / "OFL.txt").is_file()


def test_coverage_includes_vietnamese_greek_cyrillic():
    covered = fonts.coverage(NOTO)
    assert all(ord(c) in covered for c in "Tiếng Việt có dấu Ελληνικά Русский язык “quotes” – — • ·")


def test_missing_glyphs_name_character_code_point_and_place():
    origin = Origin(Path("handouts/en/x.yaml"), 7, 3)
    problems = fonts.missing_glyphs([Text("ok 中 and ☐ and 中", origin)], (NOTO,))
    assert [p.describe() for p in problems] == [
        "handouts/en/x.yaml:7:3: the font 'noto-sans' has no glyph for '中' (U+4E2D); "
        "replace it or choose another font",
        "handouts/en/x.yaml:7:3: the font 'noto-sans' has no glyph for '☐' (U+2610); replace it or choose another font",
    ]
