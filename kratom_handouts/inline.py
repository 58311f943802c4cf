"""Inline emphasis: ``**bold**``, ``*italic*`` and ``[text](url)``, and nothing else.

Content is never passed to ReportLab as markup: every character is escaped and
the three supported forms are turned into tags we generate ourselves. That is
what keeps ``<img src=...>``, ``&`` and ``javascript:`` links in translators'
text from reading files or making live links.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape as _html_escape

SAFE_SCHEMES = ("https:", "http:", "mailto:", "tel:")

# A URL may hold one level of balanced parentheses, as Wikipedia's do. Link text holds no brackets, so a run of
# "[" costs one scan, not one per bracket.
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+(?:\([^()\s]*\)[^()\s]*)*)\)")
MAX_NESTING = 8  # emphasis inside emphasis, deeper than any writer means it, prints as written


@dataclass(frozen=True)
class Span:
    """A run of text with its emphasis; ``href`` is set inside a link."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


def is_safe_url(url: str) -> bool:
    return url.lower().startswith(SAFE_SCHEMES)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    inner: str
    kind: str  # "link", "bold" or "italic": at one start a link wins over bold, bold over italic
    href: str | None = None


class _Pairs:
    """``**bold**`` or ``*italic*``: the earliest opener at or after a position, closed by the nearest closer.

    Openers and closers are found in one pass and paired by bisection, so text full of unpaired stars costs
    n log n, where a lazy regular expression scans to the end of the text from every star.
    """

    def __init__(self, source: str, kind: str, opener: str, closer: str, marker: int):
        self.source, self.kind, self.marker = source, kind, marker
        self.openers = [m.start() for m in re.finditer(opener, source)]
        self.closers = [m.start() for m in re.finditer(closer, source)]
        self.breaks = [m.start() for m in re.finditer("\n", source)]

    def search(self, position: int) -> _Found | None:
        for at in range(bisect.bisect_left(self.openers, position), len(self.openers)):  # no copy of the list
            opener = self.openers[at]
            inner_start = opener + self.marker
            index = bisect.bisect_left(self.closers, inner_start + 1)  # at least one character inside
            if index == len(self.closers):
                return None  # no closer after this opener: none after a later one either
            closer = self.closers[index]
            line_break = bisect.bisect_left(self.breaks, inner_start)
            if line_break < len(self.breaks) and self.breaks[line_break] < closer:
                continue  # emphasis does not run over a line break
            return _Found(opener, closer + self.marker, self.source[inner_start:closer], self.kind)
        return None


def _finders(source: str) -> list[Callable[[int], _Found | None]]:
    def link(position: int) -> _Found | None:
        match = _LINK.search(source, position)
        return _Found(match.start(), match.end(), match.group(1), "link", match.group(2)) if match else None

    # zero-width patterns, so that every position is found: in "*****" a closer starts at each star
    bold = _Pairs(source, "bold", r"(?=\*\*\S)", r"(?<=\S)(?=\*\*)", 2)
    italic = _Pairs(source, "italic", r"(?<!\*)(?=\*[^\s*])", r"(?<=[^\s*])(?=\*(?!\*))", 1)
    return [link, bold.search, italic.search]


def parse(source: str) -> list[Span]:
    """Split text into spans; markers that do not pair up print as they are."""
    return list(_parsed(source))


@functools.lru_cache(maxsize=4096)
def _parsed(source: str) -> tuple[Span, ...]:
    # Remembered: one text is parsed for validation, for its words as the screen reader hears them, and again to
    # be drawn. Spans are frozen, so the same ones can be handed out every time.
    return tuple(_parse(source))


def _parse(source: str, bold: bool = False, italic: bool = False, href: str | None = None,
           depth: int = 0) -> list[Span]:
    if depth >= MAX_NESTING:
        return [Span(source, bold, italic, href)] if source else []
    spans: list[Span] = []
    position = 0
    finders = _finders(source)
    # Each kind's next match is kept until the text before it is passed: nothing is searched for twice.
    ahead: list[_Found | None] = [finder(0) for finder in finders]
    order = {"link": 0, "bold": 1, "italic": 2}
    while True:
        for index, found in enumerate(ahead):
            if found is not None and found.start < position:
                ahead[index] = finders[index](position)
        candidates = [found for found in ahead if found is not None]
        if not candidates:
            break
        match = min(candidates, key=lambda found: (found.start, order[found.kind]))
        if match.start > position:
            spans.append(Span(source[position : match.start], bold, italic, href))
        if match.kind == "link":
            spans.extend(_parse(match.inner, bold, italic, match.href, depth + 1))
        elif match.kind == "bold":
            spans.extend(_parse(match.inner, True, italic, href, depth + 1))
        else:
            spans.extend(_parse(match.inner, bold, True, href, depth + 1))
        position = match.end
    if position < len(source):
        spans.append(Span(source[position:], bold, italic, href))
    return spans


def unclosed_bold(source: str) -> bool:
    """Whether a ``**`` is left over once the emphasis is paired: it would print as two stars."""
    return any("**" in span.text for span in parse(source))


def links(source: str) -> list[str]:
    """The link targets written in a text."""
    return [span.href for span in parse(source) if span.href]


def plain_text(source: str) -> str:
    """What a reader sees, without the emphasis markers."""
    return "".join(span.text for span in parse(source))


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (html's escape: xml.sax's pulls in urllib and http at start-up)."""
    return _html_escape(text, quote=False)


def escape_attribute(value: str) -> str:
    """A value for a double-quoted attribute of ReportLab markup (a link's href)."""
    return escape(value).replace('"', "&quot;")


def to_markup(source: str, link_color: str, escape_text: Callable[[Span], str] = lambda span: escape(span.text)) -> str:
    """ReportLab paragraph markup for a text, with everything but our own tags escaped (by ``escape_text``,
    which sees each span with its emphasis)."""
    out: list[str] = []
    for span in parse(source):
        piece = escape_text(span)
        if span.italic:
            piece = f"<i>{piece}</i>"
        if span.bold:
            piece = f"<b>{piece}</b>"
        if span.href and is_safe_url(span.href):
            href = escape_attribute(span.href)
            piece = f'<a href="{href}" color="{link_color}" underline="1">{piece}</a>'
        out.append(piece)
    return "".join(out)
