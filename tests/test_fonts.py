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


# --- a project's own fonts ------------------------------------------------------------------

import shutil  # noqa: E402

import pytest  # noqa: E402

PLEX = fonts.FAMILIES["ibm-plex-sans-arabic"]


def own_fonts(project, faces: dict[str, str]) -> int:
    """Name a family 'clinic-sans' in the brand file and draw the body with it; the line of the first face."""
    brand = project.root / "layouts" / "_brand.yaml"
    lines = "".join(f"      {face}: {path}\n" for face, path in faces.items())
    text = brand.read_text(encoding="utf-8").replace("  body: noto-sans\n", "  body: clinic-sans\n  families:\n"
                                                     f"    clinic-sans:\n{lines}", 1)
    brand.write_text(text, encoding="utf-8")
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("      "))


def test_a_projects_own_truetype_family_is_embedded(project):
    shutil.copy(PLEX.files["regular"], project.root / "Clinic-Regular.ttf")
    shutil.copy(PLEX.files["bold"], project.root / "Clinic-Bold.ttf")
    own_fonts(project, {"regular": "Clinic-Regular.ttf", "bold": "Clinic-Bold.ttf"})
    project.handout("one")
    result = project.run("build", "one", "--format", "pdf")
    assert result.exit_code == 0, result.output
    import pikepdf

    with pikepdf.open(project.pdf("one")) as pdf:
        used = {str(f.BaseFont).split("+")[-1] for page in pdf.pages for f in page.Resources.Font.values()}
    assert "IBMPlexSansArabic-Regular" in used  # the clinic's file, not the built-in Noto Sans


def test_one_face_of_a_collection_is_chosen_by_number(project, tmp_path):
    from fontTools.ttLib import TTCollection, TTFont

    collection = TTCollection()
    collection.fonts = [TTFont(PLEX.files["regular"]), TTFont(PLEX.files["bold"])]
    collection.save(project.root / "Clinic.ttc")
    own_fonts(project, {"regular": "Clinic.ttc#0", "bold": "Clinic.ttc#1"})
    project.handout("one")
    assert project.run("build", "one", "--format", "pdf").exit_code == 0
    own_fonts_again = (project.root / "layouts" / "_brand.yaml").read_text().replace("Clinic.ttc#1", "Clinic.ttc#5")
    (project.root / "layouts" / "_brand.yaml").write_text(own_fonts_again)
    result = project.run("check")
    assert result.exit_code == 1
    assert "font family 'clinic-sans' bold: 'Clinic.ttc' has no font number 5 in it ([0,1] are there)" in result.output


@pytest.mark.parametrize("content,message", [
    (b"OTTO" + bytes(200), "'Clinic-Regular.ttf' has PostScript (CFF) outlines, which cannot be embedded (ReportLab "
                           "takes TrueType outlines only): use the font's TrueType (.ttf) version"),
    (b"not a font at all", "'Clinic-Regular.ttf' is not a TrueType font file that can be embedded"),
    # a real font cut short (a download that stopped): its reader raised struct.error, a traceback
    (PLEX.files["regular"].read_bytes()[:20_000], "'Clinic-Regular.ttf' is not a TrueType font file that can be "
                                                  "embedded"),
])
def test_a_font_that_cannot_be_embedded_is_a_located_error(project, content, message):
    (project.root / "Clinic-Regular.ttf").write_bytes(content)
    shutil.copy(PLEX.files["bold"], project.root / "Clinic-Bold.ttf")
    line = own_fonts(project, {"regular": "Clinic-Regular.ttf", "bold": "Clinic-Bold.ttf"})
    project.handout("one")
    result = project.run("build", "one", "--format", "pdf")
    assert result.exit_code == 1
    assert f"layouts/_brand.yaml:{line}:16: font family 'clinic-sans' regular: {message}" in result.output
    assert not project.pdf("one").exists() and "Traceback" not in result.output


def test_two_faces_with_one_postscript_name_are_refused(project):
    shutil.copy(PLEX.files["regular"], project.root / "Clinic-Regular.ttf")
    shutil.copy(PLEX.files["regular"], project.root / "Clinic-Bold.ttf")  # "bold" that is the regular face again
    line = own_fonts(project, {"regular": "Clinic-Regular.ttf", "bold": "Clinic-Bold.ttf"})
    project.handout("one")
    result = project.run("check")
    assert result.exit_code == 1
    assert (f"layouts/_brand.yaml:{line + 1}:13: font family 'clinic-sans' bold: 'Clinic-Bold.ttf' has the PostScript "
            "name 'IBMPlexSansArabic-Regular', as 'clinic-sans' regular does; PDF readers would print one as the "
            "other: give each face its own file") in result.output


def test_a_font_outside_the_project_is_refused(project, tmp_path):
    shutil.copy(PLEX.files["bold"], project.root / "Clinic-Bold.ttf")
    line = own_fonts(project, {"regular": str(PLEX.files["regular"]), "bold": "Clinic-Bold.ttf"})
    project.handout("one")
    result = project.run("check")
    assert result.exit_code == 1 and f"layouts/_brand.yaml:{line}:" in result.output
    assert "font family 'clinic-sans' regular:" in result.output


def test_a_script_without_a_font_is_one_located_error_per_file_that_says_what_to_add(project):
    brand = project.root / "layouts" / "_brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("    Hans: noto-sans-sc\n", ""), encoding="utf-8")
    project.handout("one")
    project.translate("zh-Hans", lambda _id, doc: doc.update(title="给家人和朋友的一份说明：怎样帮助他们")
                      if "title" in doc else None)
    result = project.run("check")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "no glyph" in line]
    source = (project.root / "handouts" / "zh-Hans" / "one.yaml").read_text(encoding="utf-8").splitlines()
    title_line = next(n for n, line in enumerate(source, 1) if line.startswith("title:"))
    brand_lines = brand.read_text(encoding="utf-8").splitlines()
    notice_line = next(n for n, line in enumerate(brand_lines, 1) if line.startswith("    zh-Hans:"))
    assert lines == [  # the brand's language-assistance line in Chinese too: each file once, at its first
        f"layouts/_brand.yaml:{notice_line}:14: 11 different characters in this file (the first '免', U+514D) have no "
        "glyph in the font 'noto-sans', the fonts for language 'zh-Hans': the layout has no font for this script; "
        "add one under 'fonts: languages:' in layouts/_brand.yaml, for example 'zh-Hans: [noto-sans-sc]'",
        f"handouts/zh-Hans/one.yaml:{title_line}:8: 18 different characters in this file (the first '给', U+7ED9) "
        "have no glyph in the font 'noto-sans', the fonts for language 'zh-Hans': the layout has no font for this "
        "script; add one under 'fonts: languages:' in layouts/_brand.yaml, for example 'zh-Hans: [noto-sans-sc]'"]
