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


BOLD = "bold"  # the href of a run that is bold text rather than a link


def literal_runs(runs: list[tuple[str, str | None]], style: ParagraphStyle, link_color: str) -> Paragraph:
    """Literal text made of runs: plain (href None), bold (href BOLD), or a link to href."""
    def markup(words: str, href: str | None) -> str:
        if href is None:
            return escape(words)
        if href == BOLD:
            return f"<b>{escape(words)}</b>"
        return _anchor(words, href, link_color)

    return Paragraph("".join(markup(words, href) for words, href in runs), style)
