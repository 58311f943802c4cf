"""Tests for the PDF/UA checker in tests/pdfua.py.

A small, fully tagged handout is built by hand with pikepdf (nothing from the
renderer, so the checker is judged on its own). The good file must pass every
check; each other test breaks exactly one thing in a fresh copy and expects the
matching code, and only it (or a small, named set), to be reported.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
import reportlab
from pikepdf import Array, Dictionary, Name, String

from tests.pdfua import assert_pdfua, pdfua_problems, struct_roles_in_order, struct_text

VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"

GOOD_CONTENT = [
    "/Artifact <</Type /Pagination /Subtype /Header>> BDC",
    "BT /F1 9 Tf 72 760 Td (Kratom handouts) Tj ET",
    "EMC",
    "/H1 <</MCID 0>> BDC BT /F1 20 Tf 72 720 Td (About kratom) Tj ET EMC",
    "/P <</MCID 1>> BDC BT /F1 11 Tf 72 690 Td (Kratom is a plant.) Tj ET EMC",
    "/Lbl <</MCID 2>> BDC BT /F1 11 Tf 72 660 Td (1.) Tj ET EMC",
    "/LBody <</MCID 3>> BDC BT /F1 11 Tf 90 660 Td (Talk to your doctor.) Tj ET EMC",
    "/TH <</MCID 4>> BDC BT /F1 11 Tf 72 620 Td (Dose) Tj ET EMC",
    "/TH <</MCID 5>> BDC BT /F1 11 Tf 200 620 Td (Effect) Tj ET EMC",
    "/TD <</MCID 6>> BDC BT /F1 11 Tf 72 600 Td (Low) Tj ET EMC",
    "/TD <</MCID 7>> BDC BT /F1 11 Tf 200 600 Td (Stimulant) Tj ET EMC",
    "/Figure <</MCID 8>> BDC q 40 0 0 40 72 520 cm /Im0 Do Q EMC",
    "/Link <</MCID 9>> BDC BT /F1 11 Tf 72 480 Td (Read more) Tj ET EMC",
    "/Artifact BMC 72 60 m 540 60 l S EMC",
]
"""The page's content, one line per sequence; tests edit a copy of this list."""


# --------------------------------------------------------------------------- building the good file


@functools.cache
def _vera_bytes() -> bytes:
    return VERA.read_bytes()


def _embedded_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """A simple TrueType font with its program embedded: PDF/UA (7.21.4.1) wants fonts embedded."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    metrics = TTFontFile(str(VERA))
    program = pdf.make_stream(_vera_bytes(), Length1=len(_vera_bytes()))
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/BitstreamVeraSans-Roman"),
        Flags=32,  # nonsymbolic: WinAnsiEncoding applies
        FontBBox=[round(v) for v in metrics.bbox],
        ItalicAngle=0,
        Ascent=round(metrics.ascent),
        Descent=round(metrics.descent),
        CapHeight=round(metrics.capHeight),
        StemV=metrics.stemV,
        FontFile2=program,
    )
    widths = [round(metrics.charWidths.get(code, metrics.defaultWidth)) for code in range(32, 127)]
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.TrueType,
            BaseFont=Name("/BitstreamVeraSans-Roman"),
            FirstChar=32,
            LastChar=126,
            Widths=widths,
            Encoding=Name.WinAnsiEncoding,
            FontDescriptor=pdf.make_indirect(descriptor),
        )
    )


def _image(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """A 2x2 grey image for the Figure to draw."""
    return pdf.make_stream(
        b"\x00\x80\x80\xff", Type=Name.XObject, Subtype=Name.Image, Width=2, Height=2,
        ColorSpace=Name.DeviceGray, BitsPerComponent=8,
    )


@dataclass
class Handout:
    """A hand-built tagged page plus handles on its parts, so a test can break one thing."""

    pdf: pikepdf.Pdf
    page: pikepdf.Object
    root: pikepdf.Object
    el: dict[str, pikepdf.Object] = field(default_factory=dict)
    annot: pikepdf.Object | None = None
    content: list[str] = field(default_factory=lambda: list(GOOD_CONTENT))
    split_after: int | None = None
    """When set, the content is written as two streams, split after this many lines."""

    def element(self, name: str, role: str, parent: pikepdf.Object, k: list | None = None, **extra) -> pikepdf.Object:
        """Add a structure element as the last kid of ``parent``; MCIDs live on the page."""
        obj = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name("/" + role), P=parent, K=Array(k or []), **extra)
        )
        if k and any(isinstance(item, int) for item in k):
            obj.Pg = self.page
        parent.K.append(obj)
        self.el[name] = obj
        return obj

    def parent_array(self) -> pikepdf.Array:
        """The ParentTree array for the page (StructParents 0)."""
        return self.root.ParentTree.Nums[1]

    def save(self, path: Path) -> Path:
        cut = len(self.content) if self.split_after is None else self.split_after
        parts = [self.content[:cut], self.content[cut:]] if self.split_after is not None else [self.content]
        streams = [self.pdf.make_stream("\n".join(part).encode("latin-1")) for part in parts]
        self.page.Contents = streams[0] if len(streams) == 1 else Array(streams)
        # fix_metadata_version=False: otherwise save() re-parses the XMP and swaps a broken packet for an empty one
        self.pdf.save(path, min_version="1.7", fix_metadata_version=False)
        return path


def build_handout() -> Handout:
    """The good file: everything a PDF/UA-1 handout needs, and nothing wrong."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    page = pdf.pages[0].obj
    page.Resources = Dictionary(Font=Dictionary(F1=_embedded_font(pdf)), XObject=Dictionary(Im0=_image(pdf)))
    page.StructParents = 0
    page.Tabs = Name.S

    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
    h = Handout(pdf, page, root)
    document = h.element("Document", "Document", root)
    h.element("H1", "H1", document, [0])
    h.element("P", "P", document, [1])
    lst = h.element("L", "L", document)
    li = h.element("LI", "LI", lst)
    h.element("Lbl", "Lbl", li, [2])
    h.element("LBody", "LBody", li, [3])
    table = h.element("Table", "Table", document)
    thead = h.element("THead", "THead", table)
    row = h.element("TR1", "TR", thead)
    scope = Dictionary(O=Name.Table, Scope=Name.Column)
    h.element("TH1", "TH", row, [4], A=scope)
    h.element("TH2", "TH", row, [5], A=Array([scope]))  # /A as an array of attribute dicts
    tbody = h.element("TBody", "TBody", table)
    row = h.element("TR2", "TR", tbody)
    h.element("TD1", "TD", row, [6])
    h.element("TD2", "TD", row, [7])
    h.element("Figure", "Figure", document, [8], Alt=String("A kratom leaf"))
    para = h.element("P2", "P", document)
    link = h.element("Link", "Link", para, [9])

    h.annot = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=[72, 475, 140, 492], Border=[0, 0, 0], F=4,
            Contents=String("Read more about kratom"), StructParent=1, P=page,
            A=Dictionary(S=Name.URI, URI=String("https://example.org/kratom")),
        )
    )
    page.Annots = Array([h.annot])
    link.K.append(Dictionary(Type=Name.OBJR, Obj=h.annot, Pg=page))

    mcid_order = ["H1", "P", "Lbl", "LBody", "TH1", "TH2", "TD1", "TD2", "Figure", "Link"]
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([0, Array([h.el[n] for n in mcid_order]), 1, link])))
    root.ParentTreeNextKey = 2

    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String("en-US")
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = "About kratom"
        meta["pdfuaid:part"] = "1"
    return h


def codes(problems: list[str]) -> set[str]:
    return {problem.split()[0] for problem in problems}


@pytest.fixture
def handout() -> Handout:
    return build_handout()


@pytest.fixture
def good_pdf(tmp_path: Path) -> Path:
    return build_handout().save(tmp_path / "good.pdf")


def broken(tmp_path: Path, breaker: Callable[[Handout], None]) -> list[str]:
    """The problems found after ``breaker`` has spoilt one thing in a fresh good handout."""
    h = build_handout()
    breaker(h)
    return pdfua_problems(h.save(tmp_path / "broken.pdf"))


# --------------------------------------------------------------------------- the good file


def test_good_file_passes_every_check(good_pdf: Path) -> None:
    assert pdfua_problems(good_pdf) == []
    assert_pdfua(good_pdf)


def test_page_validation_calls_the_good_file_ua1_compliant(good_pdf: Path) -> None:
    """A second opinion from an independent validator, so the good file is really good."""
    page = pytest.importorskip("page")
    report = page.validate_pdf(good_pdf, profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


def test_struct_roles_in_order(good_pdf: Path) -> None:
    assert struct_roles_in_order(good_pdf) == [
        "Document", "H1", "P", "L", "LI", "Lbl", "LBody",
        "Table", "THead", "TR", "TH", "TH", "TBody", "TR", "TD", "TD", "Figure", "P", "Link",
    ]


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_struct_text_reads_tagged_text_but_not_artifacts(good_pdf: Path) -> None:
    text = struct_text(good_pdf)
    assert "About kratom" in text and "Stimulant" in text
    assert "Kratom handouts" not in text  # the header is an artifact


def test_assert_pdfua_lists_every_problem(tmp_path: Path) -> None:
    def two_faults(h: Handout) -> None:
        del h.pdf.Root.MarkInfo
        del h.el["Figure"].Alt

    h = build_handout()
    two_faults(h)
    path = h.save(tmp_path / "two.pdf")
    with pytest.raises(AssertionError) as caught:
        assert_pdfua(path)
    assert "D1 " in str(caught.value) and "T6 " in str(caught.value)


# --------------------------------------------------------------------------- one fault at a time


def _replace_line(h: Handout, start: str, new: str | list[str]) -> None:
    """Swap the content line starting with ``start`` for ``new``."""
    index = next(i for i, line in enumerate(h.content) if line.startswith(start))
    h.content[index : index + 1] = [new] if isinstance(new, str) else new


def no_markinfo(h: Handout) -> None:
    del h.pdf.Root.MarkInfo


def marked_false(h: Handout) -> None:
    h.pdf.Root.MarkInfo.Marked = False


def two_top_level_elements(h: Handout) -> None:
    """A second root-level element besides Document (the first P moved up a level)."""
    p = h.el["P"]
    h.el["Document"].K = Array([k for k in h.el["Document"].K if k.objgen != p.objgen])
    h.root.K.append(p)
    p.P = h.root


def top_level_is_sect(h: Handout) -> None:
    h.el["Document"].S = Name.Sect


def no_lang(h: Handout) -> None:
    del h.pdf.Root.Lang


def bad_lang(h: Handout) -> None:
    h.pdf.Root.Lang = String("en_US")


def no_display_doc_title(h: Handout) -> None:
    h.pdf.Root.ViewerPreferences.DisplayDocTitle = False


def no_xmp(h: Handout) -> None:
    del h.pdf.Root.Metadata


def empty_title(h: Handout) -> None:
    with h.pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        del meta["dc:title"]


def no_pdfuaid(h: Handout) -> None:
    with h.pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        del meta["pdfuaid:part"]


def pdfuaid_two(h: Handout) -> None:
    with h.pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfuaid:part"] = "2"


def unclosed_span(h: Handout) -> None:
    h.content.append("/Span BMC")


def stray_emc(h: Handout) -> None:
    h.content.append("EMC")


def sequence_split_across_streams(h: Handout) -> None:
    """Balanced on the page, but the header artifact opens in one stream and closes in the next."""
    h.split_after = 2


def nested_mcid(h: Handout) -> None:
    """The P's sequence opened inside the H1's."""
    _replace_line(h, "/H1", "/H1 <</MCID 0>> BDC BT /F1 20 Tf 72 720 Td (About kratom) Tj ET")
    _replace_line(h, "/P ", "/P <</MCID 1>> BDC BT /F1 11 Tf 72 690 Td (Kratom is a plant.) Tj ET EMC EMC")


def mcid_inside_artifact(h: Handout) -> None:
    _replace_line(h, "EMC", "/P <</MCID 1>> BDC BT (Kratom is a plant.) Tj ET EMC EMC")
    _replace_line(h, "/P <</MCID 1>> BDC BT /F1", [])


def untagged_footer(h: Handout) -> None:
    h.content.append("BT /F1 8 Tf 72 40 Td (Page 1 of 1) Tj ET")


def untagged_rectangle(h: Handout) -> None:
    h.content.append("72 30 100 5 re f")


def untagged_image(h: Handout) -> None:
    h.content.append("q 10 0 0 10 500 40 cm /Im0 Do Q")


def untagged_inline_image(h: Handout) -> None:
    h.content.append("q 10 0 0 10 500 40 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI Q")


def untagged_text_in_form(h: Handout) -> None:
    """A Form XObject drawn outside any mark whose own text is untagged."""
    h.page.Resources.XObject.Fm0 = h.pdf.make_stream(
        b"BT /F1 8 Tf 0 0 Td (Footer in a form) Tj ET", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 200, 20]
    )
    h.content.append("q 1 0 0 1 72 40 cm /Fm0 Do Q")


def duplicate_mcid_on_page(h: Handout) -> None:
    h.content.append("/P <</MCID 1>> BDC BT /F1 11 Tf 72 300 Td (Again) Tj ET EMC")


def no_struct_parents(h: Handout) -> None:
    del h.page.StructParents


def wrong_parent_link(h: Handout) -> None:
    h.el["P"].P = h.root


def unknown_type(h: Handout) -> None:
    h.el["P"].S = Name("/Paragraph")


def role_map_loop(h: Handout) -> None:
    h.el["P"].S = Name("/Para")
    h.root.RoleMap = Dictionary(Para=Name("/Text"), Text=Name("/Para"))


def orphan_mcid(h: Handout) -> None:
    h.content.append("/P <</MCID 10>> BDC BT /F1 8 Tf 72 40 Td (Footer) Tj ET EMC")


def mcid_referenced_twice(h: Handout) -> None:
    h.el["H1"].K.append(1)


def dangling_reference(h: Handout) -> None:
    h.el["P"].K.append(42)


def dangling_mcr_dict(h: Handout) -> None:
    h.el["P2"].K.append(Dictionary(Type=Name.MCR, MCID=43, Pg=h.page))


def parent_tree_wrong_element(h: Handout) -> None:
    h.parent_array()[1] = h.el["H1"]


def parent_tree_short(h: Handout) -> None:
    del h.parent_array()[9]


def parent_tree_missing_page_key(h: Handout) -> None:
    h.root.ParentTree.Nums = Array([1, h.el["Link"]])


def parent_tree_dangling_entry(h: Handout) -> None:
    """A slot past the page's MCIDs that names an element holding no such MCID."""
    h.parent_array().append(h.el["P"])


def figure_without_alt(h: Handout) -> None:
    del h.el["Figure"].Alt


def figure_with_empty_alt(h: Handout) -> None:
    h.el["Figure"].Alt = String("")


def list_item_holds_p(h: Handout) -> None:
    h.el["LBody"].S = Name.P


def list_holds_p(h: Handout) -> None:
    h.el["LI"].S = Name.P


def th_without_scope(h: Handout) -> None:
    del h.el["TH1"].A


def th_scope_wrong_owner(h: Handout) -> None:
    h.el["TH2"].A = Array([Dictionary(O=Name.Layout, Scope=Name.Column)])


def td_outside_row(h: Handout) -> None:
    h.el["TR2"].S = Name.Sect


def h1_then_h3(h: Handout) -> None:
    h.el["P"].S = Name.H3


def first_heading_h2(h: Handout) -> None:
    h.el["H1"].S = Name.H2


def no_tabs(h: Handout) -> None:
    del h.page.Tabs


def link_without_objr(h: Handout) -> None:
    link = h.el["Link"]
    link.K = Array([k for k in link.K if isinstance(k, int)])


def link_without_struct_parent(h: Handout) -> None:
    del h.annot.StructParent


def link_held_by_p(h: Handout) -> None:
    """The OBJR and the ParentTree entry point at the paragraph, not a Link element."""
    link = h.el["Link"]
    link.K = Array([k for k in link.K if isinstance(k, int)])
    h.el["P2"].K.append(Dictionary(Type=Name.OBJR, Obj=h.annot))
    h.root.ParentTree.Nums[3] = h.el["P2"]


def link_without_contents(h: Handout) -> None:
    del h.annot.Contents


FAULTS: list[tuple[Callable[[Handout], None], set[str]]] = [
    (no_markinfo, {"D1"}),
    (marked_false, {"D1"}),
    (two_top_level_elements, {"D2"}),
    (top_level_is_sect, {"D2"}),
    (no_lang, {"D3"}),
    (bad_lang, {"D3"}),
    (no_display_doc_title, {"D4"}),
    (no_xmp, {"D5"}),
    (empty_title, {"D6"}),
    (no_pdfuaid, {"D7"}),
    (pdfuaid_two, {"D7"}),
    (unclosed_span, {"C1"}),
    (stray_emc, {"C1"}),
    (sequence_split_across_streams, {"C1"}),
    (nested_mcid, {"C2"}),
    (mcid_inside_artifact, {"C2"}),
    (untagged_footer, {"C3"}),
    (untagged_rectangle, {"C3"}),
    (untagged_image, {"C3"}),
    (untagged_inline_image, {"C3"}),
    (untagged_text_in_form, {"C3"}),
    (duplicate_mcid_on_page, {"C4"}),
    (no_struct_parents, {"C5"}),
    (wrong_parent_link, {"T1"}),
    (unknown_type, {"T2"}),
    (role_map_loop, {"T2"}),
    (orphan_mcid, {"T3"}),
    (mcid_referenced_twice, {"T3"}),
    (dangling_reference, {"T4"}),
    (dangling_mcr_dict, {"T4"}),
    (parent_tree_wrong_element, {"T5"}),
    (parent_tree_short, {"T5"}),
    (parent_tree_missing_page_key, {"T5"}),
    (parent_tree_dangling_entry, {"T5"}),
    (figure_without_alt, {"T6"}),
    (figure_with_empty_alt, {"T6"}),
    (list_item_holds_p, {"T7"}),
    (list_holds_p, {"T7"}),
    (th_without_scope, {"T8"}),
    (th_scope_wrong_owner, {"T8"}),
    (td_outside_row, {"T8"}),
    (h1_then_h3, {"T9"}),
    (first_heading_h2, {"T9"}),
    (no_tabs, {"A1"}),
    (link_without_objr, {"A2"}),
    (link_without_struct_parent, {"A2"}),
    (link_held_by_p, {"A2"}),
    (link_without_contents, {"A3"}),
]


ALL_CODES = {f"D{i}" for i in range(1, 8)} | {f"C{i}" for i in range(1, 6)} | {f"T{i}" for i in range(1, 10)} | {
    "A1", "A2", "A3"
}


@pytest.mark.parametrize(("breaker", "expected"), FAULTS, ids=[f.__name__ for f, _ in FAULTS])
def test_one_fault_is_reported_under_its_code(
    tmp_path: Path, breaker: Callable[[Handout], None], expected: set[str]
) -> None:
    """Exactly the expected codes: a fault must not hide, nor drag unrelated checks along."""
    problems = broken(tmp_path, breaker)
    assert codes(problems) == expected, problems


def test_every_check_code_has_a_fault_that_trips_it() -> None:
    """So a check that can never fire is noticed."""
    assert set().union(*(expected for _, expected in FAULTS)) == ALL_CODES


# --------------------------------------------------------------------------- accepted variations


def test_role_mapped_type_is_accepted(tmp_path: Path) -> None:
    def paragraph(h: Handout) -> None:
        h.el["P"].S = Name("/Paragraph")
        h.root.RoleMap = Dictionary(Paragraph=Name.P)

    assert broken(tmp_path, paragraph) == []


def test_parent_tree_with_kids_is_read(tmp_path: Path) -> None:
    def split(h: Handout) -> None:
        nums = h.root.ParentTree.Nums
        h.root.ParentTree = h.pdf.make_indirect(Dictionary(Kids=Array([
            h.pdf.make_indirect(Dictionary(Nums=Array([0, nums[1]]), Limits=[0, 0])),
            h.pdf.make_indirect(Dictionary(Nums=Array([1, nums[3]]), Limits=[1, 1])),
        ])))

    assert broken(tmp_path, split) == []


def test_mcr_dicts_and_named_properties_are_accepted(tmp_path: Path) -> None:
    """An MCR dict (page inherited from the element) and a BDC naming /Properties both count."""
    def change(h: Handout) -> None:
        h.el["P"].K = Array([Dictionary(Type=Name.MCR, MCID=1)])
        h.page.Resources.Properties = Dictionary(MC1=Dictionary(MCID=1))
        _replace_line(h, "/P <</MCID 1>>", "/P /MC1 BDC BT /F1 11 Tf 72 690 Td (Kratom is a plant.) Tj ET EMC")

    assert broken(tmp_path, change) == []


def test_form_inside_an_artifact_is_accepted(tmp_path: Path) -> None:
    def change(h: Handout) -> None:
        untagged_text_in_form(h)
        h.content[-1] = "/Artifact BMC q 1 0 0 1 72 40 cm /Fm0 Do Q EMC"

    assert broken(tmp_path, change) == []


def test_form_with_its_own_mcid_inside_a_tagged_sequence_is_nested(tmp_path: Path) -> None:
    def change(h: Handout) -> None:
        h.page.Resources.XObject.Fm0 = h.pdf.make_stream(
            b"/Span <</MCID 0>> BDC BT /F1 8 Tf (x) Tj ET EMC", Type=Name.XObject, Subtype=Name.Form,
            BBox=[0, 0, 20, 20], StructParents=5,
        )
        _replace_line(h, "/Figure", "/Figure <</MCID 8>> BDC q 40 0 0 40 72 520 cm /Im0 Do Q /Fm0 Do EMC")

    assert "C2" in codes(broken(tmp_path, change))


def test_form_with_its_own_tagged_content_is_accepted(tmp_path: Path) -> None:
    """A form's MCIDs are its own: /StructParents on the form, MCRs that name it with /Stm."""
    def change(h: Handout) -> None:
        form = h.pdf.make_stream(
            b"/P <</MCID 0>> BDC BT /F1 8 Tf (Footnote) Tj ET EMC", Type=Name.XObject, Subtype=Name.Form,
            BBox=[0, 0, 200, 20], StructParents=2,
        )
        h.page.Resources.XObject.Fm0 = form
        h.content.append("q 1 0 0 1 72 40 cm /Fm0 Do Q")
        note = h.element("Note", "P", h.el["Document"], [Dictionary(Type=Name.MCR, MCID=0, Stm=form, Pg=h.page)])
        h.root.ParentTree.Nums.extend([2, Array([note])])

    assert broken(tmp_path, change) == []


@pytest.mark.parametrize("lang", ["en", "es-419", "zh-Hant-TW", "sr-Latn-RS", "de-CH-1901", "x-private", "i-klingon"])
def test_well_formed_lang_tags_are_accepted(tmp_path: Path, lang: str) -> None:
    def change(h: Handout) -> None:
        h.pdf.Root.Lang = String(lang)

    assert broken(tmp_path, change) == []


@pytest.mark.parametrize("lang", ["", "en_US", "en US", "en-", "e", "en--US", "en-US-", "toolonglang"])
def test_malformed_lang_tags_are_refused(tmp_path: Path, lang: str) -> None:
    def change(h: Handout) -> None:
        h.pdf.Root.Lang = String(lang)

    assert codes(broken(tmp_path, change)) == {"D3"}


# --------------------------------------------------------------------------- hostile files


def test_garbage_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"this is not a PDF at all")
    assert codes(pdfua_problems(path)) == {"D0"}


def test_untagged_pdf_reports_the_missing_tagging(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET")
    path = tmp_path / "untagged.pdf"
    pdf.save(path)
    assert {"D1", "D2", "D3", "D4", "D5", "C3"} <= codes(pdfua_problems(path))


def test_form_that_draws_itself_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    def loop(h: Handout) -> None:
        form = h.pdf.make_stream(b"/Fm0 Do", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 1, 1])
        form.Resources = Dictionary(XObject=Dictionary(Fm0=form))
        h.page.Resources.XObject.Fm0 = form
        h.content.append("/Artifact BMC /Fm0 Do EMC")

    assert codes(broken(tmp_path, loop)) == {"C1"}


def test_unparseable_content_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    def garble(h: Handout) -> None:
        h.content.append("BI /W 1 /H 1 ID")  # an inline image that never ends

    assert codes(broken(tmp_path, garble)) == {"C1"}


def test_cycle_in_the_tree_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    def cycle(h: Handout) -> None:
        h.el["LBody"].K = Array([3, h.el["L"]])

    assert "T1" in codes(broken(tmp_path, cycle))


def test_nonsense_objects_are_problems_not_crashes(tmp_path: Path) -> None:
    def nonsense(h: Handout) -> None:
        h.root.ParentTree = Name.Nope
        h.el["Document"].K.append(String("text"))
        h.page.Annots.append(Dictionary(Subtype=Name.Link, StructParent=Name.X))
        h.pdf.Root.Metadata = h.pdf.make_stream(b"<not xml")

    found = codes(broken(tmp_path, nonsense))
    assert {"T1", "T5", "A2", "A3", "D5"} <= found
