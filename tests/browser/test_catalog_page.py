"""The staff catalog in a real browser: search, filters, print buttons, keyboard use, no network, axe-core."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

HANDOUTS = ".entry.handout:not([hidden])"


def visible(page) -> list[str]:
    return page.eval_on_selector_all(HANDOUTS, "els => els.map(e => e.dataset.lang + '/' + e.dataset.topic)")


def open_catalog(page, site):
    page.goto((site / "index.html").as_uri())
    page.wait_for_selector("#search:not([hidden])")


def test_searching_abstinencia_shows_spanish_handouts_that_say_it_and_hides_the_rest(page, site):
    open_catalog(page, site)
    assert len(visible(page)) == 20
    for words in ("abstinencia", "ABSTINÉNCIA"):
        page.fill("#q", words)
        shown = visible(page)
        assert "es/kratom-withdrawal" in shown
        assert all(entry.startswith("es/") for entry in shown) and len(shown) < 10
        for entry in page.query_selector_all(HANDOUTS):
            assert "abstinencia" in entry.get_attribute("data-search")
    assert page.text_content("#count") == f"{len(shown)} handouts shown"
    page.fill("#q", "")
    assert len(visible(page)) == 20


@pytest.mark.parametrize("select,value,check", [
    ("#f-lang", "es", lambda e: e["lang"] == "es"),
    ("#f-layout", "large-print", lambda e: "large-print" in e["layouts"].split()),
    ("#f-program", "intake", lambda e: "intake" in e["programs"].split()),
    ("#f-topic", "overdose", lambda e: e["topic"] == "overdose"),
])
def test_each_filter_keeps_only_its_entries(page, site, select, value, check):
    open_catalog(page, site)
    page.select_option(select, value)
    shown = page.eval_on_selector_all(".entry:not([hidden])", "els => els.map(e => Object.assign({}, e.dataset))")
    hidden = page.eval_on_selector_all(".entry[hidden]", "els => els.map(e => Object.assign({}, e.dataset))")
    assert shown and all(check(e) for e in shown)
    assert not any(check(e) for e in hidden)
    if select == "#f-topic":
        assert sorted(e["lang"] for e in shown if e["topic"]) == ["en", "es"]


def test_the_print_button_opens_the_right_pdf(page, site):
    open_catalog(page, site)
    page.fill("#q", "abstinencia")
    entry = page.query_selector(".entry.handout[data-lang='es'][data-topic='kratom-withdrawal']")
    with page.context.expect_page() as opened:
        entry.query_selector("button.print").click()
    assert opened.value.url == (site / "large-print" / "es" / "kratom-withdrawal.pdf").as_uri() or \
        opened.value.url == (site / "standard" / "es" / "kratom-withdrawal.pdf").as_uri()
    buttons = entry.query_selector_all("button.print")
    assert [b.get_attribute("data-pdf") for b in buttons] == ["large-print/es/kratom-withdrawal.pdf",
                                                              "standard/es/kratom-withdrawal.pdf"]


def test_keyboard_alone_can_search_filter_and_open_an_entry(page, site):
    open_catalog(page, site)
    for _ in range(15):  # Tab from the top of the page to the search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("abstinencia")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-lang"
    page.keyboard.press("ArrowDown")  # the first language after "All": English
    page.keyboard.press("ArrowDown")  # then Spanish
    assert page.evaluate("document.getElementById('f-lang').value") == "es"
    assert "es/kratom-withdrawal" in visible(page)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    for _ in range(60):  # on to the web page link of the first entry shown
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Web page":
            break
    target = page.evaluate("document.activeElement.getAttribute('href')")
    assert target.startswith("web/es/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/" + target)


def test_no_request_leaves_the_disk(page, site):
    open_catalog(page, site)
    page.fill("#q", "naloxona")
    page.select_option("#f-layout", "standard")
    assert page.requests and all(url.startswith(("file://", "data:")) for url in page.requests), page.requests


def test_without_javascript_the_whole_list_is_there_grouped_by_language(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    assert page.eval_on_selector_all(".entry.handout", "els => els.filter(e => !e.hidden).length") == 20
    assert page.eval_on_selector_all(".group h2", "els => els.map(e => e.textContent)") == ["English", "Spanish"]
    assert page.is_hidden("#search")  # the search form needs the script; the links do not
    context.close()


def test_axe_finds_no_violations_in_the_catalog(page, site):
    open_catalog(page, site)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.fill("#q", "kratom")
    page.select_option("#f-lang", "es")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [390, 1280])
def test_nothing_runs_past_the_screen_at_phone_or_desktop_width(page, site, width):
    page.set_viewport_size({"width": width, "height": 800})
    open_catalog(page, site)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory):
    from click.testing import CliRunner

    from kratom_handouts.cli import main

    from ..conftest import REPO

    out = tmp_path_factory.mktemp("catalog-ar")
    result = CliRunner().invoke(main, ["build", "--project", str(REPO), "--lang", "ar", "--no-bundles",
                                       "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


# Where each keyword of each Arabic entry stands in its English "Keywords: ..." line: (line top, left edge).
KEYWORD_PLACES = """() => {
  const found = [];
  for (const line of document.querySelectorAll('.entry.handout[data-lang="ar"] p.meta')) {
    if (!line.textContent.startsWith("Keywords: ")) continue;
    const nodes = [];
    let text = "";
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push([node, text.length]);
      text += node.data;
    }
    let at = "Keywords: ".length;
    const places = [];
    for (const keyword of text.slice(at, text.indexOf(" · Topic")).split(", ")) {
      const start = text.indexOf(keyword, at);
      at = start + keyword.length;
      const [node, offset] = nodes.filter(([, begins]) => begins <= start).pop();
      const range = document.createRange();
      range.setStart(node, start - offset);
      range.setEnd(node, start - offset + keyword.length);
      const rect = range.getClientRects()[0];
      places.push([keyword, Math.round(rect.top), rect.left]);
    }
    found.push(places);
  }
  return found;
}"""


def test_arabic_keywords_keep_their_order_in_the_english_keyword_line(page, arabic_site):
    """In the English line "Keywords: a, b, c" Chromium ran neighbouring Arabic keywords together right to left,
    so they read in the wrong order, commas on the wrong side; each must stand after the one before it."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto((arabic_site / "index.html").as_uri())
    entries = page.evaluate(KEYWORD_PLACES)
    assert len(entries) == 10
    for places in entries:
        spots = [(top, left) for _, top, left in places]
        assert spots == sorted(spots), places
