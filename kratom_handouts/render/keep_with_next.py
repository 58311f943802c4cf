"""A heading is kept with the start of what follows it, not with the whole of it.

ReportLab keeps a flowable marked ``keepWithNext`` (a heading) with the next one by putting both in a
``KeepTogether``: when they do not fit in what is left of the page, both go to the next page. After a heading,
that next one is often a paragraph of many lines, so a large-print page could end a third empty above a heading
whose paragraph would have split well. ``KeptWithStart`` is the group our documents make instead (ReportLab's
``keepTogetherClass``): when the heading and the paragraph's first two lines fit, they stay, and the paragraph
splits as any paragraph does (its widow and orphan rules keep two lines on each side). Anything else after a
heading (a box, a table, a list item, a paragraph too short to split that way) is kept whole with it, as before.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph

LINES_KEPT = 2  # a paragraph's lines kept with its heading; as many again must go on to the next page


class KeptWithStart(KeepTogether):
    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        content: list[Flowable] = self._content  # type: ignore[attr-defined]  # KeepTogether's list
        *before, last = content
        start = _start_height(last, available_width, available_height)
        if start is not None and before:
            needed = start + sum(height_with_space(f, available_width, available_height) for f in before)
            if needed <= available_height:
                return list(content)
        return list(super().split(available_width, available_height))


def height_with_space(flowable: Flowable, width: float, height: float) -> float:
    """What a flowable takes of a frame at most: its height and its space before and after."""
    return float(flowable.getSpaceBefore() + flowable.wrap(width, height)[1] + flowable.getSpaceAfter())


def _start_height(flowable: Flowable, width: float, height: float) -> float | None:
    """The height of a paragraph's first lines (with its space before), if it is a paragraph long enough to keep
    them and send as many on; None for anything else."""
    inner: Any = getattr(flowable, "inner", flowable)  # a Tagged paragraph
    if not isinstance(inner, Paragraph) or getattr(inner.style, "autoLeading", "") not in ("", "off"):
        return None
    flowable.wrap(width, height)
    lines = getattr(getattr(inner, "blPara", None), "lines", None)
    if lines is None or len(lines) < 2 * LINES_KEPT:
        return None
    return float(flowable.getSpaceBefore() + LINES_KEPT * inner.style.leading)
