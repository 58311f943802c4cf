"""What to build, and building it: handouts x languages x layouts -> PDFs in the output folder.

One broken handout never stops the others: each failure becomes problems in
the result, and only good PDFs are written (atomically).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterable

from . import fonts, output
from .content import load_handout, load_labels
from .errors import ContentError, Origin, Problem
from .layouts import buildable, load_layout
from .model import Handout, Labels, Layout, handout_texts, layout_texts
from .project import DEFAULT_LAYOUT, Project


@dataclass(frozen=True)
class Job:
    handout_id: str
    lang: str
    layout: str


@dataclass(frozen=True)
class Written:
    job: Job
    path: Path
    pages: int


@dataclass
class BuildResult:
    written: list[Written] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[Job] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(w.pages for w in self.written)

    @property
    def ok(self) -> bool:
        return not self.failed and not any(p.is_error for p in self.problems)


class SelectionError(Exception):
    """The command asked for something the project does not have."""


def plan(project: Project, ids: Iterable[str] = (), langs: Iterable[str] = (), layouts: Iterable[str] = ()) -> list[Job]:
    """Every handout x language x layout selected; by default all handouts, all languages, the default layout."""
    ids, langs, layouts = list(ids), list(langs), list(layouts)
    known_langs = project.languages()
    for lang in langs:
        if lang not in known_langs:
            raise SelectionError(f"unknown language '{lang}'; the languages are: {', '.join(known_langs) or 'none'}")
    known_ids = project.handout_ids()
    for handout_id in ids:
        if handout_id not in known_ids:
            raise SelectionError(f"unknown handout '{handout_id}'; run 'kratom-handouts list' to see them")
    known_layouts = buildable(project.layouts_dir)
    for name in layouts:
        if name not in known_layouts:
            raise SelectionError(f"unknown layout '{name}'; the layouts are: {', '.join(known_layouts) or 'none'}")
    layouts = layouts or [DEFAULT_LAYOUT]
    jobs = []
    for layout in layouts:
        for lang in langs or known_langs:
            files = project.handout_files(lang)
            jobs.extend(Job(handout_id, lang, layout) for handout_id in (ids or files) if handout_id in files)
    return jobs


def creation_time(handout: Handout, source_date_epoch: int | None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when given, otherwise the handout's review date: never the clock."""
    if source_date_epoch is not None:
        return dt.datetime.fromtimestamp(source_date_epoch, dt.UTC)
    return dt.datetime.combine(handout.reviewed, dt.time(0, 0), dt.UTC)


def glyph_problems(handout: Handout, layout: Layout, labels: Labels) -> list[Problem]:
    texts = [*handout_texts(handout), *layout_texts(layout), *labels.values.values()]
    problems: list[Problem] = []
    for family in dict.fromkeys((layout.body_font, layout.heading_font)):
        problems.extend(fonts.missing_glyphs(texts, fonts.FAMILIES[family]))
    return problems


class _Inputs:
    """Loads each handout, layout and labels file once per build, remembering failures too."""

    def __init__(self, project: Project):
        self.project = project
        self._cache: dict[tuple, object] = {}
        self.warnings: list[Problem] = []

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
        file = self.project.handout_files(job.lang)[job.handout_id]
        return self._get(("handout", job.lang, job.handout_id), lambda: load_handout(self.project, file, job.lang, self.warnings))

    def layout(self, name: str) -> Layout:
        return self._get(("layout", name), lambda: load_layout(name, self.project.root, self.warnings))

    def labels(self, lang: str) -> Labels:
        return self._get(("labels", lang), lambda: load_labels(self.project, lang, self.warnings))


def build(
    project: Project,
    jobs: list[Job],
    output_dir: Path,
    source_date_epoch: int | None = None,
    on_progress: Callable[[Job], None] | None = None,
) -> BuildResult:
    """Render and write every job; problems are collected, never raised."""
    from .render.document import render_handout  # ReportLab loads only when something is rendered

    started = time.perf_counter()
    result = BuildResult()
    reported: set[Problem] = set()
    inputs = _Inputs(project)
    for job in jobs:
        try:
            handout = inputs.handout(job)
            layout = inputs.layout(job.layout)
            labels = inputs.labels(job.lang)
            glyphs = glyph_problems(handout, layout, labels)
            if glyphs:
                raise ContentError(glyphs)
            rendered = render_handout(handout, layout, labels, creation_time(handout, source_date_epoch))
            path = output.handout_path(output_dir, job.layout, job.lang, job.handout_id)
            output.write_atomic(path, rendered.pdf)
            result.written.append(Written(job, path, rendered.pages))
        except ContentError as exc:
            result.failed.append(job)
            for problem in exc.problems:
                if problem not in reported:  # a broken layout fails many jobs but is reported once
                    reported.add(problem)
                    result.problems.append(problem)
        except OSError as exc:
            result.failed.append(job)
            result.problems.append(Problem(Origin(Path(exc.filename or output_dir)), f"cannot write the PDF: {exc.strerror}"))
        except Exception as exc:  # a renderer failure must not stop the other handouts
            result.failed.append(job)
            file = project.handout_files(job.lang)[job.handout_id]
            result.problems.append(Problem(Origin(file), f"could not lay out this handout ({type(exc).__name__}: {exc})"))
        if on_progress is not None:
            on_progress(job)
    result.problems.extend(inputs.warnings)
    result.seconds = time.perf_counter() - started
    return result
