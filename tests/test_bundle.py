"""Bundles read back: page count, contents numbers, bookmarks, labels, inserts, size, reproducibility."""

from __future__ import annotations

import io
import re
import shutil
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from .conftest import GOOD_HANDOUT, REPO, pdfminer_lines, pdfminer_pages, pypdf_pages, squash

TITLES = {"one": "First handout", "two": "Second handout", "three": "Third handout"}


def one_page_handout(handout_id: str) -> str:
    return GOOD_HANDOUT.format(id=handout_id).replace("A test handout", TITLES[handout_id])


def insert_pdf(pages: int = 3) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for number in range(1, pages + 1):
        canvas.drawString(72, 700, f"Consent form page {number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


PROGRAM = """\
id: starter
title: Starter packet
subtitle: For testing
handouts: [one, two, three]
inserts:
  - {{id: consent, path: inserts/consent.pdf, title: Consent form, after: {after}}}
duplex: {duplex}
"""


@pytest.fixture
def bundle_project(project):
    for handout_id in TITLES:
        project.handout(handout_id, one_page_handout(handout_id))
    project.write("inserts/consent.pdf", insert_pdf(3))
    return project


def build_bundle(project, duplex: bool, after: str = "three"):
    project.write("programs/starter.yaml", PROGRAM.format(duplex="true" if duplex else "false", after=after))
    result = project.run("bundle")
    assert result.exit_code == 0, result.output
    return project.root / "output" / "bundles" / "standard" / "en" / "starter.pdf"


@pytest.mark.parametrize("duplex,expected_pages,expected_blanks", [(False, 2 + 3 + 3, 0), (True, 2 + 2 + 3 + 3 + 3, 5)])
def test_page_count_and_blank_pages(bundle_project, duplex, expected_pages, expected_blanks):
    pdf = build_bundle(bundle_project, duplex)
    pages = pypdf_pages(pdf)
    assert len(pages) == expected_pages
    blank = [i for i, text in enumerate(pages) if "This page is intentionally left blank." in text]
    assert len(blank) == expected_blanks
    if duplex:
        # cover 1, its back blank, contents 3 (a sheet of its own), then each part on an odd page: 5, 7, 9,
        # the insert 11-13
        assert blank == [1, 3, 5, 7, 9]
        assert pages[2].lstrip().startswith("Contents")
        assert all(not text.strip().replace("This page is intentionally left blank.", "")
                   for i, text in enumerate(pages) if i in blank)


def test_contents_numbers_point_at_the_titles(bundle_project):
    pdf = build_bundle(bundle_project, duplex=True)
    reader = PdfReader(pdf)
    labels = reader.page_labels
    assert labels == ["i", "ii", "iii", "iv", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
    contents = pdfminer_pages(pdf)[2]
    listed = dict(re.findall(r"^(First handout|Second handout|Third handout|Consent form)\n+(\d+)$", contents, re.M))
    if len(listed) < 4:  # pdfminer may put the two columns in separate boxes: pair them in order
        titles = re.findall(r"^(First handout|Second handout|Third handout|Consent form)$", contents, re.M)
        numbers = re.findall(r"^(\d+)$", contents, re.M)
        listed = dict(zip(titles, numbers, strict=False))
    assert listed == {"First handout": "1", "Second handout": "3", "Third handout": "5", "Consent form": "7"}
    texts = pypdf_pages(pdf)
    for title, number in listed.items():
        page_index = labels.index(number)
        heading = title if title != "Consent form" else "Consent form page 1"
        assert heading in texts[page_index], (title, number)


def test_outline_is_program_then_parts_then_sections(bundle_project):
    pdf = build_bundle(bundle_project, duplex=True, after="one")
    reader = PdfReader(pdf)
    program, children = reader.outline
    assert program.title == "Starter packet" and reader.get_destination_page_number(program) == 0
    parts = [item for item in children if not isinstance(item, list)]
    assert [p.title for p in parts] == ["First handout", "Consent form", "Second handout", "Third handout"]
    assert [reader.get_destination_page_number(p) for p in parts] == [4, 6, 10, 12]
    sections = [item for item in children if isinstance(item, list)]
    assert [[s.title for s in group] for group in sections] == [["First part"]] * 3
    assert [reader.get_destination_page_number(group[0]) for group in sections] == [4, 10, 12]


def test_metadata_and_language(bundle_project):
    reader = PdfReader(build_bundle(bundle_project, duplex=False))
    assert reader.metadata.title == "Starter packet"
    assert reader.metadata.author == "Test Clinic"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_insert_pages_keep_their_size_and_text(bundle_project):
    reader = PdfReader(build_bundle(bundle_project, duplex=False))
    insert_pages = reader.pages[5:8]
    assert [round(float(p.mediabox.width), 1) for p in insert_pages] == [595.3] * 3
    assert round(float(reader.pages[2].mediabox.width)) == 612
    assert [(f"Consent form page {n}") in (p.extract_text() or "") for n, p in enumerate(insert_pages, 1)] == [True] * 3


def test_bundle_is_reproducible(bundle_project):
    first = build_bundle(bundle_project, duplex=True).read_bytes()
    shutil.rmtree(bundle_project.root / "output")
    assert build_bundle(bundle_project, duplex=True).read_bytes() == first


def reviewed(handout_yaml: str, on: str) -> str:
    return handout_yaml.replace("updated: 2026-01-15",
                                f"updated: 2026-01-15\nclinical_review: {{by: 'A. Reviewer, MD', date: {on}}}")


def test_cover_lists_language_and_latest_review(bundle_project):
    for name, on in (("one", "2026-02-01"), ("two", "2026-03-02"), ("three", "2026-01-20")):
        bundle_project.handout(name, reviewed(one_page_handout(name), on))
    pdf = build_bundle(bundle_project, duplex=False)
    cover = pypdf_pages(pdf)[0]
    assert "Language: English" in cover
    assert "Reviewed: March 2, 2026" in cover
    assert all(title in cover for title in ["Starter packet", "First handout", "Consent form", "(555) 010-0100"])
    assert PdfReader(pdf).metadata.subject == "For testing"


def test_cover_of_a_bundle_with_a_draft_says_so(bundle_project):
    bundle_project.handout("one", reviewed(one_page_handout("one"), "2026-02-01"))  # "two" and "three" are drafts
    pdf = build_bundle(bundle_project, duplex=False)
    cover = pypdf_pages(pdf)[0]
    assert "Draft: this packet has handouts awaiting clinical review" in cover
    assert "Reviewed:" not in cover
    assert PdfReader(pdf).metadata.subject == "Draft: this packet has handouts awaiting clinical review. For testing"


@pytest.mark.parametrize("insert,message", [
    (b"%PDF-1.4\nthis is not really a pdf", "cannot be read as a PDF: it may be damaged"),
    (None, "does not exist"),
    ("encrypted", "'consent.pdf' is encrypted (password-protected); save an unprotected copy"),
])
def test_bad_insert_is_a_located_error_and_no_bundle(bundle_project, insert, message):
    path = bundle_project.root / "inserts" / "consent.pdf"
    if insert is None:
        path.unlink()
    elif insert == "encrypted":
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(insert_pdf(1))))
        writer.encrypt("secret")
        with path.open("wb") as stream:
            writer.write(stream)
    else:
        path.write_bytes(insert)
    bundle_project.write("programs/starter.yaml", PROGRAM.format(duplex="true", after="three"))
    result = bundle_project.run("bundle")
    assert result.exit_code == 1
    line = next(line for line in result.stderr.splitlines() if line.startswith("programs/starter.yaml:6:"))
    assert "inserts item 1 path: " in line and message in line
    assert "Traceback" not in result.output
    # Every line names a file (pypdf's own log lines, "invalid pdf header", named none).
    assert all(re.match(r"(programs|layouts)/\S+: ", line) for line in result.stderr.splitlines()), result.stderr
    assert not (bundle_project.root / "output" / "bundles").exists()
    assert bundle_project.run("check").exit_code == 1


def test_the_pdf_readers_own_log_lines_do_not_reach_staff(bundle_project):
    """In a real process pypdf logs what it meets in a broken insert ("invalid pdf header: b'hello'", "EOF marker
    not found") with no file name; only our located message may be printed."""
    import subprocess
    import sys

    (bundle_project.root / "inserts" / "consent.pdf").write_bytes(b"hello")
    bundle_project.write("programs/starter.yaml", PROGRAM.format(duplex="true", after="three"))
    done = subprocess.run([sys.executable, "-m", "kratom_handouts", "bundle", "--project", str(bundle_project.root)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert any("'consent.pdf' cannot be read as a PDF" in line for line in lines), lines
    assert all(line.startswith("programs/starter.yaml:") for line in lines), lines


@pytest.mark.parametrize("edit,expected", [
    (("[one, two, three]", "[one, tw0, three]"),
     "programs/starter.yaml:4:17: unknown handout 'tw0' (did you mean 'two'?)"),
    (("duplex: true", "duplex: true\nlayout: fancy"),
     "programs/starter.yaml:8:9: layout 'fancy' is not known; expected one of: a4, large-print, standard"),
    (("after: three", "after: four"),
     "programs/starter.yaml:6:74: inserts item 1 comes after 'four', which is not one of this program's handouts"),
])
def test_bad_program_is_located(bundle_project, edit, expected):
    bundle_project.write("programs/starter.yaml", PROGRAM.format(duplex="true", after="three").replace(*edit))
    for command in ("bundle", "check", "build"):
        result = bundle_project.run(command)
        assert result.exit_code == 1, command
        assert expected in result.stderr.splitlines(), (command, result.stderr)
    assert not (bundle_project.root / "output" / "bundles").exists()


def test_bundle_is_much_smaller_than_its_handouts_alone(project):
    shipped = sorted((REPO / "handouts" / "en").glob("[!_]*.yaml"))
    ids = []
    for number in range(10):
        source = shipped[number % len(shipped)]
        handout_id = f"{source.stem}-{number}"
        project.handout(handout_id, source.read_text().replace(f"id: {source.stem}", f"id: {handout_id}", 1))
        ids.append(handout_id)
    project.write("programs/big.yaml", f"id: big\ntitle: Ten handouts\nhandouts: [{', '.join(ids)}]\nduplex: false\n")
    result = project.run("build")
    assert result.exit_code == 0, result.output
    alone = sum(project.pdf(handout_id).stat().st_size for handout_id in ids)
    bundle = (project.root / "output" / "bundles" / "standard" / "en" / "big.pdf").stat().st_size
    assert bundle < 0.6 * alone, (bundle, alone, bundle / alone)


def test_build_builds_bundles_unless_told_not_to(bundle_project):
    bundle_project.write("programs/starter.yaml", PROGRAM.format(duplex="true", after="three"))
    assert bundle_project.run("build", "--no-bundles").exit_code == 0
    assert not (bundle_project.root / "output" / "bundles").exists()
    assert bundle_project.run("build").exit_code == 0
    assert (bundle_project.root / "output" / "bundles" / "standard" / "en" / "starter.pdf").exists()


def test_shipped_bundles_read_back(shipped_build):
    for name in ("intake", "withdrawal-management", "family"):
        pdf = shipped_build / "bundles" / "standard" / "en" / f"{name}.pdf"
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 6
        text = squash("".join(pdfminer_pages(pdf)))
        assert squash("Where to get help") in text


def test_each_handouts_back_matter_is_tagged_inside_its_part(shipped_build):
    """Chosen during layout, a handout's sources, review record and address still go into its own Part of the
    tree (in reading order, after its body), not after the last part."""
    import pikepdf

    def kids(element: Any) -> list[Any]:
        return list(element.K) if isinstance(element.K, pikepdf.Array) else [element.K]

    with pikepdf.open(shipped_build / "bundles" / "large-print" / "en" / "intake.pdf") as pdf:
        (document,) = kids(pdf.Root.StructTreeRoot)
        parts = kids(document)
        assert {str(part.S) for part in parts} == {"/Part"}
        handouts = [part for part in parts if any(str(kid.get("/S")) == "/H2" for kid in kids(part))][1:]
        assert len(handouts) == 6  # after the contents, whose heading is an H2 too
        for part in handouts:
            texts = [str(kid.get("/ActualText", "")) for kid in kids(part)]
            assert texts[-4] == "Sources" and texts[-1].startswith("(555) 010-0100"), texts[-4:]


def test_bundle_prints_in_the_bundle_language(bundle_project):
    project = bundle_project
    project.write("programs/starter.yaml", PROGRAM.format(duplex="true", after="three"))
    spanish_labels = {"contents": "Contenido", "language": "Idioma", "in_this_packet": "En este paquete",
                      "blank_page": "Esta página se dejó en blanco a propósito.", "reviewed": "Revisado",
                      "packet_not_reviewed": "Borrador: este paquete tiene folletos pendientes de revisión clínica"}

    def to_spanish(name, document):
        if name == "_labels":
            document.update(spanish_labels)
        elif name == "_programs":
            document["starter"] = {"title": "Paquete inicial", "inserts": {"consent": "Formulario de consentimiento"}}
        else:
            document["title"] = f"Folleto {name}"

    project.translate("es", to_spanish)
    result = project.run("bundle", "--lang", "es")
    assert result.exit_code == 0, result.output
    pdf = project.root / "output" / "bundles" / "standard" / "es" / "starter.pdf"
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert reader.metadata.title == "Paquete inicial"
    pages = pypdf_pages(pdf)
    assert ("Idioma: Español" in pages[0]
            and "Borrador: este paquete tiene folletos pendientes de revisión clínica" in pages[0])
    assert "Contenido" in pages[2] and "Formulario de consentimiento" in pages[2] and "Folleto two" in pages[2]
    assert "Esta página se dejó en blanco a propósito." in pages[1] and "Esta página" in pages[3]


def _line_box(pdf, page_index: int, words: str) -> tuple[float, float, float, float, float]:
    """Where pdfminer finds a line: its box, and the page's width."""
    width = float(PdfReader(pdf).pages[page_index].mediabox.width)
    for line in pdfminer_lines(pdf, [page_index])[0]:
        if words in line.get_text():
            return (*line.bbox, width)
    raise AssertionError(f"{words!r} not on page {page_index}")


def test_an_arabic_cover_lines_the_clinic_up_with_its_logo_and_box_on_the_right(shipped_build):
    """The clinic's name is Latin text on an Arabic cover: it keeps its own direction, but its lines start at the
    page's right edge, under the logo and against the box's rule, the English cover's mirror image (it stood at
    the far left, under a logo on the right)."""
    def clinic_lines(lang: str) -> list[tuple[float, float]]:
        pdf = shipped_build / "bundles" / "standard" / lang / "family.pdf"
        return [(line.bbox[0], line.bbox[2]) for line in pdfminer_lines(pdf, [0])[0]
                if "Sample Clinic (placeholder)" in line.get_text() or "(555) 010-0100 ·" in line.get_text()]

    width = float(PdfReader(shipped_build / "bundles" / "standard" / "ar" / "family.pdf").pages[0].mediabox.width)
    english, arabic = clinic_lines("en"), clinic_lines("ar")
    assert len(english) == len(arabic) == 3  # under the logo, then the box's two rows
    for (en_left, _), (_, ar_right) in zip(english, arabic, strict=True):
        assert abs((width - ar_right) - en_left) < 2, (english, arabic)


def test_insert_pages_carry_the_page_numbers_of_the_pages_around_them(bundle_project):
    pdf = build_bundle(bundle_project, duplex=False)
    pages, mined = pypdf_pages(pdf), pdfminer_pages(pdf)
    # cover, contents, then one, two, three (pages 1-3) and the A4 insert's three pages (4-6) in a Letter bundle
    assert "Page 3 of 6" in pages[4]
    for number, index in ((4, 5), (5, 6), (6, 7)):
        assert f"Consent form page {number - 3}" in pages[index]  # the clinic's own page is still all there
        assert f"Page {number} of 6" in pages[index] and f"Page {number} of 6" in mined[index]
    _, _, x1, y1, width = _line_box(pdf, 4, "Page 3 of 6")
    _, _, ix1, iy1, insert_width = _line_box(pdf, 5, "Page 4 of 6")
    # where the pages around it print it: at the right of the footer (the A4 page is scaled to fit its width)
    assert abs(ix1 / insert_width - x1 / width) < 0.03 and iy1 < 72, ((x1, y1, width), (ix1, iy1, insert_width))
    # a page number the layout does not print is not stamped either
    layout = bundle_project.root / "layouts" / "_brand.yaml"
    layout.write_text(layout.read_text(encoding="utf-8").replace('right: "{page_of}"', 'right: ""'), encoding="utf-8")
    pdf = build_bundle(bundle_project, duplex=False)
    assert all("of 6" not in text for text in pypdf_pages(pdf)[2:])


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_insert_page_gets_its_number_upright_at_the_foot_as_it_is_seen(bundle_project, turn):
    import pikepdf
    import pypdfium2
    from PIL import ImageOps

    with pikepdf.open(io.BytesIO(insert_pdf(3))) as insert:
        insert.pages[1].obj.Rotate = turn
        out = io.BytesIO()
        insert.save(out)
    bundle_project.write("inserts/consent.pdf", out.getvalue())
    pdf = build_bundle(bundle_project, duplex=False)
    assert "Page 5 of 6" in pypdf_pages(pdf)[6]
    document = pypdfium2.PdfDocument(str(pdf))

    def ink_at_the_foot(index: int) -> tuple[int, int, int, int]:
        picture = ImageOps.invert(document[index].render(scale=2).to_pil().convert("L"))
        foot = picture.crop((int(picture.width * 0.7), int(picture.height * 0.9), picture.width, picture.height))
        return foot.point(lambda level: 255 if level > 60 else 0).getbbox()

    left, top, right, bottom = ink_at_the_foot(6)
    assert right - left > 3 * (bottom - top), (left, top, right, bottom)  # a line of upright text, not a column
    _, upright_top, _, upright_bottom = ink_at_the_foot(5)  # "Page 4 of 6" on the insert's first page, upright
    assert abs((bottom - top) - (upright_bottom - upright_top)) <= 2  # in the same type size


def test_an_untagged_insert_is_warned_about_and_the_bundle_claims_no_pdf_ua(bundle_project):
    bundle_project.write("programs/starter.yaml", PROGRAM.format(duplex="false", after="three"))
    warning = ("programs/starter.yaml:6:25: warning: inserts item 1 'consent.pdf' is not a tagged PDF: its pages are "
               "not read by screen readers, so bundles with it are not marked PDF/UA")
    for command in (("bundle",), ("check",)):
        result = bundle_project.run(*command)
        assert warning in result.stderr.splitlines(), (command, result.stderr)
    pdf = bundle_project.root / "output" / "bundles" / "standard" / "en" / "starter.pdf"
    reader = PdfReader(pdf)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"<pdfuaid:part>" not in xmp and b"<dc:title>" in xmp
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # the bundle's own pages are still tagged


def test_a_bundle_without_inserts_claims_pdf_ua(bundle_project):
    bundle_project.write("programs/starter.yaml", PROGRAM.format(duplex="false", after="three").replace(
        "inserts:\n  - {id: consent, path: inserts/consent.pdf, title: Consent form, after: three}\n", ""))
    result = bundle_project.run("bundle")
    assert result.exit_code == 0 and "warning" not in result.stderr, result.output
    reader = PdfReader(bundle_project.root / "output" / "bundles" / "standard" / "en" / "starter.pdf")
    assert b"<pdfuaid:part>1</pdfuaid:part>" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_a_tagged_insert_keeps_its_tags_and_the_bundle_stays_pdf_ua(bundle_project, tmp_path):
    from .pdfua import pdfua_problems, struct_roles_in_order

    # A tagged PDF/UA file of the clinic's own: here one of our handouts, built on its own.
    bundle_project.handout("extra", GOOD_HANDOUT.format(id="extra").replace("A test handout", "Clinic consent"))
    assert bundle_project.run("build", "extra", "--output", str(tmp_path / "own")).exit_code == 0
    bundle_project.write("inserts/consent.pdf", (tmp_path / "own" / "standard" / "en" / "extra.pdf").read_bytes())
    bundle_project.write("programs/starter.yaml", PROGRAM.format(duplex="false", after="three"))
    result = bundle_project.run("bundle")
    assert result.exit_code == 0 and "warning" not in result.stderr, result.output
    pdf = bundle_project.root / "output" / "bundles" / "standard" / "en" / "starter.pdf"
    assert pdfua_problems(pdf) == []
    roles = struct_roles_in_order(pdf)
    assert roles.count("Part") == 2 + 3 + 1  # cover, contents, three handouts, the insert with its own tree
    assert roles.count("H1") == 2  # the program's title, and the insert's own (it was a document of its own)
    reader = PdfReader(pdf)
    assert b"<pdfuaid:part>1</pdfuaid:part>" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert "Clinic consent" in (reader.pages[-1].extract_text() or "")


@pytest.mark.parametrize("layout", ["standard", "a4", "large-print"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_cover_of_every_shipped_bundle_fits_one_page(shipped_build, layout, lang):
    for program in ("intake", "family", "withdrawal-management"):
        pages = pdfminer_pages(shipped_build / "bundles" / layout / lang / f"{program}.pdf")
        assert "100 Example Street" in pages[0], (program, layout, lang)  # the clinic box closes the cover
        # the shipped programs print duplex: the cover's back is blank, the contents starts the next sheet
        assert "blan" in pages[1] and not pages[1].lstrip().startswith(("Contents", "Contenido")), (program, layout)
        assert pages[2].lstrip().startswith(("Contents", "Contenido")), (program, layout, lang)


def _shipped_bundle_jobs():
    from kratom_handouts.plan import plan_bundles
    from kratom_handouts.project import Project

    return plan_bundles(Project(REPO), (), ("en", "es"), ("standard", "large-print"))


def test_a_bundles_handout_is_weighed_against_its_own_part_only(monkeypatch):
    """Each handout's back matter in a bundle is weighed against the part it ends (earlier parts end on earlier
    pages): walking every earlier part again made a 50-handout bundle take a quarter longer. A handout alone is
    weighed against all of its top-level elements."""
    from kratom_handouts.content import FallbackPolicy, load_handout
    from kratom_handouts.errors import Diagnostics
    from kratom_handouts.jobs import Inputs as _Inputs, bundle_plan
    from kratom_handouts.model import Handout
    from kratom_handouts.project import Project
    from kratom_handouts.render import last_page
    from kratom_handouts.render.bundle import render_bundle
    from kratom_handouts.render.document import render_handout

    weighed: list[list[str]] = []
    original = last_page.EndingChoice._weighed_against

    def watched(self: Any) -> Any:
        found = original(self)
        weighed.append([element.role for element in found])
        return found

    monkeypatch.setattr(last_page.EndingChoice, "_weighed_against", watched)
    inputs = _Inputs(Project(REPO), FallbackPolicy())
    job = next(job for job in _shipped_bundle_jobs() if job.program_id == "intake" and job.layout == "large-print")
    plan, _, created = bundle_plan(job, inputs, None)
    render_bundle(plan, inputs.layout(job.layout), inputs.labels(job.lang), created)
    assert weighed == [["Part"]] * 6
    weighed.clear()
    handout = load_handout(Project(REPO), "overdose", "en", Diagnostics())
    assert isinstance(handout, Handout)
    render_handout(handout, inputs.layout("standard"), inputs.labels("en"), created)
    assert len(weighed) == 1 and len(weighed[0]) > 10 and "Part" not in weighed[0]


def _outline_titles(reader: PdfReader) -> list:
    def walk(items):
        return [walk(item) if isinstance(item, list) else item.title for item in items]

    return walk(reader.outline)


@pytest.mark.parametrize("duplex", [False, True])
@pytest.mark.parametrize("job", _shipped_bundle_jobs(), ids=str)
def test_one_layout_pass_gives_the_bundle_two_passes_gave(job, duplex):
    """Laid out once (duplex blanks placed as the layout goes, contents numbers drawn at save): the same pages,
    words, page labels, bookmarks and part starts as the older measure-then-draw layout."""
    import dataclasses

    import pikepdf

    from kratom_handouts.content import FallbackPolicy
    from kratom_handouts.jobs import Inputs as _Inputs, bundle_plan
    from kratom_handouts.project import Project
    from kratom_handouts.render.bundle import render_bundle

    from .pdfua import struct_elements

    inputs = _Inputs(Project(REPO), FallbackPolicy())
    plan, _, created = bundle_plan(job, inputs, None)
    plan = dataclasses.replace(plan, duplex=duplex)
    layout, labels = inputs.layout(job.layout), inputs.labels(job.lang)
    once, twice = (render_bundle(plan, layout, labels, created, passes=n) for n in (1, 2))
    assert (once.pages, once.part_starts, once.front_pages, once.blank_pages) == \
           (twice.pages, twice.part_starts, twice.front_pages, twice.blank_pages)
    readers = [PdfReader(io.BytesIO(r.pdf)) for r in (once, twice)]
    # Deferred text is drawn after the page's other content: compare each page's words, not its line order.
    words = [[sorted((page.extract_text() or "").split()) for page in reader.pages] for reader in readers]
    assert words[0] == words[1]
    assert readers[0].page_labels == readers[1].page_labels
    assert _outline_titles(readers[0]) == _outline_titles(readers[1])
    with pikepdf.open(io.BytesIO(once.pdf)) as pdf:
        contents = [str(e.get("/ActualText")) for e in struct_elements(pdf) if e.get("/S") == "/TOCI"]
    numbers = [start - once.front_pages for start in once.part_starts]
    assert sorted(int(entry.rsplit(" ", 1)[1]) for entry in contents) == numbers  # each entry names its page


# --- the language-assistance notice ------------------------------------------------------------

ASSISTANCE = """\
language_assistance:
  print_on_handouts: {on_handouts}
  lines:
    en: "Free help in your language: call {{clinic_phone}}."
    ar: "مساعدة مجانية بلغتك: اتصل بالرقم {{clinic_phone}}."
    zh-Hans: "免费语言帮助：请拨打{{clinic_phone}}。"
"""


def with_assistance(project, on_handouts: bool = False) -> None:
    brand = project.root / "layouts" / "_brand.yaml"
    text = brand.read_text(encoding="utf-8")
    start = text.index("language_assistance:")
    end = text.index("# Placeholders:")
    brand.write_text(text[:start] + ASSISTANCE.format(on_handouts=str(on_handouts).lower()) + text[end:],
                     encoding="utf-8")


def test_the_cover_ends_with_each_language_line_in_its_own_language(bundle_project):
    import pikepdf

    from .pdfua import struct_elements

    with_assistance(bundle_project)
    pdf = build_bundle(bundle_project, duplex=False)
    cover = pdfminer_pages(pdf)[0]
    assert "Free help in your language: call (555) 010-0100." in cover
    assert squash("免费语言帮助：请拨打(555) 010-0100。") in squash(cover)
    with pikepdf.open(pdf) as opened:
        tagged = {str(e.get("/Lang")): str(e.ActualText) for e in struct_elements(opened)
                  if "/Lang" in e and "/ActualText" in e}
        fonts = {str(font.BaseFont).split("+")[-1] for font in opened.pages[0].Resources.Font.values()}
    assert tagged["ar"] == "مساعدة مجانية بلغتك: اتصل بالرقم (555) 010-0100."
    assert tagged["zh-Hans"] == "免费语言帮助：请拨打(555) 010-0100。"
    assert {"IBMPlexSansArabic-Regular", "NotoSansSC-Regular"} <= fonts  # each line in its own script's font


def test_the_notice_is_at_the_foot_of_the_cover(bundle_project):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    with_assistance(bundle_project)
    pdf = build_bundle(bundle_project, duplex=False)
    cover = next(iter(extract_pages(str(pdf))))
    boxes = {box.get_text().strip(): box.y0 for box in cover if isinstance(box, LTTextContainer)}
    notice = next(y for words, y in boxes.items() if words.startswith("Free help"))
    below = [y for y in boxes.values() if y < notice]
    above = [y for y in boxes.values() if y > notice]
    assert len(below) == 2  # the Arabic and Chinese lines, then nothing: the notice ends the cover
    assert notice < 140 and min(above) - notice > 100  # at the foot, well below the rest of the cover


def test_handouts_print_the_notice_only_when_the_layout_says_so(bundle_project):
    with_assistance(bundle_project, on_handouts=False)
    assert bundle_project.run("build", "one", "--format", "pdf").exit_code == 0
    assert "Free help in your language" not in "".join(pdfminer_pages(bundle_project.pdf("one")))
    with_assistance(bundle_project, on_handouts=True)
    assert bundle_project.run("build", "one", "--format", "pdf", "--force").exit_code == 0
    assert "Free help in your language" in pdfminer_pages(bundle_project.pdf("one"))[-1]


def test_check_warns_about_languages_without_a_line(project):
    project.handout("one")
    project.translate("es")
    brand = project.root / "layouts" / "_brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace('    es: "Ayuda gratis en su idioma: llame al '
                                                               '{clinic_phone}."\n', ""), encoding="utf-8")
    result = project.run("check")
    line = next(n for n, text in enumerate(brand.read_text().splitlines(), 1) if text == "language_assistance:")
    assert (f"layouts/_brand.yaml:{line}:1: warning: no language-assistance line for es; add one per language under "
            "'language_assistance: lines:' (the clinic's own wording, in that language), or the bundle covers "
            "print none for them") in result.output


@pytest.mark.parametrize("line,message", [
    ('    en: "Call {page}."', "language_assistance line for 'en' has an unknown placeholder {page}; use one of: "
                                 "{clinic}, {clinic_phone}, {clinic_website}"),
    ('    en: "Call {clinic"', "language_assistance line for 'en' has a '{' or '}' without its pair: a placeholder is "
                               "written with one brace on each side, like {clinic}, and a brace cannot be printed as "
                               "text"),
    ('    xx-Yyyy-1: "Hello"', "language_assistance line: 'xx-Yyyy-1' is not a language code written the BCP 47 way"),
])
def test_a_bad_notice_line_is_a_located_error(project, line, message):
    project.handout("one")
    brand = project.root / "layouts" / "_brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace('    en: "Free help in your language: call {clinic_phone}."', line), encoding="utf-8")
    result = project.run("check")
    assert result.exit_code == 1
    number = next(n for n, t in enumerate(brand.read_text().splitlines(), 1) if t == line)
    assert f"layouts/_brand.yaml:{number}:" in result.output and message in result.output


def test_a_bundle_opens_with_its_bookmarks_shown_and_a_handout_does_not(bundle_project):
    pdf = build_bundle(bundle_project, duplex=False)  # with an insert merged in
    assert PdfReader(pdf).trailer["/Root"]["/PageMode"] == "/UseOutlines"
    assert bundle_project.run("build", "one", "--format", "pdf").exit_code == 0
    assert PdfReader(bundle_project.pdf("one")).trailer["/Root"]["/PageMode"] == "/UseNone"  # a two-page handout


# --- inserted PDFs are inert ------------------------------------------------------------------


def live_insert() -> bytes:
    """A one-page PDF with everything a bundle must not carry, and one link it must keep."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.open(io.BytesIO(insert_pdf(1)))
    page = pdf.pages[0]

    def link(action: Dictionary) -> Dictionary:
        return pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 72, 200, 90]),
                                            A=action))

    page.obj.Annots = pdf.make_indirect(Array([
        link(Dictionary(S=Name.URI, URI=pikepdf.String("https://988lifeline.org"))),
        link(Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert(1)"))),
        link(Dictionary(S=Name.Launch, F=pikepdf.String("calc.exe"))),
        link(Dictionary(S=Name.URI, URI=pikepdf.String("javascript:alert(1)"))),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Widget, Rect=Array([72, 100, 200, 120]),
                                     FT=Name.Tx, T=pikepdf.String("name"))),
    ]))
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert(2)"))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([pikepdf.String("x"), Dictionary(
        S=Name.JavaScript, JS=pikepdf.String("app.alert(3)"))])))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_an_insert_arrives_inert_and_check_says_what_was_left_out(bundle_project):
    import pikepdf

    bundle_project.write("inserts/consent.pdf", live_insert())
    bundle_project.write("programs/starter.yaml", PROGRAM.format(duplex="false", after="three"))
    checked = bundle_project.run("check")
    said = [line for line in checked.output.splitlines() if "leave out" in line]
    assert said == ["programs/starter.yaml:6:25: warning: inserts item 1 'consent.pdf': bundles leave out an "
                    "action run on opening, JavaScript, a link that "
            "runs a JavaScript action on page 1, a link that runs a Launch action on page 1, a link to "
            "'javascript:alert(1)' on page 1, a form field on page 1; the pages print as they are"]
    pdf = build_bundle(bundle_project, duplex=False)
    with pikepdf.open(pdf) as bundle:
        assert "/OpenAction" not in bundle.Root and "/AcroForm" not in bundle.Root
        assert "/JavaScript" not in bundle.Root.get("/Names", {})
        actions = [annotation.get("/A") for page in bundle.pages for annotation in page.get("/Annots", [])]
        kinds = [(str(a.S), str(a.get("/URI", ""))) for a in actions if a is not None]
        assert ("/URI", "https://988lifeline.org") in kinds  # a safe link survives
        assert all(kind == "/URI" and uri.startswith(("https:", "http:", "mailto:", "tel:")) for kind, uri in kinds)
        subtypes = {str(annotation.Subtype) for page in bundle.pages for annotation in page.get("/Annots", [])}
        assert "/Widget" not in subtypes
        raw = b"".join(bytes(obj.read_raw_bytes()) for obj in bundle.objects
                       if isinstance(obj, pikepdf.Stream))
    assert b"app.alert" not in raw and b"calc.exe" not in bytes(pdf.read_bytes())


def test_every_shipped_language_has_its_assistance_line_on_the_covers(shipped_build):
    """The ar, ko, vi and zh-Hans covers offered free language help only in English and Spanish."""
    from kratom_handouts.errors import Diagnostics
    from kratom_handouts.layouts import load_layout
    from kratom_handouts.project import Project as KratomProject

    from .conftest import actual_text_pages

    shipped = KratomProject(REPO)
    layout = load_layout("standard", REPO, Diagnostics())
    lines = {lang: text.value for lang, text in layout.language_assistance}
    assert set(lines) == set(shipped.languages())
    for lang in shipped.languages():
        bundle = shipped_build / "bundles" / "standard" / lang / "family.pdf"
        # Arabic lines are drawn in visual order and carry their logical text as /ActualText; the rest read as is
        cover = actual_text_pages(bundle)[0] + "\n" + squash(pypdf_pages(bundle)[0])
        for wanted in lines.values():  # every language's line, on every cover
            line = wanted.replace("{clinic_phone}", "(555) 010-0100")
            assert line in cover or squash(line) in cover, (lang, wanted)
