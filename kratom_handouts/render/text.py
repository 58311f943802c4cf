"""The text layer: the one place that turns content text into drawable lines.

Blocks never build ReportLab markup or choose line breaking themselves; they
ask this module for a paragraph. Right-to-left scripts and CJK line breaking
will be handled here, behind ``paragraph``, without touching the block code.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from .. import inline


def paragraph(source: str, style: ParagraphStyle, link_color: str, bullet: str | None = None) -> Paragraph:
    """Content text with its inline emphasis; everything else prints literally."""
    return Paragraph(inline.to_markup(source, link_color), style, bulletText=bullet)


def literal(source: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    """Text with no inline emphasis at all, such as labels, sources and URLs."""
    return Paragraph(escape(source), style, bulletText=bullet)


def _anchor(label: str, href: str, link_color: str) -> str:
    quoted = escape(href, {'"': "&quot;"})
    return f'<a href="{quoted}" color="{link_color}" underline="1">{escape(label)}</a>'


def link(label: str, href: str, style: ParagraphStyle, link_color: str) -> Paragraph:
    """A literal label that links to href (already validated as a safe URL)."""
    return Paragraph(_anchor(label, href, link_color), style)


def literal_runs(runs: list[tuple[str, str | None]], style: ParagraphStyle, link_color: str) -> Paragraph:
    """Literal text made of runs, each either plain (href None) or a link to its href."""
    return Paragraph("".join(escape(words) if href is None else _anchor(words, href, link_color) for words, href in runs), style)
