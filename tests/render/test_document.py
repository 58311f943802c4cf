"""The shipped library read back from its PDFs, with pypdf and with pdfminer.six."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from kratom_handouts import inline
from kratom_handouts.blocks import Image, block_texts
from kratom_handouts.content import load_handout, load_labels
from kratom_handouts.errors import Diagnostics
from kratom_handouts.i18n.languages import direction_of
from kratom_handouts.programs import load_program
from kratom_handouts.project import Project
from kratom_handouts.review import metadata_notice, page_status

from ..conftest import REPO, actual_text_pages, pdfminer_pages, pypdf_pages, squash

PROJECT = Project(REPO)
SHIPPED = [(lang, handout_id) for lang in PROJECT.languages() for handout_id in PROJECT.handout_files(lang)]
LAYOUTS = ["standard", "a4", "large-print"]


def handout(lang: str, handout_id: str):
    return load_handout(PROJECT, handout_id, lang, Diagnostics())


def furniture(h, pages: int) -> list[str]:
    """Header and footer strings, which the readers find between a paragraph's two halves."""
    labels = load_labels(PROJECT, h.lang, Diagnostics())
    found = ["Sample Clinic (placeholder)", "(555) 010-0100", h.id, page_status(h, labels)]
    found += [labels["page_of"].format(page=n, pages=pages) for n in range(1, pages + 1)]
    return [squash(f) for f in found]


def readable_text(pages: list[str], h) -> str:
    """The pages' text without the header and footer lines (the readers put them between a paragraph's halves)."""
    pieces = furniture(h, len(pages))
    lines = [line for page in pages for line in page.splitlines() if squash(line) not in pieces]
    text = squash("".join(lines))
    # A reader may also run a header piece into a text line; the id is left alone there, since it is a word
    # the text itself can hold ("overdose").
    for piece in sorted((p for p in pieces if p != squash(h.id)), key=len, reverse=True):
        text = text.replace(piece, "")
    return text


def test_the_library_is_not_empty():
    assert len(SHIPPED) >= 6


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lang,handout_id", SHIPPED)
def test_every_block_is_on_the_page(shipped_build: Path, lang: str, handout_id: str, layout: str):
    h = handout(lang, handout_id)
    pdf = shipped_build / layout / lang / f"{handout_id}.pdf"
    readers = (actual_text_pages,) if direction_of(lang) == "rtl" else (pypdf_pages, pdfminer_pages)
    for reader in readers:
        text = readable_text(reader(pdf), h)
        expected = [h.title, h.summary] + [t for b in h.body if not isinstance(b, Image) for t in block_texts(b)]
        missing = [t.value for t in expected if squash(inline.plain_text(t.value)) not in text]
        assert not missing, f"{reader.__name__} did not find: {missing}"


@pytest.mark.parametrize("lang,handout_id", SHIPPED)
def test_standard_layout_fits_two_pages(shipped_build: Path, lang: str, handout_id: str):
    assert 1 <= len(PdfReader(shipped_build / "standard" / lang / f"{handout_id}.pdf").pages) <= 2


def embedded_fonts(pdf: Path) -> dict[str, bool]:
    """Every font the pages use, by base name, and whether its program is embedded."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"]).split("+")[-1]] = embedded
    return fonts


def language_fonts(lang: str) -> set[str]:
    """The PostScript names of the faces the shipped layout names for ``lang``."""
    from fontTools.ttLib import TTFont

    from kratom_handouts import fonts
    from kratom_handouts.layouts import load_layout

    chain = load_layout("standard", REPO, Diagnostics()).font_chain(lang)
    return {TTFont(path, lazy=True)["name"].getDebugName(6) for name in chain
            for path in fonts.FAMILIES[name].files.values()}


@pytest.mark.parametrize("lang,handout_id", SHIPPED)
def test_every_font_is_embedded(shipped_build: Path, lang: str, handout_id: str):
    pdf = shipped_build / "standard" / lang / f"{handout_id}.pdf"
    fonts = embedded_fonts(pdf)
    assert fonts and all(fonts.values()), fonts
    assert set(fonts) <= language_fonts(lang), fonts  # the language's own fonts: never Helvetica, never another's

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    used = {
        char.fontname.split("+")[-1]
        for page in extract_pages(str(pdf))
        for box in page if isinstance(box, LTTextContainer)
        for line in box for char in line if isinstance(char, LTChar)
    }
    assert used <= set(fonts), used


def outline_items(reader: PdfReader):
    for item in reader.outline:
        assert not isinstance(item, list), "handout outlines are flat"
        yield item


@pytest.mark.parametrize("lang,handout_id", SHIPPED)
def test_outline_equals_headings_and_points_at_them(shipped_build: Path, lang: str, handout_id: str):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    h = handout(lang, handout_id)
    pdf = shipped_build / "standard" / lang / f"{handout_id}.pdf"
    reader = PdfReader(pdf)
    items = list(outline_items(reader))
    assert [item.title for item in items] == [inline.plain_text(x.text.value) for x in h.headings]
    if direction_of(lang) == "rtl":
        return  # extractors put right-to-left lines together in their own ways: the titles above are the check
    pages = list(extract_pages(str(pdf)))
    for item in items:
        page = pages[reader.get_destination_page_number(item)]
        tops = [
            line.y1 for box in page if isinstance(box, LTTextContainer)
            for line in box if isinstance(line, LTTextLine) and line.get_text().strip() == item.title
        ]
        assert any(float(item.top) - 30 <= top <= float(item.top) for top in tops), (item.title, item.top, tops)


@pytest.mark.parametrize("lang,handout_id", SHIPPED)
def test_metadata(shipped_build: Path, lang: str, handout_id: str):
    h = handout(lang, handout_id)
    reader = PdfReader(shipped_build / "standard" / lang / f"{handout_id}.pdf")
    meta = reader.metadata
    assert meta.title == inline.plain_text(h.title.value)
    assert meta.author == "Sample Clinic (placeholder)"
    labels = load_labels(PROJECT, lang, Diagnostics())
    assert meta.subject == metadata_notice(h, labels) + inline.plain_text(h.summary.value)
    assert meta["/Keywords"] == ", ".join(h.keywords)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 - a pypdf BooleanObject
    assert meta["/CreationDate"].startswith("D:" + h.updated.strftime("%Y%m%d"))


def test_two_builds_are_byte_identical_across_processes(tmp_path: Path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = dict(os.environ, PYTHONHASHSEED=seed)
        env.pop("SOURCE_DATE_EPOCH", None)
        subprocess.run([sys.executable, "-m", "kratom_handouts", "build", "--project", str(REPO), "--output", str(out)],
                       check=True, env=env, capture_output=True)
        outputs.append(out)
    files = sorted(p.relative_to(outputs[0]) for p in outputs[0].rglob("*.pdf"))
    assert files
    for relative in files:
        assert (outputs[0] / relative).read_bytes() == (outputs[1] / relative).read_bytes(), relative


def test_render_does_not_depend_on_what_was_rendered_before():
    from kratom_handouts.jobs import creation_time
    from kratom_handouts.layouts import load_layout
    from kratom_handouts.render.document import render_handout

    layout = load_layout("standard", REPO, Diagnostics())
    labels = load_labels(PROJECT, "en", Diagnostics())
    first, second = (handout("en", handout_id) for handout_id in sorted(PROJECT.handout_files("en"))[:2])
    alone = render_handout(second, layout, labels, creation_time(second, None)).pdf
    render_handout(first, layout, labels, creation_time(first, None))
    assert render_handout(second, layout, labels, creation_time(second, None)).pdf == alone


def test_source_date_epoch_sets_the_creation_date(tmp_path: Path):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    subprocess.run([sys.executable, "-m", "kratom_handouts", "build", "what-is-kratom-addiction", "--project",
                    str(REPO), "--output", str(tmp_path)], check=True, env=env, capture_output=True)
    meta = PdfReader(tmp_path / "standard" / "en" / "what-is-kratom-addiction.pdf").metadata
    assert meta["/CreationDate"].startswith("D:20231114221320")


def test_spanish_pdfs_read_back_in_spanish(shipped_build: Path):
    pdf = shipped_build / "standard" / "es" / "kratom-withdrawal.pdf"
    for reader in (pypdf_pages, pdfminer_pages):
        text = squash("".join(reader(pdf)))
        for words in ("Abstinencia de kratom", "En resumen", "Página 1 de 2", "Borrador pendiente de revisión clínica",
                      "Próxima revisión: 20 de noviembre de 2027", "Fuentes", "Llame al 1-800-662-4357",
                      "Traducción en borrador de un asistente de IA, aún sin revisar."):
            assert squash(words) in text, (reader.__name__, words)
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "es"


@pytest.mark.parametrize("layout", ["standard", "large-print"])
@pytest.mark.parametrize("lang,handout_id", [(lang, h) for lang, h in SHIPPED if lang in ("en", "es")])
def test_one_layout_pass_prints_what_two_passes_did(lang: str, handout_id: str, layout: str):
    """The handout is laid out once, its "page X of Y" drawn when the page count is known: same pages, same lines."""
    import io

    from kratom_handouts.jobs import creation_time
    from kratom_handouts.layouts import load_layout
    from kratom_handouts.render.document import render_handout, render_handout_two_passes

    h = handout(lang, handout_id)
    chosen, labels = load_layout(layout, REPO, Diagnostics()), load_labels(PROJECT, lang, Diagnostics())
    once = render_handout(h, chosen, labels, creation_time(h, None))
    twice = render_handout_two_passes(h, chosen, labels, creation_time(h, None))
    assert once.pages == twice.pages
    read = [PdfReader(io.BytesIO(r.pdf)) for r in (once, twice)]
    # The furniture is drawn after the page's content instead of before it: compare each page's lines as a set.
    lines = [[sorted((page.extract_text() or "").splitlines()) for page in reader.pages] for reader in read]
    assert lines[0] == lines[1]
    assert ("Page 1 of" in (read[0].pages[0].extract_text() or "")
            or "Página 1 de" in (read[0].pages[0].extract_text() or ""))


def test_the_same_project_in_two_folders_gives_the_same_bytes(tmp_path):
    """ReportLab names an image drawn from a file after its path: the logo must be given as its content."""
    import shutil

    from click.testing import CliRunner

    from kratom_handouts.cli import main

    built = []
    for name in ("one", "elsewhere"):
        root = tmp_path / name
        for folder in ("handouts", "layouts", "programs"):
            shutil.copytree(REPO / folder, root / folder)
        result = CliRunner().invoke(main, ["build", "--lang", "en", "--format", "pdf", "--project", str(root)])
        assert result.exit_code == 0, result.output
        built.append({p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "output").rglob("*.pdf"))})
    assert len(built[0]) == 13 and built[0] == built[1]  # 10 handouts and 3 bundles, the logo in each


def page_text(pdf: Path, index: int, lang: str) -> str:
    """A page's words, squashed (right-to-left pages read from their tags' ActualText)."""
    from pdfminer.high_level import extract_text

    return squash(actual_text_pages(pdf)[index] if direction_of(lang) == "rtl"
                  else extract_text(str(pdf), page_numbers=[index]))


def carries_the_handout(text: str, lang: str, handout_id: str) -> bool:
    """Whether a page's text holds a piece of the handout's body or its Sources heading, not only the closing
    lines (the review record, the address and the assistance lines)."""
    h = handout(lang, handout_id)
    pieces = [squash(inline.plain_text(t.value)) for b in h.body if not isinstance(b, Image)
              for t in block_texts(b)] + [squash(load_labels(PROJECT, lang, Diagnostics())["sources"])]
    return any(piece[:20] in text or piece[-20:] in text for piece in pieces if piece)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lang", PROJECT.languages())
def test_no_page_holds_only_the_closing_lines(shipped_build: Path, lang: str, layout: str):
    """The last page of every handout carries the handout itself or its sources, never only the review line and the
    address (those are set compactly, with the sources, as one last-page block)."""
    for handout_id in PROJECT.handout_files(lang):
        pdf = shipped_build / layout / lang / f"{handout_id}.pdf"
        pages = len(PdfReader(pdf).pages)
        if pages > 1:
            assert carries_the_handout(page_text(pdf, pages - 1, lang), lang, handout_id), (lang, layout, handout_id)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lang", PROJECT.languages())
def test_no_page_of_a_bundle_holds_only_a_handouts_closing_lines(shipped_build: Path, lang: str, layout: str):
    """The same inside every bundle: each handout's last page (before any blank page for duplex) carries the
    handout. The parts are found by their bookmarks; the control: every handout of every program is checked."""
    blank = squash(load_labels(PROJECT, lang, Diagnostics())["blank_page"])
    checked = 0
    for bundle in sorted((shipped_build / "bundles" / layout / lang).glob("*.pdf")):
        reader = PdfReader(bundle)
        parts = [entry for entry in reader.outline[1] if not isinstance(entry, list)]  # under the program title
        starts = [reader.get_destination_page_number(entry) for entry in parts] + [len(reader.pages)]
        titles = {squash(inline.plain_text(handout(lang, i).title.value)): i for i in PROJECT.handout_files(lang)}
        for entry, start, end in zip(parts, starts, starts[1:], strict=False):
            handout_id = titles[squash(entry.title)]
            last = end - 1
            while last > start and page_text(bundle, last, lang) in ("", blank):
                last -= 1
            assert carries_the_handout(page_text(bundle, last, lang), lang, handout_id), \
                (bundle.name, handout_id, f"page {last + 1}")
            checked += 1
    programs = [load_program(PROJECT, file, set(PROJECT.handout_ids()), Diagnostics())
                for file in PROJECT.program_files().values()]
    assert checked == sum(len(program.handouts) for program in programs), checked


def headings_of(lang: str) -> set[str]:
    """Every heading the handouts of a language print (their sections' and the Sources heading), squashed."""
    from kratom_handouts.blocks.heading import Heading

    found = {squash(load_labels(PROJECT, lang, Diagnostics())["sources"])}
    for handout_id in PROJECT.handout_files(lang):
        found.update(squash(inline.plain_text(b.text.value)) for b in handout(lang, handout_id).body
                     if isinstance(b, Heading))
    return found


def pages_ending_in_a_heading(pdf: Path, headings: set[str], layout_name: str) -> list[int]:
    """The pages whose last line of body text (above the footer) is a heading, or a heading's first line."""
    from kratom_handouts.layouts import load_layout

    from ..conftest import pdfminer_lines

    layout = load_layout(layout_name, REPO, Diagnostics())
    found = []
    for number, lines in enumerate(pdfminer_lines(pdf), 1):
        body = [line for line in lines if layout.margin_bottom - 2 < line.bbox[1]
                and line.bbox[3] < layout.page_height - layout.margin_top + 2 and squash(line.get_text())]
        if body:
            last = squash(min(body, key=lambda line: line.bbox[1]).get_text())
            if any(heading.startswith(last) for heading in headings):
                found.append(number)
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lang", ["en", "es", "vi"])  # the languages ReportLab's own paragraphs set
def test_no_page_ends_in_a_heading(shipped_build: Path, lang: str, layout: str):
    """A heading keeps at least the start of what follows it (keep_with_next.py), in every handout and bundle."""
    headings = headings_of(lang)
    pdfs = [*sorted((shipped_build / layout / lang).glob("*.pdf")),
            *sorted((shipped_build / "bundles" / layout / lang).glob("*.pdf"))]
    ending = {pdf.name: pages for pdf in pdfs if (pages := pages_ending_in_a_heading(pdf, headings, layout))}
    assert ending == {}


def test_reportlab_runs_on_its_c_accelerators():
    """rl_accel is a dependency: without it ReportLab's stand-ins were slower and broke some lines elsewhere."""
    from reportlab.lib import rl_accel

    assert not rl_accel._py_funcs  # the names ReportLab had to stand in for in Python


def test_the_accelerator_check_sees_reportlab_without_them():
    """The control: with the C module hidden, ReportLab stands in for every accelerated function."""
    import subprocess
    import sys

    code = ("import sys; sys.modules['_rl_accel'] = None\n"
            "from reportlab.lib import rl_accel; print(' '.join(sorted(rl_accel._py_funcs)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert {"sameFrag", "fp_str", "instanceStringWidthTTF"} <= set(done.stdout.split())
