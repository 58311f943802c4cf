"""Kept font subsets: the same bytes as compressing each one afresh, compressed once, and a bounded cache."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfdoc, pdfmetrics

from kratom_handouts import font_subsets, fonts
from kratom_handouts.content import load_handout, load_labels
from kratom_handouts.errors import Diagnostics
from kratom_handouts.layouts import load_layout
from kratom_handouts.project import Project
from kratom_handouts.render import document

from .conftest import REPO

PROJECT = Project(REPO)
CREATED = dt.datetime(2026, 1, 1)


def render(handout_id: str, lang: str = "en", layout_name: str = "standard") -> bytes:
    layout = load_layout(layout_name, REPO, Diagnostics())
    handout = load_handout(PROJECT, handout_id, lang, Diagnostics())
    document.register_fonts(layout, lang)
    return document.render_handout(handout, layout, load_labels(PROJECT, lang, Diagnostics()), CREATED).pdf


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """What the kept filter compressed (cold: the cache starts empty and is emptied again afterwards)."""
    compressed: list[bytes] = []
    reportlab_encode = pdfdoc.PDFStreamFilterZCompress.encode

    def encode(self: Any, data: bytes) -> bytes:
        if isinstance(self, font_subsets._KeptFlate):
            compressed.append(data)
        return reportlab_encode(self, data)

    monkeypatch.setattr(pdfdoc.PDFStreamFilterZCompress, "encode", encode)
    font_subsets._compressed.clear()
    yield compressed
    font_subsets._compressed.clear()


def embedded(pdf: bytes, what: str) -> list[bytes]:
    """Each font file (``what`` "files") or ToUnicode map ("maps") the PDF embeds, once (every page names the
    fonts it uses), decompressed by pypdf."""
    found: dict[Any, bytes] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            stream = (font["/FontDescriptor"].get_object().raw_get("/FontFile2") if what == "files"
                      else font.raw_get("/ToUnicode"))
            found[stream.idnum] = stream.get_object().get_data()
    return list(found.values())


def test_the_fonts_we_register_keep_their_subsets():
    fonts.register(fonts.FAMILIES["noto-sans"])
    font = pdfmetrics.getFont(fonts.FAMILIES["noto-sans"].face_name("regular"))
    assert isinstance(font, font_subsets.SubsetKeepingFont), type(font)


def test_a_kept_subset_is_the_bytes_reportlab_would_write(counted: list[bytes]):
    data = bytes(range(256)) * 40
    first = font_subsets.KEPT_FLATE.encode(data)
    again = font_subsets.KEPT_FLATE.encode(data)
    assert first == again == pdfdoc.PDFZCompress.encode(data)
    assert counted == [data]  # compressed once
    assert font_subsets.KEPT_FLATE.encode("text é") == pdfdoc.PDFZCompress.encode("text é")


def test_a_handout_rendered_after_others_is_the_handout_with_no_subset_kept(counted: list[bytes],
                                                                          monkeypatch: pytest.MonkeyPatch):
    # The cache is keyed by the subset's own bytes: a subset kept for one face or handout is never another's.
    with monkeypatch.context() as unkept:
        unkept.setattr(font_subsets._KeptFlate, "encode", lambda self, data: pdfdoc.PDFZCompress.encode(data))
        truth = {handout_id: render(handout_id) for handout_id in ("kratom-withdrawal", "staying-safer")}
    assert not counted
    render("kratom-withdrawal", layout_name="large-print")
    render("for-family-and-friends")
    assert render("staying-safer") == truth["staying-safer"]
    assert render("kratom-withdrawal") == truth["kratom-withdrawal"]
    assert counted  # the kept filter was at work


def test_the_layouts_of_a_handout_compress_their_subsets_once(counted: list[bytes]):
    standard = render("kratom-withdrawal")
    files, maps = embedded(standard, "files"), embedded(standard, "maps")
    assert sorted(counted) == sorted(files + maps) and len(files) >= 2
    render("kratom-withdrawal", layout_name="a4")
    assert len(counted) == len(files + maps)  # the same characters in the same faces: nothing compressed again
    for pdf in (standard, render("kratom-withdrawal", layout_name="a4")):
        assert all(data[:4] == b"\x00\x01\x00\x00" for data in embedded(pdf, "files"))  # TrueType files


def test_the_cache_holds_at_most_its_bound(counted: list[Any]):
    for number in range(font_subsets.KEPT_STREAMS + 5):
        font_subsets.KEPT_FLATE.encode(number.to_bytes(4, "big") * 100)
    assert len(font_subsets._compressed) == font_subsets.KEPT_STREAMS
    font_subsets.KEPT_FLATE.encode((0).to_bytes(4, "big") * 100)  # the oldest was let go: compressed again
    assert len(counted) == font_subsets.KEPT_STREAMS + 6


def reportlab_map(subset: list[int]) -> str:
    from reportlab.pdfbase.ttfonts import makeToUnicodeCMap

    return str(makeToUnicodeCMap("AAAAAA+Face", subset))


def test_a_to_unicode_map_loses_its_empty_codes_and_comes_in_blocks_of_100():
    subset = [0, *range(0x41, 0x41 + 150), 0, 0x1F600, 0xF0001]  # unused codes, 150 letters, past U+FFFF
    made = reportlab_map(subset)
    assert "<0000>" in made and "154 beginbfchar" in made  # what ReportLab writes
    clean = font_subsets.clean_to_unicode_map(made)
    blocks = re.findall(r"(\d+) beginbfchar\n(.*?)\nendbfchar", clean, re.S)
    assert [int(count) for count, _ in blocks] == [100, 52]
    pairs = [line.split() for _, body in blocks for line in body.splitlines()]
    assert len(pairs) == 152 and all(len(pair) == 2 for pair in pairs)
    assert pairs[0] == ["<01>", "<0041>"] and pairs[149] == ["<96>", "<00D6>"]
    assert pairs[150:] == [["<98>", "<D83DDE00>"], ["<99>", "<DB80DC01>"]]  # UTF-16 surrogate pairs
    assert "<0000>" not in clean.split("endcodespacerange")[1]
    assert clean.split("beginbfchar")[0].rsplit("\n", 1)[0] == made.split("beginbfchar")[0].rsplit("\n", 1)[0]
    assert clean.endswith(made[made.index("endbfchar") + len("endbfchar"):])


def test_a_map_with_no_code_in_use_keeps_no_block():
    clean = font_subsets.clean_to_unicode_map(reportlab_map([0, 0]))
    assert "beginbfchar" not in clean and "endcmap" in clean


def test_the_maps_of_a_rendered_pdf_are_clean():
    for lang in ("en", "ar"):  # Arabic: shaped text, set by HarfBuzz
        maps = embedded(render("kratom-withdrawal", lang), "maps")
        assert maps
        for data in maps:
            mapping = data.split(b"endcodespacerange")[1]
            assert b"<0000>" not in mapping
            assert all(int(n) <= 100 for n in re.findall(rb"(\d+) beginbfchar", mapping))
            assert not re.search(rb"<[0-9A-F]{2}> <[0-9A-F]{5}>", mapping)
