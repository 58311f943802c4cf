"""Inline emphasis: ``**bold**``, ``*italic*`` and ``[text](url)``, and nothing else.

Content is never passed to ReportLab as markup: every character is escaped and
the three supported forms are turned into tags we generate ourselves. That is
what keeps ``<img src=...>``, ``&`` and ``javascript:`` links in translators'
text from reading files or making live links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

SAFE_SCHEMES = ("https:", "http:", "mailto:", "tel:")

# A URL may hold one level of balanced parentheses, as Wikipedia's do.
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^()\s]+(?:\([^()\s]*\)[^()\s]*)*)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)")


@dataclass(frozen=True)
class Span:
    """A run of text with its emphasis; ``href`` is set inside a link."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


def is_safe_url(url: str) -> bool:
    return url.lower().startswith(SAFE_SCHEMES)


def parse(source: str, bold: bool = False, italic: bool = False, href: str | None = None) -> list[Span]:
    """Split text into spans; markers that do not pair up print as they are."""
    spans: list[Span] = []
    position = 0
    while position < len(source):
        matches = [m for m in (p.search(source, position) for p in (_LINK, _BOLD, _ITALIC)) if m]
        if not matches:
            break
        match = min(matches, key=lambda m: (m.start(), m.re is not _LINK, m.re is _ITALIC))
        if match.start() > position:
            spans.append(Span(source[position : match.start()], bold, italic, href))
        if match.re is _LINK:
            spans.extend(parse(match.group(1), bold, italic, match.group(2)))
        elif match.re is _BOLD:
            spans.extend(parse(match.group(1), True, italic, href))
        else:
            spans.extend(parse(match.group(1), bold, True, href))
        position = match.end()
    if position < len(source):
        spans.append(Span(source[position:], bold, italic, href))
    return spans


def links(source: str) -> list[str]:
    """The link targets written in a text."""
    return [span.href for span in parse(source) if span.href]


def plain_text(source: str) -> str:
    """What a reader sees, without the emphasis markers."""
    return "".join(span.text for span in parse(source))


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
            href = escape(span.href, {'"': "&quot;"})
            piece = f'<a href="{href}" color="{link_color}" underline="1">{piece}</a>'
        out.append(piece)
    return "".join(out)
