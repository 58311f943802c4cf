"""Running one job: load and validate what it needs, render it, write it; the outcome, never an exception.

``run_job`` is what a build does for each output, in this process or in a
worker (``workers.py``). Inputs are loaded once per process and kept, with the
warnings their loading gave, so that every job that uses them carries those
warnings: a job skipped as up to date can then replay exactly what it said.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from . import fonts, inline, output
from .content import FallbackPolicy, load_handout, load_labels
from .errors import ContentError, Diagnostics, Interruption, Origin, Problem, UnsafeFile
from .files import MAX_ASSET_BYTES, read_limited
from .layouts import load_layout
from .manifest import static_files
from .model import (
    Handout,
    Insert,
    Labels,
    Layout,
    NotTranslated,
    Program,
    ProgramText,
    Text,
    handout_texts,
    layout_texts,
)
from .plan import AnyJob, BundleJob, Job
from .programs import load_program, ordered_parts, program_text
from .project import Project
from .render.formats import FORMATS
from .review import draft_problem, page_status
from .settings import Settings, load_settings

if TYPE_CHECKING:
    from .render.bundle import BundlePlan

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    """What became of one job. ``files``: every file the output was made from (for the manifest)."""

    job: AnyJob
    status: str  # "written", "failed", "unwritable" (the output folder's fault) or "untranslated"
    problems: tuple[Problem, ...] = ()
    path: Path | None = None
    pages: int = 0
    files: tuple[Path, ...] = ()
    rendered: bool = True  # False: up to date, taken from the manifest
    facts: dict[str, Any] = field(default_factory=dict)  # what the catalog says of the output


def creation_time(handout: Handout, source_date_epoch: int | None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when given, otherwise the handout's review date: never the clock."""
    if source_date_epoch is not None:
        return dt.datetime.fromtimestamp(source_date_epoch, dt.UTC)
    return dt.datetime.combine(handout.updated, dt.time(0, 0), dt.UTC)


def glyph_problems(texts: Iterable[Text], layout: Layout, lang: str) -> list[Problem]:
    """Characters in ``texts`` that none of the layout's fonts for ``lang`` can draw (body and heading fonts)."""
    texts = list(texts)
    problems: list[Problem] = []
    for chain in dict.fromkeys((layout.font_chain(lang), layout.font_chain(lang, heading=True))):
        families = tuple(fonts.FAMILIES[name] for name in chain)
        problems.extend(p for p in fonts.missing_glyphs(texts, families, lang, layout_file_hint(layout))
                        if p not in problems)
    return problems


def cut_warning(layout: Layout, part: str, words: str, short: str) -> Problem:
    """A header or footer text that did not fit its slot: said, not cut in silence."""
    return Problem(Origin(layout.file), f"the {part} text '{words}' does not fit its slot in layout '{layout.name}' "
                                        f"and prints as '{short}': shorten it, or give it a wider slot", "warning")


def assistance_glyph_problems(layout: Layout) -> list[Problem]:
    """Each language-assistance line drawn in the fonts of its own language."""
    return [p for lang, line in layout.language_assistance for p in glyph_problems([line], layout, lang)]


def layout_file_hint(layout: Layout) -> str:
    """Where a brand's fonts are named: the brand file that every layout extends, if there is one."""
    brand = layout.file.parent / "_brand.yaml"
    folder = layout.file.parent.name
    return f"{folder}/_brand.yaml" if brand.is_file() else f"{folder}/{layout.file.name}"


def printed_texts(handout: Handout, layout: Layout, labels: Labels) -> list[Text]:
    return [*handout_texts(handout), *layout_texts(layout), *labels.values.values()]


@dataclass
class _Loaded:
    value: Any
    found: Diagnostics = field(default_factory=Diagnostics)


# Layouts, labels and programs are few and kept for the whole process. Handouts (and their reading grades) are
# many: a process keeps the last KEPT_HANDOUTS of them, enough for all the layouts and formats of one (its jobs
# come together) and for a bundle's handouts in each layout, so that memory stays flat however large the library
# (a 1,000-handout build kept every one: 14 MiB more at its peak).
PER_HANDOUT = frozenset({"handout", "grade"})
KEPT_HANDOUTS = 64


class Inputs:
    """Loads each handout, layout, labels and program file once per process, remembering failures too.

    ``used`` collects, for the job running now, the warnings of every input it touched.
    """

    def __init__(self, project: Project, policy: FallbackPolicy):
        self.project = project
        self.policy = policy
        self._cache: dict[tuple[str, ...], _Loaded] = {}
        self._kept_handouts: OrderedDict[tuple[str, ...], None] = OrderedDict()  # (lang, id), oldest first
        self.used = Diagnostics()
        self.settings_warnings = Diagnostics()
        self.settings_error: ContentError | None = None
        try:
            self.settings = load_settings(project.root, self.settings_warnings)
        except ContentError as exc:  # an error in check is one in build: nothing is built on guessed settings
            self.settings_error = exc
            self.settings = Settings()

    def start_job(self) -> None:
        self.used = Diagnostics(self.settings_warnings)

    def _get(self, key: tuple[str, ...], load: Callable[[Diagnostics], T]) -> T:
        if key not in self._cache:
            loaded = _Loaded(None)
            try:
                loaded.value = load(loaded.found)
            except ContentError as exc:
                loaded.value = exc
            self._cache[key] = loaded
        if key[0] in PER_HANDOUT:  # (kind, lang, handout id): the handout is the one used last
            self._kept_handouts[key[1:]] = None
            self._kept_handouts.move_to_end(key[1:])
            if len(self._kept_handouts) > KEPT_HANDOUTS:
                oldest = self._kept_handouts.popitem(last=False)[0]
                for kind in PER_HANDOUT:
                    self._cache.pop((kind, *oldest), None)
        loaded = self._cache[key]
        self.used.extend(loaded.found)
        if isinstance(loaded.value, ContentError):
            raise loaded.value
        return cast(T, loaded.value)

    def handout(self, job: Job) -> Handout | NotTranslated:
        return self._get(("handout", job.lang, job.handout_id), lambda report: self._reviewed_enough(
            load_handout(self.project, job.handout_id, job.lang, report, self.policy)))

    def reading_grade(self, job: Job, handout: Handout) -> str | None:
        """The handout's reading grade, measured once per language however many layouts print it."""
        return self._get(("grade", job.lang, job.handout_id), lambda report: _reading_grade(handout))

    def _reviewed_enough(self, handout: Handout | NotTranslated) -> Handout | NotTranslated:
        """A draft builds (and says so on every page), unless --strict and the settings refuse drafts."""
        if isinstance(handout, Handout) and self.policy.strict and not self.settings.allow_drafts:
            problem = draft_problem(handout, self.settings.file)
            if problem is not None:
                raise ContentError([problem])
        return handout

    def layout(self, name: str) -> Layout:
        return self._get(("layout", name), lambda report: self._checked_layout(name, report))

    def _checked_layout(self, name: str, report: Diagnostics) -> Layout:
        """The layout, held to the print rules 'check' applies: low contrast or too small a type is an error
        here as there (nothing is printed that check refuses)."""
        from .quality.rules import check_layout

        layout = load_layout(name, self.project.root, report)
        found = check_layout(layout)
        report.extend(problem for problem in found if not problem.is_error)
        errors = [problem for problem in found if problem.is_error]
        if errors:
            raise ContentError(errors)
        return layout

    def labels(self, lang: str) -> Labels:
        return self._get(("labels", lang), lambda report: load_labels(self.project, lang, report))

    def program(self, program_id: str) -> Program:
        file = self.project.program_files()[program_id]
        ids = set(self.project.handout_ids())
        return self._get(("program", program_id), lambda report: load_program(self.project, file, ids, report))

    def program_text(self, program: Program, lang: str) -> ProgramText:
        return self._get(("program_text", program.id, lang),
                         lambda report: program_text(self.project, program, lang, report))


def run_job(job: AnyJob, inputs: Inputs, output_dir: Path, source_date_epoch: int | None) -> Outcome:
    """Build one output; every failure becomes the outcome's problems (a signal still stops the build)."""
    inputs.start_job()
    files: list[Path]
    facts: dict[str, Any]
    status, problems, path, pages, files, facts = "failed", [], None, 0, [], {}
    try:
        if inputs.settings_error is not None:
            raise inputs.settings_error
        if isinstance(job, BundleJob):
            built = _build_bundle(job, inputs, output_dir, source_date_epoch)
        else:
            built = _build_handout(job, inputs, output_dir, source_date_epoch)
        if isinstance(built, NotTranslated):
            status = "untranslated"  # its warning, naming the parts, is among the inputs' problems
        else:
            status, (path, pages, files, facts) = "written", built
    except ContentError as exc:
        problems = list(exc.problems)
    except OSError as exc:
        Interruption.raise_if_arrived()  # a signal that a library reported as an OSError
        status = "unwritable"
        named = exc.filename2 or exc.filename  # os.replace names the temporary file first and the output second
        where = Path(named) if named else output_dir
        if where.name.startswith(output.TEMPORARY_PREFIX):  # a name of our own making: say which output it was for
            where = job.output_path(output_dir)
        if where.is_absolute() and not where.is_relative_to(output_dir):  # a file read, not one written
            status = "failed"
            problems = [Problem(Origin(where), f"cannot read this file: {exc.strerror or exc}")]
        else:
            problems = [Problem(Origin(where), f"cannot write the {FORMATS[job.format].noun}: {exc.strerror or exc}")]
    except Exception as exc:  # a renderer failure must not stop the other jobs
        Interruption.raise_if_arrived()
        if type(exc).__name__ == "LayoutError":  # ReportLab's, known by name: a no-op build never imports ReportLab
            problems = [Problem(Origin(_source_file(inputs.project, job)),
                                f"does not fit the page in layout '{job.layout}': a part of it is larger than a "
                                f"whole page at that layout's sizes; make body_size, leading, the scales or the "
                                f"margins in layouts/{job.layout}.yaml smaller, or split the part")]
        else:
            problems = [Problem(Origin(_source_file(inputs.project, job)),
                                f"could not lay this out ({type(exc).__name__}: {exc})")]
    Interruption.raise_if_arrived()  # even one a library swallowed whole
    problems = Diagnostics([*problems, *inputs.used]).problems
    return Outcome(job, status, tuple(problems), path, pages, tuple(files), facts=facts)


def _source_file(project: Project, job: AnyJob) -> Path:
    if isinstance(job, BundleJob):
        return project.program_files()[job.program_id]
    return project.handout_file(job.lang, job.handout_id) or project.handouts_dir / job.lang


def _require_glyphs(handout: Handout, layout: Layout, labels: Labels) -> None:
    glyphs = glyph_problems(printed_texts(handout, layout, labels), layout, handout.lang)
    if layout.assistance_on_handouts:
        glyphs += assistance_glyph_problems(layout)
    if glyphs:
        raise ContentError(glyphs)


def _model_files(handout: Handout | None, layout: Layout) -> list[Path]:
    """Files known only from the validated content: the logo and the handout's images."""
    from .blocks.image import Image

    files = [layout.logo] if layout.logo is not None else []
    if handout is not None:
        files += [block.path for block in handout.body if isinstance(block, Image)]
    return files


Built = tuple[Path, int, list[Path], dict[str, Any]]  # the file written, its pages, the files it used, its facts


def _build_handout(job: Job, inputs: Inputs, output_dir: Path, source_date_epoch: int | None) -> Built | NotTranslated:
    handout = inputs.handout(job)
    if isinstance(handout, NotTranslated):
        return handout
    layout = inputs.layout(job.layout)
    labels = inputs.labels(job.lang)
    grade = inputs.reading_grade(job, handout)
    files = _model_files(handout, layout)
    if job.format == "html":
        from .render.html import render_handout_html

        data, pages = render_handout_html(handout, layout, labels, grade if layout.show_reading_grade else None,
                                          {str(path): _read(path) for path in files if path != layout.logo},
                                          _read(layout.logo) if layout.logo is not None else None), 0
    else:
        from .render.document import render_handout  # ReportLab loads only when something is rendered

        _require_glyphs(handout, layout, labels)
        rendered = render_handout(handout, layout, labels, creation_time(handout, source_date_epoch),
                                  grade if layout.show_reading_grade else None)
        data, pages = rendered.pdf, rendered.pages
        inputs.used.extend(cut_warning(layout, *cut) for cut in rendered.cuts)
    path = job.output_path(output_dir)
    output.write_atomic(path, data, output_dir)
    return path, pages, files, handout_facts(handout, labels, grade, pages)


def _read(path: Path, what: str = "the file") -> bytes:
    try:
        return read_limited(path, MAX_ASSET_BYTES)
    except UnsafeFile as exc:
        raise ContentError([Problem(Origin(path), f"{what} {exc}")]) from None
    except OSError as exc:
        raise ContentError([Problem(Origin(path), f"cannot read {what}: {exc.strerror}")]) from None


def handout_facts(handout: Handout, labels: Labels, grade: str | None, pages: int) -> dict[str, Any]:
    """What the catalog shows of a handout, in its own language."""
    return {
        "id": handout.id, "lang": handout.lang, "title": inline.plain_text(handout.title.value),
        "subtitle": inline.plain_text(handout.subtitle.value) if handout.subtitle else "",
        "summary": inline.plain_text(handout.summary.value), "keywords": list(handout.keywords),
        "grade": grade or "", "updated": handout.updated.isoformat(), "status": page_status(handout, labels),
        "reviewed": handout.fully_reviewed, "pages": pages,
    }


def _reading_grade(handout: Handout) -> str | None:
    from .quality.readability import measure, printed_grade

    return printed_grade(measure(handout))


def _build_bundle(job: BundleJob, inputs: Inputs, output_dir: Path,
                  source_date_epoch: int | None) -> Built | NotTranslated:
    from .bundle import merge_inserts
    from .render.bundle import render_bundle

    planned = bundle_plan(job, inputs, source_date_epoch)
    if isinstance(planned, NotTranslated):
        return planned
    plan, insert_pdfs, created = planned
    layout = inputs.layout(job.layout)
    rendered = render_bundle(plan, layout, inputs.labels(job.lang), created)
    path = job.output_path(output_dir)
    output.write_atomic(path, merge_inserts(rendered, plan, insert_pdfs), output_dir)
    program = inputs.program(job.program_id)
    files = [insert.path for insert in program.inserts] + _model_files(None, layout)
    shared: dict[tuple[str, str], list[Path]] = {}  # the layout chain and labels, found once, not once per handout
    for handout_id in program.handouts:
        files += static_files(inputs.project, "handout", handout_id, job.lang, job.layout, shared)
        handout = inputs.handout(Job(handout_id, job.lang, job.layout))
        files += _model_files(handout if isinstance(handout, Handout) else None, layout)
    facts = {"program": program.id, "lang": job.lang, "title": plan.text.title.value,
             "handouts": list(program.handouts)}
    return path, rendered.pages, files, facts


def bundle_plan(job: BundleJob, inputs: Inputs,
                source_date_epoch: int | None) -> tuple[BundlePlan, dict[str, bytes], dt.datetime] | NotTranslated:
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
            insert_pdfs[part.id] = _read(part.path, "the insert")
            parts.append(InsertPages(part.id, text.insert_titles[part.id].value, part.page_count, part.accessible))
            continue
        try:
            handout = inputs.handout(Job(part, job.lang, job.layout))
            if isinstance(handout, NotTranslated):
                untranslated.append(part)
                continue
            _require_glyphs(handout, layout, labels)
            parts.append(handout)
        except ContentError as exc:
            problems.extend(exc.problems)
    glyphs = glyph_problems([t for t in (text.title, text.subtitle, *text.insert_titles.values()) if t is not None],
                            layout, job.lang) + assistance_glyph_problems(layout)
    if problems or glyphs:
        raise ContentError(problems + glyphs)
    if untranslated:
        inputs.used.warn(Origin(program.file), f"the '{job.lang}' bundle is not built: not translated yet: "
                                               f"{', '.join(untranslated)}")
        return NotTranslated(job.lang, tuple(untranslated))
    handouts = [part for part in parts if isinstance(part, Handout)]
    created = creation_time(max(handouts, key=lambda h: h.updated), source_date_epoch)
    return BundlePlan(program.id, text, job.lang, program.duplex, tuple(parts)), insert_pdfs, created
