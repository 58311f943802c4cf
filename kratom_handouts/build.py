"""What to build, and building it: handouts x languages x layouts -> PDFs in the output folder.

One broken handout never stops the others: each failure becomes problems in
the result, and only good PDFs are written (atomically).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import time
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from . import fonts, output
from .content import FallbackPolicy, load_handout, load_labels
from .review import draft_problem
from .settings import Settings, load_settings
from .i18n.languages import fallback_chain, language_problem
from .errors import ContentError, Interruption, Origin, Problem, Untranslated
from .layouts import buildable, load_layout
from .model import Handout, Insert, Labels, Layout, Program, ProgramText, Text, handout_texts, layout_texts
from .programs import load_program, ordered_parts, program_files, program_text
from .project import DEFAULT_LAYOUT, Project

if TYPE_CHECKING:
    from .render.bundle import BundlePlan


@dataclass(frozen=True)
class Job:
    handout_id: str
    lang: str
    layout: str


@dataclass(frozen=True)
class BundleJob:
    program_id: str
    lang: str
    layout: str


@dataclass(frozen=True)
class Written:
    job: Job | BundleJob
    path: Path
    pages: int


@dataclass
class BuildResult:
    written: list[Written] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[Job | BundleJob] = field(default_factory=list)
    unwritable: list[Job | BundleJob] = field(default_factory=list)  # failed for the output folder, not the content
    skipped: list[Job | BundleJob] = field(default_factory=list)  # translations not finished: reported, not failed
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(w.pages for w in self.written)

    @property
    def ok(self) -> bool:
        return not self.failed and not any(p.is_error for p in self.problems)

    @property
    def only_output_failed(self) -> bool:
        """Every failure was the output folder's (permissions, disk full), none the content's."""
        return bool(self.failed) and len(self.unwritable) == len(self.failed)


class SelectionError(Exception):
    """The command asked for something the project does not have."""


def plan(project: Project, ids: Iterable[str] = (), langs: Iterable[str] = (), layouts: Iterable[str] = ()) -> list[Job]:
    """Every handout x language x layout selected; by default all handouts, all languages, the default layout."""
    ids, langs, layouts = list(ids), list(langs), list(layouts)
    _check_selection(project, langs, layouts)
    known_ids = project.handout_ids()
    for handout_id in ids:
        if handout_id not in known_ids:
            raise SelectionError(f"unknown handout '{handout_id}'{_suggest(handout_id, known_ids, 'list')}")
    jobs = []
    for layout in layouts or [DEFAULT_LAYOUT]:
        for lang in langs or project.languages():
            available = handouts_in(project, lang)
            jobs.extend(Job(handout_id, lang, layout) for handout_id in (ids or available) if handout_id in available)
    return jobs


def handouts_in(project: Project, lang: str) -> list[str]:
    """Handouts a language has: its own files, and for a regional variant (es-MX) its base language's (es)."""
    found = dict.fromkeys(project.handout_files(lang))
    for code in fallback_chain(lang)[1:]:
        found.update(dict.fromkeys(project.handout_files(code)))
    return list(found)


def plan_bundles(project: Project, program_ids: Iterable[str] = (), langs: Iterable[str] = (), layouts: Iterable[str] = ()) -> list[BundleJob]:
    """Selected programs x languages; by default every language that has all of a program's handouts.

    A program's own layout is used unless layouts are given. Program files that
    cannot be read still get a job, so that the build reports their problems.
    """
    program_ids, langs, layouts = list(program_ids), list(langs), list(layouts)
    files = program_files(project)
    for program_id in program_ids:
        if program_id not in files:
            raise SelectionError(f"unknown program '{program_id}'{_suggest(program_id, files)}")
    _check_selection(project, langs, layouts)
    jobs = []
    for program_id in program_ids or files:
        try:
            program = load_program(project, files[program_id], set(project.handout_ids()))
        except ContentError:
            jobs.append(BundleJob(program_id, langs[0] if langs else project.languages()[0], (layouts or [DEFAULT_LAYOUT])[0]))
            continue
        for lang in langs or project.languages():
            if all(handout_id in handouts_in(project, lang) for handout_id in program.handouts):
                jobs.extend(BundleJob(program_id, lang, layout) for layout in (layouts or [program.layout or DEFAULT_LAYOUT]))
    return jobs


def _check_selection(project: Project, langs: list[str], layouts: list[str]) -> None:
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
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6) or difflib.get_close_matches(word.lower(), list(known), n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    if command:
        return f"; run 'kratom-handouts {command}' to see them"
    return f"; there are: {', '.join(known) or 'none'}"


def creation_time(handout: Handout, source_date_epoch: int | None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when given, otherwise the handout's review date: never the clock."""
    if source_date_epoch is not None:
        return dt.datetime.fromtimestamp(source_date_epoch, dt.UTC)
    return dt.datetime.combine(handout.updated, dt.time(0, 0), dt.UTC)


def glyph_problems(texts: Iterable[Text], layout: Layout) -> list[Problem]:
    """Characters in ``texts`` that the layout's fonts cannot draw."""
    texts = list(texts)
    problems: list[Problem] = []
    for family in dict.fromkeys((layout.body_font, layout.heading_font)):
        problems.extend(fonts.missing_glyphs(texts, fonts.FAMILIES[family]))
    return problems


def printed_texts(handout: Handout, layout: Layout, labels: Labels) -> list[Text]:
    return [*handout_texts(handout), *layout_texts(layout), *labels.values.values()]


class _Inputs:
    """Loads each handout, layout and labels file once per build, remembering failures too."""

    def __init__(self, project: Project, policy: FallbackPolicy):
        self.project = project
        self.policy = policy
        self._cache: dict[tuple, object] = {}
        self.warnings: list[Problem] = []
        try:
            self.settings = load_settings(project.root, self.warnings)
        except ContentError as exc:  # check reports these as errors; a build goes on with the defaults
            self.warnings.extend(dataclasses.replace(p, severity="warning") for p in exc.problems)
            self.settings = Settings()

    def _get(self, key: tuple, load: Callable[[], object]):
        if key not in self._cache:
            try:
                self._cache[key] = load()
            except ContentError as exc:
                self._cache[key] = exc
        value = self._cache[key]
        if isinstance(value, ContentError):
            raise value
        return value

    def handout(self, job: Job) -> Handout:
        return self._get(("handout", job.lang, job.handout_id), lambda: self._reviewed_enough(
            load_handout(self.project, job.handout_id, job.lang, self.warnings, self.policy)))

    def _reviewed_enough(self, handout: Handout) -> Handout:
        """A draft builds (and says so on every page), unless --strict and the settings refuse drafts."""
        if self.policy.strict and not self.settings.allow_drafts:
            problem = draft_problem(handout, self.settings.file)
            if problem is not None:
                raise ContentError([problem])
        return handout

    def layout(self, name: str) -> Layout:
        return self._get(("layout", name), lambda: self._checked_layout(name))

    def _checked_layout(self, name: str) -> Layout:
        """The layout; print rules it breaks (contrast, type size) are warned about, and are errors in 'check'."""
        from .quality.rules import check_layout

        layout = load_layout(name, self.project.root, self.warnings)
        for problem in check_layout(layout):
            warning = dataclasses.replace(problem, severity="warning")
            if warning not in self.warnings:  # a brand colour is shared by every layout: say it once
                self.warnings.append(warning)
        return layout

    def labels(self, lang: str) -> Labels:
        return self._get(("labels", lang), lambda: load_labels(self.project, lang, self.warnings))

    def program(self, program_id: str) -> Program:
        file = program_files(self.project)[program_id]
        ids = set(self.project.handout_ids())
        return self._get(("program", program_id), lambda: load_program(self.project, file, ids, self.warnings))

    def program_text(self, program: Program, lang: str) -> ProgramText:
        return self._get(("program_text", program.id, lang), lambda: program_text(self.project, program, lang, self.warnings))


def build(
    project: Project,
    jobs: list[Job | BundleJob],
    output_dir: Path,
    source_date_epoch: int | None = None,
    on_progress: Callable[[Job | BundleJob], None] | None = None,
    policy: FallbackPolicy = FallbackPolicy(),
) -> BuildResult:
    """Render and write every job (handouts and bundles); problems are collected, never raised."""
    started = time.perf_counter()
    output.remove_stale_temporaries(output_dir)
    result = BuildResult()
    reported: set[Problem] = set()
    inputs = _Inputs(project, policy)
    for job in jobs:
        try:
            if isinstance(job, BundleJob):
                written = _build_bundle(job, inputs, output_dir, source_date_epoch)
            else:
                written = _build_handout(job, inputs, output_dir, source_date_epoch)
            result.written.append(written)
        except Untranslated as exc:
            result.skipped.append(job)
            result.problems.extend(p for p in exc.problems if p not in reported)
            reported.update(exc.problems)
        except ContentError as exc:
            result.failed.append(job)
            for problem in exc.problems:
                if problem not in reported:  # a broken layout fails many jobs but is reported once
                    reported.add(problem)
                    result.problems.append(problem)
        except OSError as exc:
            Interruption.raise_if_arrived()  # a signal that a library reported as an OSError
            result.failed.append(job)
            result.unwritable.append(job)
            where = Path(exc.filename) if exc.filename else output_dir
            result.problems.append(Problem(Origin(where), f"cannot write the PDF: {exc.strerror or exc}"))
        except Exception as exc:  # a renderer failure must not stop the other jobs
            Interruption.raise_if_arrived()
            result.failed.append(job)
            result.problems.append(Problem(Origin(_source_file(project, job)), f"could not lay this out ({type(exc).__name__}: {exc})"))
        Interruption.raise_if_arrived()  # even one a library swallowed whole
        if on_progress is not None:
            on_progress(job)
    result.problems.extend(inputs.warnings)
    result.seconds = time.perf_counter() - started
    return result


def _source_file(project: Project, job: Job | BundleJob) -> Path:
    if isinstance(job, BundleJob):
        return program_files(project)[job.program_id]
    return project.handout_files(job.lang)[job.handout_id]


def _require_glyphs(handout: Handout, layout: Layout, labels: Labels) -> None:
    glyphs = glyph_problems(printed_texts(handout, layout, labels), layout)
    if glyphs:
        raise ContentError(glyphs)


def _build_handout(job: Job, inputs: _Inputs, output_dir: Path, source_date_epoch: int | None) -> Written:
    from .render.document import render_handout  # ReportLab loads only when something is rendered

    handout = inputs.handout(job)
    layout = inputs.layout(job.layout)
    labels = inputs.labels(job.lang)
    _require_glyphs(handout, layout, labels)
    rendered = render_handout(handout, layout, labels, creation_time(handout, source_date_epoch), _reading_grade(handout, layout))
    path = output.handout_path(output_dir, job.layout, job.lang, job.handout_id)
    output.write_atomic(path, rendered.pdf)
    return Written(job, path, rendered.pages)


def _reading_grade(handout: Handout, layout: Layout) -> str | None:
    if not layout.show_reading_grade:
        return None
    from .quality.readability import measure, printed_grade

    return printed_grade(measure(handout))


def _build_bundle(job: BundleJob, inputs: _Inputs, output_dir: Path, source_date_epoch: int | None) -> Written:
    from .bundle import merge_inserts
    from .render.bundle import render_bundle

    plan, insert_pdfs, created = bundle_plan(job, inputs, source_date_epoch)
    rendered = render_bundle(plan, inputs.layout(job.layout), inputs.labels(job.lang), created)
    path = output.bundle_path(output_dir, job.layout, job.lang, job.program_id)
    output.write_atomic(path, merge_inserts(rendered, plan, insert_pdfs))
    return Written(job, path, rendered.pages)


def bundle_plan(job: BundleJob, inputs: _Inputs, source_date_epoch: int | None) -> tuple[BundlePlan, dict[str, bytes], dt.datetime]:
    """What a bundle holds (its handouts, validated, and its inserts' bytes), and its creation date."""
    from .render.bundle import BundlePlan, InsertPages

    program = inputs.program(job.program_id)
    layout = inputs.layout(job.layout)
    labels = inputs.labels(job.lang)
    text = inputs.program_text(program, job.lang)
    problems: list[Problem] = []
    untranslated: list[str] = []
    parts: list[Handout | InsertPages] = []
    insert_pdfs: dict[str, bytes] = {}
    for part in ordered_parts(program):
        if isinstance(part, Insert):
            try:
                data = part.path.read_bytes()
            except OSError as exc:
                raise ContentError([Problem(Origin(part.path), f"cannot read the insert: {exc.strerror}")]) from None
            insert_pdfs[part.id] = data
            parts.append(InsertPages(part.id, text.insert_titles[part.id].value, part.page_count, part.accessible))
            continue
        try:
            handout = inputs.handout(Job(part, job.lang, job.layout))
            _require_glyphs(handout, layout, labels)
            parts.append(handout)
        except Untranslated:
            untranslated.append(part)
        except ContentError as exc:
            problems.extend(exc.problems)
    glyphs = glyph_problems([t for t in (text.title, text.subtitle, *text.insert_titles.values()) if t is not None], layout)
    if problems or glyphs:
        raise ContentError(problems + glyphs)
    if untranslated:
        raise Untranslated([Problem(Origin(program.file), f"the '{job.lang}' bundle is not built: not translated yet: "
                                                          f"{', '.join(untranslated)}", "warning")])
    handouts = [part for part in parts if isinstance(part, Handout)]
    created = creation_time(max(handouts, key=lambda h: h.updated), source_date_epoch)
    return BundlePlan(program.id, text, job.lang, program.duplex, tuple(parts)), insert_pdfs, created
