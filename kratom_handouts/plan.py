"""What to build: handouts x languages x layouts, and program bundles, as jobs; and slices of them (shards).

Planning reads only the project's folders and program files, so that it is
quick, and it refuses what the project does not have with a suggestion.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Diagnostics, SelectionError
from .i18n.languages import fallback_chain, language_problem
from .programs import load_program
from .project import DEFAULT_LAYOUT, SOURCE_LANGUAGE, Project, buildable
from .render.formats import FORMATS
from .validate import closest


@dataclass(frozen=True)
class Job:
    handout_id: str
    lang: str
    layout: str  # for a format that is the same in every layout (the web), the layout its brand comes from
    format: str = "pdf"

    @property
    def name(self) -> str:
        return self.handout_id

    def output_path(self, output_dir: Path) -> Path:
        return FORMATS[self.format].handout_path(output_dir, self.layout, self.lang, self.handout_id)

    def __str__(self) -> str:
        return (f"{self.layout}/{self.lang}/{self.handout_id}" if self.format == "pdf"
                else f"{self.format}/{self.lang}/{self.handout_id}")


@dataclass(frozen=True)
class BundleJob:
    program_id: str
    lang: str
    layout: str

    @property
    def name(self) -> str:
        return self.program_id

    format: str = "pdf"

    def output_path(self, output_dir: Path) -> Path:
        return FORMATS[self.format].bundle_path(output_dir, self.layout, self.lang, self.program_id)

    def __str__(self) -> str:
        return f"{self.layout}/{self.lang}/bundle {self.program_id}"


AnyJob = Job | BundleJob


def plan(project: Project, ids: Iterable[str] = (), langs: Iterable[str] = (), layouts: Iterable[str] = (),
         formats: Iterable[str] = ("pdf",)) -> list[Job]:
    """Every handout x language x layout x format selected; by default all handouts, all languages, the
    default layout, PDF. A format that is the same in every layout (the web) gets one job per handout and
    language, branded by the default layout whichever layouts are asked for (so that building another layout
    leaves the web pages as they are), or by the first one asked for in a project without it."""
    ids, langs, layouts = list(ids), list(langs), expand_layouts(project, layouts)
    check_selection(project, langs, layouts)
    known_ids = project.handout_ids()
    for handout_id in ids:
        if handout_id not in known_ids:
            raise SelectionError(f"unknown handout '{handout_id}'{_suggest(handout_id, known_ids, 'list')}")
    chosen = layouts or [DEFAULT_LAYOUT]
    available = {lang: handouts_in(project, lang) for lang in langs or project.languages()}  # listed once
    jobs: list[Job] = []
    for name in formats:
        form = FORMATS[name]
        for layout in chosen if form.per_layout else [_brand_layout(project, chosen)]:
            for lang, found in available.items():
                jobs.extend(Job(handout_id, lang, layout, name) for handout_id in (ids or found) if handout_id in found)
    return jobs


def _brand_layout(project: Project, chosen: list[str]) -> str:
    if DEFAULT_LAYOUT in chosen or DEFAULT_LAYOUT in buildable(project.layouts_dir):
        return DEFAULT_LAYOUT
    return chosen[0]


def expand_layouts(project: Project, layouts: Iterable[str]) -> list[str]:
    """``all`` stands for every layout the project can build."""
    names = list(layouts)
    if "all" in names:
        every = buildable(project.layouts_dir)
        names = list(dict.fromkeys(every + [n for n in names if n != "all"]))
    return names


def handouts_in(project: Project, lang: str) -> list[str]:
    """Handouts a language has: its own files, and for a regional variant (es-MX) its base language's (es)."""
    found = dict.fromkeys(project.handout_files(lang))
    for code in fallback_chain(lang)[1:]:
        found.update(dict.fromkeys(project.handout_files(code)))
    return list(found)


def plan_bundles(project: Project, program_ids: Iterable[str] = (), langs: Iterable[str] = (),
                 layouts: Iterable[str] = ()) -> list[BundleJob]:
    """Selected programs x languages; by default every language that has all of a program's handouts.

    A program's own layout is used unless layouts are given. Program files that
    cannot be read still get a job, so that the build reports their problems.
    """
    program_ids, langs, layouts = list(program_ids), list(langs), expand_layouts(project, layouts)
    files = project.program_files()
    for program_id in program_ids:
        if program_id not in files:
            raise SelectionError(f"unknown program '{program_id}'{_suggest(program_id, files)}")
    check_selection(project, langs, layouts)
    available = {lang: set(handouts_in(project, lang)) for lang in langs or project.languages()}  # listed once
    every_id = set(project.handout_ids())
    jobs = []
    for program_id in program_ids or files:
        try:
            # only its handouts are needed here; the bundle's job reports the program's problems
            program = load_program(project, files[program_id], every_id, Diagnostics())
        except ContentError:
            languages = langs or project.languages() or [SOURCE_LANGUAGE]  # a project with no handouts yet too
            jobs.append(BundleJob(program_id, languages[0], (layouts or [DEFAULT_LAYOUT])[0]))
            continue
        for lang, found in available.items():
            if all(handout_id in found for handout_id in program.handouts):
                jobs.extend(BundleJob(program_id, lang, layout)
                            for layout in (layouts or [program.layout or DEFAULT_LAYOUT]))
    return jobs


def nothing_to_build(project: Project, langs: Sequence[str], ids: Sequence[str] = ()) -> str:
    """Why a selection planned no jobs, in words that say what to do."""
    empty = [lang for lang in langs if not project.handout_files(lang)]
    if empty:
        return (f"Nothing to build: handouts/{empty[0]}/ has no handouts yet; start the language with "
                f"'kratom-handouts i18n init {empty[0]}'")
    if ids and langs:  # the named handouts are not in the named languages
        return (f"Nothing to build: handouts/{langs[0]}/ has no {ids[0]}.yaml yet; make it with "
                f"'kratom-handouts i18n update {langs[0]}', then translate it")
    if langs:
        return f"Nothing to build in {', '.join(langs)}: no program has all of its handouts in that language yet"
    return "Nothing to build: no handouts or programs were found. Is --project the right folder?"


def check_selection(project: Project, langs: Sequence[str], layouts: Sequence[str] = ()) -> None:
    """Every language and layout asked for exists (SelectionError, with the closest name, if not)."""
    known_langs = project.languages()
    for lang in langs:
        if lang not in known_langs:
            raise SelectionError(f"unknown language '{lang}'{_suggest(lang, known_langs)}")
    for folder in project.language_folders():
        problem = language_problem(folder)
        if problem and (not langs or folder in langs):
            raise SelectionError(f"handouts/{folder}: {problem}")
    known_layouts = buildable(project.layouts_dir)
    for name in layouts:
        if name not in known_layouts:
            raise SelectionError(f"unknown layout '{name}'{_suggest(name, known_layouts)}")


def _suggest(word: str, known: Iterable[str], command: str | None = None) -> str:
    """ (did you mean 'x'?), or the list of what there is (or the command that lists it)."""
    close = closest(word, known)
    if close:
        return f" (did you mean '{close}'?)"
    if command:
        return f"; run 'kratom-handouts {command}' to see them"
    return f"; there are: {', '.join(known) or 'none'}"


def shard(jobs: Sequence[AnyJob], index: int, count: int) -> list[AnyJob]:
    """The ``index``-th (1-based) of ``count`` stable slices: a job's slice depends on the job alone (a hash of
    what it builds), so slices stay put as the library grows, never overlap, and together make every job."""
    return [job for job in jobs if zlib.crc32(str(job).encode()) % count == index - 1]
