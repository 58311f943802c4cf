"""A callout is never split across pages: every shipped box, in every layout, has all it says on one page."""

from __future__ import annotations

from pathlib import Path

import pytest

from kratom_handouts import inline
from kratom_handouts.blocks import Callout
from kratom_handouts.content import load_handout
from kratom_handouts.errors import Diagnostics
from kratom_handouts.project import Project

from ..conftest import REPO, pdfminer_pages, squash

SHIPPED = Project(REPO)


def callouts(lang: str) -> list[tuple[str, list[str]]]:
    """(handout id, the box's texts in reading order) for every callout of the shipped handouts in ``lang``."""
    found = []
    for handout_id in SHIPPED.handout_files(lang):
        handout = load_handout(SHIPPED, handout_id, lang, Diagnostics())
        for block in handout.body:
            if isinstance(block, Callout):
                parts = [t for t in (block.title, block.text) if t is not None] + list(block.bullets)
                found.append((handout_id, [squash(inline.plain_text(part.value)) for part in parts]))
    return found


@pytest.mark.parametrize("layout", ["standard", "a4", "large-print"])
@pytest.mark.parametrize("lang", ["en", "es", "vi"])
def test_no_shipped_callout_is_split_across_pages(shipped_build: Path, layout: str, lang: str):
    boxes = callouts(lang)
    assert len(boxes) >= 10
    for handout_id, parts in boxes:
        pages = [squash(page) for page in pdfminer_pages(shipped_build / layout / lang / f"{handout_id}.pdf")]
        first = next(n for n, page in enumerate(pages) if parts[0][:40] in page)
        assert all(part[:40] in pages[first] for part in parts), (handout_id, layout, parts[0][:40])
