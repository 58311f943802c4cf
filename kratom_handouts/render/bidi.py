"""Right-to-left text: the Unicode bidi algorithm's levels for a paragraph, and each line's visual order.

Levels are resolved once per paragraph (UAX #9 rules X1-I2 and N0, by
python-bidi), lines are broken in logical order, and each line is then
reordered on its own (rules L1-L2, here). Bracket mirroring is left to the
shaper: HarfBuzz mirrors ``(`` in a right-to-left run.

A phone number in an Arabic sentence would come out in the wrong order under
the plain rules ("1-800-662-4357" has separators that take the direction of
the Arabic around them and show as 4357-662-800-1), so a number with
separators is given left-to-right override (LRO ... PDF) before levels are
resolved: it reads as printed, for Western and Arabic-Indic digits alike. So
is a number joined to a Latin word by a hyphen, such as the name "7-OH",
which the plain rules show as "OH-7".
"""

from __future__ import annotations

import re

LRO, PDF = "\u202d", "\u202c"
# Digits joined by separators: phone numbers, dates, ranges, "24/7"; and "7-OH". A lone number needs no help.
# (The web edition puts each in a left-to-right span: a browser applies the plain rules.)
NUMBER = re.compile(r"\(?\d+\)?(?:[-\u2010\u2013./:,]\(?\d+\)?|\s\(?\d+\)?(?=[-\u2010\u2013./]))+"
                    r"|(?<![0-9A-Za-z])\d+[-\u2010][A-Za-z]+(?![A-Za-z])")


def protected(text: str) -> str:
    """``text`` with each number that has separators wrapped in LRO ... PDF (what the levels are resolved on)."""
    return NUMBER.sub(lambda m: f"{LRO}{m.group(0)}{PDF}", text)


_LEVELS = re.compile(r"levels: \[(.*?)\]", re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+)")


def levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of each character of ``text`` in a paragraph of base direction rtl (1) or ltr (0).

    Resolved by python-bidi's Rust implementation (unicode-bidi, which has the bracket-pair rule N0 that
    its pure-Python one lacks); it gives its levels only in its debug description, one per UTF-8 byte.
    """
    from bidi import get_display

    controlled = protected(text)
    described = str(get_display(controlled, base_dir="R" if rtl else "L", debug=True))
    found = _LEVELS.search(described)
    per_byte = [int(level) for level in _LEVEL.findall(found.group(1))] if found else []
    resolved: list[int] = []
    offset = 0
    for char in controlled:
        if char not in (LRO, PDF) and offset < len(per_byte):
            resolved.append(per_byte[offset])
        offset += len(char.encode("utf-8"))
    if len(resolved) != len(text) or offset != len(per_byte):
        raise RuntimeError("python-bidi described its levels in a way this version does not read")
    return resolved


def line_levels(text: str, resolved: list[int], base: int) -> list[int]:
    """Rule L1: spaces at the end of a line take the paragraph's level."""
    adjusted = list(resolved)
    end = len(text)
    while end > 0 and text[end - 1] in " \u3000\u00a0":
        end -= 1
        adjusted[end] = base
    return adjusted


def visual_order(line_levels: list[int]) -> list[int]:
    """Rule L2: the logical indices of a line's characters from left to right."""
    order = list(range(len(line_levels)))
    if not order:
        return order
    highest = max(line_levels)
    lowest_odd = min((level for level in line_levels if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if line_levels[order[i]] >= level:
                j = i
                while j < len(order) and line_levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order
