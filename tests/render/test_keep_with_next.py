"""A heading is kept with the start of what follows it: a long paragraph splits under it, anything else moves too."""

from __future__ import annotations

import io
from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from kratom_handouts.render.keep_with_next import KeptWithStart

LEADING = 12
HEADING = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=12, leading=14, keepWithNext=1)
BODY = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=LEADING, allowWidows=0, allowOrphans=0)
FRAME_HEIGHT = 300  # a 400-point page with 50-point margins


class Recording(SimpleDocTemplate):
    def __init__(self, group: type[KeepTogether]):
        super().__init__(io.BytesIO(), pagesize=(300, 400), leftMargin=50, rightMargin=50, topMargin=50,
                         bottomMargin=50, keepTogetherClass=group)
        self.pages: dict[str, list[int]] = {}

    def afterFlowable(self, flowable: Any) -> None:  # ReportLab's hook, once per flowable (and part) drawn
        if isinstance(flowable, Paragraph):
            name = "heading" if flowable.getPlainText() == "A heading" else "next"
        elif isinstance(flowable, Table):
            name = "next"
        else:
            return  # the spacer, ReportLab's groups and page breaks
        self.pages.setdefault(name, []).append(self.page)


def pages_of(group: type[KeepTogether], room: float, following: Any) -> dict[str, list[int]]:
    """Where the heading and what follows it land when ``room`` points are left on page 1."""
    doc = Recording(group)
    doc.build([Spacer(1, FRAME_HEIGHT - room), Paragraph("A heading", HEADING), following])
    return doc.pages


def paragraph(lines: int) -> Any:
    return Paragraph(" ".join(["word"] * 7 * lines), BODY)  # 7 words a line at 200 points


def test_a_long_paragraph_splits_under_its_heading():
    room = 14 + 3 * LEADING + 2  # the heading and three lines
    assert pages_of(KeptWithStart, room, paragraph(8)) == {"heading": [1], "next": [1, 2]}


def test_the_control_reportlab_moves_the_heading_and_the_whole_paragraph():
    room = 14 + 3 * LEADING + 2
    assert pages_of(KeepTogether, room, paragraph(8)) == {"heading": [2], "next": [2]}


@pytest.mark.parametrize("following, why", [
    (paragraph(3), "too short to keep two lines and send two on"),
    (Table([["a"], ["b"], ["c"], ["d"], ["e"]]), "not a paragraph"),
])
def test_anything_else_moves_with_its_heading(following, why):
    # room for the heading and two lines and a half, not for the heading and all of what follows
    assert pages_of(KeptWithStart, 14 + 2.5 * LEADING, following)["heading"] == [2], why


def test_without_room_for_two_lines_the_heading_moves():
    assert pages_of(KeptWithStart, 14 + 1.5 * LEADING, paragraph(8))["heading"] == [2]
