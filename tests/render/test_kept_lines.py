"""A paragraph over many pages is broken into lines once (render/text/kept_lines.py), and prints the pages
ReportLab's own Paragraph prints."""

from __future__ import annotations

import dataclasses
import io

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import BaseDocTemplate

from kratom_handouts.errors import Diagnostics
from kratom_handouts.layouts import load_layout
from kratom_handouts.project import Project
from kratom_handouts.render.document import register_fonts
from kratom_handouts.render.styles import make_styles
from kratom_handouts.render.text.kept_lines import KeptLines, plain_frags

from ..conftest import REPO, pdfminer_pages

LAYOUT = load_layout("standard", Project(REPO).root, Diagnostics())
SENTENCE = "Call the clinic if you feel sick, and ask about a plan. "
TEXTS = {
    "plain words": SENTENCE * 400,  # one run of text: ReportLab's simple lines
    "bold and links": ("Call <b>the clinic</b> if you feel sick, and "
                       '<a href="https://example.org" color="blue">ask about a plan</a>. ') * 400,
    "long words cut": ("Takeyourmedicineeverydayatthesametimeandcalltheclinicifyoufeelsickorworried" * 3 + " ") * 80,
}


def styles() -> ParagraphStyle:
    register_fonts(LAYOUT, "en")
    return make_styles(LAYOUT, "en").body


def pages_of(make: type[Paragraph], markup: str, style: ParagraphStyle, tmp_path, name: str) -> list[str]:
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=(LAYOUT.page_width, LAYOUT.page_height), invariant=1)
    frame = Frame(LAYOUT.margin_left, LAYOUT.margin_bottom, LAYOUT.frame_width,
                  LAYOUT.page_height - LAYOUT.margin_top - LAYOUT.margin_bottom, id="body")
    doc.addPageTemplates([PageTemplate("page", [frame])])
    doc.build([make(markup, style), make("The end.", style)])
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(out.getvalue())
    return pdfminer_pages(path)


@pytest.mark.parametrize("kind", TEXTS)
def test_a_long_paragraph_prints_the_pages_reportlabs_paragraph_prints(tmp_path, kind):
    style = styles()
    plain = pages_of(Paragraph, TEXTS[kind], style, tmp_path, "plain")
    kept = pages_of(KeptLines, TEXTS[kind], style, tmp_path, "kept")
    assert len(plain) >= 3
    assert kept == plain


def test_a_long_paragraph_is_broken_into_lines_once(tmp_path, monkeypatch):
    breaks = []
    original = Paragraph.breakLines

    def counting(self, width):
        if not getattr(self, "_splitpara", 0):  # a part ReportLab cut to its page returns its lines at once
            breaks.append(len(self.frags))
        return original(self, width)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    style = styles()
    pages = len(pages_of(Paragraph, TEXTS["bold and links"], style, tmp_path, "plain"))
    plain = len(breaks)
    breaks.clear()
    pages_of(KeptLines, TEXTS["bold and links"], style, tmp_path, "kept")
    assert plain >= pages  # the control: ReportLab breaks the rest again on each page
    assert len(breaks) == 2  # the long paragraph once, "The end." once


def test_the_comparison_sees_a_rest_that_lost_a_line(tmp_path, monkeypatch):
    """The check above would catch kept lines that are not the lines ReportLab breaks the rest into."""
    original = KeptLines.split

    def losing_a_line(self, width, height):
        parts = original(self, width, height)
        if len(parts) == 2 and parts[1]._kept_width is not None:
            parts[1].blPara.lines = parts[1].blPara.lines[1:]
        return parts

    monkeypatch.setattr(KeptLines, "split", losing_a_line)
    style = styles()
    assert pages_of(KeptLines, SENTENCE * 400, style, tmp_path, "kept") != pages_of(
        Paragraph, SENTENCE * 400, style, tmp_path, "plain")


def test_a_rest_laid_out_at_another_width_is_broken_again_from_its_own_words(tmp_path):
    style = styles()
    whole = KeptLines(SENTENCE * 60, style)
    whole.wrap(300, 10_000)
    first, rest = whole.split(300, 200)
    assert rest._kept_width == 300  # the kept lines, until it is laid out at another width
    rest.wrap(200, 10_000)  # narrower: its words again, not the kept lines
    words = " ".join(" ".join(str(word) for word in line[1]) for line in rest.blPara.lines).split()
    shown = " ".join(" ".join(str(word) for word in line[1]) for line in first.blPara.lines).split()
    assert shown + words == (SENTENCE * 60).split()


# --- text with no tag is made into its piece without ReportLab's markup parser ------------------------------

PLAIN_TEXTS = ["Call the clinic.", "  spaces  around   and\tinside  ", "Tiếng Việt có dấu", "한국어 문장입니다",
               "Русский текст", "x"]


def parsed(text: str, style: ParagraphStyle) -> tuple[str, list[dict[str, object]]]:
    paragraph = Paragraph(text, style)  # ReportLab's own parser
    return paragraph.text, [vars(frag) for frag in paragraph.frags]


def kept(text: str, style: ParagraphStyle) -> tuple[str, list[dict[str, object]]]:
    paragraph = KeptLines(text, style)
    return paragraph.text, [vars(frag) for frag in paragraph.frags]


@pytest.mark.parametrize("layout_name", ["standard", "large-print", "a4"])
@pytest.mark.parametrize("lang", ["en", "vi", "ko", "ru"])
def test_plain_text_gets_the_piece_reportlabs_parser_makes_in_every_style(layout_name, lang):
    layout = load_layout(layout_name, Project(REPO).root, Diagnostics())
    register_fonts(layout, lang)
    all_styles = make_styles(layout, lang)
    for field in dataclasses.fields(all_styles):
        style = getattr(all_styles, field.name)
        if not isinstance(style, ParagraphStyle):
            continue
        for text in PLAIN_TEXTS:
            assert plain_frags(text, style) is not None  # the fast way was taken
            assert kept(text, style) == parsed(text, style), (field.name, text)


@pytest.mark.parametrize("transform", ["uppercase", "lowercase", "capitalize", "none"])
def test_plain_text_is_transformed_as_the_parser_transforms_it(transform):
    style = ParagraphStyle("shout", parent=styles(), textTransform=transform)
    assert kept("call the Clinic now", style) == parsed("call the Clinic now", style)


@pytest.mark.parametrize("text", ["Call <b>now</b>", "Fish &amp; chips", "a &lt; b", "", "   "])
def test_text_with_markup_or_nothing_in_it_goes_to_reportlabs_parser(text):
    style = styles()
    assert plain_frags(text, style) is None
    assert kept(text, style) == parsed(text, style)


def test_the_comparison_sees_a_piece_unlike_the_parsers(monkeypatch):
    """The control: a fast piece that differs from the parser's in one value (its colour) fails the comparison."""
    from reportlab.lib.colors import red

    from kratom_handouts.render.text import kept_lines

    real = kept_lines.plain_frags

    def off_colour(markup, style):
        made = real(markup, style)
        if made:
            made[1][0].textColor = red
        return made

    monkeypatch.setattr(kept_lines, "plain_frags", off_colour)
    assert kept("Call the clinic.", styles()) != parsed("Call the clinic.", styles())
