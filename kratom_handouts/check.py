"""Every check over the whole project, reported at once.

Content, labels, layouts and programs are validated; glyph coverage is
checked; and each handout in each language is measured (readability,
health-literacy rules) and each layout held to the print rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .content import FallbackPolicy, load_handout, load_labels
from .errors import ContentError, Diagnostics, Origin, Problem
from .i18n.languages import language_problem
from .layouts import load_layout
from .model import Handout, Labels, Layout
from .programs import load_program, program_text
from .project import BROKEN_LINK, Project, buildable, misnamed_layouts
from .quality.readability import Readability, hardest, measure, sentence_grade
from .quality.rules import check_handout, check_layout
from .review import draft_problem
from .settings import Settings, load_settings

T = TypeVar("T")


@dataclass
class HandoutReport:
    id: str
    lang: str
    file: str
    grade: float | None  # None: not scored in this language
    target: float
    scores: dict[str, float]
    review: str = "reviewed"  # reviewed, draft (no clinical review yet) or translation-draft
    warnings: int = 0
    errors: int = 0


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    reports: list[HandoutReport] = field(default_factory=list)
    handouts: int = 0
    layouts: int = 0
    programs: int = 0
    drafts_allowed: bool = False  # the project settings let --strict pass drafts

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def drafts(self) -> list[HandoutReport]:
        return [report for report in self.reports if report.review != "reviewed"]


def _attempt(report: Diagnostics, load: Callable[..., T], *args: Any, **options: Any) -> T | None:
    """What ``load`` returns, its warnings in ``report``; or None, with its errors in ``report``."""
    try:
        return load(*args, report, **options)
    except ContentError as exc:
        report.extend(exc.problems)
        return None


def readability_problems(handout: Handout, result: Readability, target: float, strict: bool) -> list[Problem]:
    """Above the target grade: a warning, an error when strict; and the hardest sentences named, as warnings
    (they say where to work, they are not more errors: a strict check counted four for each handout)."""
    if result.grade is None or result.grade <= target:
        return []
    severity = "error" if strict else "warning"
    problems = [Problem(handout.title.origin, f"reading grade {result.grade:g} is above the target of {target:g}",
                        severity)]
    for sentence in hardest(result):
        quoted = sentence.text if len(sentence.text) <= QUOTED else sentence.text[:QUOTED].rstrip() + "\u2026"
        problems.append(Problem(sentence.origin,
                                f"one of the hardest sentences (grade {sentence_grade(sentence, result.lang):.1f}): "
                                f"\"{quoted}\"", "warning"))
    return problems


QUOTED = 200  # characters of a sentence a message quotes: enough to find it, never a screenful
SMOG_CEILING = 8.0  # grade 8 is the ceiling for patient handouts (CDC); SMOG above it is a warning


def smog_problems(handout: Handout, result: Readability) -> list[Problem]:
    smog = result.scores.get("smog_grade")
    if smog is None or smog <= SMOG_CEILING:
        return []
    return [Problem(handout.title.origin, f"SMOG grade {smog:g} is above {SMOG_CEILING:g}: use fewer words of three or "
                                          "more syllables", "warning")]


def review_state(handout: Handout) -> str:
    if handout.clinical_review is None:
        return "draft"
    return "reviewed" if handout.translation_reviewed else "translation-draft"


def assistance_problems(layouts: list[Layout], languages: list[str]) -> list[Problem]:
    """A language the project builds without a language-assistance line: a warning, once per brand file;
    and each line's characters checked in the fonts of its own language."""
    from .jobs import assistance_glyph_problems

    found: list[Problem] = []
    for layout in layouts:
        named = {lang for lang, _ in layout.language_assistance}
        missing = [lang for lang in languages if lang not in named]
        where = layout.language_assistance_origin or Origin(layout.file)
        if missing:
            found.append(Problem(where, f"no language-assistance line for {', '.join(missing)}; add one per language "
                                        "under 'language_assistance: lines:' (the clinic's own wording, in that "
                                        "language), or the bundle covers print none for them", "warning"))
        found.extend(assistance_glyph_problems(layout))
    return list(dict.fromkeys(found))


def _ignored_files(project: Project) -> list[Problem]:
    """Files that look like content but are never read, as only names ending in .yaml are (x.yml, X.YAML)."""
    folders = [project.layouts_dir, project.root / "programs",
               *(project.handouts_dir / lang for lang in project.language_folders())]
    return [Problem(Origin(path), f"never read: only files ending in .yaml are; rename it {path.stem}.yaml", "warning")
            for folder in folders if folder.is_dir() for path in sorted(folder.iterdir())
            if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml"]


def _checked_layouts(project: Project, report: Diagnostics) -> list[Layout]:
    """Every layout that loads, its problems reported: one in a file several layouts share (the brand file) once,
    naming the layouts it touches."""
    layouts: list[Layout] = []
    used_by: dict[Problem, list[str]] = {}
    report.extend(_ignored_files(project))
    report.extend(Problem(Origin(folder), BROKEN_LINK) for folder in project.broken_links())
    for misnamed in misnamed_layouts(project.layouts_dir):
        report.add(Problem(Origin(misnamed), "a layout's file name may hold only letters, digits, '-' and '_' (it "
                                             "names a folder of the output); rename the file, or it is not used"))
    for name in buildable(project.layouts_dir):
        layout = _attempt(report, load_layout, name, project.root)
        if layout is not None:
            layouts.append(layout)
            for broken in check_layout(layout):
                used_by.setdefault(broken, []).append(layout.name)
    report.extend(
        found if found.origin.file in {layout.file for layout in layouts if layout.name in names}
        else dataclasses.replace(found, message=f"{found.message} (layout{'s' if len(names) > 1 else ''} "
                                                f"{', '.join(names)})")
        for found, names in used_by.items())
    return layouts


def check_project(project: Project, strict: bool = False, today: dt.date | None = None,
                  languages: tuple[str, ...] | None = None) -> CheckResult:
    """Validate and measure every handout in every language, every layout and every program.

    Untranslated and out-of-date parts, and reading grades above target, are warnings; errors when ``strict``.
    ``languages`` limits the handout files checked to those languages' (a translator checking their own).
    """
    from .jobs import glyph_problems, printed_texts  # the exact check that a build applies

    today = today or dt.date.today()
    result = CheckResult()
    report = Diagnostics()
    if not project.handouts_dir.is_dir():
        report.add(Problem(Origin(project.handouts_dir),
                                       "there is no handouts/ folder here; use --project to point at a project"))
        return result
    settings: Settings = _attempt(report, load_settings, project.root) or Settings()
    result.drafts_allowed = settings.allow_drafts
    layouts = _checked_layouts(project, report)
    result.layouts = len(layouts)
    report.extend(assistance_problems(layouts, [lang for lang in project.languages()
                                                         if language_problem(lang) is None]))
    for folder in project.language_folders():
        problem = language_problem(folder)
        if problem:
            report.add(Problem(Origin(project.handouts_dir / folder), problem))
    policy = FallbackPolicy(allow_fallback=True, strict=strict, checking=True)
    for lang in (lang for lang in project.languages() if languages is None or lang in languages):
        files = project.handout_files(lang)
        if not files:
            report.warn(Origin(project.handouts_dir / lang), "no handouts in this language folder yet; start the "
                                                             f"language with 'kratom-handouts i18n init {lang}'")
        labels: Labels | None = _attempt(report, load_labels, project, lang)
        for handout_id, file in files.items():
            result.handouts += 1
            found = Diagnostics()
            handout = _attempt(found, load_handout, project, handout_id, lang, policy=policy)
            if isinstance(handout, Handout):  # never NotTranslated: check reads untranslated parts in English
                measured = measure(handout)
                target = min(settings.target_grade, handout.target_grade or settings.target_grade)
                found.extend(readability_problems(handout, measured, target, strict))
                found.extend(smog_problems(handout, measured))
                found.extend(check_handout(handout, measured, today))
                refused = draft_problem(handout, settings.file) if strict and not settings.allow_drafts else None
                found.extend([refused] if refused else [])
                if labels is not None:
                    for layout in layouts:
                        found.extend(glyph_problems(printed_texts(handout, layout, labels), layout, lang))
                result.reports.append(HandoutReport(handout_id, lang, project.relative(file), measured.grade, target,
                                                    measured.scores, review_state(handout),
                                                    sum(not p.is_error for p in found), sum(p.is_error for p in found)))
            report.extend(found)
    handout_ids = set(project.handout_ids())
    for file in project.program_files().values():
        program = _attempt(report, load_program, project, file, handout_ids)
        result.programs += 1
        for lang in project.languages() if program is not None else ():
            _attempt(report, program_text, project, program, lang)
    result.problems = report.problems
    return result
