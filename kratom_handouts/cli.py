"""The ``kratom-handouts`` command: parses options, calls the library, prints results.

This is the only module that knows about a terminal. Exit codes (docs/SECURITY.md):
0 success, 1 a problem in the content, layouts or programs, 2 a usage error,
3 the output could not be written, 130 interrupted (Ctrl-C), 143 stopped by SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .errors import ContentError, ExitCode, Interruption, Problem, SelectionError, Stopped, printable
from .project import Project, find_project

if TYPE_CHECKING:  # for annotations only: the commands import what they need when they run
    import datetime as dt
    from types import FrameType

    from .build import BuildResult
    from .check import CheckResult
    from .content import FallbackPolicy
    from .i18n.sync import SyncReport
    from .plan import AnyJob

FC = TypeVar("FC", bound=Callable[..., Any])


def build_options(command: FC) -> FC:
    """What every command that writes outputs shares: where, how many workers, what to rebuild, which slice."""
    command = click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="Where everything built goes (PDFs, web pages, the catalog). "
                                "Default: output/ in the project.")(command)
    command = click.option("--jobs", "-j", "workers", type=click.IntRange(min=1), default=None, metavar="N",
                           help="Worker processes. Default: one per core.")(command)
    command = click.option("--force", is_flag=True,
                           help="Rebuild everything, even outputs that are up to date.")(command)
    command = click.option("--prune", is_flag=True,
                           help="Remove outputs of handouts, programs or layouts the project no longer has.")(command)
    command = click.option("--quiet", "-q", "verbosity", flag_value=0, help="Print problems only.")(command)
    command = click.option("--verbose", "-v", "verbosity", flag_value=2, help="Name every file written.")(command)
    command = click.option("--verbosity", "verbosity", hidden=True, default=1, type=int)(command)
    return click.option("--shard", type=ShardType(), default=None, metavar="I/N",
                        help="Build only the I-th of N stable slices of the jobs (for splitting a build across "
                             "machines).")(command)


class ShardType(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2 on; the project allows 8.1
    name = "shard"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        index, _, count = str(value).partition("/")
        if not (index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
            self.fail(f"'{value}' is not a slice like 2/4 (the second of four; I from 1 to N)", param, ctx)
        return int(index), int(count)


def translation_options(command: FC) -> FC:
    command = click.option("--strict", is_flag=True,
                           help="Untranslated or out-of-date parts of a translation are errors.")(command)
    return click.option("--allow-fallback", is_flag=True,
                        help="Build translations that are not finished, with the missing parts in English.")(command)


project_option = click.option(
    "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The project folder (with handouts/ and layouts/). Default: this folder, or the nearest one above it "
         "with a handouts/ folder.",
)


def _project(project_dir: Path | None) -> Project:
    """The project folder given, or the one this folder is in; a folder without handouts/ is a usage mistake,
    said plainly."""
    try:
        here = Path.cwd()
    except OSError:  # the folder this was run in is gone
        if project_dir is None:
            click.echo("Error: the current folder no longer exists; run this in the project folder, or give "
                       "--project DIR.", err=True)
            sys.exit(ExitCode.USAGE)
        here = Path("/")
    found = find_project(here) if project_dir is None else _resolved(project_dir, ExitCode.USAGE)
    project = Project(found or here)
    if project_dir is not None and not project.root.is_dir():
        click.echo(f"Error: {project.root} does not exist (or is not a folder); give --project the project folder, "
                   "the one with handouts/ and layouts/.", err=True)
        sys.exit(ExitCode.USAGE)
    if not project.handouts_dir.is_dir():
        why = "it has no handouts/ folder" if project_dir else "neither it nor a folder above it has a handouts/ folder"
        click.echo(f"Error: {project.root} is not a kratom-handouts project ({why}). "
                   "Run this in the project folder, or give --project DIR.", err=True)
        sys.exit(ExitCode.USAGE)
    if project.root != here and project_dir is None:  # the paths printed are the project's, so say which
        click.echo(f"Project: {project.root}", err=True)
    return project


def _output_folder(project: Project, given: Path | None) -> Path:
    """The folder to write into: the one given, or the project's output/, which may not be a link out of it."""
    if given is not None:
        folder = _resolved(given, ExitCode.OUTPUT)
        blocking = next((part for part in (folder, *folder.parents) if part.exists() and not part.is_dir()), None)
        if blocking is not None:  # every output would fail at it, one message each
            click.echo(f"Error: --output {given}: {blocking} is a file, not a folder; give a folder (it is made if "
                       "it is not there).", err=True)
            sys.exit(ExitCode.OUTPUT)
        for source in ("handouts", "layouts", "programs"):  # outputs there would be read as content next time
            inside = _resolved(project.root / source, ExitCode.USAGE)  # a content folder may be a link
            if folder == inside or inside in folder.parents:
                click.echo(f"Error: --output {given} is inside the project's {source}/ folder, where the next "
                           f"build would read the outputs as {source}; write somewhere else (the default is "
                           "output/).", err=True)
                sys.exit(ExitCode.USAGE)
        return folder
    folder = _resolved(project.root / "output", ExitCode.OUTPUT)
    if not folder.is_relative_to(project.root):
        click.echo(f"Error: output/ in the project is a link to {folder}, outside the project; nothing is written "
                   "there. Remove the link, or give --output DIR to write somewhere on purpose.", err=True)
        sys.exit(ExitCode.OUTPUT)
    return folder


def _resolved(folder: Path, exit_code: int) -> Path:
    """The folder with its links followed; a loop of links (or a folder that cannot be looked at) is said plainly."""
    try:
        return folder.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python 3.11's word for a loop of links
        click.echo(f"Error: {folder.absolute()} is a link that leads back to itself (a loop of links), or cannot be "
                   "looked at; give a real folder.", err=True)
        sys.exit(exit_code)


def _report(problems: list[Problem], project: Project) -> None:
    for problem in problems:
        click.echo(problem.describe(project.root), err=True)


LAST_SECOND_OF_9999 = 253_402_300_799


def _source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):  # str.isdigit() takes '¹²³' and '٣'
        raise click.UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, found '{value}'")
    if len(value) > 12 or int(value) > LAST_SECOND_OF_9999:
        raise click.UsageError(f"SOURCE_DATE_EPOCH {value[:20]} is after the year 9999, which a PDF date cannot hold")
    return int(value)


class _Guarded(click.Group):
    """The command group: a failure that no part of the tool expected ends in one plain message, not a
    traceback (staff cannot act on one; a developer sets KRATOM_HANDOUTS_DEBUG=1 to see it)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # Click's own ways of ending a command
        except Exception as exc:
            if os.environ.get("KRATOM_HANDOUTS_DEBUG"):
                raise
            what = printable(f"{type(exc).__name__}: {exc}")
            click.echo(f"Error: kratom-handouts stopped on a failure of its own ({what}). Files already written "
                       "are complete. Reinstall kratom-handouts; if this happens again, report it with the command "
                       "you ran (KRATOM_HANDOUTS_DEBUG=1 shows where it failed).", err=True)
            sys.exit(ExitCode.DEFECT)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kratom-handouts")
def main() -> None:
    """Turn plain-language YAML handouts into branded, printable PDFs."""
    import logging

    # pypdf logs what it meets in a damaged insert ("Error -3 while decompressing data") with no file name; what
    # matters reaches staff as our own located message.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--lang", "langs", multiple=True, metavar="LANG",
              help="Build only this language (repeatable). Default: all.")
@click.option("--layout", "layouts", multiple=True, metavar="NAME",
              help="Build with this layout (repeatable; 'all': every layout). Default: standard.")
@click.option("--format", "formats", multiple=True, type=click.Choice(["pdf", "html"]),
              help="pdf (print) or html (the web edition), repeatable. Default: both.")
@click.option("--no-bundles", is_flag=True, help="Build handouts only, not the program bundles.")
@build_options
@translation_options
@project_option
def build(ids: tuple[str, ...], langs: tuple[str, ...], layouts: tuple[str, ...], formats: tuple[str, ...],
          no_bundles: bool, allow_fallback: bool, strict: bool, project_dir: Path, **options: Any) -> None:
    """Build handouts to OUTPUT/<layout>/<lang>/<id>.pdf, and bundles to OUTPUT/bundles/<layout>/<lang>/<program>.pdf.

    IDS selects handouts (default: all of them); bundles are built only when no IDS are given. A translation
    not finished is skipped with a warning, or fails the command when the handout is in IDS and its language
    is given with --lang.
    """
    from .plan import plan, plan_bundles

    project = _project(project_dir)
    formats = formats or ("pdf", "html")
    bundles = not (ids or no_bundles or "pdf" not in formats)
    jobs = _plan(project, langs, lambda: plan(project, ids, langs, layouts, formats)
                 + (plan_bundles(project, (), langs, layouts) if bundles else []), ids)
    _run(project, jobs, _policy(allow_fallback, strict), named=bool(ids and langs), **options)


@main.command()
@click.argument("programs", nargs=-1)
@click.option("--lang", "langs", multiple=True, metavar="LANG",
              help="Only this language (repeatable). Default: every language that has all of a program's handouts.")
@click.option("--layout", "layouts", multiple=True, metavar="NAME",
              help="Use this layout instead of the program's own (repeatable).")
@build_options
@translation_options
@project_option
def bundle(programs: tuple[str, ...], langs: tuple[str, ...], layouts: tuple[str, ...],
           allow_fallback: bool, strict: bool, project_dir: Path, **options: Any) -> None:
    """Build program bundles to OUTPUT/bundles/<layout>/<lang>/<program>.pdf.

    PROGRAMS selects programs (default: all of them, from programs/). A bundle whose translation is not
    finished is skipped with a warning, or fails the command when the program is in PROGRAMS and its
    language is given with --lang.
    """
    from .plan import plan_bundles

    project = _project(project_dir)
    _run(project, _plan(project, langs, lambda: plan_bundles(project, programs, langs, layouts)),
         _policy(allow_fallback, strict), named=bool(programs and langs), **options)


def _plan(project: Project, langs: Sequence[str], make_jobs: Callable[[], Sequence[AnyJob]],
          ids: Sequence[str] = ()) -> Sequence[AnyJob]:
    from .plan import nothing_to_build

    try:
        jobs = make_jobs()
    except SelectionError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    if not jobs:
        click.echo(nothing_to_build(project, langs, ids), err=True)
        sys.exit(ExitCode.CONTENT)
    return jobs


def _policy(allow_fallback: bool, strict: bool) -> FallbackPolicy:
    from .content import FallbackPolicy

    return FallbackPolicy(allow_fallback=allow_fallback, strict=strict)


def _stop_on_signals() -> None:
    """SIGTERM unwinds like Ctrl-C; both are remembered, in case a library turns them into other errors.

    A worker process starts with these handlers, until it sets its own (workers.py): a signal in that moment
    ends the worker quietly (SIGTERM) or is left to the main process (Ctrl-C), rather than raising inside the
    worker's start, which printed a traceback.
    """
    import threading

    main_process = os.getpid()

    def stop(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != main_process:
            os._exit(ExitCode.TERMINATED)
        Interruption.arrive(Stopped)

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != main_process:
            return
        Interruption.arrive(KeyboardInterrupt)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, interrupt)


def _run(project: Project, jobs: Sequence[AnyJob], policy: FallbackPolicy, output_dir: Path | None, workers: int | None,
         force: bool, prune: bool, shard: tuple[int, int] | None, verbosity: int, named: bool = False) -> None:
    """``named``: the handouts (or programs) and languages were named on the command line, so one of them
    skipped fails the command (a build of every language skips the ones not finished, and succeeds)."""
    from .plan import shard as slice_of
    from .workers import default_workers

    if shard is not None:
        jobs = slice_of(jobs, *shard)
    try:
        Interruption.signal = None
        _stop_on_signals()
        _build_and_report(project, jobs, policy, output_dir, workers or default_workers(), force, prune, verbosity,
                          named)
    except KeyboardInterrupt:
        click.echo("\nInterrupted: PDFs already written are complete; nothing half-written was left.", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except Stopped as exc:
        click.echo("Stopped: PDFs already written are complete; nothing half-written was left.", err=True)
        sys.exit(exc.exit_code)


def _build_and_report(project: Project, jobs: Sequence[AnyJob], policy: FallbackPolicy, output_dir: Path | None,
                      workers: int, force: bool, prune: bool, verbosity: int, named: bool) -> None:
    from .build import build as run_build
    from .catalog import CATALOG_FILE
    from .plan import BundleJob

    output_dir = _output_folder(project, output_dir)
    epoch = _source_date_epoch()
    options: dict[str, Any] = {"policy": policy, "workers": workers, "force": force, "prune": prune}
    if sys.stderr.isatty():
        def show(job: AnyJob | None) -> str:
            return str(job) if job else ""

        with click.progressbar(length=len(jobs), label="Building", file=sys.stderr, item_show_func=show) as bar:
            result = run_build(project, jobs, output_dir, epoch, on_progress=lambda job: bar.update(1, job), **options)
    else:  # logs and CI get the summary line only, not a bar redrawn in place
        result = run_build(project, jobs, output_dir, epoch, **options)
    _report(result.problems, project)
    if named and result.skipped:  # asked for by name and not made: a script must not take that for success
        names = ", ".join(sorted({f"{job.name} ({job.lang})" for job in result.skipped}))
        click.echo(f"Error: not built, as its translation is not finished: {names}. Finish the parts listed above, "
                   "or add --allow-fallback to print them in English", err=True)
    if verbosity == 0:
        sys.exit(_exit_code(result, named))
    # By default: the bundles (what staff print) and the catalog; --verbose names every file.
    listed = result.written if verbosity > 1 else [w for w in result.written if isinstance(w.job, BundleJob)]
    for written in listed:
        click.echo(f"wrote {project.relative(written.path)}")
    if (output_dir / CATALOG_FILE).is_file():
        click.echo(f"catalog: {project.relative(output_dir / CATALOG_FILE)}")
    for path in result.stale:
        if path in result.pruned:
            click.echo(f"removed {project.relative(path)}: its handout, program, language or layout is gone")
        else:
            click.echo(f"stale: {project.relative(path)}: its handout, program, language or layout is gone "
                       "(--prune removes it)", err=True)
    shown = project.relative(output_dir)
    pdfs = [w for w in result.written if w.job.format == "pdf"]
    web = f" and {len(result.written) - len(pdfs)} web page(s)" if len(pdfs) < len(result.written) else ""
    summary = f"Built {len(pdfs)} PDF(s){web}, {result.pages} page(s), in {result.seconds:.1f} s into {shown}/"
    if result.up_to_date:
        summary += f"; {len(result.up_to_date)} up to date (--force rebuilds them)"
    if result.failed:
        summary += f"; {len(result.failed)} failed (see above)"
    if result.skipped:  # counted per handout (or packet) and language, whatever the formats
        summary += (f"; {len({(job.name, job.lang) for job in result.skipped})} skipped: "
                    "translation not finished (see above)")
    click.echo(summary)
    sys.exit(_exit_code(result, named))


def _exit_code(result: BuildResult, named: bool) -> int:
    if result.ok and not (named and result.skipped):
        return ExitCode.OK
    return ExitCode.OUTPUT if result.only_output_failed else ExitCode.CONTENT


@main.command()
@click.option("--strict", is_flag=True, help="Reading grades above target and unfinished translations are errors.")
@click.option("--lang", "langs", multiple=True, help="Check only these languages' files (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, hidden=True,
              help="Check review dates as if today were this date (for tests).")
@project_option
def check(strict: bool, langs: tuple[str, ...], as_json: bool, today: dt.datetime | None, project_dir: Path) -> None:
    """Validate and measure all content, layouts and programs.

    Prints a table of handouts with their reading grade, then every problem as
    file:line:column: message. Exit status 1 when there are errors.
    """
    import json

    from .check import check_project
    from .plan import check_selection

    project = _project(project_dir)
    if langs:
        try:
            check_selection(project, list(langs))  # an unknown language: the message build gives
        except SelectionError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
    try:
        result = check_project(project, strict=strict, today=today.date() if today else None,
                               languages=langs or None)
    except ContentError as exc:  # not the content's: the tool's own files (an installation that lost one)
        _report(exc.problems, project)
        sys.exit(exc.exit_code)
    if as_json:
        click.echo(json.dumps(_check_json(result, project), indent=2, ensure_ascii=False))
        sys.exit(ExitCode.CONTENT if result.errors else ExitCode.OK)
    if result.reports:
        click.echo(f"{'handout':32} {'lang':6} {'review':17} {'grade':>6} {'target':>6}  {'score':36} {'warnings':>8} "
                   f"{'errors':>6}")
        for report in result.reports:
            grade = "-" if report.grade is None else f"{report.grade:g}"
            score = ", ".join(f"{_SCORE_NAMES[k]} {v:g}" for k, v in report.scores.items()) or "not scored"
            click.echo(f"{report.id:32} {report.lang:6} {report.review:17} {grade:>6} {report.target:>6g}  {score:36} "
                       f"{report.warnings:>8} {report.errors:>6}")
    _report(result.problems, project)
    if result.drafts:
        click.echo(f"Not yet reviewed ({len(result.drafts)}; each page of these prints a draft notice): "
                   + ", ".join(f"{report.lang}/{report.id}" for report in result.drafts))
        if strict and result.drafts_allowed:
            click.echo("--strict lets these drafts through because kratom-handouts.yaml says 'allow_drafts: true'; "
                       "a pass is not a clinical review.")
    click.echo(f"Checked {result.handouts} handout file(s), {result.layouts} layout(s) "
               f"and {result.programs} program(s): "
               f"{len(result.errors)} error(s), {len(result.warnings)} warning(s).")
    sys.exit(ExitCode.CONTENT if result.errors else ExitCode.OK)


_SCORE_NAMES = {"flesch_kincaid_grade": "FK", "flesch_reading_ease": "FRE", "smog_grade": "SMOG",
                "fernandez_huerta": "F-H", "szigriszt_pazos": "INFLESZ"}


def _check_json(result: CheckResult, project: Project) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "handouts": [asdict(report) for report in result.reports],
        "drafts": [f"{report.lang}/{report.id}" for report in result.drafts],
        "problems": [
            {"file": project.relative(p.origin.file), "line": p.origin.line or None, "column": p.origin.column or None,
             "severity": p.severity, "message": p.message}
            for p in result.problems
        ],
    }


@main.command(name="list")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts: titles, summaries, keywords and programs.")
@project_option
def list_command(as_json: bool, project_dir: Path) -> None:
    """Show the handouts (with titles), programs, languages and layouts."""
    import json

    from .catalog import describe_project

    project = _project(project_dir)
    listing = describe_project(project)
    if as_json:
        click.echo(json.dumps({
            "handouts": [{"id": handout_id, "titles": titles, "summaries": listing.summaries.get(handout_id, {}),
                          "keywords": listing.keywords.get(handout_id, {}), "programs": listing.programs_of(handout_id)}
                         for handout_id, titles in listing.handouts.items()],
            "programs": listing.programs, "languages": listing.languages, "layouts": listing.layouts,
            "default_layout": listing.default_layout,
        }, indent=2, ensure_ascii=False))
    else:
        click.echo("Handouts:")
        for handout_id, titles in listing.handouts.items():
            click.echo(f"  {handout_id}")
            for lang, title in titles.items():
                click.echo(f"    {lang}: {title}")
        click.echo(f"Programs: {', '.join(listing.programs) or 'none'}")  # what 'bundle ID' takes
        click.echo(f"Languages: {', '.join(listing.languages) or 'none'}")
        click.echo(f"Layouts: {', '.join(listing.layouts) or 'none'} (default: {listing.default_layout})")
    _report(listing.problems, project)


@main.command()
@click.argument("words")
@click.option("--lang", default=None, metavar="LANG", help="Only handouts in this language.")
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the built files are. Default: output/ in the project.")
@project_option
def find(words: str, lang: str | None, output_dir: Path | None, project_dir: Path) -> None:
    """Find handouts by title, summary or keyword, in every language (accents do not matter).

    Prints each match's id, language and title, and the paths of what is built of it.
    """
    from .catalog import describe_project, find as search
    from .plan import Job
    from .project import buildable
    from .render.formats import FORMATS

    project = _project(project_dir)
    listing = describe_project(project)
    if lang is not None and lang not in listing.languages:
        click.echo(f"Error: unknown language '{lang}'; there are: {', '.join(listing.languages)}", err=True)
        sys.exit(ExitCode.CONTENT)
    output_dir = _output_folder(project, output_dir)
    found = search(listing, words, lang)
    for match in found:
        click.echo(f"{match.handout_id}  {match.lang}  {match.title}")
        for name, form in FORMATS.items():
            for layout in buildable(project.layouts_dir) if form.per_layout else [listing.default_layout]:
                path = Job(match.handout_id, match.lang, layout, name).output_path(output_dir)
                if path.is_file():
                    click.echo(f"    {project.relative(path)}")
    if not found:
        click.echo(f"Nothing found for '{words}'.", err=True)
        sys.exit(ExitCode.CONTENT)


@main.command()
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The output folder to describe. Default: output/ in the project.")
@project_option
def catalog(output_dir: Path | None, project_dir: Path) -> None:
    """Write OUTPUT/index.html: every built handout and packet, searchable, for staff (build writes it too)."""
    from .catalog import CATALOG_FILE, write_catalog
    from .errors import Diagnostics
    from .manifest import Manifest
    from .workers import default_workers

    project = _project(project_dir)
    output_dir = _output_folder(project, output_dir)
    manifest = Manifest.load(output_dir, project)
    if not manifest.entries:
        click.echo(f"Error: nothing is built in {project.relative(output_dir)}/ yet: "
                   "run 'kratom-handouts build' first.", err=True)
        sys.exit(ExitCode.CONTENT)
    found = Diagnostics()
    written = write_catalog(project, output_dir, manifest.entries, found, default_workers())
    _report(found.problems, project)
    if not written:
        sys.exit(ExitCode.OUTPUT)
    click.echo(f"catalog: {project.relative(output_dir / CATALOG_FILE)}")


@main.group()
def i18n() -> None:
    """Translations: status, and files for translators."""


@i18n.command()
@click.option("--lang", "langs", multiple=True, metavar="LANG", help="Only this language (repeatable). Default: all.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@project_option
def status(langs: tuple[str, ...], as_json: bool, project_dir: Path) -> None:
    """Per language and handout: translated, missing, stale and extra parts."""
    import json

    from .i18n.status import translation_status

    project = _project(project_dir)
    unknown = [lang for lang in langs if lang not in project.languages()]
    if unknown:
        click.echo(f"Error: unknown language '{unknown[0]}'; the languages are: {', '.join(project.languages())}",
                   err=True)
        sys.exit(ExitCode.CONTENT)
    result = translation_status(project, list(langs) or None)
    unreadable = any(entry.problem for language in result for entry in language.handouts)
    if as_json:
        click.echo(json.dumps({"languages": [language.as_dict() for language in result]}, indent=2, ensure_ascii=False))
        sys.exit(ExitCode.CONTENT if unreadable else ExitCode.OK)
    if not result:
        click.echo("No translations yet: start one with 'kratom-handouts i18n init LANG'.")
    for language in result:
        click.echo(f"{language.lang}: {language.percent_translated:g}% translated "
                   f"({language.count('missing')} missing, {language.count('stale')} stale, "
                   f"{language.count('extra')} extra)")
        click.echo(f"  {'handout':32} {'done':>5} {'base':>5} {'missing':>8} {'stale':>6} {'extra':>6}")
        for entry in language.handouts:
            click.echo(f"  {entry.id:32} {entry.translated:>5} {entry.inherited:>5} {entry.missing:>8} "
                       f"{entry.stale:>6} {entry.extra:>6}")
            for kind in ("missing", "stale", "extra"):
                names = getattr(entry, f"{kind}_units")
                # not started: no need to list every part
                nothing_done = kind == "missing" and len(names) == entry.total
                if names and not nothing_done:
                    click.echo(f"      {kind}: {', '.join(names)}")
            if entry.problem:
                click.echo(f"      cannot be read: {entry.problem}")
    if unreadable:  # the counts of a file that cannot be read mean nothing: 'check' says what to fix
        sys.exit(ExitCode.CONTENT)


@i18n.command()
@click.argument("lang")
@project_option
def init(lang: str, project_dir: Path) -> None:
    """Write translator-ready files for a new language LANG (existing files are kept)."""
    from .i18n.sync import init_language

    project = _project(project_dir)
    _sync_report(project, lambda: init_language(project, lang), "to translate")


@i18n.command()
@click.argument("lang")
@project_option
def update(lang: str, project_dir: Path) -> None:
    """Bring LANG's translations up to date with the source: add, remove, mark changed parts for review."""
    from .i18n.sync import update_language

    project = _project(project_dir)
    _sync_report(project, lambda: update_language(project, lang), "added")


def _sync_report(project: Project, run: Callable[[], SyncReport], added_word: str) -> None:
    try:
        report = run()
    except ContentError as exc:
        _report(exc.problems, project)
        sys.exit(exc.exit_code)
    except OSError as exc:  # files already written are whole (each is written atomically)
        where = project.relative(Path(exc.filename)) if exc.filename else project.relative(project.handouts_dir)
        click.echo(f"{where}: cannot write: {exc.strerror or exc}", err=True)
        sys.exit(ExitCode.OUTPUT)
    for path in report.written:
        click.echo(f"wrote {project.relative(path)}")
    for path in report.skipped:
        click.echo(f"kept {project.relative(path)} (already there; use 'i18n update')")
    for handout_id, names in report.added.items():
        click.echo(f"  {handout_id}: {len(names)} part(s) {added_word}")
    for handout_id, names in report.removed.items():
        click.echo(f"  {handout_id}: removed {', '.join(names)} (no longer in the source)")
    for handout_id, names in report.marked_stale.items():
        click.echo(f"  {handout_id}: source changed, marked for review: {', '.join(names)}")
    for handout_id, names in report.kept_in_todo.items():
        click.echo(f"  {handout_id}: translated but still listed in todo, kept: {', '.join(names)} "
                   "(delete them from todo when they are done)")
