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


@pytest.fixture(scope="module")
def rtl_and_korean_site(tmp_path_factory):
    from click.testing import CliRunner

    from kratom_handouts.cli import main

    out = tmp_path_factory.mktemp("web-ar-ko")
    result = CliRunner().invoke(main, ["build", "--project", str(REPO), "--format", "html", "--lang", "ar",
                                       "--lang", "ko", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


# Each number with separators (and "7-OH") in the page's text, with the left edge of each of its characters as the
# browser drew them.
NUMBER_POSITIONS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\d+(?:-\\d+)+|\\d+-[A-Za-z]+/g)) {
      const lefts = [];
      for (let i = match.index; i < match.index + match[0].length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        lefts.push(range.getBoundingClientRect().left);
      }
      found.push([match[0], lefts]);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_help_line_numbers_read_left_to_right_on_an_arabic_page(page, rtl_and_korean_site, width):
    """Under the plain bidi rules Chromium showed 1-800-662-4357 as 4357-662-800-1 in Arabic text (and 7-OH as
    OH-7): every such number's characters must stand left to right, in order, on one line."""
    page.set_viewport_size({"width": width, "height": 800})
    checked = set()
    for name in ("overdose", "starting-buprenorphine", "kratom-for-pain-or-opioids"):
        page.goto((rtl_and_korean_site / "web" / "ar" / f"{name}.html").as_uri())
        for number, lefts in page.evaluate(NUMBER_POSITIONS):
            assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts), (name, number, lefts)
            checked.add(number)
    assert {"1-800-662-4357", "1-800-222-1222", "7-OH"} <= checked


def test_an_english_source_on_an_arabic_page_reads_left_to_right(page, rtl_and_korean_site):
    page.goto((rtl_and_korean_site / "web" / "ar" / "overdose.html").as_uri())
    directions = page.evaluate("[...document.querySelectorAll('.sources li')].map("
                               "li => [li.innerText.slice(0, 20), getComputedStyle(li).direction])")
    assert directions and all(direction == "ltr" for _, direction in directions), directions
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"


@pytest.mark.parametrize("name", ["overdose", "treatment-options"])
def test_korean_lines_break_between_words_not_inside_them(page, rtl_and_korean_site, name):
    """Chromium breaks Korean anywhere by default ("날록/손이"); as in print, only between words."""
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto((rtl_and_korean_site / "web" / "ko" / f"{name}.html").as_uri())
    split = page.evaluate("""() => {
      const split = [];
      const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/[\\uac00-\\ud7a3]+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
          if (tops.size > 1) split.push(match[0]);
        }
      }
      return split;
    }""")
    assert split == []
