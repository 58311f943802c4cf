"""Every PDF we write is tagged PDF/UA-1.

Read back with our own checker (tests/pdfua.py), page-validation and poppler.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from kratom_handouts import inline
from kratom_handouts.blocks import Image, block_texts
from kratom_handouts.content import load_handout
from kratom_handouts.errors import Diagnostics
from kratom_handouts.i18n.languages import direction_of
from kratom_handouts.project import Project

from ..conftest import GOOD_HANDOUT, REPO, squash
from ..pdfua import pdfua_problems, struct_elements, struct_roles_in_order, struct_text

PROJECT = Project(REPO)
LAYOUTS = ("standard", "a4", "large-print")
SHIPPED = [(lang, handout_id) for lang in PROJECT.languages() for handout_id in PROJECT.handout_files(lang)]
needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is not installed")


def shipped_pdfs(root: Path) -> list[Path]:
    return sorted(root.glob("*/*/*.pdf")) + sorted(root.glob("bundles/*/*/*.pdf"))


def test_every_shipped_handout_and_bundle_passes_our_checker(shipped_build: Path):
    pdfs = shipped_pdfs(shipped_build)
    assert len(pdfs) >= len(SHIPPED) * len(LAYOUTS) + 3 * 2 * len(LAYOUTS)
    problems = {pdf.relative_to(shipped_build).as_posix(): pdfua_problems(pdf) for pdf in pdfs}
    assert {name: found for name, found in problems.items() if found} == {}


def test_every_shipped_handout_and_bundle_is_pdf_ua_compliant_to_page_validation(shipped_build: Path):
    page = pytest.importorskip("page")
    failing = {}
    for pdf in shipped_pdfs(shipped_build):
        report = page.validate_pdf(str(pdf), profile="ua1")
        if not report.is_compliant:
            failing[pdf.relative_to(shipped_build).as_posix()] = [f.rule_id for f in report.failures]
    assert failing == {}


def kids_of(element: pikepdf.Dictionary) -> list[Any]:
    """An element's /K as a list (one kid may stand alone, outside an array)."""
    kids = element.get("/K", pikepdf.Array())
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def content_pages(element: pikepdf.Dictionary, page_of: dict[tuple[int, int], int]) -> set[int]:
    """The pages an element's own marked content is on: a bare MCID is on its /Pg, a reference names a page."""
    return {page_of[(element.Pg if isinstance(kid, int) else kid.Pg).objgen] for kid in kids_of(element)
            if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR")}


def struct_actual_text(path: Path) -> str:
    """The structure tree's /ActualText, element by element in reading order (an element's stands for its kids)."""
    import pikepdf

    found: list[str] = []
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(reversed(list(node)))
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                if "/ActualText" in node:
                    found.append(str(node.ActualText))
                elif "/K" in node:
                    stack.append(node.K)
    return "\n".join(found)


@needs_poppler
@pytest.mark.parametrize("lang,handout_id", SHIPPED)
def test_the_tree_reads_the_blocks_in_yaml_order_without_header_or_footer(shipped_build: Path, lang: str,
                                                                          handout_id: str):
    handout = load_handout(PROJECT, handout_id, lang, Diagnostics())
    pdf = shipped_build / "standard" / lang / f"{handout_id}.pdf"
    # poppler prints a right-to-left /ActualText reversed: for those the tree's own /ActualText is read
    spoken = squash(struct_actual_text(pdf) if direction_of(lang) == "rtl" else struct_text(pdf))
    expected = [handout.title, handout.summary] + [t for b in handout.body if not isinstance(b, Image)
                                                   for t in block_texts(b)]
    position = 0
    for text in expected:
        words = squash(inline.plain_text(text.value))
        found = spoken.find(words, position)
        assert found >= 0, f"not found in reading order after position {position}: {text.value}"
        position = found + len(words)
    # The header (clinic name) and footer (page X of Y) are artifacts: not read at all.
    assert squash("Sample Clinic (placeholder)") not in spoken
    assert not re.search(r"(Page|Página)\d+(of|de)\d+", spoken)


def test_heading_ranks_alone_and_in_a_bundle(shipped_build: Path):
    alone = [r for r in struct_roles_in_order(shipped_build / "standard" / "en" / "kratom-withdrawal.pdf")
             if r.startswith("H")]
    assert alone[0] == "H1" and set(alone[1:]) == {"H2"}
    bundle = [r for r in struct_roles_in_order(shipped_build / "bundles" / "standard" / "en" / "intake.pdf")
              if r.startswith("H")]
    assert bundle[0] == "H1" and bundle[1] == "H2"  # program title, then "Contents"
    assert set(bundle) == {"H1", "H2", "H3"} and bundle.count("H1") == 1
    roles = struct_roles_in_order(shipped_build / "bundles" / "standard" / "en" / "intake.pdf")
    assert roles[:2] == ["Document", "Part"] and roles.count("Part") == 2 + 6 and "TOC" in roles and "TOCI" in roles


def test_lists_tables_and_help_lines_have_their_roles(shipped_build: Path):
    roles = struct_roles_in_order(shipped_build / "standard" / "en" / "kratom-withdrawal.pdf")
    for role in ("L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Div", "Link"):
        assert role in roles, role


TABLE_ROWS = "".join(f"        - [Row {n} first cell with words, Row {n} second cell]\n" for n in range(60))
LONG_TABLE = GOOD_HANDOUT.format(id="long") + f"""\
  - table:
      header: [Symptom, What to do]
      rows:
{TABLE_ROWS}"""


def test_a_table_split_across_pages_keeps_one_set_of_th_and_repeats_the_header_as_an_artifact(project):
    project.handout("long", LONG_TABLE)
    assert project.run("build").exit_code == 0
    pdf = project.pdf("long")
    with pikepdf.open(pdf) as opened:
        assert len(opened.pages) >= 2
        second = b"".join(part.read_bytes() for part in _contents(opened.pages[1]))
    roles = struct_roles_in_order(pdf)
    assert roles.count("TH") == 2 and roles.count("TR") == 61
    assert b"(Symptom)" in second or b"Symptom" in pdfminer_text_of(pdf, 1)
    assert pdfua_problems(pdf) == []


def pdfminer_text_of(pdf: Path, page: int) -> bytes:
    from ..conftest import pdfminer_pages

    return pdfminer_pages(pdf)[page].encode()


def _contents(page: pikepdf.Page) -> list[pikepdf.Stream]:
    contents = page.obj.Contents
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


def test_fonts_to_unicode_maps_have_no_null_and_small_blocks(shipped_build: Path):
    with pikepdf.open(shipped_build / "standard" / "es" / "kratom-withdrawal.pdf") as pdf:
        maps = [font.ToUnicode.read_bytes() for page in pdf.pages for _, font in page.Resources.Font.items()
                if "/ToUnicode" in font]
    assert maps
    for data in maps:
        assert b"<0000>" not in re.sub(rb"begincodespacerange.*?endcodespacerange", b"", data, flags=re.S)
        assert all(int(n) <= 100 for n in re.findall(rb"(\d+) beginbfchar", data))


def test_fallback_parts_carry_their_language_on_the_element(project):
    project.handout("one", GOOD_HANDOUT.format(id="one"))
    project.translate("es", lambda name, document: document.update(todo=["first"]) if name == "one" else None)
    assert project.run("build", "--lang", "es", "--allow-fallback").exit_code == 0
    with pikepdf.open(project.pdf("one", lang="es")) as pdf:
        assert str(pdf.Root.Lang) == "es"
        langs = [(str(e.S), str(e.Lang)) for e in struct_elements(pdf) if "/Lang" in e]
    assert langs == [("/H2", "en")]


def test_tagged_builds_are_byte_identical(project):
    project.handout("one", LONG_TABLE.replace("id: long", "id: one"))
    assert project.run("build").exit_code == 0
    first = project.pdf("one").read_bytes()
    project.pdf("one").unlink()
    assert project.run("build").exit_code == 0
    assert project.pdf("one").read_bytes() == first


# --- each check shown to catch what it names, on a real output -----------------------------------


def _broken(tmp_path: Path, source: Path, damage) -> Path:
    target = tmp_path / f"broken-{damage.__name__}.pdf"
    with pikepdf.open(source) as pdf:
        damage(pdf)
        pdf.save(target)
    return target


def orphan_mcid(pdf: pikepdf.Pdf) -> None:
    """One paragraph's content is no longer referenced by its element."""
    element = next(e for e in struct_elements(pdf) if e.S == "/P")
    element.K = pikepdf.Array()


def untagged_footer(pdf: pikepdf.Pdf) -> None:
    """The first footer drawn is no longer an artifact (the cover and contents have none)."""
    footer = re.compile(rb"/Artifact <<\s*/Type /Pagination /Subtype /Footer\s*>> BDC")
    for page in pdf.pages:
        data = b"".join(part.read_bytes() for part in _contents(page))
        if footer.search(data):
            page.obj.Contents = pdf.make_stream(footer.sub(b"/Span <<>> BDC", data))
            return
    raise AssertionError("no footer found")


def missing_alt(pdf: pikepdf.Pdf) -> None:
    del next(e for e in struct_elements(pdf) if e.S == "/Figure").Alt


def missing_scope(pdf: pikepdf.Pdf) -> None:
    del next(e for e in struct_elements(pdf) if e.S == "/TH").A


def dangling_parent_tree(pdf: pikepdf.Pdf) -> None:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    nums[1].append(next(e for e in struct_elements(pdf) if e.S == "/H1"))  # an MCID that no content has


def link_without_objr(pdf: pikepdf.Pdf) -> None:
    link = next(e for e in struct_elements(pdf) if e.S == "/Link")
    link.K = pikepdf.Array([kid for kid in link.K
                            if not (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR")])


@pytest.mark.parametrize("damage,code", [
    (orphan_mcid, "T3"), (untagged_footer, "C3"), (missing_alt, "T6"), (missing_scope, "T8"),
    (dangling_parent_tree, "T5"), (link_without_objr, "A2"),
])
def test_each_check_catches_one_defect_in_a_good_file(shipped_build: Path, tmp_path: Path, damage, code: str):
    # The bundle has it all: a Figure (the cover logo), tables with TH, links and a footer.
    good = shipped_build / "bundles" / "standard" / "en" / "intake.pdf"
    assert pdfua_problems(good) == []
    found = pdfua_problems(_broken(tmp_path, good, damage))
    assert any(problem.startswith(code) for problem in found), found


def test_every_block_type_is_tagged_with_its_role_and_figures_carry_their_alt(project):
    from .test_blocks import EVERY_BLOCK

    project.handout("every", EVERY_BLOCK)
    assert project.run("build", "--layout", "standard", "--layout", "large-print").exit_code == 0
    for layout in ("standard", "large-print"):
        pdf = project.pdf("every", layout=layout)
        assert pdfua_problems(pdf) == []
        page = pytest.importorskip("page")
        assert page.validate_pdf(str(pdf), profile="ua1").is_compliant  # fonts embedded: no Helvetica from the QR code
        with pikepdf.open(pdf) as opened:
            figures = [str(e.Alt) for e in struct_elements(opened) if e.S == "/Figure"]
            links = [e for e in struct_elements(opened) if e.S == "/Link"]
            contents = [str(a.Contents) for page in opened.pages for a in page.obj.get("/Annots", [])]
        assert sorted(figures) == ["QR code that opens https://findtreatment.gov", "The clinic logo"]
        assert len(links) >= 5 and "Call 1-800-662-4357" in contents and all(contents)
        roles = struct_roles_in_order(pdf)
        assert roles.count("L") == 4  # bullets, steps, checklist, and the emergency box's bullets
        assert roles.count("TH") == 2 + 2  # the table's header, and one row header per help line


def test_a_paragraph_cut_by_a_page_end_is_one_element_with_content_on_both_pages(project):
    words = "A long paragraph of plain words that goes on. " * 140
    project.handout("cut", GOOD_HANDOUT.format(id="cut") + f"  - paragraph: {words}\n    id: long\n")
    assert project.run("build").exit_code == 0
    pdf = project.pdf("cut")
    with pikepdf.open(pdf) as opened:
        page_of = {page.obj.objgen: n for n, page in enumerate(opened.pages)}
        paragraph = next(e for e in struct_elements(opened) if e.S == "/P" and len(content_pages(e, page_of)) > 1)
        assert len(content_pages(paragraph, page_of)) >= 2
    assert pdfua_problems(pdf) == []


def test_a_table_row_cut_across_pages_is_still_one_td(project):
    tall = "A very tall cell of plain words. " * 260
    project.handout("tall", GOOD_HANDOUT.format(id="tall") + f"""\
  - table:
      header: [What, Notes]
      rows:
        - [Short, "{tall}"]
""")
    assert project.run("build").exit_code == 0
    pdf = project.pdf("tall")
    with pikepdf.open(pdf) as opened:
        page_of = {page.obj.objgen: n for n, page in enumerate(opened.pages)}
        cells = [e for e in struct_elements(opened) if e.S == "/TD"]
        pages_per_cell = [set().union(*(content_pages(child, page_of) for child in kids_of(cell))) for cell in cells]
    assert len(cells) == 2 and max(len(pages) for pages in pages_per_cell) >= 2
    assert pdfua_problems(pdf) == []
