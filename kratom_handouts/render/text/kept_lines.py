"""A ReportLab paragraph that is broken into lines once, however many pages it runs over.

At a page break ReportLab's ``Paragraph.split`` makes the rest of the paragraph from its remaining words and
breaks those into lines again when the rest is laid out: a paragraph over p pages is broken p times, and each
split gathers every remaining word, so one long paragraph took time quadratic in its length (32,000 words: 3 s).
``KeptLines`` lets ReportLab make the part that fits as usual, from only that page's lines and the next two, and
gives the rest the lines already found. Breaking is greedy, line after line, so breaking the rest again would
find those same lines (the tests compare both). Only if the rest is laid out at another width are its words
gathered and broken again.
"""

from __future__ import annotations

import copy
import functools
import html
import re
from typing import Any, cast

from reportlab.lib.colors import Color, toColor
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, paragraph as reportlab_paragraph
from reportlab.platypus.paragraph import (  # type: ignore[attr-defined]  # not in the stubs
    cleanBlockQuotedText,
    textTransformFrags,
)
from reportlab.platypus.paraparser import (  # type: ignore[attr-defined]  # known_entities: not in the stubs
    ParaFrag,
    ParaParser,
    known_entities,
)

LINES_BEYOND = 2  # the split sees the lines that fit and two more: enough for its widow and orphan rules


class KeptLines(Paragraph):
    blPara: Any  # ReportLab's broken lines, set by wrap
    _kept_width: float | None = None  # the width ``blPara`` was broken at
    # For a part after a page break: the paragraph it was split from, that one's lines, and where this part's
    # lines begin among them; enough to gather this part's words if it must be broken again.
    _words_from: tuple[Paragraph, Any, int] | None = None

    def __init__(self, text: str, style: ParagraphStyle, bulletText: str | None = None,
                 frags: list[Any] | None = None, **kwargs: Any) -> None:
        if frags is None:
            made = plain_frags(text, style) or markup_frags(text, style)
            if made is not None:
                text, frags = made
        super().__init__(text, style, bulletText=bulletText, frags=frags, **kwargs)

    def _plain_leading(self) -> bool:
        style = self.style
        return getattr(self, "autoLeading", getattr(style, "autoLeading", "")) in ("", "off") and not style.endDots

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Lines depend on the width alone: a paragraph measured again at the same width (a frame after a
        # keep-together group, a table cell) keeps the lines it has. ReportLab's split may drop them.
        if (self._kept_width is not None and abs(available_width - self._kept_width) < 1e-6
                and hasattr(self, "blPara")):
            self.width = available_width
            self.height = len(self.blPara.lines) * self.style.leading
            return self.width, self.height
        if self._words_from is not None:  # another width: this part's own words, broken afresh
            source, lines, first = self._words_from
            gather = source._get_split_blParaFunc()  # type: ignore[attr-defined]
            self.frags = gather(lines, first, len(lines.lines))
            self._words_from = None
        self._kept_width = None
        width, height = super().wrap(available_width, available_height)
        if self._plain_leading():
            self._kept_width = available_width
        return width, height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if not self.frags or not self._plain_leading():
            return list(super().split(available_width, available_height))
        if not hasattr(self, "blPara"):
            self.wrap(available_width, available_height)
        whole: Any = self.blPara
        shown = int(available_height / self.style.leading) + LINES_BEYOND
        if len(whole.lines) <= shown:
            return list(super().split(available_width, available_height))
        cut = copy.copy(whole)
        cut.lines = whole.lines[:shown]
        # ReportLab marks the last word it gathers for the rest as the paragraph's last; here that word is
        # inside the paragraph, so its kind is put back.
        marked = _last_words(self, whole, shown)
        kinds = [word.__class__ for word in marked]
        self.blPara = cut
        try:
            parts = list(super().split(available_width, available_height))
        finally:
            self.blPara = whole
            for word, kind in zip(marked, kinds, strict=True):
                if word.__class__ is not kind:
                    word.__class__ = kind
        if len(parts) != 2 or not isinstance(parts[1], KeptLines):
            return parts
        first, rest = cast("tuple[KeptLines, KeptLines]", parts)
        taken = len(first.blPara.lines)
        rest.blPara = copy.copy(whole)
        rest.blPara.lines = whole.lines[taken:]
        rest.frags = self.frags  # the lines point into the whole paragraph's pieces
        rest._kept_width = available_width
        rest._words_from = (self, whole, taken)
        return [first, rest]


def _last_words(paragraph: Paragraph, lines: Any, stop: int) -> list[Any]:
    """The pieces ReportLab's split may re-class as the last of the rest when it stops at line ``stop``."""
    found = []
    line = lines.lines[stop - 1]
    words = line[1] if isinstance(line, tuple) else getattr(line, "words", [])
    if words:
        found.append(words[-1])
    following = lines.lines[stop] if stop < len(lines.lines) else None
    start = getattr(following, "sFW", None)
    if isinstance(start, int) and 0 < start <= len(paragraph.frags):
        found.append(paragraph.frags[start - 1])
    return found


def plain_frags(markup: str, style: ParagraphStyle) -> tuple[str, list[Any]] | None:
    """The text and the one piece ReportLab's markup parser makes of text with no tag and no entity (most
    paragraphs), made without the parser, which took a tenth of a handout's render time; None for any other
    text. The tests hold this to the parser's own result for every style of every layout."""
    if "<" in markup or "&" in markup or "\u00a0" in markup:  # ReportLab keeps a no-break space; str.split does not
        return None
    text = " ".join(markup.split())  # what ReportLab's cleanBlockQuotedText does to text without line breaks
    if not text:
        return None
    frag = ParaFrag()
    frag.rise = 0
    frag.greek = 0
    frag.link = []
    family, bold, italic = ps2tt(style.fontName)
    frag.fontName, frag.bold, frag.italic = tt2ps(family, bold, italic), bold, italic
    frag.fontSize = style.fontSize
    frag.textColor = style.textColor
    frag.us_lines = []
    frag.__tag__ = "para"
    frag.text = text
    frags = [frag]
    textTransformFrags(frags, style)
    return text, frags


# Our markup, one token at a time: a tag with double-quoted attributes, an entity, or text.
_TOKEN = re.compile(r'<(/?)([a-z]+)((?:\s+[a-z]+="[^"<]*")*)\s*>'
                    r"|&(#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]*);"
                    r"|([^<&]+)")
_ATTRIBUTE = re.compile(r'\s+([a-z]+)="([^"<]*)"')
_OUR_TAGS = frozenset({"b", "i", "a", "font"})


def markup_frags(markup: str, style: ParagraphStyle) -> tuple[str, list[Any]] | None:
    """The text and pieces ReportLab's parser makes of the markup the text layer writes (``<b>``, ``<i>``,
    ``<a ...>``, ``<font face>``, entities), made by ReportLab's own tag handlers without its HTML tokenizer
    and with each link colour read once (the two took about half the parse); None for anything else (the
    parser then reads it). The tests hold this to the parser's result for every piece of text the shipped
    handouts print."""
    text = cleanBlockQuotedText(markup)
    tree = _tuple_tree(text)
    if tree is None:
        return None
    parser = ParaParser()
    parser.caseSensitive = 1  # as Paragraph's own parser
    try:
        parsed_style, frags, bullet_frags = parser.tt_parse(tree, style)  # type: ignore[no-untyped-call]
    except ValueError:
        return None
    if frags is None or bullet_frags or parsed_style is not style:
        return None
    textTransformFrags(frags, style)
    return text, frags


def _tuple_tree(text: str) -> tuple[str, dict[str, Any], list[Any]] | None:
    """The tags and text of the markup as ReportLab's tuple tree, the text cut where its HTML tokenizer cuts it
    (an entity is a piece of its own); None for markup that is not well formed or not ours."""
    root: tuple[str, dict[str, Any], list[Any]] = ("para", {}, [])
    open_tags = [root]
    at = 0
    for token in _TOKEN.finditer(text):
        if token.start() != at:
            return None
        at = token.end()
        closing, tag, attributes, entity, words = token.groups()
        if words is not None:
            open_tags[-1][2].append(words)
        elif entity is not None:
            character = _entity(entity)
            if character is None:
                return None
            open_tags[-1][2].append(character)
        elif closing:
            if attributes or len(open_tags) == 1 or open_tags[-1][0] != tag:
                return None
            open_tags.pop()
        else:
            if tag not in _OUR_TAGS:
                return None
            values: dict[str, Any] = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(attributes)}
            if "color" in values:  # read once: ReportLab reads a colour's name anew for every link (57 us)
                values["color"] = _color(values["color"])
                if values["color"] is None:
                    return None
            node: tuple[str, dict[str, Any], list[Any]] = (tag, values, [])
            open_tags[-1][2].append(node)
            open_tags.append(node)
    if at != len(text) or len(open_tags) != 1:
        return None
    return root


@functools.lru_cache(maxsize=64)
def _color(name: str) -> Color | None:
    try:
        return toColor(name)
    except ValueError:
        return None


def _entity(entity: str) -> str | None:
    """What ReportLab's parser makes of an entity: its character, or the entity as text if it is unknown;
    None for a character number past Unicode (the parser fails on it)."""
    if entity.startswith("#"):
        code = int(entity[2:], 16) if entity.startswith("#x") else int(entity[1:])
        return chr(code) if code <= 0x10FFFF else None
    return str(known_entities.get(entity, f"&{entity};"))


_ABSENT = object()
# What ReportLab compares to decide whether two words go into one piece of a line (its C ``sameFrag``).
_STYLE_NAMES = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")


def same_style(first: Any, second: Any) -> bool:
    """ReportLab's ``sameFrag``, in Python: whether two pieces of a paragraph's text print alike, so the line
    breaker may join their words. Its C version raises and clears an AttributeError for every name a piece
    lacks (eight for each of our pieces): a 50-handout bundle's 13,810 comparisons took 90 ms against 17 ms.
    The same answers: an image or a line break is never joined; a name both lack is alike, one lacks is not."""
    if (hasattr(first, "cbDefn") or hasattr(second, "cbDefn")
            or hasattr(first, "lineBreak") or hasattr(second, "lineBreak")):
        return False
    for name in _STYLE_NAMES:
        one, other = getattr(first, name, _ABSENT), getattr(second, name, _ABSENT)
        if one is other:  # as the C version, which compares with PyObject_RichCompareBool
            continue
        if one is _ABSENT or other is _ABSENT or one != other:
            return False
    return True


# ReportLab's line breaker looks the name up in its module at each word.
setattr(reportlab_paragraph, "sameFrag", same_style)  # noqa: B010  # the stubs do not declare it
