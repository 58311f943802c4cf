"""A handout's last page never holds only its closing lines: how compactly they are set is chosen during layout.

The back matter (the Sources heading, the sources, the review record, the clinic's contact line and the
assistance lines) can be set three ways: ``compact`` 0 (as the body), 1 (smaller) and 2 (smaller, and kept
together as one block). Which one a handout needs depends on where its body ends, which only layout knows.
Laying the whole handout out again for each way cost a quarter of all handout rendering, so the story ends in
an ``EndingChoice`` instead: when the document reaches it, each way the rule asks about is laid out in a
scratch document that starts where the body ended (a copy of the frame, the same page size and frames), and
the way the rule picks takes the placeholder's place in the story. The body is laid out once.

Most handouts need no scratch layout at all: when the back matter set as the body fits in what is left of a page
that already holds the body's content, the last page cannot hold back matter alone, and the rule keeps way 0.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, KeepTogether, PageBreak, PageTemplate

from .keep_with_next import height_with_space
from .tagging import Element, PlacingCanvas, Structure, walk

if TYPE_CHECKING:
    from .blocks import BlockContext

# How many elements end a handout: the Sources heading, the sources, the review record and the contact line
# (and the assistance lines' Div after them, when printed); the last two of them are the closing lines.
BACK_MATTER_ELEMENTS = 4
CLOSING_ELEMENTS = 2


@dataclass(frozen=True)
class Ending:
    """How the document would end with the back matter set one way."""

    pages: int
    back_matter_alone: bool  # the last page holds nothing but back matter
    closing_alone: bool  # ... nothing but the closing lines


def choose(ending: Callable[[int], Ending]) -> int:
    """The rule: when the back matter would have the last page to itself, set it smaller if that saves the page;
    then, while the closing lines would be alone on the last page, set them smaller, and then also keep them
    with the sources, each time if it costs no page. ``ending(compact)`` is asked again for a way it was asked
    about (the caller remembers the answers)."""
    chosen, current = 0, ending(0)
    if current.back_matter_alone:
        smaller = ending(1)
        if smaller.pages < current.pages:
            chosen, current = 1, smaller
    for compact in (1, 2):
        if not current.closing_alone:
            break
        candidate = ending(compact)
        if candidate.pages <= current.pages:
            chosen, current = compact, candidate
    return chosen


def alone_on_last_page(element_pages: list[list[int]], pages: int, count: int) -> bool:
    """Whether the last page holds nothing but the last ``count`` of the top-level elements, given the pages
    each of them has content on."""
    body = [page for pages_of in element_pages[:-count] for page in pages_of]
    return pages > 1 and max(body, default=0) < pages - 1


def content_pages(element: Element) -> list[int]:
    """The page indexes of an element's marked content, its descendants' included."""
    return [item[0] for part in walk(element) for item in part.content if isinstance(item, tuple)]


@dataclass(frozen=True)
class _Way:
    """The back matter set one way, laid out in a scratch document: how the document would end, and the
    flowables and elements (not yet in the document's tree) to use if it is chosen."""

    ending: Ending
    flowables: list[Flowable]
    structure: Structure


class EndingChoice(Flowable):
    """Stands where the back matter goes; an ``EndingDocument`` replaces it with the way ``choose`` picks.

    ``make(ctx, compact)`` makes the back matter's flowables (and their structure elements, under ``ctx``'s open
    group). ``assistance`` is 1 when the assistance lines are printed after the closing lines.
    """

    def __init__(self, make: Callable[[BlockContext, int], list[Flowable]], ctx: BlockContext, assistance: int):
        super().__init__()
        self.make = make
        self.ctx = ctx
        self.assistance = assistance
        # The group the back matter's elements go into when it is chosen (a bundle's handout: its Part), as
        # that group is closed by the time layout reaches the choice.
        self.holder = ctx.structure.current

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        raise AssertionError("an EndingChoice is replaced before layout (only an EndingDocument lays it out)")

    def resolve(self, doc: BaseDocTemplate, lead: list[Flowable]) -> list[Flowable]:
        """The back matter set the way the rule picks, from where ``doc`` stands: its flowables, whose
        elements now end the document's tree. ``lead``: the flowables before this one that are kept with the
        next, not laid out yet (ReportLab will keep them with the back matter's first).

        The chosen way's flowables are the ones the fit check or its scratch layout measured (ReportLab's own
        undo log puts back what a scratch layout changed on them), so they are not made or measured again."""
        body = [(id(element), content_pages(element)) for element in self._weighed_against()]
        first = self._made(0)
        if _fits_on_page_with_body(doc, [*lead, *first[0]], body):
            chosen = _Way(Ending(int(doc.page), False, False), *first)  # choose(...) keeps way 0 for this ending
        else:
            ways: dict[int, _Way] = {}

            def ending(compact: int) -> Ending:
                if compact not in ways:
                    ways[compact] = self._lay_out(doc, compact, lead, body, first if compact == 0 else None)
                return ways[compact].ending

            chosen = ways[choose(ending)]
        for element in list(chosen.structure.root.children()):
            self.holder.add(element)
        return chosen.flowables

    def _weighed_against(self) -> list[Element]:
        """The top-level elements whose pages the rule weighs the back matter against: all of a handout alone's;
        in a bundle, only the part this handout is (the parts before it end on earlier pages, so they change
        nothing, and walking them all again for every handout took a quarter of a 50-handout bundle)."""
        root = self.ctx.structure.root
        if self.holder is root:
            return list(root.children())
        top = self.holder
        while top.parent is not None and top.parent is not root:
            top = top.parent
        return [top]

    def _made(self, compact: int) -> tuple[list[Flowable], Structure]:
        """The back matter's flowables set one way, with their elements in a tree of their own."""
        structure = Structure()
        return self.make(replace(self.ctx, structure=structure), compact), structure

    def _lay_out(self, doc: BaseDocTemplate, compact: int, lead: list[Flowable], body: list[tuple[int, list[int]]],
                 made: tuple[list[Flowable], Structure] | None = None) -> _Way:
        """``body``: the document's top-level elements so far (by id) and the pages their content is on;
        ``made``: this way's flowables and tree, if they are made already."""
        flowables, structure = made or self._made(compact)
        placed, scratch_pages = _lay_out_from(doc, [*lead, *flowables])
        first = doc.page - 1  # the page index the scratch document's first page stands for
        landed: dict[int, list[int]] = {}  # top-level element (of either tree) -> pages its content lands on
        for element, page in placed:
            while element.parent is not None and element.parent.parent is not None:
                element = element.parent
            landed.setdefault(id(element), []).append(first + page)
        every = ([pages_of + landed.get(key, []) for key, pages_of in body]
                 + [landed.get(id(e), []) for e in structure.root.children()])
        pages = first + scratch_pages
        ending = Ending(pages, alone_on_last_page(every, pages, BACK_MATTER_ELEMENTS + self.assistance),
                        alone_on_last_page(every, pages, CLOSING_ELEMENTS + self.assistance))
        return _Way(ending, flowables, structure)


class EndingDocument(BaseDocTemplate):
    """A document that replaces an ``EndingChoice`` when layout reaches it (see the module's docstring)."""

    def filterFlowables(self, flowables: list[Flowable]) -> None:  # ReportLab's hook
        # The choice is made when it is next, or when only flowables kept with the next stand before it (a
        # body that ends in a heading): ReportLab would lay those out together with the back matter.
        lead = 0
        while lead < len(flowables) and flowables[lead].getKeepWithNext():  # type: ignore[no-untyped-call]
            lead += 1
        choice = flowables[lead] if lead < len(flowables) else None
        if isinstance(choice, EndingChoice):
            flowables[lead:lead + 1] = choice.resolve(self, flowables[:lead])


def _fits_on_page_with_body(doc: Any, flowables: list[Flowable], body: list[tuple[int, list[int]]]) -> bool:
    """Whether ``flowables`` surely all go on the page ``doc`` is on, and that page holds body content: the
    height each one needs with its space before and after (more than the frame will give it) fits in what is
    left of the frame. A flowable that acts on the frame or asks for a page break is never counted on."""
    page = int(doc.page) - 1
    if not any(page in pages for _, pages in body):
        return False
    frame = doc.frame  # ReportLab's private frame state (not in its stubs), hence Any
    room = frame._y - frame._y1p
    width = frame._getAvailableWidth()
    for flowable in flowables:
        inner = getattr(flowable, "inner", flowable)
        if getattr(inner, "frameAction", None) or isinstance(inner, (PageBreak, CondPageBreak, KeepTogether)):
            return False
        room -= height_with_space(flowable, width, room)
        if room < 0:
            return False
    return True


def _lay_out_from(doc: Any, flowables: list[Flowable]) -> tuple[list[tuple[Element, int]], int]:
    """Lay ``flowables`` out from where ``doc`` stands (its frame as it is now, then its frame on fresh pages),
    drawing nothing: which page each element's content lands on (0: doc's current page), and how many pages
    that takes. What the layout changes on the flowables (keep-with-next flags, postponements) is undone."""
    # ReportLab's private frame and document state (not in its stubs), hence Any
    resumed: Any = copy.copy(doc.frame)
    resumed._reset = lambda: None  # the scratch document's first page starts where doc's frame is
    fresh = copy.copy(doc.pageTemplate.frames[0])
    scratch: Any = BaseDocTemplate(io.BytesIO(), pagesize=doc.pagesize, invariant=1,
                                   initialFontName=doc.initialFontName, initialFontSize=doc.initialFontSize,
                                   keepTogetherClass=doc.keepTogetherClass)  # flowables kept as in doc
    scratch.addPageTemplates([PageTemplate("resumed", [resumed], autoNextPageTemplate="fresh"),
                              PageTemplate("fresh", [fresh])])
    scratch._leftExtraIndent = resumed._leftExtraIndent
    scratch._rightExtraIndent = resumed._rightExtraIndent
    scratch._frameBGs = resumed._frameBGs
    scratch._doSave = 0
    edits: list[tuple[Any, ...]] = []
    scratch._multiBuildEdits = edits.append  # the undo log ReportLab keeps for laying a story out again
    canvases: list[PlacingCanvas] = []

    def placing_canvas(*args: Any, **kwargs: Any) -> PlacingCanvas:
        canvases.append(PlacingCanvas(*args, **kwargs))
        return canvases[-1]

    try:
        scratch.build(list(flowables), canvasmaker=placing_canvas)
    finally:
        for undo, *arguments in reversed(edits):
            undo(*arguments)
    return canvases[0].placed, int(scratch.page)
