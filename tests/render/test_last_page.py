"""The back matter's setting is chosen during layout: the same choice, and the same bytes, as laying the whole
handout out each way and applying the rule to the results."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from functools import cache
from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from kratom_handouts.content import load_handout, load_labels
from kratom_handouts.errors import Diagnostics
from kratom_handouts.layouts import load_layout
from kratom_handouts.project import Project
from kratom_handouts.render import document, last_page
from kratom_handouts.render.last_page import Ending, alone_on_last_page, choose, content_pages
from kratom_handouts.render.tagging import Element, PlacingCanvas, Structure, Tagged

from ..conftest import REPO

PROJECT = Project(REPO)
CREATED = dt.datetime(2026, 1, 1)

# Shipped handouts cut after their first ``blocks`` blocks, so that the body ends at many heights. The comment
# gives the way each is set today: the first way, smaller, or smaller and kept with the sources; "heading":
# the body ends in a heading, which ReportLab keeps with the back matter's first flowable.
CASES = [
    ("en", "for-family-and-friends", "standard", 2),  # first way
    ("en", "for-family-and-friends", "standard", 1),  # first way, heading
    ("en", "for-family-and-friends", "large-print", 4),  # smaller
    ("en", "for-family-and-friends", "large-print", 1),  # smaller, heading
    ("en", "staying-safer", "large-print", 13),  # first way: the Sources heading keeps the sources' first lines
    ("en", "what-is-kratom-addiction", "large-print", 3),  # first way, heading (the same)
    ("ar", "for-family-and-friends", "standard", 13),  # smaller, right to left
    ("ar", "kratom-for-pain-or-opioids", "large-print", 12),  # kept with the sources, right to left
    ("ar", "what-is-kratom-addiction", "large-print", 3),  # kept with the sources, heading, right to left
    ("zh-Hans", "kratom-for-pain-or-opioids", "large-print", 2),  # kept with the sources, our own line breaking
]


@cache
def variant(lang: str, handout_id: str, layout_name: str, blocks: int) -> tuple[Any, Any, Any]:
    handout = load_handout(PROJECT, handout_id, lang, Diagnostics())
    layout = load_layout(layout_name, REPO, Diagnostics())
    document.register_fonts(layout, lang)
    return dataclasses.replace(handout, body=handout.body[:blocks]), layout, load_labels(PROJECT, lang, Diagnostics())


def laid_out_whole(case: tuple[str, str, str, int], compact: int) -> tuple[bytes, Ending]:
    """The whole handout laid out with its back matter set one way, and how that document ends."""
    handout, layout, labels = variant(*case)
    structure = Structure()
    rendered = document._build(handout, layout, labels, CREATED, None, None, compact=compact, structure=structure)
    pages = [content_pages(element) for element in structure.root.children()]
    assistance = 1 if layout.assistance_on_handouts and layout.language_assistance else 0
    return rendered.pdf, Ending(rendered.pages,
                                alone_on_last_page(pages, rendered.pages, last_page.BACK_MATTER_ELEMENTS + assistance),
                                alone_on_last_page(pages, rendered.pages, last_page.CLOSING_ELEMENTS + assistance))


def exhaustive_choice(case: tuple[str, str, str, int]) -> tuple[int, dict[int, bytes]]:
    """The way the rule picks from whole layouts (the way handouts were rendered before), and their bytes."""
    whole = {compact: laid_out_whole(case, compact) for compact in (0, 1, 2)}
    return choose(lambda compact: whole[compact][1]), {compact: pdf for compact, (pdf, _) in whole.items()}


@pytest.mark.parametrize("case", CASES, ids=["-".join(map(str, case)) for case in CASES])
def test_the_choice_made_in_layout_gives_the_bytes_of_the_whole_layout_the_rule_picks(case):
    chosen, whole = exhaustive_choice(case)
    handout, layout, labels = variant(*case)
    assert document.render_handout(handout, layout, labels, CREATED).pdf == whole[chosen]


def test_the_cases_cover_every_way(monkeypatch):
    """The control for the test above: its cases need each way, with and without a heading before it."""
    leads: list[int] = []
    resolve = last_page.EndingChoice.resolve

    def watched(self: Any, doc: Any, lead: list[Any]) -> Any:
        leads.append(len(lead))
        return resolve(self, doc, lead)

    monkeypatch.setattr(last_page.EndingChoice, "resolve", watched)
    covered = set()
    for case in CASES:
        handout, layout, labels = variant(*case)
        document.render_handout(handout, layout, labels, CREATED)
        covered.add((exhaustive_choice(case)[0], leads[-1] > 0))
    assert covered == {(compact, heading) for compact in (0, 1, 2) for heading in (False, True)}


def test_a_handout_is_laid_out_once(monkeypatch):
    """The body is laid out once whichever way is chosen; only the back matter is laid out again, in scratch
    documents, once per way the rule asks about."""
    documents: list[str] = []
    scratch_layouts: list[int] = []
    build = last_page.EndingDocument.build
    lay_out_from = last_page._lay_out_from

    def counted_build(self: Any, *args: Any, **kwargs: Any) -> None:
        documents.append(type(self).__name__)
        build(self, *args, **kwargs)

    def counted_scratch(doc: Any, flowables: Any) -> Any:
        scratch_layouts.append(len(flowables))
        return lay_out_from(doc, flowables)

    monkeypatch.setattr(last_page.EndingDocument, "build", counted_build)
    monkeypatch.setattr(last_page, "_lay_out_from", counted_scratch)
    handout, layout, labels = variant("ar", "kratom-for-pain-or-opioids", "large-print", 12)  # kept with sources
    document.render_handout(handout, layout, labels, CREATED)
    assert documents == ["EndingDocument"]
    assert len(scratch_layouts) == 3  # the first way, smaller, and kept with the sources
    assert max(scratch_layouts) <= last_page.BACK_MATTER_ELEMENTS + 3  # the back matter's flowables, not the body


def scratch_layouts_of(monkeypatch: pytest.MonkeyPatch, case: tuple[str, str, str, int]) -> int:
    counted: list[int] = []
    lay_out_from = last_page._lay_out_from

    def counting(doc: Any, flowables: Any) -> Any:
        counted.append(1)
        return lay_out_from(doc, flowables)

    monkeypatch.setattr(last_page, "_lay_out_from", counting)
    handout, layout, labels = variant(*case)
    document.render_handout(handout, layout, labels, CREATED)
    return len(counted)


def test_a_back_matter_that_fits_below_the_body_needs_no_scratch_layout(monkeypatch):
    assert scratch_layouts_of(monkeypatch, ("en", "for-family-and-friends", "standard", 2)) == 0  # first way
    assert scratch_layouts_of(monkeypatch, ("en", "for-family-and-friends", "standard", 1)) == 0  # ... heading
    assert scratch_layouts_of(monkeypatch, ("en", "for-family-and-friends", "large-print", 4)) == 2  # smaller


def test_the_shortcut_counts_every_point_and_needs_body_content_on_the_page():
    from types import SimpleNamespace

    from reportlab.platypus import PageBreak

    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12, spaceBefore=3, spaceAfter=5)
    lines = [Paragraph("one line", style), Paragraph("another line", style)]  # each 12 high, 8 of space
    needed = 2 * (12 + 3 + 5)

    def doc(room: float, page: int = 2) -> Any:
        frame = SimpleNamespace(_y=100 + room, _y1p=100, _getAvailableWidth=lambda: 300)
        return SimpleNamespace(page=page, frame=frame)

    this_page = [(1, [0]), (2, [0, 1])]  # the second element has content on page index 1, doc.page 2
    assert last_page._fits_on_page_with_body(doc(needed), lines, this_page)
    assert not last_page._fits_on_page_with_body(doc(needed - 0.5), lines, this_page)  # the last space after
    assert not last_page._fits_on_page_with_body(doc(1000), lines, [(1, [0]), (2, [0])])  # the page holds no body
    assert not last_page._fits_on_page_with_body(doc(1000), [*lines, PageBreak()], this_page)


SHIPPED = [(lang, handout_id, layout) for lang in ("en", "ar") for layout in ("standard", "a4", "large-print")
           for handout_id in PROJECT.handout_files(lang)]


def test_the_shortcut_gives_the_bytes_of_the_scratch_layouts_for_every_shipped_handout(monkeypatch):
    """Every English and Arabic handout in every layout, with the shortcut and without it (the scratch layouts
    then decide every time); the control: both kinds of handout are among them."""
    fits = last_page._fits_on_page_with_body
    taken: list[bool] = []

    def watched(*args: Any) -> bool:
        taken.append(fits(*args))
        return taken[-1]

    for lang, handout_id, layout_name in SHIPPED:
        handout, layout, labels = variant(lang, handout_id, layout_name, 10_000)
        monkeypatch.setattr(last_page, "_fits_on_page_with_body", watched)
        quick = document.render_handout(handout, layout, labels, CREATED).pdf
        monkeypatch.setattr(last_page, "_fits_on_page_with_body", lambda *args: False)
        assert document.render_handout(handout, layout, labels, CREATED).pdf == quick, (lang, handout_id, layout_name)
    assert len(taken) == len(SHIPPED) and 0 < sum(taken) < len(taken)


def test_a_scratch_layout_leaves_the_flowables_as_it_found_them(monkeypatch):
    """ReportLab clears keep-with-next flags when it groups flowables, and marks flowables it moved to the next
    page as postponed (a second postponement is an error): both are undone after a scratch layout, or the real
    layout would no longer keep the Sources heading with the sources, or would fail."""
    seen: list[tuple[list[Any], list[Any]]] = []
    lay_out_from = last_page._lay_out_from

    def watched(doc: Any, flowables: list[Any]) -> Any:
        before = [(f.getKeepWithNext(), "_postponed" in f.__dict__) for f in flowables]
        result = lay_out_from(doc, flowables)
        seen.append((before, [(f.getKeepWithNext(), "_postponed" in f.__dict__) for f in flowables]))
        return result

    monkeypatch.setattr(last_page, "_lay_out_from", watched)
    handout, layout, labels = variant("en", "what-is-kratom-addiction", "large-print", 3)
    document.render_handout(handout, layout, labels, CREATED)
    assert seen and all(before == after for before, after in seen)
    assert any(kept for before, _ in seen for kept, _ in before)  # there was a keep-with-next flag to clear


def test_the_rule():
    def asked(endings: dict[int, Ending]) -> tuple[int, list[int]]:
        questions: list[int] = []

        def ending(compact: int) -> Ending:
            questions.append(compact)
            return endings[compact]

        return choose(ending), questions

    fits = Ending(2, back_matter_alone=False, closing_alone=False)
    assert asked({0: fits}) == (0, [0])
    # the back matter alone on page 3; smaller it fits on page 2
    assert asked({0: Ending(3, True, False), 1: fits}) == (1, [0, 1])
    # smaller saves no page, and the closing lines are not alone: the first way stays
    assert asked({0: Ending(3, True, False), 1: Ending(3, True, False)}) == (0, [0, 1])
    # the closing lines alone: smaller costs no page but leaves them alone, kept together they are not
    assert asked({0: Ending(3, True, True), 1: Ending(3, True, True), 2: Ending(3, True, False)}) == (2, [0, 1, 1, 2])
    # kept together would cost a page: smaller is kept
    assert asked({0: Ending(3, True, True), 1: Ending(3, True, True), 2: Ending(4, True, False)}) == (1, [0, 1, 1, 2])


def test_alone_on_last_page():
    assert alone_on_last_page([[0], [1], [1]], 2, 2)  # the last two elements alone on page 2
    assert not alone_on_last_page([[0, 1], [1], [1]], 2, 2)  # the body goes on to page 2
    assert not alone_on_last_page([[0], [0]], 1, 1)  # a one-page document


def test_a_placing_canvas_notes_the_page_and_draws_nothing():
    element = Element("P")
    canvas = PlacingCanvas(io.BytesIO())
    paragraph = Tagged(Paragraph("Call us any time.", ParagraphStyle("p")), element)
    canvas.showPage()
    paragraph.wrapOn(canvas, 300, 100)
    paragraph.drawOn(canvas, 72, 600)
    assert canvas.placed == [(element, 1)]
    assert element.content == []  # no marked content: nothing was drawn
    assert b"Call us" not in b"".join(canvas._code[i].encode() for i in range(len(canvas._code)))
