"""The text layer: right-to-left order, Chinese and Korean line breaking, fonts per language.

Arabic order is checked against python-bidi's Rust implementation of the
Unicode bidi algorithm (an implementation independent of the one we resolve
levels with), and on the page: glyph positions read back by pdfminer.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from kratom_handouts import fonts, inline
from kratom_handouts.blocks import block_texts
from kratom_handouts.content import load_handout
from kratom_handouts.errors import Diagnostics
from kratom_handouts.layouts import load_layout
from kratom_handouts.model import handout_texts
from kratom_handouts.project import Project
from kratom_handouts.render import bidi, text
from kratom_handouts.render.styles import make_styles
from kratom_handouts.render.text import breaking
from kratom_handouts.render.text.lines import SetParagraph

from ..conftest import REPO

PROJECT = Project(REPO)
LAYOUT = load_layout("standard", PROJECT.root, Diagnostics())

MIXED = "اتصل بالرقم 1-800-662-4357 أو أرسل رسالة إلى 988 الآن (مجانا)، أو زر https://988lifeline.org اليوم."


def styles_for(lang: str):
    from kratom_handouts.render.document import register_fonts

    register_fonts(LAYOUT, lang)
    return make_styles(LAYOUT, lang)


def set_paragraph(source: str, lang: str, width: float, style_name: str = "body") -> SetParagraph:
    styles = styles_for(lang)
    flowable = text.paragraph(source, getattr(styles, style_name), "#0b4f6c", script=styles.script)
    assert isinstance(flowable, SetParagraph)
    flowable.wrap(width, 10_000)
    return flowable


def shipped_texts(lang: str) -> list[str]:
    found = []
    for handout_id in PROJECT.handout_files(lang):
        handout = load_handout(PROJECT, handout_id, lang, Diagnostics())
        found += [inline.plain_text(t.value) for t in handout_texts(handout)]
    return found


# --- right to left ------------------------------------------------------------------------------


def reference_display(logical: str) -> str:
    """What the Unicode bidi algorithm displays for a line (Rust implementation), without the controls."""
    from bidi import get_display

    shown = get_display(bidi.protected(logical), base_dir="R")
    return "".join(c for c in shown if c not in (bidi.LRO, bidi.PDF))


def our_display(paragraph: SetParagraph, line) -> str:
    """The line's characters left to right (brackets are mirrored later, by the shaper, as by the reference)."""
    out = []
    for start, end, level in paragraph.visual_runs(line):
        chars = paragraph.styled.text[start:end]
        out.append(chars[::-1] if level % 2 else chars)
    return "".join(out)


@pytest.mark.parametrize("width", [120, 200, 300, 460])
def test_arabic_lines_are_in_the_bidi_algorithms_display_order(width: int):
    paragraph = set_paragraph(MIXED, "ar", width)
    assert len(paragraph.lines()) >= (2 if width < 460 else 1)
    for line in paragraph.lines():
        logical = paragraph.styled.text[line.start:line.end]
        assert our_display(paragraph, line) == reference_display(logical), logical


def test_every_shipped_arabic_text_is_in_display_order():
    """Each text on one line (levels are resolved per paragraph, so the reference gets the whole paragraph)."""
    checked = 0
    for source in shipped_texts("ar"):
        paragraph = set_paragraph(source, "ar", 100_000)
        (line,) = paragraph.lines()
        assert our_display(paragraph, line) == reference_display(paragraph.styled.text[line.start:line.end]), source
        checked += 1
    assert checked > 300


def drawn_width(paragraph: SetParagraph, line) -> float:
    """How wide the line is as drawn: its runs in visual order, each shaped in its own direction."""
    from kratom_handouts.render.text import shaping

    return sum(shaping.width(shaping.shape(paragraph.styled.text[start:end], paragraph.styled.fonts[start],
                                           rtl=level % 2 == 1), paragraph.size)
               for start, end, level in paragraph.visual_runs(line))


@pytest.mark.parametrize("width", [180, 320, 470])
def test_each_arabic_line_is_as_wide_as_it_is_drawn(width: int):
    """A line is placed by its measured width: measured wider than drawn (a line starting with "kratom", whose
    Arabic was measured unjoined), it was drawn that much too far left, past the margin in large print."""
    lines = 0
    for source in shipped_texts("ar"):
        paragraph = set_paragraph(source, "ar", width)
        for line in paragraph.lines():
            shown = paragraph.styled.text[line.start:line.end]
            assert line.width == pytest.approx(drawn_width(paragraph, line), abs=0.05), shown
            assert line.width <= width + 0.01, shown
            lines += 1
    assert lines > 600


@pytest.mark.parametrize("lang", ["ar", "zh-Hans"])
def test_no_text_of_a_script_set_here_runs_past_the_margins(shipped_build: Path, lang: str):
    """Every character of every shipped handout in the languages this package sets itself, read back by pdfminer,
    lies between the layout's side margins (the header, the body and the footer alike)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTContainer

    outside = []
    for layout_name in ("standard", "a4", "large-print"):
        layout = load_layout(layout_name, PROJECT.root, Diagnostics())
        left, right = layout.margin_left - 1, layout.page_width - layout.margin_right + 1
        for pdf in sorted((shipped_build / layout_name / lang).glob("*.pdf")):
            for number, page in enumerate(extract_pages(pdf), 1):
                stack = [page]
                while stack:
                    item = stack.pop()
                    if isinstance(item, LTChar) and item.get_text().strip() and (item.x0 < left or item.x1 > right):
                        outside.append(f"{layout_name}/{pdf.name} p{number}: {item.get_text()!r} at {item.x0:.0f}")
                    elif isinstance(item, LTContainer):
                        stack.extend(item)
    assert not outside, outside[:10]


def test_a_phone_number_reads_left_to_right_inside_arabic():
    for digits in ("1-800-662-4357", "١-٨٠٠-٦٦٢-٤٣٥٧"):
        paragraph = set_paragraph(f"اتصل بالرقم {digits} الآن.", "ar", 460)
        (line,) = paragraph.lines()
        assert digits in our_display(paragraph, line)


def test_a_number_joined_to_a_latin_word_reads_left_to_right_inside_arabic():
    """"7-OH" after the Arabic "and" (written joined to it): the plain rules show it as "OH-7"."""
    from bidi import get_display

    sentence = "يؤثر kratom و7-OH على الدماغ."
    paragraph = set_paragraph(sentence, "ar", 460)
    (line,) = paragraph.lines()
    assert "7-OH" in our_display(paragraph, line)
    assert "OH-7" in get_display(sentence, base_dir="R")  # the control: without the rule
    assert bidi.protected("x17-OH") == "x17-OH"  # a word with a number inside is left alone


def test_without_the_number_rule_the_phone_number_would_be_reversed():
    """The checker above can fail: the plain bidi rules show this number's groups in reverse."""
    from bidi import get_display

    assert "1-800-662-4357" not in get_display("اتصل بالرقم 1-800-662-4357 الآن.", base_dir="R")


def draw_to_pdf(flowables, width: float = 300) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width + 40, 800), invariant=1)
    y = 780.0
    for flowable in flowables:
        _, height = flowable.wrap(width, 700)
        flowable.drawOn(canvas, 20, y - height)
        y -= height + 10
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def characters_on_page(pdf: bytes) -> list[tuple[float, float, str]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTContainer

    found = []

    def visit(item) -> None:
        if isinstance(item, LTChar):
            found.append((item.x0, item.y0, item.get_text()))
        elif isinstance(item, LTContainer):
            for child in item:
                visit(child)

    for page in extract_pages(io.BytesIO(pdf)):
        visit(page)
    return found


def test_the_phone_number_glyphs_sit_in_order_on_the_page():
    pdf = draw_to_pdf([set_paragraph("اتصل بالرقم 1-800-662-4357 الآن.", "ar", 300)])
    digits = sorted((x, c) for x, _, c in characters_on_page(pdf) if c in "0123456789-")
    assert "".join(c for _, c in digits) == "1-800-662-4357"


def test_an_arabic_bullet_is_right_of_its_text():
    styles = styles_for("ar")
    item = text.paragraph("نص البند", styles.list_item, "#000000", bullet="\u2022", script=styles.script)
    chars = characters_on_page(draw_to_pdf([item]))
    bullet_x = next(x for x, _, c in chars if c == "\u2022")
    assert all(bullet_x > x for x, _, c in chars if c != "\u2022")


def test_each_arabic_line_carries_its_logical_text():
    import pikepdf

    paragraph = set_paragraph(MIXED, "ar", 200)
    pdf = pikepdf.open(io.BytesIO(draw_to_pdf([paragraph], 200)))
    actual = [str(operands[1]["/ActualText"]) for operands, op in pikepdf.parse_content_stream(pdf.pages[0])
              if str(op) == "BDC" and len(operands) == 2]
    assert " ".join(actual) == unicodedata.normalize("NFC", MIXED)
    assert len(actual) == len(paragraph.lines()) > 1


def test_a_link_in_arabic_text_is_over_its_words():
    import pikepdf

    paragraph = set_paragraph("زر موقع [Lifeline](https://988lifeline.org) اليوم", "ar", 400)
    pdf_bytes = draw_to_pdf([paragraph], 400)
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        (annotation,) = pdf.pages[0].Annots
        left, _, right, _ = (float(v) for v in annotation.Rect)
        uri = str(annotation.A.URI)
    chars = characters_on_page(pdf_bytes)
    linked = [x for x, _, c in chars if c in "Lifeln"]
    others = [x for x, _, c in chars if c not in "Lifeln "]
    assert len(linked) == len("Lifeline")
    assert left - 0.5 <= min(linked) and max(linked) < right  # the rectangle is over the linked word
    assert all(x < left - 0.5 or x >= right for x in others)  # and over nothing else
    assert uri == "https://988lifeline.org"


# --- Chinese and Korean line breaking ------------------------------------------------------------


def latin_run(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "-./:@%+_")


@pytest.mark.parametrize("width", range(150, 461, 31))
def test_chinese_lines_keep_the_line_breaking_rules(width: int):
    lines_checked = 0
    for source in shipped_texts("zh-Hans"):
        paragraph = set_paragraph(source, "zh-Hans", width)
        value = paragraph.styled.text
        for line in paragraph.lines():
            words = value[line.start:line.end]
            if not words:
                continue
            lines_checked += 1
            assert paragraph.measure(line.start, line.end) <= width + 0.01, words
            assert words[0] not in breaking.CLOSING, words
            assert words[-1] not in breaking.OPENING, words
            if 0 < line.end < len(value) and value[line.end] != " ":
                piece = value[line.end - 1] + value[line.end]
                if latin_run(piece[0]) and latin_run(piece[1]):
                    # only a word longer than a whole line may be cut
                    start = line.end
                    while start > 0 and latin_run(value[start - 1]):
                        start -= 1
                    end = line.end
                    while end < len(value) and latin_run(value[end]):
                        end += 1
                    assert paragraph.measure(start, end) > width, (value[start:end], words)
    assert lines_checked > 200


def lone_last_characters(width: int) -> list[str]:
    """The shipped Chinese paragraphs whose last line, at ``width``, holds one character and its punctuation."""
    found = []
    for source in shipped_texts("zh-Hans"):
        paragraph = set_paragraph(source, "zh-Hans", width)
        lines = paragraph.lines()
        last = paragraph.styled.text[lines[-1].start:lines[-1].end]
        if len(lines) >= 2 and sum(not c.isspace() and c not in breaking.CLOSING for c in last) <= 1:
            found.append(last)
    return found


def test_no_chinese_paragraph_ends_in_a_line_of_one_character():
    """Large-print overdose ended a bullet with the line '谈。' (found in a visual review)."""
    lone = {width: lone_last_characters(width) for width in range(150, 461, 31)}
    assert not {width: words for width, words in lone.items() if words}


def test_the_chinese_rules_checker_catches_a_bad_break():
    """A break that ReportLab's CJK wrap makes (a line starting with a comma) is what the test above refuses."""
    style = ParagraphStyle("cjk", fontName="noto-sans-sc-regular", fontSize=12, leading=16, wordWrap="CJK")
    styles_for("zh-Hans")
    source = "如果有人不醒，或几乎没有呼吸，马上拨打1-800-662-4357，然后给他用纳洛酮，并陪着他直到救援人员赶到。" * 3
    bad = 0
    for width in range(150, 461, 7):
        lines = Paragraph(source, style).breakLinesCJK([width]).lines  # type: ignore[attr-defined]
        for line in lines[1:]:
            words = "".join(word for word in line[1]) if isinstance(line[1], list) else str(line[1])
            if words and words[0] in breaking.CLOSING:
                bad += 1
    assert bad > 0


def test_a_phone_number_is_never_cut_in_chinese():
    source = "请拨打全国求助热线1-800-662-4357，或者拨打988。" * 4
    for width in range(150, 461, 5):
        paragraph = set_paragraph(source, "zh-Hans", width)
        shown = [paragraph.styled.text[line.start:line.end] for line in paragraph.lines()]
        assert sum(line.count("1-800-662-4357") for line in shown) == 4, shown


def test_korean_breaks_only_between_words():
    styles = styles_for("ko")
    assert not styles.script.own_lines  # Korean is set by ReportLab's own word wrap
    for source in shipped_texts("ko"):
        words = source.split()
        for width in (150, 230, 310, 460):
            paragraph = text.paragraph(source, styles.body, "#000000", script=styles.script)
            paragraph.wrap(width, 10_000)
            for line in paragraph.blPara.lines:  # type: ignore[attr-defined]
                drawn = "".join(f.text for f in line.words) if hasattr(line, "words") else " ".join(line[1])
                for word in drawn.split():
                    assert word in words or any(word in w for w in words if len(w) * 12 > width), word
                assert getattr(line, "extraSpace", 0) >= -0.01, drawn


def test_the_korean_checker_catches_a_break_inside_a_word():
    """ReportLab's CJK wrap breaks Korean inside words: what the test above refuses."""
    styles = styles_for("ko")
    style = ParagraphStyle("cjk", parent=styles.body, wordWrap="CJK")
    source = "심한 졸음이나 깨우기 어려움, 숨쉬기 어려움이 있으면 바로 119에 전화하세요. " * 3
    words = source.split()
    inside = 0
    for width in (150, 230, 310):
        paragraph = Paragraph(source, style)
        paragraph.wrap(width, 10_000)
        for line in paragraph.blPara.lines:  # type: ignore[attr-defined]
            drawn = "".join(f.text for f in line.words) if hasattr(line, "words") else " ".join(line[1])
            inside += sum(1 for word in drawn.split() if word not in words)
    assert inside > 0


# --- fonts per language ----------------------------------------------------------------------


def test_each_language_uses_its_own_font_first():
    assert LAYOUT.font_chain("zh-Hans") == ("noto-sans-sc", "noto-sans")
    assert LAYOUT.font_chain("zh-TW") == ("noto-sans-tc", "noto-sans")
    assert LAYOUT.font_chain("ko") == ("noto-sans-kr", "noto-sans")
    assert LAYOUT.font_chain("ar") == ("ibm-plex-sans-arabic", "noto-sans")
    assert LAYOUT.font_chain("vi") == ("noto-sans",)
    assert LAYOUT.font_chain("en") == ("noto-sans",)


def test_a_character_the_first_font_lacks_is_drawn_by_the_next():
    styles = styles_for("zh-Hans")
    source = "越南语：Tiếng Việt"  # Vietnamese letters are not in the Chinese font's subset
    paragraph = set_paragraph(source, "zh-Hans", 400)
    faces = dict(zip(paragraph.styled.text, paragraph.styled.fonts, strict=True))
    assert faces["越"] == "noto-sans-sc-regular"
    assert ord("ế") not in fonts.coverage(fonts.FAMILIES["noto-sans-sc"])
    assert faces["ế"] == "noto-sans-regular"
    assert styles.script.ideographic


def test_in_korean_too_a_character_the_first_font_lacks_is_drawn_by_the_next():
    """Korean goes through ReportLab's paragraph: the fallback is a <font> run there, and it prints."""
    import pikepdf

    styles = styles_for("ko")
    flowable = text.paragraph("베트남어 **Tiếng Việt** 안내", styles.body, "#000000", script=styles.script)
    assert not isinstance(flowable, SetParagraph)
    with pikepdf.open(io.BytesIO(draw_to_pdf([flowable]))) as pdf:
        used = {str(font.BaseFont).split("+")[-1] for font in pdf.pages[0].Resources.Font.values()}
    assert {"NotoSansKR-Regular", "NotoSans-Bold"} <= used  # the Vietnamese letters in bold Noto Sans
    assert "Tiếng Việt" in "".join(c for _, _, c in sorted(characters_on_page(draw_to_pdf([flowable])),
                                                           key=lambda t: t[0]))


def test_every_shipped_character_has_a_glyph():
    from kratom_handouts.jobs import glyph_problems

    for lang in ("zh-Hans", "ko", "ar", "vi"):
        for handout_id in PROJECT.handout_files(lang):
            handout = load_handout(PROJECT, handout_id, lang, Diagnostics())
            texts = list(handout_texts(handout)) + [t for b in handout.body for t in block_texts(b)]
            assert glyph_problems(texts, LAYOUT, lang) == [], (lang, handout_id)


def test_the_shipped_fonts_are_truetype_with_unique_names():
    from fontTools.ttLib import TTFont

    names = {}
    # FAMILIES also holds the project families other tests registered (copies of shipped files, by design)
    shipped = [family for family in fonts.FAMILIES.values()
               if all(path.is_relative_to(fonts.FONT_DIR) for path in family.files.values())]
    assert len(shipped) == sum(1 for folder in fonts.FONT_DIR.iterdir() if folder.is_dir())
    for family in shipped:
        for path in family.files.values():
            font = TTFont(path, lazy=True)
            assert "glyf" in font and "CFF " not in font, path
            name = font["name"].getDebugName(6)
            assert name not in names, (path, names.get(name))
            names[name] = path


def test_the_installed_fonts_are_recorded_with_their_sources():
    import hashlib
    import json

    record = json.loads((fonts.FONT_DIR / "SOURCES.json").read_text())
    for family, entry in record.items():
        for name, info in entry["files"].items():
            path = fonts.FONT_DIR / family / name
            assert hashlib.sha256(path.read_bytes()).hexdigest() == info["sha256"], path
        assert (fonts.FONT_DIR / family / "OFL.txt").is_file()


def test_an_english_build_loads_no_cjk_font(tmp_path: Path):
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path\n"
        "from kratom_handouts.build import build\nfrom kratom_handouts.project import Project\n"
        "from kratom_handouts.plan import Job\nfrom kratom_handouts import fonts\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        f"build(Project(Path({str(REPO)!r})), [Job('overdose', 'en', 'standard')], Path({str(tmp_path)!r}), "
        "None, workers=1)\n"
        "loaded = [n for n in pdfmetrics.getRegisteredFontNames() if 'sc' in n or 'kr' in n or 'tc' in n]\n"
        "print(len(loaded), fonts._cmap.cache_info().currsize)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded, cmaps = result.stdout.split()
    assert (tmp_path / "standard" / "en" / "overdose.pdf").is_file()
    assert loaded == "0"
    assert int(cmaps) <= 4  # the four Noto Sans faces, nothing else


# --- NFC ------------------------------------------------------------------------------------


def test_decomposed_vietnamese_prints_byte_identically_to_composed(tmp_path: Path):
    import shutil

    from click.testing import CliRunner

    from kratom_handouts.cli import main

    outputs = []
    for form in ("NFC", "NFD"):
        project = tmp_path / form
        shutil.copytree(REPO, project, ignore=shutil.ignore_patterns("output", ".git", ".venv", "tests", "build"))
        source = project / "handouts" / "vi" / "overdose.yaml"
        source.write_text(unicodedata.normalize(form, source.read_text(encoding="utf-8")), encoding="utf-8")
        result = CliRunner().invoke(main, ["build", "overdose", "--lang", "vi", "--format", "pdf", "--project",
                                           str(project), "--output", str(project / "out")])
        assert result.exit_code == 0, result.output
        outputs.append((project / "out" / "standard" / "vi" / "overdose.pdf").read_bytes())
    assert outputs[0] == outputs[1]


def test_an_english_source_on_an_arabic_page_reads_left_to_right():
    styles = styles_for("ar")
    runs = [("1.", text.BOLD), (" DrugFacts: Kratom. National Institute on Drug Abuse (NIDA). ", None)]
    paragraph = text.literal_runs(runs, styles.small, "#000000", styles.script)
    assert isinstance(paragraph, SetParagraph)
    paragraph.wrap(2000, 100)
    (line,) = paragraph.lines()
    assert our_display(paragraph, line) == paragraph.styled.text[line.start:line.end]  # nothing reordered
    chars = characters_on_page(draw_to_pdf([paragraph], 2000))
    assert min(chars)[2] == "1"  # the number starts the line at the left


def line_starts(flowable, width: float) -> list[str]:
    """The text each line of a wrapped paragraph starts with (ours or ReportLab's)."""
    flowable.wrap(width, 10_000)
    if isinstance(flowable, SetParagraph):
        return [flowable.styled.text[line.start:line.end] for line in flowable.lines()]
    return [" ".join(getattr(word, "text", word) for word in line[1]) if isinstance(line, tuple)
            else " ".join(frag.text for frag in line.words) for line in flowable.blPara.lines]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_line_of_the_clinic_line_starts_with_a_dot(lang: str):
    """However narrow the box, the dot between phone, address and website ends a line (the large-print Arabic
    cover started its second line with one). The control, the same words joined by plain spaces, does not hold."""
    styles = styles_for(lang)
    joined = LAYOUT.clinic.contact_line()
    assert "\u00b7" in joined

    def lines_at(words: str, width: float) -> list[str]:
        return line_starts(text.literal(words, styles.small, script=styles.script), width)

    # From the width the phone number and the dot after it fit in: the number is kept whole on a line, so below
    # that width the line must be cut somewhere inside what cannot be cut.
    phone = LAYOUT.clinic.phone.value + "\u00a0\u00b7"
    narrowest = next(width for width in range(20, 400) if len(lines_at(phone, width)) == 1)

    def starts(words: str) -> list[str]:
        return [start for width in range(narrowest, 420, 7) for start in lines_at(words, width)]

    assert len(set(starts(joined))) > 3  # it does wrap, at many places
    assert not [line for line in starts(joined) if line.lstrip().startswith("\u00b7")]
    plain = joined.replace("\u00a0\u00b7", " \u00b7")
    assert [line for line in starts(plain) if line.lstrip().startswith("\u00b7")]


def test_an_arabic_page_puts_an_image_on_the_right():
    from kratom_handouts.render.blocks import BlockContext

    styles = styles_for("ar")
    ctx = BlockContext(styles, LAYOUT, "call", "text")
    image = ctx.figure(ctx.image(LAYOUT.logo, 40, 40), alt="logo")
    assert image.hAlign == "RIGHT"


def test_an_arabic_tables_first_column_is_rightmost():
    from kratom_handouts.render.blocks import BlockContext

    styles = styles_for("ar")
    ctx = BlockContext(styles, LAYOUT, "call", "text")
    with ctx.group("Table"):
        rows = [ctx.table_row([ctx.para("AAA", styles.cell), ctx.para("ZZZ", styles.cell)])]
    table = ctx.table(rows, colWidths=[100, 200])
    table.setStyle(ctx.table_style([("LINEBEFORE", (0, 0), (0, -1), 4, ctx.color("#b3261e"))]))
    chars = characters_on_page(draw_to_pdf([table], 300))
    first = [x for x, _, c in chars if c == "A"]
    second = [x for x, _, c in chars if c == "Z"]
    assert first and second and min(first) > max(second)  # the first column is drawn on the right
    assert table._linecmds[0][0] == "LINEAFTER"  # and a bar before it moves to its right edge


# --- shaped runs are kept ------------------------------------------------------------------


def test_a_run_shaped_again_from_the_cache_is_the_run_shaped_afresh():
    from kratom_handouts.render.text import shaping

    fonts.register(fonts.FAMILIES["ibm-plex-sans-arabic"])
    run, face = "الصِّحَّة", "ibm-plex-sans-arabic-regular"  # shadda with kasra: a glyph no character maps to
    kept = shaping.shape(run, face, True)
    assert shaping.shape(run, face, True) is kept  # served from the cache
    shaping._shaped.cache_clear()
    fresh = shaping.shape(run, face, True)
    assert fresh == kept and fresh is not kept
    assert shaping.shaped_width(run, face, True, 11) == pytest.approx(shaping.width(fresh, 11))
    assert any(glyph.code >= 0xF0000 for glyph in fresh)  # joined forms: private codes the cache must not lose


def test_a_face_registered_again_is_not_given_glyphs_shaped_for_the_old_one():
    """The private codes live on the face object: a new object under the same name must get them itself.

    ReportLab keeps the first face registered under a name, so only a reset of its registry (as a test or a
    host program may do) puts a new object there; the registry is set by hand here for that reason."""
    from reportlab.pdfbase import pdfmetrics

    from kratom_handouts.font_subsets import SubsetKeepingFont
    from kratom_handouts.render.text import shaping

    family = fonts.FAMILIES["ibm-plex-sans-arabic"]
    fonts.register(family)
    run, face = "الصِّحَّة", "ibm-plex-sans-arabic-regular"
    old = shaping.shape(run, face, True)
    again = SubsetKeepingFont(face, str(family.files["regular"]), subfontIndex=family.indexes.get("regular", 0))
    original = pdfmetrics.getFont(face)
    pdfmetrics._fonts[face] = again
    try:
        new = shaping.shape(run, face, True)
        private = [glyph.code for glyph in new if glyph.code >= 0xF0000]
        assert new == old and private
        assert all(code in again.face.charToGlyph for code in private)
    finally:
        pdfmetrics._fonts[face] = original


# --- a phone number is never broken across lines ------------------------------------------------------------


@pytest.mark.parametrize("lang,source", [
    ("vi", "Có trợ giúp miễn phí bằng tiếng Việt: xin gọi số (555) 010-0100."),
    ("en", "Free help in your language: please call (555) 010-0100 today."),
    ("zh-Hans", "免费中文帮助：请致电 (555) 010-0100。请致电 (555) 010-0100。"),
])
def test_a_phone_number_is_never_broken_at_its_space(lang: str, source: str):
    """On the large-print covers the Vietnamese line ended in '(555)' and the next began '010-0100.'."""
    styles = styles_for(lang)
    flowable = text.paragraph(source, styles.body, "#0b4f6c", script=styles.script)
    widths = range(120, 460, 4)
    broken_somewhere = False
    for width in widths:
        lines = line_starts(flowable, width)
        assert "".join(lines).replace("\u00a0", " ").replace(" ", "") == source.replace(" ", "")
        broken_somewhere |= len(lines) > 1
        for line in lines:
            assert not line.rstrip().endswith("(555)"), (width, lines)
            assert not line.lstrip().startswith("010-0100"), (width, lines)
    assert broken_somewhere


def test_every_shipped_pdf_keeps_its_phone_numbers_on_one_line(shipped_build: Path):
    from ..conftest import pdfminer_lines

    cut = re.compile(r"\(\d{3}\)$|^\d{3}-\d{4}\b")
    checked = 0
    for pdf in sorted(shipped_build.rglob("*.pdf")):
        if "/ar/" in str(pdf):
            continue  # drawn in visual order: the number test above covers the line breaker these share
        for page in pdfminer_lines(pdf):
            for line in page:
                words = line.get_text().strip()
                assert not cut.search(words), (pdf.relative_to(shipped_build), words)
                checked += 1
    assert checked > 10_000
