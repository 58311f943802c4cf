"""Hostile and broken input, case by case: the message, where, the exit status, no traceback, nothing half-written.

Each case writes one bad thing into an otherwise good project (the good
handout "good" is always there too), runs one command, and checks the one
line the user reads. A case's ``expect`` is the exact line, or a regex when
the line holds a parser's own wording.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from pypdf import PdfReader, PdfWriter

from .conftest import GOOD_HANDOUT, REPO, pypdf_pages, time_limit, watching_files

BAD = "handouts/en/bad.yaml"
UNICODE = unicodedata.unidata_version  # a code point it does not assign is refused


def handout(extra_body: str = "") -> str:
    """The good handout as bad.yaml, with blocks added at the end of its body."""
    return GOOD_HANDOUT.format(id="bad") + extra_body


def png(width: int, height: int) -> bytes:
    """A valid PNG of any size whose pixel data stays tiny (one compressed row, repeated)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\x00" * (width + 1) * min(height, 1))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def small_pdf(pages: int = 1) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for _ in range(pages):
        canvas.drawString(72, 720, "Insert")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(small_pdf())))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_page_drawn_with(content: bytes, filter_name: str) -> bytes:
    """A one-page PDF whose page content stream is ``content``, said to be compressed with ``filter_name``."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    pdf.pages[0].Contents = pdf.make_stream(content, Filter=pikepdf.Name(filter_name))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def damaged_drawing_pdf() -> bytes:
    """Said to be compressed and not: pypdf logged an error and read the page as empty, so check passed a page
    that prints blank or not at all."""
    return blank_page_drawn_with(b"x\x9c not compressed at all", "/FlateDecode")


def undecodable_pdf() -> bytes:
    """Compressed with a filter pypdf cannot decode here (JBIG2, which needs jbig2dec): its reader raised
    DependencyError, which ended the whole build."""
    return blank_page_drawn_with(b"\x00\x01garbage", "/JBIG2Decode")


@dataclass
class Case:
    name: str
    setup: Callable
    expect: str
    exit: int = 1
    args: tuple[str, ...] = ("build",)
    regex: bool = False
    absent: tuple[str, ...] = ("output/standard/en/bad.pdf",)  # files the command must not have written
    present: tuple[str, ...] = ("output/standard/en/good.pdf",)  # good work still done
    stream: str = "stderr"
    check: Callable | None = None  # a further check on the project afterwards
    env: dict[str, str] | None = None
    writable: str = "output"  # the one folder the command may write in (i18n writes translations)


def write(path: str, content):
    return lambda p: p.write(path, content)


def bad(content):
    return write(BAD, content)


def program(text: str, files: dict | None = None):
    def setup(p):
        p.write("programs/pack.yaml", text)
        for path, content in (files or {}).items():
            p.write(path, content)
    return setup


PACK = "id: pack\ntitle: A pack\nhandouts: [good]\n"
NO_BUNDLE = ("output/bundles/standard/en/pack.pdf",)


def symlink(link: str, target_outside: str, content: bytes):
    def setup(p):
        outside = p.root.parent / target_outside
        outside.write_bytes(content)
        (p.root / link).parent.mkdir(parents=True, exist_ok=True)
        (p.root / link).symlink_to(outside)
    return setup


def text_in_pdf(words: str, path: str = "output/standard/en/bad.pdf"):
    def verify(p):
        assert words in "".join(pypdf_pages(p.root / path))
    return verify


def inside_margins(path: str = "output/standard/en/bad.pdf", minimum_pages: int = 1):
    """Every character drawn between the page's left and right margins (0.85 in each, from the standard layout)."""
    def verify(p):
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LTChar, LTTextContainer

        pages = list(extract_pages(str(p.root / path)))
        assert len(pages) >= minimum_pages
        for page in pages:
            for box in page:
                if isinstance(box, LTTextContainer):
                    for line in box:
                        for char in line:
                            if isinstance(char, LTChar):
                                assert char.x0 >= 0.85 * 72 - 1 and char.x1 <= page.width - 0.85 * 72 + 1, (
                                    char.get_text(), char.x0, char.x1)
    return verify


def folder_link(link: str, files: dict | None = None):
    """``link`` in the project, a link to a folder outside it (holding ``files``); afterwards that folder must
    hold only those files: nothing was written through the link."""
    def setup(p):
        outside = p.root.parent / "outside"
        outside.mkdir()
        for name, content in (files or {}).items():
            (outside / name).write_text(content, encoding="utf-8")
        (p.root / link).parent.mkdir(parents=True, exist_ok=True)
        (p.root / link).symlink_to(outside, target_is_directory=True)
    return setup


def nothing_written_outside(files: tuple[str, ...] = ()):
    def verify(p):
        assert sorted(path.name for path in (p.root.parent / "outside").rglob("*")) == sorted(files)
    return verify


def layout_with(*replacements: tuple[str, str]):
    def setup(p):
        text = (REPO / "layouts" / "standard.yaml").read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new)
        p.write("layouts/standard.yaml", text)
    return setup


def extends_chain(depth: int):
    def setup(p):
        p.write("layouts/standard.yaml", (REPO / "layouts" / "standard.yaml").read_text(encoding="utf-8")
                .replace("extends: _brand", "extends: link0"))
        for n in range(depth):
            p.write(f"layouts/link{n}.yaml", f"extends: link{n + 1}\n" if n + 1 < depth else "extends: _brand\n")
    return setup


def unchanged(path: str):
    """Remember a file now; afterwards it must hold the same bytes (the translator's work kept)."""
    saved: dict[str, bytes] = {}

    def setup(p):
        saved["bytes"] = (p.root / path).read_bytes()

    def verify(p):
        assert (p.root / path).read_bytes() == saved["bytes"]
    return setup, verify


def spanish_translation(p):
    p.write("handouts/es/good.yaml", TRANSLATION.replace("todo: []", "todo: [summary, first]"))


KEPT_SETUP, KEPT_CHECK = unchanged("handouts/es/good.yaml")


def both(*steps):
    def run(p):
        for step in steps:
            step(p)
    return run


ALIAS_BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\n"
              "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
              "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n")
TRANSLATION = "id: good\ntodo: []\ntranslated_from: {}\ntitle: Un folleto\n"

CASES = [
    # --- YAML --------------------------------------------------------------------------------------
    Case("syntax error", bad("title: [unclosed\n"),
         f"{BAD}:2:1: YAML syntax error: expected ',' or ']', but got '<stream end>'"),
    Case("tab indentation", bad("body:\n\t- paragraph: x\n"),
         f"{BAD}:2:1: YAML syntax error: a tab character here: indent with spaces, not tabs"),
    Case("byte-order mark", bad(b"\xef\xbb\xbf" + handout().encode()),
         "Built 2 PDF\\(s\\)( and 2 web page\\(s\\))?, 2 page\\(s\\)", exit=0, stream="stdout",
         absent=(), present=("output/standard/en/bad.pdf",), regex=True),
    Case("not UTF-8", bad(handout().replace("main message", "main m\xe9ssage").encode("latin-1")),
         f"{BAD}:3:28: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"),
    Case("UTF-16 with its byte-order mark", bad(handout().encode("utf-16")),
         f"{BAD}:1:1: the file is UTF-16 text, not UTF-8; save it as UTF-8 (in most editors: Save As, then the "
         "encoding UTF-8)"),
    Case("UTF-16 without a byte-order mark", bad(handout().encode("utf-16-be")),
         f"{BAD}:1:1: the file is UTF-16 text, not UTF-8; save it as UTF-8 (in most editors: Save As, then the "
         "encoding UTF-8)"),
    Case("UTF-32", bad(handout().encode("utf-32")),
         f"{BAD}:1:1: the file is UTF-32 text, not UTF-8; save it as UTF-8 (in most editors: Save As, then the "
         "encoding UTF-8)"),
    Case("empty file", bad(""), f"{BAD}:1:1: the file is empty"),
    Case("list instead of mapping", bad("- title: x\n- summary: y\n"),
         f"{BAD}:1:1: the handout must be a mapping of fields, found a list"),
    Case("10 MB file", bad("title: " + "x" * 10_000_000 + "\n"),
         f"{BAD}: the file is too large (more than 1 MB, the limit)"),
    Case("1,000 levels deep", bad("title: " + "[" * 1000 + "]" * 1000 + "\n"),
         f"{BAD}:1:47: nesting is deeper than 40 levels"),
    Case("alias bomb", bad(ALIAS_BOMB),
         f"{BAD}:1:4: YAML anchors (&name) are not allowed: write the value out in full"),
    Case("duplicate key", bad(handout() + "summary: again\n"),
         f"{BAD}:14:1: duplicate key 'summary' (first given on line 3)"),
    Case("python tag", bad("title: !!python/object/apply:os.system [echo hi]\n"),
         f"{BAD}:1:8: YAML tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed"),
    Case("other tag", bad("title: !!binary aGVsbG8=\n"),
         f"{BAD}:1:8: YAML tags such as 'tag:yaml.org,2002:binary' are not allowed"),
    Case("YAML 1.1 boolean stays text",
         bad(handout("  - table: {header: [Question, Answer], rows: [[Do you smoke, no]]}\n")),
         "Built 2 PDF\\(s\\)", exit=0, stream="stdout", regex=True, absent=(), present=("output/standard/en/bad.pdf",),
         check=text_in_pdf("Do you smoke")),
    Case("control character", bad(handout("  - paragraph: ring \x07 bell\n")),
         f"{BAD}:14:21: a control character U+0007 that YAML does not allow; delete it"),
    # --- fields --------------------------------------------------------------------------------------
    Case("number for text", bad(handout().replace("title: A test handout", "title: 2026")),
         f"{BAD}:2:8: title must be text, found a number (put it in quotes if it is meant as text)"),
    Case("unknown field", bad(handout() + "sumary: x\n"),
         f"{BAD}:14:1: unknown field 'sumary' in the handout (did you mean 'summary'?)"),
    Case("missing field", bad(handout().replace("summary: This is the main message.\n", "")),
         f"{BAD}:1:1: the handout is missing the required field 'summary'"),
    Case("impossible date", bad(handout().replace("updated: 2026-01-15", "updated: 2026-13-45")),
         f"{BAD}:4:10: updated must be a date written YYYY-MM-DD, found '2026-13-45'"),
    Case("next review before reviewed", bad(handout().replace("next_review: 2027-01-15", "next_review: 2025-01-15")),
         f"{BAD}:5:14: next_review must come after updated"),
    Case("id not the file name", bad(handout().replace("id: bad", "id: other")),
         f"{BAD}:1:5: id 'other' must match the file name 'bad'"),
    Case("unknown block type", bad(handout("  - video: clip.mp4\n")),
         f"{BAD}:14:5: unknown field 'video' in body item 3; expected one of: bullets, callout, checklist, contacts, "
         "heading, id, image, paragraph, qr, steps, table"),
    Case("two block types in one item", bad(handout("  - paragraph: x\n    heading: y\n")),
         f"{BAD}:14:5: body item 3 has more than one block type (paragraph, heading); give each its own '-' item"),
    Case("unknown callout kind", bad(handout("  - callout: {kind: danger, text: x}\n")),
         f"{BAD}:14:21: callout (body item 3) kind 'danger' is not known; expected one of: emergency, info, tip, "
         "warning"),
    Case("duplicate block id", bad(handout("  - paragraph: again\n    id: first\n")),
         f"{BAD}:15:9: block id 'first' is used twice (first on line 12)"),
    Case("table too wide",
         bad(handout("  - table: {header: [a, b, c, d, e, f, g, h], rows: [[1a, 2b, 3c, 4d, 5e, 6f, 7g, 8h]]}\n")),
         f"{BAD}:14:21: table (body item 3) has 8 columns; a page holds 5 at most (split the table)"),
    # --- text ----------------------------------------------------------------------------------------
    Case("NFD accents", bad(handout("  - paragraph: Cafe\u0301 cre\u0300me\n")), "Built 2 PDF\\(s\\)", exit=0,
         stream="stdout", regex=True,
         absent=(), present=("output/standard/en/bad.pdf",), check=text_in_pdf("Café crème")),
    Case("zero-width space", bad(handout("  - paragraph: zero\u200bwidth\n")),
         f"{BAD}:14:16: warning: removed the invisible character U+200B (ZERO WIDTH SPACE)", exit=0, absent=(),
         present=("output/standard/en/bad.pdf",), check=text_in_pdf("zerowidth")),
    Case("bidi override", bad(handout("  - paragraph: file\u202egnp.exe\n")),
         f"{BAD}:14:16: warning: removed the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)", exit=0, absent=(),
         present=("output/standard/en/bad.pdf",)),
    Case("word and URL longer than a line",
         bad(handout("  - paragraph: " + "Pneumonoultramicroscopic" * 12 + " https://example.org/" + "a" * 300 + "\n")),
         "Built 2 PDF\\(s\\)", exit=0, stream="stdout", regex=True, absent=(), present=("output/standard/en/bad.pdf",),
         check=inside_margins()),
    Case("table cell taller than a page",
         bad(handout("  - table: {header: [A, B], rows: [[" + "word " * 1500 + ", b]]}\n")),
         "Built 2 PDF\\(s\\)", exit=0, stream="stdout", regex=True, absent=(), present=("output/standard/en/bad.pdf",),
         check=inside_margins(minimum_pages=3)),
    Case("box taller than a page", bad(handout("  - callout: {kind: warning, text: " + "word " * 1500 + "}\n")),
         "Built 2 PDF\\(s\\)", exit=0, stream="stdout", regex=True, absent=(), present=("output/standard/en/bad.pdf",),
         check=inside_margins(minimum_pages=3)),
    Case("javascript link", bad(handout("  - paragraph: '[x](javascript:alert(1))'\n")),
         f"{BAD}:14:16: paragraph (body item 3) has a link to 'javascript:alert(1)': links must start with https:, "
         "http:, mailto: or tel:"),
    Case("file link", bad(handout("  - paragraph: '[x](file:///etc/passwd)'\n")),
         f"{BAD}:14:16: paragraph (body item 3) has a link to 'file:///etc/passwd': links must start with https:, "
         "http:, mailto: or tel:"),
    Case("markup prints literally", bad(handout("  - paragraph: '<img src=\"/etc/passwd\"> <b>AT&T</b>'\n")),
         "Built 2 PDF\\(s\\)",
         exit=0, stream="stdout", regex=True, absent=(), present=("output/standard/en/bad.pdf",),
         check=text_in_pdf('<img src="/etc/passwd"> <b>AT&T</b>')),
    Case("glyph the font lacks", bad(handout("  - paragraph: 你好\n")),
         f"{BAD}:14:16: the font 'noto-sans' has no glyph for '你' (U+4F60); replace it or choose another font"),
    # --- images ----------------------------------------------------------------------------------------
    Case("image that is not an image",
         both(write("images/fake.png", b"GIF89a? no"), bad(handout("  - image: {path: images/fake.png, alt: x}\n"))),
         f"{BAD}:14:19: image (body item 3) path: 'fake.png' is not an image that can be read (use PNG or JPEG)"),
    Case("decompression bomb", both(write("images/bomb.png", png(30000, 30000)),
                                    bad(handout("  - image: {path: images/bomb.png, alt: x}\n"))),
         f"{BAD}:14:19: image (body item 3) path: 'bomb.png' is too large to print safely (900,000,000 pixels; the "
         "limit is 25,000,000 pixels)"),
    Case("image with too many pixels",
         both(write("images/huge.png", png(6000, 6000)), bad(handout("  - image: {path: images/huge.png, alt: x}\n"))),
         f"{BAD}:14:19: image (body item 3) path: 'huge.png' is too large to print safely (6000 x 6000 pixels; the "
         "limit is 25,000,000 pixels)"),
    Case("image through a symlink out of the project",
         both(symlink("images/link.png", "outside.png", png(10, 10)),
              bad(handout("  - image: {path: images/link.png, alt: x}\n"))),
         f"{BAD}:14:19: image (body item 3) path: the path 'images/link.png' leaves the project folder; keep files "
         "inside the project"),
    Case("image by absolute path", bad(handout("  - image: {path: /etc/hostname, alt: x}\n")),
         f"{BAD}:14:19: image (body item 3) path: the path '/etc/hostname' leaves the project folder; keep files "
         "inside the project"),
    Case("image missing", bad(handout("  - image: {path: images/none.png, alt: x}\n")),
         f"{BAD}:14:19: image (body item 3) path: the file 'images/none.png' does not exist (paths start from the "
         "project folder)"),
    # --- translations ------------------------------------------------------------------------------------
    Case("translation with a source-only field", write("handouts/es/good.yaml", TRANSLATION + "reviewed: 2026-01-01\n"),
         "handouts/es/good.yaml:5:1: unknown field 'reviewed' in the translation (did you mean 'review'?)",
         args=("build", "--lang", "es"), absent=("output/standard/es/good.pdf",), present=()),
    Case("translation with the wrong block type",
         write("handouts/es/good.yaml", TRANSLATION + "body:\n  - bullets: [x]\n    id: first\n"),
         "handouts/es/good.yaml:6:5: block 'first' is a heading in the source but a bullets here; keep the same block "
         "type",
         args=("build", "--lang", "es"), absent=("output/standard/es/good.pdf",), present=()),
    Case("translation with broken YAML", write("handouts/es/good.yaml", "title: {\n"),
         r"handouts/es/good\.yaml:2:1: YAML syntax error: .*", regex=True,
         args=("build", "--lang", "es"), absent=("output/standard/es/good.pdf",), present=()),
    Case("translation todo not a list", write("handouts/es/good.yaml", "id: good\ntodo: everything\n"),
         "handouts/es/good.yaml:2:7: todo must be a list, found text", args=("build", "--lang", "es"),
         absent=("output/standard/es/good.pdf",), present=()),
    Case("an empty language folder", lambda p: (p.root / "handouts" / "fr").mkdir(),
         "Nothing to build: handouts/fr/ has no handouts yet; start the language with 'kratom-handouts i18n init fr'",
         args=("build", "--lang", "fr"), present=()),
    Case("a handout named in a language that lacks it", write("handouts/es/bad.yaml", TRANSLATION.replace("good",
                                                                                                        "bad")),
         "Nothing to build: handouts/es/ has no good.yaml yet; make it with 'kratom-handouts i18n update es', then "
         "translate it", args=("build", "good", "--lang", "es"), present=(), absent=()),
    Case("an empty language folder under check", lambda p: (p.root / "handouts" / "fr").mkdir(),
         "handouts/fr: warning: no handouts in this language folder yet; start the language with "
         "'kratom-handouts i18n init fr'", args=("check",), present=()),  # exit 1: errors of its own
    Case("malformed language folder", write("handouts/EN-us/good.yaml", TRANSLATION),
         "Error: handouts/EN-us: 'EN-us' is not a language code written the BCP 47 way (for example es, es-MX, "
         "zh-Hans: language in lowercase, region in capitals)", present=()),
    # --- layouts -----------------------------------------------------------------------------------------
    Case("unknown layout", lambda p: None, "Error: unknown layout 'fancy'; there are: a4, large-print, standard",
         args=("build", "--layout", "fancy"), present=()),
    Case("layout extends cycle", write("layouts/standard.yaml", "extends: a4\n"),
         "layouts/a4.yaml:2:10: layout 'extends' goes round in a circle: standard -> a4 -> standard", present=()),
    Case("bad colour",
         write("layouts/standard.yaml", (REPO / "layouts" / "standard.yaml").read_text() + "colors:\n  text: red\n"),
         "layouts/standard.yaml:16:9: colour 'text' must be written #rrggbb, found 'red'", present=()),
    Case("logo outside the project",
         write("layouts/standard.yaml", (REPO / "layouts" / "standard.yaml").read_text() + "logo: ../../logo.png\n"),
         "layouts/standard.yaml:15:7: logo: the path '../../logo.png' leaves the project folder; keep files inside the "
         "project", present=()),
    Case("logo that is not an image", both(write("layouts/logo.png", b"<svg/>"),
                                           write("layouts/standard.yaml",
                                                 (REPO / "layouts" / "standard.yaml").read_text()
                                                 + "logo: layouts/logo.png\n")),
         "layouts/standard.yaml:15:7: logo: 'logo.png' is an SVG drawing, which this tool does not print; export it "
         "as a PNG at least 1200 pixels wide (Inkscape: File > Export; or: rsvg-convert -w 1200 logo.png "
         "-o logo-exported.png) and name the PNG here", present=()),
    Case("unknown footer placeholder",
         write("layouts/standard.yaml", (REPO / "layouts" / "standard.yaml").read_text()
               + "footer:\n  left: '{date}'\n"),
         "layouts/standard.yaml:16:9: footer left has an unknown placeholder {date}; use one of: {title}, {page}, "
         "{pages}, {page_of}, {id}, {reviewed}, {next_review}, {lang}, {clinic}, {clinic_phone}, {clinic_website}",
         present=()),
    Case("margins leave no room",
         write("layouts/standard.yaml", (REPO / "layouts" / "standard.yaml").read_text()
               .replace("left: 0.85in", "left: 4in").replace("right: 0.85in", "right: 3.5in")),
         "layouts/standard.yaml:4:3: the margins leave less than 2 inches for the text", present=()),
    Case("unknown font",
         write("layouts/standard.yaml", (REPO / "layouts" / "standard.yaml").read_text() + "fonts:\n  body: arial\n"),
         "layouts/standard.yaml:16:9: body font 'arial' is not known; expected one of: ibm-plex-sans-arabic, "
         "noto-sans, noto-sans-kr, "
         "noto-sans-sc, noto-sans-tc", present=()),
    # --- links to folders outside the project ---------------------------------------------------------------
    Case("output folder is a link out of the project", folder_link("output"),
         "Error: output/ in the project is a link to .*/outside, outside the project; nothing is written there\\. "
         "Remove the link, or give --output DIR to write somewhere on purpose\\.", exit=3, regex=True, absent=(),
         present=(), check=nothing_written_outside()),
    Case("a folder under output is a link out", folder_link("output/standard"),
         "output/standard/en: cannot write the PDF: .*/output/standard/en leads out of .*/output through a link: "
         "nothing is written there; remove the link", exit=3, regex=True, absent=(), present=(),
         check=nothing_written_outside()),
    Case("a language folder is a link out", folder_link("handouts/es", {"good.yaml": TRANSLATION}),
         "handouts/es/good.yaml: the file is a link to a file outside the project; copy the file into the project "
         "instead", args=("build", "--lang", "es"), absent=("output/standard/es/good.pdf",), present=(),
         check=nothing_written_outside(("good.yaml",))),
    Case("i18n init into a language folder that is a link out", folder_link("handouts/fr"),
         "handouts/fr: cannot write: .*/handouts/fr leads out of .*/handouts through a link: nothing is written "
         "there; remove the link", exit=3, regex=True, args=("i18n", "init", "fr"), absent=(), present=(),
         check=nothing_written_outside()),
    # --- hostile text, paths and settings (the second attack run) --------------------------------------------
    Case("lone surrogate escape", bad(handout('  - paragraph: "half \\ud800 a character"\n')),
         f"{BAD}:14:16: the text holds U+D800, half of a character (an escape such as \\ud800 on its own); write the "
         "character itself"),
    Case("NUL byte in an image path", bad(handout('  - image: {path: "images/ok\\0.png", alt: x}\n')),
         f"{BAD}:14:19: image (body item 3) path: the path 'images/ok\\x00.png' holds a control character (a NUL "
         "byte or a line break); write it plainly"),
    Case("SOURCE_DATE_EPOCH in superscript digits", lambda p: None,
         "Error: SOURCE_DATE_EPOCH must be a whole number of seconds, found '¹²³'", exit=2,
         env={"SOURCE_DATE_EPOCH": "¹²³"}, absent=(), present=()),
    Case("SOURCE_DATE_EPOCH in Arabic-Indic digits", lambda p: None,
         "Error: SOURCE_DATE_EPOCH must be a whole number of seconds, found '٣'", exit=2,
         env={"SOURCE_DATE_EPOCH": "٣"}, absent=(), present=()),
    Case("SOURCE_DATE_EPOCH past the year 9999", lambda p: None,
         "Error: SOURCE_DATE_EPOCH 253402300800 is after the year 9999, which a PDF date cannot hold", exit=2,
         env={"SOURCE_DATE_EPOCH": "253402300800"}, absent=(), present=()),
    Case("SOURCE_DATE_EPOCH of twenty digits", lambda p: None,
         "Error: SOURCE_DATE_EPOCH 99999999999999999999 is after the year 9999, which a PDF date cannot hold", exit=2,
         env={"SOURCE_DATE_EPOCH": "99999999999999999999"}, absent=(), present=()),
    Case("a run of unpaired bold markers", bad(handout("  - paragraph: '" + "**a " * 12000 + "'\n")),
         f"{BAD}:14:16: paragraph (body item 3) has a '**' that starts bold text and is never closed, so the stars "
         "would print: put '**' after the last word to be bold, or remove it"),
    Case("a run of open brackets", bad(handout("  - paragraph: '" + "[a" * 20000 + "'\n")),
         "Built 2 PDF\\(s\\)", exit=0, stream="stdout", regex=True, absent=(), present=("output/standard/en/bad.pdf",)),
    Case("combining grapheme joiner", bad(handout("  - paragraph: a\u034fb\n")),
         f"{BAD}:14:16: warning: removed the invisible character U+034F (COMBINING GRAPHEME JOINER)", exit=0,
         absent=(), present=("output/standard/en/bad.pdf",), check=text_in_pdf("ab")),
    Case("Hangul filler", bad(handout("  - paragraph: a\u3164b\n")),
         f"{BAD}:14:16: warning: removed the invisible character U+3164 (HANGUL FILLER)", exit=0, absent=(),
         present=("output/standard/en/bad.pdf",)),
    Case("a noncharacter written as an escape", bad(handout('  - paragraph: "a\\uFFFFb"\n')),
         f"{BAD}:14:16: U+FFFF is not a character of Unicode {UNICODE} (a newer one, or none at all): remove it"),
    Case("a code point newer than this Python's Unicode", bad(handout('  - paragraph: "a\\U0001FAE8b"\n')),
         f"{BAD}:14:16: U+1FAE8 is not a character of Unicode {UNICODE} (a newer one, or none at all): remove it"),
    Case("the object replacement character", bad(handout("  - paragraph: a\ufffcb\n")),
         f"{BAD}:14:16: U+FFFC (OBJECT REPLACEMENT CHARACTER) is in the text: it stands for a picture or object "
         "lost when the text was copied; put back what was meant, or remove it"),
    Case("the replacement character of a damaged encoding", bad(handout("  - paragraph: caf\ufffd\n")),
         f"{BAD}:14:16: U+FFFD (REPLACEMENT CHARACTER) is in the text: it marks text damaged when it was saved in "
         "another encoding; put back what was meant, or remove it"),
    Case("heading longer than a page", bad(handout("  - heading: " + "Word " * 900 + "\n")),
         "Built 2 PDF\\(s\\)", exit=0, stream="stdout", regex=True, absent=(), present=("output/standard/en/bad.pdf",),
         check=inside_margins(minimum_pages=2)),
    Case("QR address too long to scan", bad(handout("  - qr: {url: 'https://e.org/" + "a" * 3000 + "'}\n")),
         f"{BAD}:14:15: qr (body item 3) url has 3,014 characters; a QR code printed 30 mm wide scans 300 at most: "
         "use a shorter address (a short link to it)"),
    Case("QR caption taller than a page", bad(handout("  - qr: {url: 'https://e.org', caption: '" + "Scan " * 900
                                                     + "'}\n")),
         f"{BAD}:14:41: qr (body item 3) caption has 4,499 characters; a caption beside the code holds 300 at most "
         "(put the rest in a paragraph)"),
    Case("page too short for a handout", layout_with(("size: letter", "size: 8.5in x 1.6in")),
         "layouts/standard.yaml:4:9: page size '8.5in x 1.6in' is too small to print a handout on; a page is at least "
         "3 inches (76 mm) each way", present=()),
    Case("page of no width", layout_with(("size: letter", "size: 0mm x 297mm")),
         "layouts/standard.yaml:4:9: page size '0mm x 297mm' is too small to print a handout on; a page is at least "
         "3 inches (76 mm) each way", present=()),
    Case("margins leave no height", layout_with(("size: letter", "size: 8.5in x 9in"), ("top: 0.9in", "top: 3.6in"),
                                                    ("bottom: 0.8in", "bottom: 3.6in")),
         "layouts/standard.yaml:4:3: the margins leave less than 2 inches of height for the text", present=()),
    Case("an extends chain 1,500 layouts long", extends_chain(1500), "Built 2 PDF\\(s\\)", exit=0, stream="stdout",
         regex=True, absent=(), present=("output/standard/en/bad.pdf",)),
    Case("footer placeholder with a format", layout_with(("type:", "footer:\n  left: 'Page {page:>2}'\ntype:")),
         "layouts/standard.yaml:11:9: footer left has an unknown placeholder {page:>2}; use one of: {title}, {page}, "
         "{pages}, {page_of}, {id}, {reviewed}, {next_review}, {lang}, {clinic}, {clinic_phone}, {clinic_website}",
         present=()),
    Case("i18n update with a broken English file", both(spanish_translation, KEPT_SETUP,
                                                        bad(handout().replace("body:", "body: 5\nnobody:"))),
         "handouts/en/bad.yaml:\\d+:\\d+: ", args=("i18n", "update", "es"), regex=True, absent=(), present=(),
         check=KEPT_CHECK, writable="handouts"),
    Case("i18n status with an English file that does not read", both(spanish_translation, bad("title: [\n")),
         "      cannot be read: the English cannot be read: handouts/en/bad.yaml:2:1: ", args=("i18n", "status"),
         regex=True, stream="stdout", absent=(), present=()),
    Case("i18n init with an id of 240 characters",
         lambda p: p.handout("x" * 240, GOOD_HANDOUT.format(id="x" * 240)),
         "handouts/en/" + "x" * 240 + ".yaml:1:5: id 'xxxxxxxxxxxxxxxxxxxx...' is 240 characters long; the limit is "
         "100, so that its files can be written on every file system", args=("i18n", "init", "fr"),
         absent=("handouts/fr/" + "x" * 240 + ".yaml",), present=(), writable="handouts"),
    Case("truncated PNG", both(write("images/cut.png", png(200, 200)[:-30]),
                               bad(handout("  - image: {path: images/cut.png, alt: x}\n"))),
         f"{BAD}:14:19: image (body item 3) path: 'cut.png' is not an image that can be read (use PNG or JPEG)"),
    Case("SVG drawing as an image", both(write("images/d.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
                                         bad(handout("  - image: {path: images/d.svg, alt: x}\n"))),
         f"{BAD}:14:19: image (body item 3) path: 'd.svg' is an SVG drawing, which this tool does not print; export it "
         "as a PNG at least 1200 pixels wide (Inkscape: File > Export; or: rsvg-convert -w 1200 d.svg -o d.png) and "
         "name the PNG here"),
    Case("a PNG named .svg", both(write("images/p.svg", png(20, 20)),
                                  bad(handout("  - image: {path: images/p.svg, alt: x}\n"))),
         "Built 2 PDF\\(s\\)", exit=0, stream="stdout", regex=True, absent=(), present=("output/standard/en/bad.pdf",)),
    Case("a line separator pasted into text", bad(handout("  - paragraph: one\u2028two\n")),
         f"{BAD}:14:19: a line separator character U+2028, which YAML reads as a line break; delete it (press Enter "
         "for a new line)"),
    Case("i18n update of a language not started", lambda p: None,
         "handouts/fr: there is no 'fr' translation to update; start one with 'kratom-handouts i18n init fr'",
         args=("i18n", "update", "fr"), absent=("handouts/fr",), present=(), writable="handouts"),
    Case("i18n init of 'und'", lambda p: None,
         "handouts/und: 'und' is not a language: BCP 47 keeps 'und' for an undetermined language; name the language "
         "the handouts are in", args=("i18n", "init", "und"), absent=("handouts/und",), present=(),
         writable="handouts"),
    Case("review names a part the handout lacks",
         write("handouts/es/good.yaml", TRANSLATION.replace("todo: []", "todo: []\nreview: [frist]")),
         "handouts/es/good.yaml:1:1: warning: 'frist' is listed under review, but the handout has no part called so "
         "(did you mean 'first'?)", args=("check", "--lang", "es"), regex=False, absent=(), present=(),
         exit=1),
    Case("project settings with an unknown field", write("kratom-handouts.yaml", "allow_draft: true\n"),
         "kratom-handouts.yaml:1:1: unknown field 'allow_draft' in the project settings (did you mean 'allow_drafts'?)",
         absent=("output/standard/en/bad.pdf", "output/standard/en/good.pdf"), present=()),
    # --- programs and inserted PDFs -----------------------------------------------------------------------
    Case("program with an unknown handout", program("id: pack\ntitle: A pack\nhandouts: [good, gone]\n"),
         "programs/pack.yaml:3:18: unknown handout 'gone'; the handouts are: bad, good", args=("bundle",),
         absent=NO_BUNDLE, present=()),
    Case("insert missing", program(PACK + "inserts: [{id: form, path: inserts/form.pdf, title: Form}]\n"),
         "programs/pack.yaml:4:28: inserts item 1 path: the file 'inserts/form.pdf' does not exist (paths start from "
         "the project folder)", args=("bundle",), absent=NO_BUNDLE, present=()),
    Case("insert encrypted", program(PACK + "inserts: [{id: form, path: inserts/form.pdf, title: Form}]\n",
                                     {"inserts/form.pdf": encrypted_pdf()}),
         "programs/pack.yaml:4:28: inserts item 1 path: 'form.pdf' is encrypted (password-protected); save an "
         "unprotected copy",
         args=("bundle",), absent=NO_BUNDLE, present=()),
    Case("insert corrupt", program(PACK + "inserts: [{id: form, path: inserts/form.pdf, title: Form}]\n",
                                   {"inserts/form.pdf": b"%PDF-1.7\n%%EOF"}),
         r"programs/pack\.yaml:4:28: inserts item 1 path: 'form\.pdf' cannot be read as a PDF: it may be damaged, or "
         r"use a feature this tool cannot read; save or print it again as a new PDF \(the reader said: .*\)",
         regex=True, args=("bundle",), absent=NO_BUNDLE, present=()),
    Case("insert whose page drawing is damaged",
         program(PACK + "inserts: [{id: form, path: inserts/form.pdf, title: Form}]\n",
                 {"inserts/form.pdf": damaged_drawing_pdf()}),
         "programs/pack.yaml:4:28: inserts item 1 path: 'form.pdf': the drawing of page 1 cannot be decoded (the "
         "file is damaged); save or print it again as a new PDF", args=("bundle",), absent=NO_BUNDLE, present=()),
    Case("insert compressed in a way its reader cannot decode",
         program(PACK + "inserts: [{id: form, path: inserts/form.pdf, title: Form}]\n",
                 {"inserts/form.pdf": undecodable_pdf()}),
         r"programs/pack\.yaml:4:28: inserts item 1 path: 'form\.pdf' cannot be read as a PDF: it may be damaged, or "
         r"use a feature this tool cannot read; save or print it again as a new PDF \(the reader said: .*\)",
         regex=True, args=("bundle",), absent=NO_BUNDLE, present=()),
    Case("insert through a symlink out of the project", both(symlink("inserts/form.pdf", "form.pdf", small_pdf()),
                                                              program(PACK + "inserts: [{id: form, path: "
                                                                             "inserts/form.pdf, title: Form}]\n")),
         "programs/pack.yaml:4:28: inserts item 1 path: the path 'inserts/form.pdf' leaves the project folder; keep "
         "files inside the project",
         args=("bundle",), absent=NO_BUNDLE, present=()),
    Case("insert not a PDF",
         program(PACK + "inserts: [{id: form, path: inserts/form.docx, title: Form}]\n", {"inserts/form.docx": b"PK"}),
         "programs/pack.yaml:4:28: inserts item 1 path: 'form.docx' is not a .pdf file", args=("bundle",),
         absent=NO_BUNDLE, present=()),
    Case("program with an unknown layout", program(PACK + "layout: glossy\n"),
         "programs/pack.yaml:4:9: layout 'glossy' is not known; expected one of: a4, large-print, standard",
         args=("bundle",),
         absent=NO_BUNDLE, present=()),
    Case("handout that is a loop of links", lambda p: ((p.root / BAD).unlink(), (p.root / BAD).symlink_to("bad.yaml")),
         "handouts/en/bad.yaml: the file is a link that leads back to itself (a loop of links); put the file there"),
    Case("image that is a loop of links",
         both(bad(handout("  - image: {path: images/x.png, alt: A tree in a field}\n")),
              lambda p: ((p.root / "images").mkdir(), (p.root / "images/x.png").symlink_to("x.png"))),
         r"handouts/en/bad\.yaml:\d+:\d+: image \(body item \d+\) path: the path 'images/x\.png' is a link that "
         r"leads back to itself \(a loop of links\); put the file there", regex=True),
    Case("settings file that is a loop of links", lambda p: (p.root / "kratom-handouts.yaml").symlink_to(
        "kratom-handouts.yaml"),
         "kratom-handouts.yaml: the file is a link that leads back to itself (a loop of links); put the file there",
         present=()),
    Case("labels that are a folder", both(spanish_translation, lambda p: (p.root / "handouts/es/_labels.yaml").mkdir()),
         "handouts/es/_labels.yaml: the file is a folder, not a file",
         args=("build", "--lang", "es", "--allow-fallback"),
         absent=("output/standard/es/good.pdf",), present=()),
    # The chain of layouts a build depends on was read by building every value: an impossible date crashed it.
    Case("layout value that is a date that cannot be", write("layouts/dated.yaml", "extends: standard\n"
                                                                                  "note: 2026-02-30\n"),
         "layouts/dated.yaml:2:1: unknown field 'note' in layout 'dated' (did you mean 'footer'?)",
         args=("build", "--layout", "dated"), absent=("output/dated/en/bad.pdf",), present=()),
    Case("layout whose file name is no folder's name", write("layouts/....yaml", "extends: standard\n"),
         "layouts/....yaml: a layout's file name may hold only letters, digits, '-' and '_' (it names a folder of "
         "the output); rename the file, or it is not used", args=("check",), absent=(), present=()),
    # Each size inside its documented range, together too large for a page: ReportLab's LayoutError was reported
    # as a failure of the tool.
    Case("layout sizes that leave no room", layout_with(("body_size: 12", "body_size: 48"),
                                                        ("leading: 1.35", "leading: 3"),
                                                        ("title_scale: 1.85", "title_scale: 5")),
         "handouts/en/bad.yaml: does not fit the page in layout 'standard': a part of it is larger than a whole page "
         "at that layout's sizes; make body_size, leading, the scales or the margins in layouts/standard.yaml "
         "smaller, or split the part", present=()),
    Case("translation whose id is no slug", write("handouts/es/good.yaml",
                                                            TRANSLATION.replace("id: good", "id: ../../etc x")),
         "handouts/es/good.yaml:1:5: id '../../etc x' must be a slug: lowercase letters, digits and hyphens",
         args=("check", "--lang", "es"), absent=(), present=()),
    Case("handout named .yml", write("handouts/en/extra.yml", "title: x\n"),
         "handouts/en/extra.yml: warning: never read: only files ending in .yaml are; rename it extra.yaml",
         args=("check",), exit=1, absent=(), present=()),
    # The message named the temporary file (".kratom-handouts-bad.pdf.7q6evg2j.tmp") rather than the PDF.
    Case("a folder where the PDF goes", lambda p: (p.root / "output/standard/en/bad.pdf").mkdir(parents=True),
         "output/standard/en/bad.pdf: cannot write the PDF: Is a directory", exit=3, absent=()),
    Case("program that is a list", program("- good\n"),
         "programs/pack.yaml:1:1: the program must be a mapping of fields, found a list",
         args=("bundle",), absent=NO_BUNDLE, present=()),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(project, case: Case):
    project.handout("good", GOOD_HANDOUT.format(id="good"))
    project.handout("bad", GOOD_HANDOUT.format(id="bad"))
    case.setup(project)
    with watching_files() as access, time_limit(60):
        result = project.run(*case.args, env=case.env)
    assert access.outside(project.root, project.root / case.writable) == ([], []), "nothing outside is read or written"
    assert "Traceback" not in result.output
    assert result.exit_code == case.exit, result.output
    lines = (result.stderr if case.stream == "stderr" else result.stdout).splitlines()
    if case.regex:
        assert any(re.match(case.expect, line) for line in lines), lines
    else:
        assert case.expect in lines, lines
    for path in case.absent:
        assert not (project.root / path).exists(), path
    for path in case.present:
        assert (project.root / path).exists(), path
    assert not list(project.root.rglob("*.tmp")), "no temporary file is left behind"
    if case.check:
        case.check(project)


def test_the_matrix_is_large_enough():
    assert len(CASES) >= 40


def test_the_file_watch_sees_what_is_read_and_written_outside(project, tmp_path):
    """The control for the matrix: a read and a write outside the project are both caught."""
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    with watching_files() as access:
        outside.read_text(encoding="utf-8")
        (tmp_path / "written.txt").write_text("x", encoding="utf-8")
        (project.root / "output").mkdir()
        (project.root / "output" / "fine.txt").write_text("x", encoding="utf-8")
    assert access.outside(project.root, project.root / "output") == ([str(outside)], [str(tmp_path / "written.txt")])


def test_python_dash_m_in_a_project_runs_none_of_its_files_as_code(project):
    """``python -m`` puts the current folder on the import path; ReportLab imports ``reportlab_mods`` at start."""
    import subprocess
    import sys

    project.handout("good", GOOD_HANDOUT.format(id="good"))
    marker = project.root / "ran.txt"
    for module in ("reportlab_mods", "reportlab_settings", "yaml"):
        project.write(f"{module}.py", f"open({str(marker)!r}, 'a').write('{module} ran')\n")
    result = subprocess.run([sys.executable, "-m", "kratom_handouts", "build"], cwd=project.root, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), marker.read_text()
