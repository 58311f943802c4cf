"""A paragraph over many pages is broken into lines once (render/text/kept_lines.py), and prints the pages
ReportLab's own Paragraph prints."""

from __future__ import annotations

import dataclasses
import io

import pytest
from reportlab.lib.colors import Color
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


@pytest.mark.parametrize("text", ["Call <b>now</b>", "Fish &amp; chips", "a &lt; b", "", "   ",
                                  "(555) 010-0100\u00a0\u00b7 100 Example Street"])
def test_text_with_markup_or_nothing_in_it_goes_to_reportlabs_parser(text):
    """... and text with a no-break space, which ReportLab keeps (the split the fast way used made it a space)."""
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


# --- the text layer's own markup is made into pieces by ReportLab's tag handlers, without its HTML tokenizer ---

MARKUP_TEXTS = [
    "Call <b>988</b> now.",
    "See <i>this</i> and <b><i>that</i></b>.",
    'Read <a href="https://example.org/a?b=1&amp;c=2" color="#1a5fb4" underline="1">the site</a> today.',
    '<a href="tel:18006624357" color="#1a5fb4" underline="1">1-800-662-4357</a>',
    'Fish &amp; chips, a &lt; b &gt; c, &quot;quoted&quot;, it&#39;s, it&#x27;s, &nbsp;, &unknownname;',
    "R&amp;D",
    '<font face="noto-sans-bold">bold face</font> then plain',
    "  leading <b> inside </b>  trailing  ",
    "line one\nline two\t\ttabbed <b>bold\nacross</b> end",
    "<b></b>empty tag first",
    "<b>only bold</b>",
]
NOT_OURS = [
    "<b>unclosed", "<b><i>crossed</b></i>", "</b>closing first", "<br/>", "<u>underline</u>",
    "<b class='single quotes'>x</b>", "a & b", "a < b", "&#1114112;", "&#X27;", "<para>x</para>", "<B>x</B>",
]


@pytest.mark.parametrize("text", MARKUP_TEXTS)
def test_our_markup_gets_the_pieces_reportlabs_parser_makes(text):
    from kratom_handouts.render.text.kept_lines import markup_frags

    style = styles()
    assert markup_frags(text, style) is not None  # the fast way was taken
    assert kept(text, style) == parsed(text, style)


@pytest.mark.parametrize("text", NOT_OURS)
def test_markup_that_is_not_ours_or_not_well_formed_goes_to_reportlabs_parser(text):
    from kratom_handouts.render.text.kept_lines import markup_frags

    style = styles()
    assert markup_frags(text, style) is None
    try:
        expected = parsed(text, style)
    except (ValueError, AttributeError) as refused:  # the parser refuses it: so does KeptLines, in the same words
        with pytest.raises(type(refused)) as raised:
            KeptLines(text, style)
        assert str(raised.value) == str(refused)
    else:
        assert kept(text, style) == expected


@pytest.mark.parametrize("lang", ["en", "es", "vi", "ko"])  # the shipped languages ReportLab sets (not ar, zh)
def test_every_markup_a_shipped_handout_prints_gets_the_parsers_pieces(lang, monkeypatch):
    """Every paragraph with markup of every shipped handout in three layouts, held to the parser's result."""
    from kratom_handouts.content import load_handout, load_labels
    from kratom_handouts.jobs import creation_time
    from kratom_handouts.render import document
    from kratom_handouts.render.text import kept_lines

    seen: list[tuple[str, ParagraphStyle, bool]] = []
    real = kept_lines.markup_frags

    def recorded(markup, style):  # type: ignore[no-untyped-def]
        made = real(markup, style)
        seen.append((markup, style, made is not None))
        return made

    monkeypatch.setattr(kept_lines, "markup_frags", recorded)
    project = Project(REPO)
    labels = load_labels(project, lang, Diagnostics())
    for layout_name in ("standard", "large-print", "a4"):
        layout = load_layout(layout_name, project.root, Diagnostics())
        for handout_id in project.handout_files(lang):
            handout = load_handout(project, handout_id, lang, Diagnostics())
            document.render_handout(handout, layout, labels, creation_time(handout, None))
    ours = [(markup, style) for markup, style, taken in seen if taken]
    assert len(ours) > 100 and all(taken for markup, _, taken in seen if "<" in markup)
    monkeypatch.setattr(kept_lines, "markup_frags", real)
    for markup, style in ours:
        assert kept(markup, style) == parsed(markup, style), markup


def test_the_markup_comparison_sees_a_piece_unlike_the_parsers(monkeypatch):
    """The control: pieces that differ from the parser's in one value (a link's target) fail the comparison."""
    from kratom_handouts.render.text import kept_lines

    real = kept_lines.markup_frags

    def wrong_link(markup, style):  # type: ignore[no-untyped-def]
        made = real(markup, style)
        if made:
            for frag in made[1]:
                frag.link = [(0, "https://elsewhere.example")] if frag.link else frag.link
        return made

    text = MARKUP_TEXTS[2]
    expected = parsed(text, styles())
    monkeypatch.setattr(kept_lines, "markup_frags", wrong_link)
    assert kept(text, styles()) != expected


# --- ReportLab's line breaker joins words into one piece by our same_style, which answers as its C sameFrag ---

def c_same_frag():
    from reportlab.lib import rl_accel

    assert type(rl_accel.sameFrag).__name__ == "builtin_function_or_method"  # the C version, not a fallback
    return rl_accel.sameFrag


def frag(**values):
    from reportlab.platypus.paraparser import ParaFrag

    base = {"fontName": "NotoSans", "fontSize": 12.0, "textColor": Color(0.1, 0.1, 0.1), "rise": 0,
            "us_lines": [], "link": [], "text": "word", "bold": 0, "italic": 0}
    made = ParaFrag(**{**base, **values})
    for name, value in values.items():
        if value is ABSENT:
            delattr(made, name)
    return made


ABSENT = object()
PAIRS = {
    "alike": (frag(), frag()),
    "alike, colours equal but not one object": (frag(textColor=Color(0.5, 0, 0)), frag(textColor=Color(0.5, 0, 0))),
    "other text and boldness (not compared)": (frag(text="a", bold=1), frag(text="b")),
    "other font": (frag(fontName="NotoSans-Bold"), frag()),
    "other size": (frag(fontSize=14.0), frag()),
    "other colour": (frag(textColor=Color(1, 0, 0)), frag()),
    "other rise": (frag(rise=2), frag()),
    "underlined": (frag(us_lines=[("underline", 1)]), frag()),
    "a link": (frag(link=[(0, "tel:988")]), frag()),
    "other links": (frag(link=[(0, "tel:988")]), frag(link=[(0, "tel:911")])),
    "a back colour on one": (frag(backColor=Color(1, 1, 0)), frag()),
    "back colours alike": (frag(backColor=Color(1, 1, 0)), frag(backColor=Color(1, 1, 0))),
    "no-break on one": (frag(nobr=True), frag()),
    "no-break on both": (frag(nobr=True), frag(nobr=True)),
    "no font on either": (frag(fontName=ABSENT), frag(fontName=ABSENT)),
    "no font on one": (frag(fontName=ABSENT), frag()),
    "an image first": (frag(cbDefn=object()), frag()),
    "an image second": (frag(), frag(cbDefn=object())),
    "a line break first": (frag(lineBreak=True), frag()),
    "a line break second": (frag(), frag(lineBreak=True)),
}


def test_reportlabs_line_breaker_joins_words_by_same_style():
    from reportlab.platypus import paragraph

    from kratom_handouts.render.text.kept_lines import same_style

    assert paragraph.sameFrag is same_style


@pytest.mark.parametrize("case", PAIRS)
def test_same_style_answers_as_reportlabs_c_version(case):
    from kratom_handouts.render.text.kept_lines import same_style

    first, second = PAIRS[case]
    assert same_style(first, second) is bool(c_same_frag()(first, second))


def shipped_pairs(monkeypatch, langs=("en", "es", "vi", "ko")):
    """Every pair of pieces ReportLab's line breaker compares while the shipped handouts are rendered."""
    from reportlab.platypus import paragraph

    from kratom_handouts.content import load_handout, load_labels
    from kratom_handouts.jobs import creation_time
    from kratom_handouts.render import document

    pairs = []
    real = paragraph.sameFrag

    def recorded(first, second):  # type: ignore[no-untyped-def]
        pairs.append((first, second))
        return real(first, second)

    monkeypatch.setattr(paragraph, "sameFrag", recorded)
    project = Project(REPO)
    for lang in langs:
        labels = load_labels(project, lang, Diagnostics())
        layout = load_layout("large-print", project.root, Diagnostics())
        for handout_id in project.handout_files(lang):
            handout = load_handout(project, handout_id, lang, Diagnostics())
            document.render_handout(handout, layout, labels, creation_time(handout, None))
    return pairs


def test_same_style_answers_as_reportlabs_c_version_for_every_pair_the_shipped_handouts_compare(monkeypatch):
    from kratom_handouts.render.text.kept_lines import same_style

    pairs = shipped_pairs(monkeypatch)
    answers = [bool(c_same_frag()(first, second)) for first, second in pairs]
    assert len(pairs) > 1000 and True in answers and False in answers
    assert [same_style(first, second) for first, second in pairs] == answers


def test_the_style_comparison_sees_a_version_that_forgets_the_font(monkeypatch):
    """The control: a same_style that does not compare fonts (bold) gives another answer for some shipped pair."""
    from kratom_handouts.render.text import kept_lines

    pairs = shipped_pairs(monkeypatch, langs=("en",))
    monkeypatch.setattr(kept_lines, "_STYLE_NAMES", tuple(n for n in kept_lines._STYLE_NAMES if n != "fontName"))
    answers = [bool(c_same_frag()(first, second)) for first, second in pairs]
    assert [kept_lines.same_style(first, second) for first, second in pairs] != answers
