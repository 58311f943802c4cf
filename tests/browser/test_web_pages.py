"""The web edition in a real browser: axe-core on every page in every language, and nothing fetched."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from kratom_handouts.errors import Diagnostics

from ..conftest import REPO

PAGES = [(lang, p.stem) for lang in ("en", "es") for p in sorted((REPO / "handouts" / lang).glob("[!_]*.yaml"))]


@pytest.mark.parametrize("lang,handout_id", PAGES)
def test_axe_finds_no_violations_and_nothing_is_fetched(page, site, lang, handout_id):
    page.goto((site / "web" / lang / f"{handout_id}.html").as_uri())
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.lang") == lang
    assert all(url.startswith(("file://", "data:")) for url in page.requests), page.requests


@pytest.mark.parametrize("width", [390, 1280])
def test_no_text_runs_past_the_page_at_phone_or_desktop_width(page, site, width):
    page.set_viewport_size({"width": width, "height": 800})
    for lang, handout_id in PAGES:
        page.goto((site / "web" / lang / f"{handout_id}.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (lang, handout_id)


@pytest.mark.parametrize("lang,handout_id", PAGES)
def test_the_browser_shows_every_block_in_order_after_the_summary(page, site, lang, handout_id):
    """What Chromium renders as text (innerText: what a reader or a screen reader gets), in the model's order."""
    import re

    from kratom_handouts import inline
    from kratom_handouts.blocks import block_texts
    from kratom_handouts.content import load_handout
    from kratom_handouts.project import Project

    page.goto((site / "web" / lang / f"{handout_id}.html").as_uri())
    shown = re.sub(r"\s+", " ", page.inner_text("main"))
    handout = load_handout(Project(REPO), handout_id, lang, Diagnostics())
    summary = inline.plain_text(handout.summary.value)
    position = shown.index(summary) + len(summary)
    for block in handout.body:
        for text in block_texts(block):
            words = re.sub(r"\s+", " ", inline.plain_text(text.value)).strip()
            position = shown.index(words, position)
    assert page.evaluate("document.documentElement.dir") == "ltr"
