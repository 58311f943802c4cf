"""Facts about the shipped library itself: where its safety messages print, and what its packets hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kratom_handouts import inline
from kratom_handouts.blocks import Callout
from kratom_handouts.content import load_handout
from kratom_handouts.errors import Diagnostics
from kratom_handouts.i18n.languages import direction_of
from kratom_handouts.programs import load_program
from kratom_handouts.project import Project

from .conftest import REPO, actual_text_pages, pdfminer_pages, squash

PROJECT = Project(REPO)
LAYOUTS = ("standard", "a4", "large-print")
FACTS = REPO.parent / "shared" / "content-facts.md"


def emergency_callout(handout_id: str, lang: str) -> Callout:
    handout = load_handout(PROJECT, handout_id, lang, Diagnostics())
    return next(b for b in handout.body if isinstance(b, Callout) and b.kind == "emergency")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lang", PROJECT.languages())
def test_the_overdose_emergency_box_is_whole_on_page_one(shipped_build: Path, lang: str, layout: str):
    box = emergency_callout("overdose", lang)
    lines = [inline.plain_text(t.value) for t in (box.title, box.text, *box.bullets) if t is not None]
    read = actual_text_pages if direction_of(lang) == "rtl" else pdfminer_pages
    pages = [squash(page) for page in read(shipped_build / layout / lang / "overdose.pdf")]
    assert [line for line in lines if squash(line) not in pages[0]] == []
    assert [line for line in lines if any(squash(line) in page for page in pages[1:])] == []


def test_every_packet_that_talks_about_mixing_includes_staying_safer():
    mixing = re.compile(r"\bmix", re.IGNORECASE)
    ids = set(PROJECT.handout_ids())
    for file in PROJECT.program_files().values():
        program = load_program(PROJECT, file, ids, Diagnostics())
        talks = [h for h in program.handouts
                 if any(mixing.search(t.value) for t in _texts(h))]
        if talks:
            assert "staying-safer" in program.handouts, (program.id, talks)


def test_the_overdose_and_buprenorphine_handouts_are_in_the_packets_that_need_them():
    ids = set(PROJECT.handout_ids())
    programs = {p: load_program(PROJECT, f, ids, Diagnostics()) for p, f in PROJECT.program_files().items()}
    assert "overdose" in programs["family"].handouts and "overdose" in programs["intake"].handouts
    assert "starting-buprenorphine" in programs["withdrawal-management"].handouts


needs_facts = pytest.mark.skipif(not FACTS.is_file(), reason="../shared/content-facts.md is not beside this checkout")


def citable_facts() -> str:
    """content-facts.md up to its "Not found: do not state these" section, which lists what must not be cited."""
    text = FACTS.read_text(encoding="utf-8")
    return _normalised(text.split("## Not found")[0])


def source_in_facts(title: str, publisher: str, year: int | None, facts: str) -> bool:
    """Found when four words of the title in a row, its citation numbers, an acronym it gives, or its first author
    with its year are."""
    words = _normalised(title).split(" ")
    runs = [" ".join(words[i:i + 4]) for i in range(max(1, len(words) - 3))]
    if any(run in facts for run in runs):
        return True
    # A citation's numbers (volume(issue):page, DOI, PMC id, a span of years) found in the facts file.
    numbers = re.findall(r"\d+\(\d+\):\d+|10\.\d{4,}/[^\s,;)]+|PMC\d+|\b\d{4}-\d{4}\b", f"{title} {publisher}")
    if any(_normalised(number) in facts for number in numbers):
        return True
    acronyms = re.findall(r"\(([A-Z][A-Za-z0-9-]{2,})\)", f"{title} {publisher}")
    if any(re.search(rf"\b{re.escape(a.lower())}\b", facts) for a in acronyms
           if a not in ("CDC", "FDA", "NIDA", "SAMHSA")):
        return True
    return year is not None and bool(re.search(rf"\b{re.escape(words[0])}\b[^\n]{{0,200}}\b{year}\b", facts))


@needs_facts
def test_the_source_check_refuses_what_the_facts_file_does_not_support():
    facts = citable_facts()
    assert not source_in_facts("UIC Drug Information Group. Kratom", "University of Illinois Chicago", 2023, facts)
    assert not source_in_facts("Grundmann O. Patterns of kratom use and health impact in the US", "Drug Alcohol Depend",
                               2017, facts)
    assert not source_in_facts("Smithson Q. A trial of kratom tapering schedules", "Addiction", 2024, facts)
    assert source_in_facts("Garcia-Romeu A, Cox DJ. Kratom (Mitragyna speciosa): user demographics",
                           "Drug Alcohol Depend", 2020, facts)


@needs_facts
@pytest.mark.parametrize("handout_id", PROJECT.handout_ids())
def test_every_source_a_handout_cites_is_in_the_facts_file(handout_id: str):
    facts = citable_facts()
    handout = load_handout(PROJECT, handout_id, "en", Diagnostics())
    missing = [s.title.value for s in handout.sources
               if not source_in_facts(s.title.value, s.publisher.value, s.year, facts)]
    assert missing == []


def _texts(handout_id: str):
    from kratom_handouts.model import handout_texts

    return handout_texts(load_handout(PROJECT, handout_id, "en", Diagnostics()))


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\"“”'’*_()]", "", text)).lower().strip()
