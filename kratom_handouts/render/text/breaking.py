"""Where a line may break: at spaces, or (Chinese, Japanese) between ideographs with the line-start rules.

The rules are the common core of Chinese typesetting (GB/T 15834 and the W3C
"Requirements for Chinese Text Layout"): closing punctuation never starts a
line, opening punctuation never ends one, and a run of Latin letters, digits
and their joiners (a word, a number, a phone number, a URL) is never cut,
unless it is wider than a whole line. Korean and the scripts written with
spaces break at spaces only, and never at the space inside a number written
with one, such as the phone number (555) 010-0100 (``bidi.NUMBER``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..bidi import NUMBER

# Never at the start of a line.
CLOSING = frozenset("，。、；：！？）」』”’》〉】〕〗〙〛｝］｠」,.;:!?)]}%‰℃°・ー…‥〜～々〻"
                    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
# Never at the end of a line.
OPENING = frozenset("（「『“‘《〈【〔〖〘〚｛［｟(<[{$￥¥£€")
# Never split between two of these (an ellipsis or a dash written twice).
DOUBLED = frozenset("…‥—―")

SPACE = frozenset(" \u00a0\u3000")


def is_ideographic(char: str) -> bool:
    """A character a Chinese or Japanese line may break before or after (CJK ideographs, kana, fullwidth forms)."""
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3FFFF or 0x3000 <= code <= 0x303F) and char not in SPACE


def _breakable_space(char: str) -> bool:
    return char in SPACE and char != "\u00a0"


def breaks(text: str, ideographic: bool) -> list[int]:
    """Offsets where a line may end: a break *before* ``text[i]``. Spaces before a break stay with the earlier
    line (where they are not drawn)."""
    found: list[int] = []
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if _breakable_space(after):
            continue  # the spaces go with the line they end
        if _breakable_space(before) or (ideographic and _between_ideographs(before, after)):
            found.append(i)
    inside_numbers = {i for number in NUMBER.finditer(text) for i in range(number.start() + 1, number.end())}
    return [i for i in found if i not in inside_numbers] if inside_numbers else found


def unbroken_numbers(text: str) -> str:
    """``text`` with the spaces inside numbers (a phone number such as (555) 010-0100) made no-break spaces,
    for the line breaker of ReportLab's paragraphs, which breaks at any other space."""
    return NUMBER.sub(lambda number: number.group().replace(" ", "\u00a0"), text) if " " in text else text


def _between_ideographs(before: str, after: str) -> bool:
    if after in CLOSING or before in OPENING:
        return False
    if before in DOUBLED and after == before:
        return False
    if unicodedata.category(after).startswith("M") or after in "\u200c\u200d" or before in "\u200d":
        return False  # a combining mark or a joiner stays with its letter
    return is_ideographic(before) or is_ideographic(after)  # Latin, digits and their punctuation hold together


def pieces(text: str, ideographic: bool) -> Iterator[tuple[int, int]]:
    """The unbreakable pieces of ``text`` as (start, end) offsets, each with the spaces that follow it."""
    start = 0
    for cut in breaks(text, ideographic):
        yield start, cut
        start = cut
    if start < len(text):
        yield start, len(text)


def trailing_spaces(text: str) -> int:
    """How many spaces end ``text`` (not drawn at the end of a line)."""
    return len(text) - len(text.rstrip(" \u3000"))
