"""What a project holds and what has been built: for ``list``, ``find`` and the staff catalog (``output/index.html``).

The listing reads titles, summaries and keywords only (with libyaml where it
can, the careful reader where the quick one cannot say), so it is fast and
works even while other fields of a handout still have errors. The catalog is
made from the build manifest: every output that exists, with the facts the job
that made it recorded (title, summary, grade, review status, pages).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import inline
from .errors import ContentError, Diagnostics, Problem
from .load import Mapping, Scalar, load_file, read_fields
from .project import DEFAULT_LAYOUT, Project, buildable

LISTED_FIELDS = ("title", "summary", "keywords")


@dataclass
class Listing:
    handouts: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> lang -> title
    summaries: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> lang -> summary
    keywords: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # id -> lang -> keywords
    programs: dict[str, list[str]] = field(default_factory=dict)  # program id -> its handouts
    languages: list[str] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)
    default_layout: str = DEFAULT_LAYOUT
    problems: list[Problem] = field(default_factory=list)

    def programs_of(self, handout_id: str) -> list[str]:
        return [program for program, handouts in self.programs.items() if handout_id in handouts]


def describe_project(project: Project) -> Listing:
    listing = Listing(languages=project.languages(), layouts=buildable(project.layouts_dir))
    files = {lang: project.handout_files(lang) for lang in listing.languages}
    for handout_id in project.handout_ids():
        titles: dict[str, str] = {}
        for lang in listing.languages:
            file = files[lang].get(handout_id)
            if file is None:
                continue
            quick = read_fields(file, LISTED_FIELDS)  # libyaml: most files; the careful reader below for the rest
            title = quick.get("title")
            if not isinstance(title, str):
                title = _careful_title(file, listing)
            titles[lang] = inline.plain_text(title)
            summary = quick.get("summary")
            if isinstance(summary, str):
                listing.summaries.setdefault(handout_id, {})[lang] = inline.plain_text(summary)
            keywords = quick.get("keywords")
            if isinstance(keywords, list):
                listing.keywords.setdefault(handout_id, {})[lang] = keywords
        listing.handouts[handout_id] = titles
    listing.programs = _program_handouts(project)
    return listing


def _careful_title(file: Path, listing: Listing) -> str:
    try:
        node = load_file(file)
    except ContentError as exc:
        listing.problems.extend(exc.problems)
        return "(cannot be read: run 'kratom-handouts check')"
    title = node.entries.get("title") if isinstance(node, Mapping) else None
    return title.text if isinstance(title, Scalar) else "(no title)"


def _program_handouts(project: Project) -> dict[str, list[str]]:
    found = {}
    for program_id, file in project.program_files().items():
        handouts = read_fields(file, ("handouts",)).get("handouts")
        found[program_id] = handouts if isinstance(handouts, list) else []
    return found


def folded(words: str) -> str:
    """Lower case without accents, for matching: "Abstinéncia" and "abstinencia" are the same word."""
    decomposed = unicodedata.normalize("NFKD", words.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Found:
    handout_id: str
    lang: str
    title: str


def find(listing: Listing, words: str, lang: str | None = None) -> list[Found]:
    """Handouts whose title, summary or keywords in a language hold every word asked for (accents ignored)."""
    wanted = folded(words).split()
    found = []
    for handout_id, titles in listing.handouts.items():
        for code, title in titles.items():
            if lang is not None and code != lang:
                continue
            text = folded(" ".join([title, listing.summaries.get(handout_id, {}).get(code, ""),
                                    *listing.keywords.get(handout_id, {}).get(code, [])]))
            if all(word in text for word in wanted):
                found.append(Found(handout_id, code, title))
    return found


# --- the catalog page's model -------------------------------------------------------


@dataclass
class HandoutEntry:
    facts: dict[str, Any]
    pdfs: dict[str, tuple[str, int]] = field(default_factory=dict)  # layout -> (path from the output folder, pages)
    web: str | None = None
    thumbnail: str | None = None
    programs: list[str] = field(default_factory=list)


@dataclass
class ProgramEntry:
    program: str
    lang: str
    title: str
    handouts: list[str]
    pdfs: dict[str, str] = field(default_factory=dict)  # layout -> path


@dataclass
class Catalog:
    handouts: list[HandoutEntry]
    programs: list[ProgramEntry]
    topics: dict[str, str]  # handout id -> its topic (the handout's title in the source language)


def catalog_from(entries: dict[str, Any], output_dir: Path) -> Catalog:
    """The catalog's entries from the manifest's: only outputs that exist, grouped per handout and language."""
    handouts: dict[tuple[str, str], HandoutEntry] = {}
    programs: dict[tuple[str, str], ProgramEntry] = {}
    for key, entry in sorted(entries.items()):
        facts = entry.facts
        if not facts or not (output_dir / key).is_file():
            continue
        parts = key.split("/")
        if "program" in facts:
            program = programs.setdefault((facts["program"], facts["lang"]), ProgramEntry(
                facts["program"], facts["lang"], inline.plain_text(facts["title"]), facts["handouts"]))
            program.pdfs[parts[1]] = key
            continue
        item = handouts.setdefault((facts["id"], facts["lang"]), HandoutEntry(facts))
        if parts[0] == "web":
            item.web = key
        else:
            item.pdfs[parts[0]] = (key, facts["pages"])
            if item.facts.get("pages", 0) == 0:
                item.facts = facts
    for program in programs.values():
        for handout_id in program.handouts:
            if (handout_id, program.lang) in handouts:
                handouts[(handout_id, program.lang)].programs.append(program.program)
    topics = {handout_id: item.facts["title"] for (handout_id, lang), item in handouts.items() if lang == "en"}
    for (handout_id, _), item in handouts.items():
        topics.setdefault(handout_id, item.facts["title"])
    ordered = sorted(handouts.values(),
                     key=lambda e: (folded(topics[e.facts["id"]]), e.facts["lang"] != "en", e.facts["lang"]))
    return Catalog(ordered, sorted(programs.values(), key=lambda p: (p.program, p.lang)), topics)


CATALOG_FILE = "index.html"
THUMBNAILS = "thumbnails"


def write_catalog(project: Project, output_dir: Path, entries: dict[str, Any], diagnostics: Diagnostics,
                  workers: int = 1) -> bool:
    """Write ``OUTPUT/index.html`` (and the thumbnails it shows, drawn in up to ``workers`` processes) for the
    outputs that exist; unchanged, it is not rewritten. False if it could not be written (the brand layout cannot
    be read, the folder cannot be written); why, and any thumbnail not made, are warnings in ``diagnostics``."""
    from .errors import Origin
    from .i18n.languages import english_name
    from .layouts import load_layout
    from .output import write_atomic
    from .render.catalog_page import render_catalog
    from .thumbnails import make_thumbnails

    layouts = buildable(project.layouts_dir)
    brand = DEFAULT_LAYOUT if DEFAULT_LAYOUT in layouts else (layouts[0] if layouts else DEFAULT_LAYOUT)
    path = output_dir / CATALOG_FILE
    try:
        layout = load_layout(brand, project.root, Diagnostics())  # its warnings came with the build's jobs
        logo = layout.logo.read_bytes() if layout.logo is not None else None
        catalog = catalog_from(entries, output_dir)
        shown: list[tuple[HandoutEntry, str, Path]] = []
        for entry in catalog.handouts:
            if entry.pdfs:
                layout_shown = brand if brand in entry.pdfs else sorted(entry.pdfs)[0]
                thumbnail = f"{THUMBNAILS}/{entry.facts['lang']}/{entry.facts['id']}.png"
                shown.append((entry, thumbnail, output_dir / entry.pdfs[layout_shown][0]))
        missing = make_thumbnails([(pdf, output_dir / thumbnail) for _, thumbnail, pdf in shown], output_dir,
                                  diagnostics, workers)
        for entry, thumbnail, _ in shown:
            entry.thumbnail = None if output_dir / thumbnail in missing else thumbnail
        names = {lang: english_name(lang)
                 for lang in {e.facts["lang"] for e in catalog.handouts} | {p.lang for p in catalog.programs}}
        data = render_catalog(catalog, layout, logo, names)
        if not path.is_file() or path.read_bytes() != data:
            write_atomic(path, data, output_dir)
    except ContentError as exc:
        diagnostics.warn(exc.problems[0].origin, f"the catalog is not written: {exc.problems[0].message}")
        return False
    except OSError as exc:
        diagnostics.warn(Origin(path), f"the catalog is not written: {exc.strerror or exc}")
        return False
    return True
