"""Every validation over the whole project, reported at once: content, labels, layouts, glyphs."""

from __future__ import annotations

from dataclasses import dataclass, field

from .content import FallbackPolicy, load_handout, load_labels
from .i18n.languages import language_problem
from .errors import ContentError, Origin, Problem
from .layouts import buildable, load_layout
from .model import Handout, Labels, Layout
from .programs import load_program, program_files, program_text
from .project import Project


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    handouts: int = 0
    layouts: int = 0
    programs: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def _attempt(result: CheckResult, load, *args, **options):
    try:
        return load(*args, result.problems, **options)
    except ContentError as exc:
        result.problems.extend(exc.problems)
        return None


def check_project(project: Project, strict: bool = False) -> CheckResult:
    """Validate every handout in every language and every layout, and glyph coverage between them.

    Untranslated and out-of-date parts of translations are warnings, errors when ``strict``.
    """
    from .build import glyph_problems, printed_texts  # the exact check that a build applies

    result = CheckResult()
    if not project.handouts_dir.is_dir():
        result.problems.append(Problem(Origin(project.handouts_dir), "there is no handouts/ folder here; use --project to point at a project"))
        return result
    layouts: list[Layout] = []
    for name in buildable(project.layouts_dir):
        layout = _attempt(result, load_layout, name, project.root)
        if layout is not None:
            layouts.append(layout)
    result.layouts = len(layouts)
    for folder in project.language_folders():
        problem = language_problem(folder)
        if problem:
            result.problems.append(Problem(Origin(project.handouts_dir / folder), problem))
    for lang in project.languages():
        labels: Labels | None = _attempt(result, load_labels, project, lang)
        for handout_id in project.handout_files(lang):
            policy = FallbackPolicy(allow_fallback=True, strict=strict)
            handout: Handout | None = _attempt(result, load_handout, project, handout_id, lang, policy=policy)
            result.handouts += 1
            if handout is None or labels is None:
                continue
            for layout in layouts:
                for problem in glyph_problems(printed_texts(handout, layout, labels), layout):
                    if problem not in result.problems:
                        result.problems.append(problem)
    handout_ids = set(project.handout_ids())
    for file in program_files(project).values():
        program = _attempt(result, load_program, project, file, handout_ids)
        result.programs += 1
        for lang in project.languages() if program is not None else ():
            _attempt(result, program_text, project, program, lang)
    result.problems = list(dict.fromkeys(result.problems))
    return result
