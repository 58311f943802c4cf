"""list --json, find, the catalog file and its thumbnails (the page in a browser: tests/browser)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner

from kratom_handouts.catalog import folded
from kratom_handouts.cli import main
from kratom_handouts.thumbnails import thumbnail_png

from .conftest import REPO


def run(*args: str):
    return CliRunner().invoke(main, [*args, "--project", str(REPO)])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("catalog")
    result = run("build", "--layout", "standard", "--layout", "large-print", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert f"catalog: {out / 'index.html'}" in result.stdout
    return out


def test_list_json_has_titles_summaries_keywords_and_programs_per_language():
    result = run("list", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    withdrawal = next(h for h in data["handouts"] if h["id"] == "kratom-withdrawal")
    assert withdrawal["titles"]["en"] == "Kratom withdrawal" and withdrawal["titles"]["es"] == "Abstinencia de kratom"
    assert set(withdrawal["titles"]) == {"en", "es", "ar", "ko", "vi", "zh-Hans"}
    assert "abstinencia" in withdrawal["keywords"]["es"] and "withdrawal" in withdrawal["keywords"]["en"]
    assert withdrawal["summaries"]["es"].startswith("Si usa kratom a menudo")
    assert "withdrawal-management" in withdrawal["programs"]
    assert data["languages"] == ["en", "ar", "es", "ko", "vi", "zh-Hans"] and "large-print" in data["layouts"]
    assert set(data["programs"]) == {"family", "intake", "withdrawal-management"}


@pytest.mark.parametrize("words", ["abstinencia", "ABSTINÉNCIA", "abstinéncia"])
def test_find_ignores_case_and_accents(words):
    result = run("find", words, "--lang", "es")
    assert result.exit_code == 0, result.output
    assert "kratom-withdrawal  es  Abstinencia de kratom" in result.stdout.splitlines()
    assert all("  es  " in line for line in result.stdout.splitlines() if not line.startswith(" "))


def test_find_prints_the_paths_of_what_is_built(built):
    result = CliRunner().invoke(main,
                                ["find", "naloxone", "--lang", "en", "--output", str(built), "--project", str(REPO)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = lines.index("overdose  en  Overdose: signs, naloxone, and what to do")
    assert {line.strip() for line in lines[start + 1:start + 4]} == {
        f"{built}/standard/en/overdose.pdf", f"{built}/large-print/en/overdose.pdf", f"{built}/web/en/overdose.html"}


def test_find_with_nothing_found_or_an_unknown_language():
    nothing = run("find", "zzzz")
    assert nothing.exit_code == 1 and nothing.stderr == "Nothing found for 'zzzz'.\n"
    unknown = run("find", "kratom", "--lang", "xx")
    assert unknown.exit_code == 1
    assert unknown.stderr == "Error: unknown language 'xx'; there are: en, ar, es, ko, vi, zh-Hans\n"


def test_folding_matches_what_a_person_would_call_the_same_word():
    assert folded("Abstinéncia ÑANDÚ") == folded("abstinencia ñandu".replace("ñ", "n")) == "abstinencia nandu"


PROJECT_LANGUAGES = ("en", "ar", "es", "ko", "vi", "zh-Hans")


def test_the_catalog_command_needs_a_build_first(tmp_path):
    result = CliRunner().invoke(main, ["catalog", "--output", str(tmp_path / "empty"), "--project", str(REPO)])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: nothing is built in {tmp_path / 'empty'}/ yet: run 'kratom-handouts build' "
                             "first.\n")


def test_the_catalog_is_valid_html_with_an_entry_per_handout_and_language(built):
    page = built / "index.html"
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.read_bytes())
    entries = tree.findall(".//li[@class='entry handout']")
    assert sorted((e.get("data-lang"), e.get("data-topic")) for e in entries) == sorted(
        (lang, p.stem) for lang in PROJECT_LANGUAGES for p in (REPO / "handouts" / lang).glob("[!_]*.yaml"))
    assert all(e.get("lang") == e.get("data-lang") for e in entries)
    assert len(tree.findall(".//li[@class='entry program']")) == 3 * len(PROJECT_LANGUAGES)
    assert not [s for s in tree.iter("script") if s.get("src")] and not tree.findall(".//link")
    for img in tree.iter("img"):
        source = img.get("src")
        assert source.startswith("data:") or (built / source).is_file()
        assert img.get("alt") is not None


def test_the_catalog_command_writes_the_same_page_a_build_wrote(built):
    before = (built / "index.html").read_bytes()
    (built / "index.html").unlink()
    result = CliRunner().invoke(main, ["catalog", "--output", str(built), "--project", str(REPO)])
    assert result.exit_code == 0
    assert (built / "index.html").read_bytes() == before


def test_thumbnails_are_small_and_reproducible(built):
    thumbnails = sorted((built / "thumbnails").rglob("*.png"))
    assert len(thumbnails) == 10 * len(PROJECT_LANGUAGES)
    assert all(path.stat().st_size < 30_000 for path in thumbnails)
    pdf = built / "standard" / "es" / "overdose.pdf"
    assert thumbnail_png(pdf) == thumbnail_png(pdf) == (built / "thumbnails" / "es" / "overdose.png").read_bytes()


def page_image(pdf: Path):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    page = document[0]
    picture = page.render(scale=180 / page.get_width()).to_pil().convert("RGB")
    page.close()
    document.close()
    return picture


def mean_error(picture, thumbnail) -> float:
    """The mean difference, in 0-255 per channel, between the page drawn in full colour and its thumbnail."""
    from PIL import ImageChops, ImageStat

    assert thumbnail.size == picture.size
    return sum(ImageStat.Stat(ImageChops.difference(picture, thumbnail.convert("RGB"))).mean) / 3


MOST_ERROR = 2.5  # a 48-colour palette is within 0.6-1.8 on the shipped handouts; a 4-colour one is past 4


@pytest.mark.parametrize("lang", PROJECT_LANGUAGES)
def test_a_thumbnail_keeps_the_pages_colours(built, lang):
    import io

    from PIL import Image

    pdf = built / "standard" / lang / "overdose.pdf"
    thumbnail = Image.open(io.BytesIO((built / "thumbnails" / lang / "overdose.png").read_bytes()))
    assert mean_error(page_image(pdf), thumbnail) < MOST_ERROR


def test_the_thumbnail_check_sees_a_palette_too_small(built):
    """The control: the same page with 4 colours fails the check."""
    from PIL import Image

    picture = page_image(built / "standard" / "en" / "overdose.pdf")
    few = picture.quantize(colors=4, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    assert mean_error(picture, few) > MOST_ERROR


def test_layout_all_builds_every_layout(tmp_path):
    result = run("build", "overdose", "--layout", "all", "--format", "pdf", "--lang", "en", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf")) == [
        "a4/en/overdose.pdf", "large-print/en/overdose.pdf", "standard/en/overdose.pdf"]


@pytest.mark.parametrize("broken", [b"", b"garbage", b"%PDF-1.7\n%%EOF\n"])
def test_a_pdf_that_cannot_be_read_loses_its_thumbnail_with_a_warning_not_a_traceback(tmp_path, broken):
    out = tmp_path / "out"
    result = run("build", "overdose", "kratom-withdrawal", "--lang", "en", "--layout", "standard", "--format", "pdf",
                 "--output", str(out))
    assert result.exit_code == 0, result.output
    pdf = out / "standard" / "en" / "overdose.pdf"
    kept = (out / "thumbnails" / "en" / "kratom-withdrawal.png").read_bytes()
    pdf.write_bytes(broken)  # changed by hand, or cut short by a full disk
    (out / "thumbnails" / "en" / "overdose.png").unlink()
    result = run("catalog", "--output", str(out))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "picture" in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"{pdf}: warning: the catalog shows no picture of this "
                                                         "PDF: it cannot be read (")
    assert warnings[0].endswith("); build it again with --force") and "Traceback" not in result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "thumbnails/en/kratom-withdrawal.png" in page and "thumbnails/en/overdose.png" not in page
    assert not (out / "thumbnails" / "en" / "overdose.png").exists()
    assert (out / "thumbnails" / "en" / "kratom-withdrawal.png").read_bytes() == kept


def ends_its_process_on_overdose(pdf: Path) -> bytes:
    if pdf.stem == "overdose" and os.getpid() != MAIN_PID:
        os._exit(11)  # as PDFium crashing on what it reads, or the system killing the worker for memory
    return REAL_THUMBNAIL(pdf)


MAIN_PID = os.getpid()
REAL_THUMBNAIL = thumbnail_png


def test_a_thumbnail_process_that_ends_leaves_a_warning_and_this_process_running(tmp_path, monkeypatch):
    """The thumbnails a dead worker did not finish are not drawn here (that could crash this process too)."""
    from kratom_handouts import thumbnails
    from kratom_handouts.catalog import write_catalog
    from kratom_handouts.errors import Diagnostics
    from kratom_handouts.manifest import Manifest
    from kratom_handouts.project import Project

    out = tmp_path / "out"
    result = run("build", "--lang", "en", "--layout", "standard", "--format", "pdf", "--output", str(out))
    assert result.exit_code == 0, result.output
    for png in (out / "thumbnails").rglob("*.png"):
        png.unlink()
    monkeypatch.setattr(thumbnails, "thumbnail_png", ends_its_process_on_overdose)
    project = Project(REPO)
    found = Diagnostics()
    assert write_catalog(project, out, Manifest.load(out, project).entries, found, workers=2)
    ended = [p for p in found.problems if "ended unexpectedly" in p.message]
    assert ended and all(not p.is_error for p in found.problems)
    assert (out / "standard" / "en" / "overdose.pdf") in [p.origin.file for p in ended]
    assert found.problems[0].message == (
        "the catalog shows no picture of this PDF: the process drawing it ended unexpectedly (out of memory, or a "
        "PDF that PDFium could not read); run 'kratom-handouts catalog' again")
    drawn = sorted(p.stem for p in (out / "thumbnails" / "en").glob("*.png"))
    assert "overdose" not in drawn and len(drawn) + len(ended) == 10


def test_a_translation_no_longer_finished_leaves_the_catalog_in_every_layout(project):
    """A fresh-eyes run found the Spanish handout, made unfinished, gone from the catalog in the layout built and
    still offered in the two built before, from the old text; and its old PDFs on disk without a word."""
    from kratom_handouts.build import OUT_OF_DATE

    project.handout("one")
    project.translate("es")
    assert project.run("build", "--layout", "all").exit_code == 0
    catalog = project.root / "output" / "index.html"
    spanish = ["output/a4/es/one.pdf", "output/large-print/es/one.pdf", "output/standard/es/one.pdf",
               "output/web/es/one.html"]
    before = {name: (project.root / name).read_bytes() for name in spanish}
    assert all(name.removeprefix("output/") in catalog.read_text(encoding="utf-8") for name in spanish)

    (project.root / "handouts" / "es" / "one.yaml").unlink()
    assert project.run("i18n", "init", "es").exit_code == 0  # every part back to 'todo'
    result = project.run("build", "--lang", "es")
    assert result.exit_code == 0, result.output  # a whole build skips what is not finished
    assert sorted(line for line in result.stderr.splitlines() if OUT_OF_DATE in line) == [
        f"{name}: warning: {OUT_OF_DATE}" for name in spanish]
    page = catalog.read_text(encoding="utf-8")
    assert not [name for name in spanish if name.removeprefix("output/") in page]
    assert "a4/en/one.pdf" in page  # the English stays
    assert {name: (project.root / name).read_bytes() for name in spanish} == before  # left as they were
    again = project.run("build", "--lang", "es")  # said again while it is so
    assert sum(OUT_OF_DATE in line for line in again.stderr.splitlines()) == 4
