"""The web edition: valid HTML5, every block's text in order, semantics, escaping, direction, nothing fetched."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner

from kratom_handouts import inline
from kratom_handouts.blocks import block_texts
from kratom_handouts.cli import main
from kratom_handouts.content import load_handout
from kratom_handouts.errors import Diagnostics
from kratom_handouts.i18n.languages import direction_of
from kratom_handouts.project import Project

from ..conftest import GOOD_HANDOUT, REPO

SHIPPED = [(lang, p.stem) for lang in ("en", "es") for p in sorted((REPO / "handouts" / lang).glob("[!_]*.yaml"))]
NS = {"h": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def web(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("web")
    result = CliRunner().invoke(main, ["build", "--project", str(REPO), "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out / "web"


def parse(path: Path):
    """html5lib in strict mode raises on the first parse error: a page with none is well-formed HTML5."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(path.read_bytes())


def text_of(tree) -> str:
    body = tree.find("h:body", NS)
    return re.sub(r"\s+", " ", "".join(body.itertext()))


@pytest.mark.parametrize("lang,handout_id", SHIPPED)
def test_every_shipped_page_is_valid_and_holds_every_text_in_order(web, lang, handout_id):
    tree = parse(web / lang / f"{handout_id}.html")
    root = tree
    assert root.get("lang") == lang and root.get("dir") == "ltr"
    handout = load_handout(Project(REPO), handout_id, lang, Diagnostics())
    page = text_of(tree)
    summary = inline.plain_text(handout.summary.value)
    position = page.index(summary) + len(summary)  # the summary first, then every block after it, in order
    for block in handout.body:
        for text in block_texts(block):
            words = re.sub(r"\s+", " ", inline.plain_text(text.value)).strip()
            found = page.find(words, position)
            assert found >= 0, (handout_id, words[:60])
            position = found
    assert "Draft awaiting clinical review" in page or "Borrador pendiente de revisión clínica" in page


@pytest.mark.parametrize("lang,handout_id", SHIPPED)
def test_pages_fetch_nothing_and_use_real_semantics(web, lang, handout_id):
    tree = parse(web / lang / f"{handout_id}.html")
    assert (not tree.findall(".//h:script", NS) and not tree.findall(".//h:link", NS)
            and not tree.findall(".//h:iframe", NS))
    assert all(img.get("src", "").startswith("data:") for img in tree.iter("{http://www.w3.org/1999/xhtml}img"))
    style = "".join(s.text or "" for s in tree.iter("{http://www.w3.org/1999/xhtml}style"))
    assert "url(" not in style and "@import" not in style
    assert len(tree.findall(".//h:h1", NS)) == 1 and tree.findall(".//h:main", NS)
    assert all(th.get("scope") in ("col", "row") for th in tree.iter("{http://www.w3.org/1999/xhtml}th"))
    for link in tree.iter("{http://www.w3.org/1999/xhtml}a"):
        href = link.get("href", "")
        assert href.startswith(("https:", "http:", "mailto:", "tel:")), href
        if href.startswith("tel:"):
            assert re.fullmatch(r"tel:\+?[0-9]+", href)


def test_contacts_are_tel_links_with_the_printed_number(web):
    tree = parse(web / "en" / "kratom-withdrawal.html")
    calls = {"".join(a.itertext()): a.get("href") for a in tree.iter("{http://www.w3.org/1999/xhtml}a")
             if a.get("href", "").startswith("tel:")}
    assert calls["Call 1-800-662-4357"] == "tel:18006624357"
    numbers = [span.text for span in tree.iter("{http://www.w3.org/1999/xhtml}span") if span.get("class") == "number"]
    assert "1-800-662-4357" in numbers  # kept whole on one line by the stylesheet (.number: nowrap)


def test_hostile_text_prints_literally_as_in_the_pdf(project):
    project.handout("bad", GOOD_HANDOUT.format(id="bad").replace(
        "Some plain words",
        "<script>alert(1)</script> <img src=x onerror=alert(2)> AT&T **bold** [site](https://example.org)"))
    result = project.run("build", "--format", "html")
    assert result.exit_code == 0, result.output
    page = project.root / "output" / "web" / "en" / "bad.html"
    tree = parse(page)
    assert not tree.findall(".//h:script", NS)
    assert [img for img in tree.iter("{http://www.w3.org/1999/xhtml}img") if img.get("onerror")] == []
    assert "<script>alert(1)</script> <img src=x onerror=alert(2)> AT&T bold site" in text_of(tree)
    assert [e.text for e in tree.iter("{http://www.w3.org/1999/xhtml}strong")] == ["bold"]
    assert b"&lt;script&gt;" in page.read_bytes()


def test_a_javascript_link_is_refused_before_any_page_is_made(project):
    project.handout("bad", GOOD_HANDOUT.format(id="bad").replace("Some plain words", "Go [click](javascript:alert(1))"))
    result = project.run("build", "--format", "html")
    assert result.exit_code == 1
    assert "javascript" in result.stderr and "handouts/en/bad.yaml:" in result.stderr
    assert not (project.root / "output" / "web" / "en" / "bad.html").exists()


@pytest.mark.parametrize("lang,direction",
                         [("ar", "rtl"), ("fa", "rtl"), ("he", "rtl"), ("ur", "rtl"), ("az-Arab", "rtl"),
                          ("es", "ltr"), ("zh-Hans", "ltr"), ("vi", "ltr"), ("ko", "ltr")])
def test_direction_of_a_language(lang, direction):
    assert direction_of(lang) == direction


def test_a_right_to_left_language_gets_a_right_to_left_page(project):
    project.handout("one")
    project.translate("ar")
    result = project.run("build", "--format", "html", "--lang", "ar")
    assert result.exit_code == 0, result.output
    tree = parse(project.root / "output" / "web" / "ar" / "one.html")
    assert (tree.get("lang"), tree.get("dir")) == ("ar", "rtl")
    assert "border-right: 6px solid" in "".join(s.text or "" for s in tree.iter("{http://www.w3.org/1999/xhtml}style"))
