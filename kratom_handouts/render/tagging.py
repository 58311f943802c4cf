"""Tagged PDF while drawing: structure elements, marked content around what they draw, artifacts for the rest.

Rendering builds a tree of ``Element`` objects (Document > H1, P, L > LI >
Lbl/LBody, Table > TR > TH/TD, Figure, Link...) in reading order. A
``Tagged`` flowable draws its inner flowable inside ``/Role <</MCID n>> BDC
... EMC`` and records (page, MCID) on its element; a split keeps the same
element, so a paragraph cut by a page end is one element with content on both
pages. Page furniture, table grids and box backgrounds are drawn inside
``/Artifact`` sequences. ``TaggingCanvas`` hands out MCIDs page by page and
marks link annotations so that ``pdf_structure.py`` can write the tree into
the file once ReportLab has produced it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

LINK_KEY = "KHLink"  # a private key on link annotations naming their element; replaced when the tree is written


@dataclass(eq=False)
class Element:
    """One structure element; ``content`` is what it holds in order: (page, MCID) pairs and child elements."""

    role: str
    parent: Element | None = None
    alt: str | None = None
    lang: str | None = None
    actual_text: str | None = None
    scope: str | None = None  # for TH: Row, Column or Both
    title: str | None = None  # /T: a part's title (an insert's)
    insert: str | None = None  # an insert's id: the empty Part its own tags are grafted into
    content: list[Any] = field(default_factory=list)  # Element | tuple[int, int] (page index, MCID) | LinkAnnotation
    url: str | None = None  # a Link's target, to give one Link element the pieces of a link broken over lines

    def add(self, child: Element) -> Element:
        child.parent = self
        self.content.append(child)
        return child

    def children(self) -> Iterator[Element]:
        return (item for item in self.content if isinstance(item, Element))


@dataclass(frozen=True)
class LinkAnnotation:
    """A link annotation drawn for an element: its page and its number on the canvas."""

    page: int
    number: int


class Structure:
    """The tree being built for one document, and where new elements go (a stack of open groups)."""

    def __init__(self, root_role: str = "Document"):
        self.root = Element(root_role)
        self._open: list[Element] = [self.root]

    @property
    def current(self) -> Element:
        return self._open[-1]

    def element(self, role: str, parent: Element | None = None, **attributes: Any) -> Element:
        return (parent or self.current).add(Element(role, **attributes))

    @contextmanager
    def group(self, role: str, **attributes: Any) -> Iterator[Element]:
        """An element that the ones made inside the ``with`` block go under."""
        element = self.element(role, **attributes)
        self._open.append(element)
        try:
            yield element
        finally:
            self._open.pop()


def walk(element: Element) -> Iterator[Element]:
    """The element and everything under it, in reading order (iteratively: depth does not matter)."""
    stack = [element]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current.children())))


def _pdf_name(role: str) -> str:
    return "/" + role


class TaggingCanvas(Canvas):
    """A canvas that hands out MCIDs per page and keeps track of marked content and artifacts."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._next_mcid = 0
        self._marked: list[Element] = []  # elements whose marked content is open, innermost last
        self._artifact_depth = 0
        self._after_text: Callable[[], None] | None = None  # runs once after the next text object (list labels)
        self._link_count = 0

    @property
    def page_index(self) -> int:
        return self.getPageNumber() - 1

    def showPage(self) -> None:
        super().showPage()
        self._next_mcid = 0


    # --- marked content ---------------------------------------------------------

    @property
    def in_artifact(self) -> bool:
        return self._artifact_depth > 0

    def begin_marked(self, element: Element) -> bool:
        """Open a marked-content sequence for ``element``; False (and nothing written) inside an artifact."""
        if self.in_artifact:
            return False
        mcid = self._next_mcid
        self._next_mcid += 1
        element.content.append((self.page_index, mcid))
        self.addLiteral(f"{_pdf_name(element.role)} <</MCID {mcid}>> BDC")
        self._marked.append(element)
        return True

    def end_marked(self) -> None:
        self._marked.pop()
        self.addLiteral("EMC")

    def begin_artifact(self, kind: str | None = None, subtype: str | None = None) -> None:
        """Everything until ``end_artifact`` is decoration or page furniture, not content."""
        if self._artifact_depth == 0:
            properties = "".join(f" /{key} /{value}" for key, value in (("Type", kind), ("Subtype", subtype)) if value)
            self.addLiteral(f"/Artifact <<{properties}>> BDC" if properties else "/Artifact BMC")
        self._artifact_depth += 1

    def end_artifact(self) -> None:
        self._artifact_depth -= 1
        if self._artifact_depth == 0:
            self.addLiteral("EMC")

    @contextmanager
    def artifact(self, kind: str | None = None, subtype: str | None = None) -> Iterator[None]:
        self.begin_artifact(kind, subtype)
        try:
            yield
        finally:
            self.end_artifact()

    def drawText(self, aTextObject: Any) -> None:
        super().drawText(aTextObject)
        hook, self._after_text = self._after_text, None
        if hook is not None:
            hook()

    def after_next_text(self, hook: Callable[[], None] | None) -> None:
        self._after_text = hook

    def close_marked(self, *elements: Element) -> None:
        """End the open marked content if it belongs to one of ``elements``."""
        if self._marked and any(self._marked[-1] is element for element in elements):
            self.end_marked()

    # --- links -----------------------------------------------------------------------

    def linkURL(self, url: str, rect: Any, relative: bool | Literal[0, 1] = 0, thickness: int = 0, color: Any = None,
                dashArray: Any = None, kind: str = "URI", **kw: Any) -> None:
        """A link annotation that names its Link element, with a description for screen readers."""
        description = describe_link(url)
        if self._marked and not self.in_artifact:
            holder = self._marked[-1]
            if holder.role == "Link":  # the link's own words are being drawn: the annotation goes with them
                link = holder
            else:  # a link inside running text: a Link element of its own for the annotation
                found = next((e for e in holder.children() if e.role == "Link" and e.url == url), None)
                link = found or holder.add(Element("Link", url=url))
            description = link.actual_text or description
            self._link_count += 1
            link.content.append(LinkAnnotation(self.page_index, self._link_count))
            kw[LINK_KEY] = self._link_count
        kw["Contents"] = PDFString(description)
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)


class DeferredFurnitureCanvas(TaggingCanvas):
    """Keeps every page until the document ends, then draws each page's furniture knowing the page count.

    This is what lets a handout be laid out once: "page X of Y" needs Y, which is known only at the end. A
    page template asks for its furniture with ``furnish_later``; ``save`` draws it (as artifacts, after the
    page's content) and only then writes the pages.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._kept_pages: list[dict[str, Any]] = []
        self._later: list[Callable[[Canvas, int], None]] = []

    def furnish_later(self, draw: Callable[[Canvas, int], None]) -> None:
        """``draw(canvas, total_pages)`` runs for this page when the page count is known (in the order asked)."""
        self._later.append(draw)

    def showPage(self) -> None:
        self._kept_pages.append(dict(self.__dict__))
        self._later = []
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's own, not in its stubs
        self._next_mcid = 0
        # Bookmarks made on the next page must point at it, although it is written only at save time.
        self._doc.pageCounter += 1  # type: ignore[attr-defined]

    def save(self) -> None:
        total = len(self._kept_pages)
        self._doc.pageCounter = 1  # type: ignore[attr-defined]  # the pages are now written in order, each named again
        for state in self._kept_pages:
            self.__dict__.update(state)
            for draw in self._later:
                draw(self, total)
            Canvas.showPage(self)
        Canvas.save(self)


class PlacingCanvas(Canvas):
    """A scratch canvas that draws no tagged content: it notes which page each element's content lands on.

    For a layout whose only result is where things go (``last_page.py``): drawing was most of its cost.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.placed: list[tuple[Element, int]] = []  # (element, page index), in the order laid out


def describe_link(url: str) -> str:
    """What a screen reader says for a link: where it goes, in words."""
    if url.startswith("tel:"):
        return f"Call {url[4:]}"
    if url.startswith("mailto:"):
        return f"Email {url[7:]}"
    return url


class Tagged(Flowable):
    """Draws ``inner`` as content of ``element`` (its splits too, so a cut paragraph stays one element)."""

    def __init__(self, inner: Flowable, element: Element, label_first: Element | None = None):
        super().__init__()
        self.inner = inner
        self.element = element
        self.hAlign = getattr(inner, "hAlign", "LEFT")  # Flowable's own default would hide the inner one's
        # A list item: its first text object (the bullet or number) is the Lbl, the rest its LBody (``element``).
        self.label_first = label_first

    def __getattr__(self, name: str) -> Any:
        # keepWithNext, spaceBefore and the like belong to the wrapped flowable
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.inner.split(available_width, available_height)
        # Only the first part draws the bullet; the rest are body text.
        return [Tagged(part, self.element, self.label_first if n == 0 else None) for n, part in enumerate(parts)]

    def getSpaceBefore(self) -> float:
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.inner.getSpaceAfter()

    def identity(self, maxLen: int | None = None) -> str:
        return f"Tagged({self.element.role}, {self.inner.identity(maxLen)})"

    def draw(self) -> None:
        canvas = self.canv
        if isinstance(canvas, PlacingCanvas):
            canvas.placed.append((self.element, canvas.getPageNumber() - 1))
            return
        if not isinstance(canvas, TaggingCanvas):
            self.inner._drawOn(canvas)  # type: ignore[attr-defined]  # placed by our own drawOn: no second q/cm/Q
            return
        if self.label_first is not None:
            label, body = self.label_first, self.element
            canvas.begin_marked(label)

            def after_label() -> None:  # the bullet was the paragraph's first text object
                canvas.close_marked(label)
                canvas.begin_marked(body)

            canvas.after_next_text(after_label)
            self.inner._drawOn(canvas)  # type: ignore[attr-defined]  # placed by our own drawOn: no second q/cm/Q
            canvas.after_next_text(None)
            canvas.close_marked(label, body)
            return
        opened = canvas.begin_marked(self.element)
        self.inner._drawOn(canvas)  # type: ignore[attr-defined]  # placed by our own drawOn: no second q/cm/Q
        if opened:
            canvas.end_marked()


def table_marking(table: Any, cmd: str, *args: Any) -> None:
    """ReportLab's table ``renderCB``: backgrounds and rules are artifacts, and so is a header row repeated
    after a page break (the first one carries the TH content)."""
    canvas = table.canv
    if not isinstance(canvas, TaggingCanvas):
        return
    if cmd in ("startBG", "startLines"):
        canvas.begin_artifact()
    elif cmd in ("endBG", "endLines"):
        canvas.end_artifact()
    elif cmd == "startRow" and args[0] < getattr(table, "repeated_header_rows", 0):
        canvas.begin_artifact()
        table._artifact_row = True
    elif cmd == "endRow" and getattr(table, "_artifact_row", False):
        table._artifact_row = False
        canvas.end_artifact()

