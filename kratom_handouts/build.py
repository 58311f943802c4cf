"""Building: every planned job that is not up to date is rendered and written; the rest are taken from the manifest.

One broken handout never stops the others: each failure becomes problems in
the result, and only good PDFs are written (atomically). Jobs run in worker
processes (``workers.py``); results are gathered in the planned order, so the
report and the files are the same whatever the number of workers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import output
from .content import FallbackPolicy
from .errors import Diagnostics, Origin, Problem
from .jobs import Outcome
from .manifest import Hashes, Manifest, static_files, tool_fingerprint
from .plan import AnyJob, BundleJob, Job, handouts_in
from .project import BROKEN_LINK, Project, buildable
from .render.formats import FORMATS


@dataclass(frozen=True)
class Written:
    job: AnyJob
    path: Path
    pages: int


@dataclass
class BuildResult:
    written: list[Written] = field(default_factory=list)  # rendered and written by this build
    up_to_date: list[Written] = field(default_factory=list)  # made by an earlier build from the same inputs
    problems: list[Problem] = field(default_factory=list)
    failed: list[AnyJob] = field(default_factory=list)
    unwritable: list[AnyJob] = field(default_factory=list)  # failed for the output folder, not the content
    skipped: list[AnyJob] = field(default_factory=list)  # translations not finished: reported, not failed
    stale: list[Path] = field(default_factory=list)  # outputs of handouts, programs or layouts that are gone
    pruned: list[Path] = field(default_factory=list)  # ... and removed (--prune)
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


def build_constants(source_date_epoch: int | None, policy: FallbackPolicy) -> dict[str, Any]:
    """What changes every output besides its input files."""
    return {"tool": tool_fingerprint(), "source_date_epoch": source_date_epoch,
            "allow_fallback": policy.allow_fallback, "strict": policy.strict}


def build(
    project: Project,
    jobs: Sequence[AnyJob],
    output_dir: Path,
    source_date_epoch: int | None = None,
    on_progress: Callable[[AnyJob], None] | None = None,
    policy: FallbackPolicy = FallbackPolicy(),
    workers: int = 1,
    force: bool = False,
    prune: bool = False,
    catalog: bool = True,
) -> BuildResult:
    """Render and write every job that is not up to date; problems are collected, never raised."""
    from .workers import run_jobs

    started = time.perf_counter()
    output.remove_stale_temporaries(output_dir)
    manifest = Manifest.load(output_dir, project)
    hashes = Hashes()
    constants = build_constants(source_date_epoch, policy)
    shared: dict[tuple[str, str], list[Path]] = {}

    def inputs_of(job: AnyJob) -> list[Path]:
        return static_files(project, "bundle" if isinstance(job, BundleJob) else "handout", job.name, job.lang,
                            job.layout, shared)

    outcomes: dict[int, Outcome] = {}
    to_render: list[int] = []
    kept_out_of_date: dict[Path, None] = {}  # outputs of translations no longer finished, in the order found
    layouts = buildable(project.layouts_dir)
    for index, job in enumerate(jobs):
        path = job.output_path(output_dir)
        entry = None if force else manifest.up_to_date(path, constants, inputs_of(job), hashes)
        if entry is None:
            to_render.append(index)
            continue
        outcomes[index] = Outcome(job, "written", tuple(entry.replayed_warnings(project.root)), path, entry.pages,
                                  rendered=False, facts=entry.facts)
        if on_progress is not None:
            on_progress(job)
    try:
        # closing: a signal that lands while an outcome is recorded here stops the workers at once (the jobs'
        # generator is closed now, not when it is collected after the manifest is saved)
        with closing(run_jobs(project, [jobs[i] for i in to_render], output_dir, source_date_epoch, policy,
                              workers)) as rendered:
            for index, outcome in zip(to_render, rendered, strict=False):
                outcomes[index] = outcome
                path = outcome.job.output_path(output_dir)
                if outcome.status == "written":
                    manifest.record(path, constants, [*inputs_of(outcome.job), *outcome.files], hashes,
                                    outcome.problems, outcome.pages, outcome.facts)
                elif outcome.status == "untranslated":
                    kept_out_of_date.update(dict.fromkeys(_set_aside(manifest, outcome.job, layouts)))
                else:
                    manifest.forget(path)
                if on_progress is not None:
                    on_progress(outcome.job)
    finally:  # an interrupted build still remembers what it finished
        result = _gather([outcomes[i] for i in sorted(outcomes)])
        result.problems.extend(Problem(Origin(path), OUT_OF_DATE, "warning") for path in kept_out_of_date)
        broken = project.broken_links()
        if broken:  # its outputs are not stale: the folder only cannot be reached
            result.problems.extend(Problem(Origin(folder), f"{BROKEN_LINK}; nothing is reported stale or pruned "
                                                           "until it is fixed", "warning") for folder in broken)
        else:
            result.stale, result.pruned = _stale_outputs(project, manifest, prune)
        if output_dir.is_dir():
            problem = manifest.save()
            if problem is not None:
                result.problems.append(problem)
    if output_dir.is_dir() and catalog:
        from .catalog import CATALOG_FILE, write_catalog

        # A rebuild that rendered and removed nothing leaves the catalog as it is: it is made from the same entries.
        if to_render or result.pruned or not (output_dir / CATALOG_FILE).is_file():
            found = Diagnostics()
            write_catalog(project, output_dir, manifest.entries, found, workers)
            result.problems.extend(found.problems)
    result.seconds = time.perf_counter() - started
    return result


OUT_OF_DATE = ("out of date: made from this translation when it was finished, and left as it was; it is not in the "
               "catalog while the translation is not finished (finish it, or delete this file)")


def _set_aside(manifest: Manifest, job: AnyJob, layouts: list[str]) -> list[Path]:
    """A translation that is not finished is not finished in any layout or format: its outputs there, made
    when it was, leave the manifest (and so the catalog, which would offer them for print), and those still on
    disk are returned, to be reported. They are not removed: they are the last ones made."""
    kept = []
    for sibling in _every_output(job.name, job.lang, layouts, isinstance(job, BundleJob)):
        path = sibling.output_path(manifest.output_dir)
        manifest.forget(path)
        if path.is_file() and path not in kept:
            kept.append(path)
    return kept


def _every_output(name: str, lang: str, layouts: list[str], bundle: bool) -> list[AnyJob]:
    """The jobs of a handout (or a program's bundle) in a language in every layout and format (the web edition,
    one whatever the layout, comes once for each)."""
    if bundle:
        return [BundleJob(name, lang, layout, form.name) for layout in layouts for form in FORMATS.values()
                if form.bundles]
    return [Job(name, lang, layout, form.name) for layout in layouts for form in FORMATS.values()]


def _gather(outcomes: list[Outcome]) -> BuildResult:
    """Outcomes in planned order -> the result: errors in job order, each reported once, then the warnings."""
    result = BuildResult()
    errors: dict[Problem, None] = {}
    warnings: dict[Problem, None] = {}
    for outcome in outcomes:
        job = outcome.job
        if outcome.status == "written":
            assert outcome.path is not None
            (result.written if outcome.rendered else result.up_to_date).append(
                Written(job, outcome.path, outcome.pages))
        elif outcome.status == "untranslated":
            result.skipped.append(job)
        else:
            result.failed.append(job)
            if outcome.status == "unwritable":
                result.unwritable.append(job)
        for problem in outcome.problems:
            # a broken layout fails many jobs but is reported once; an untranslated bundle's notice is a warning
            (errors if problem.is_error else warnings).setdefault(problem)
    result.problems = [*errors, *warnings]
    return result


def _stale_outputs(project: Project, manifest: Manifest, prune: bool) -> tuple[list[Path], list[Path]]:
    """Outputs the manifest knows of whose handout, program, language or layout the project no longer has."""
    if not manifest.entries:
        return [], []
    layouts = buildable(project.layouts_dir)
    programs = list(project.program_files())
    possible: set[str] = set()
    for lang in project.languages():
        named = [(h, False) for h in handouts_in(project, lang)] + [(p, True) for p in programs]
        possible.update(manifest.key(job.output_path(manifest.output_dir))
                        for name, bundle in named for job in _every_output(name, lang, layouts, bundle))
    gone = [manifest.output_dir / key for key in manifest.entries if key not in possible]
    stale = [path for path in gone if os.path.lexists(path)]
    for path in set(gone) - set(stale):  # deleted by hand already: nothing to report
        manifest.forget(path)
    pruned = []
    if prune:
        for path in stale:
            if _removed(path, manifest.output_dir):
                manifest.forget(path)
                pruned.append(path)
    return stale, pruned


def _removed(path: Path, output_dir: Path) -> bool:
    """Remove a stale output, only if it is a file reached without leaving the output folder through a link (a
    linked folder under output/ must not lead a prune elsewhere); one that cannot be removed stays reported."""
    try:
        inside = output_dir.resolve()
        if not path.parent.resolve().is_relative_to(inside) or path.is_dir():
            return False
        path.unlink(missing_ok=True)
    except (OSError, RuntimeError):  # not ours to remove (read-only, in use), or a loop of links
        return False
    return True
