"""Loading: a project's files -> validated handouts and labels (load, then validate)."""

from __future__ import annotations

from pathlib import Path

from . import validate
from .load import load_file
from .errors import Problem
from .model import Handout, Labels
from .project import SOURCE_LANGUAGE, Project


def load_handout(project: Project, file: Path, lang: str, warnings: list[Problem] | None = None) -> Handout:
    """One validated handout, or ContentError with every problem in its file."""
    return validate.handout(load_file(file), file, lang, project.root, warnings)


def load_labels(project: Project, lang: str, warnings: list[Problem] | None = None) -> Labels:
    """The language's labels; what it does not give comes from the source language."""
    fallback = None
    if lang != SOURCE_LANGUAGE and project.labels_file(SOURCE_LANGUAGE).is_file():
        fallback = load_labels(project, SOURCE_LANGUAGE)
    file = project.labels_file(lang)
    if not file.is_file():
        if fallback is not None:
            return Labels(lang, fallback.values)
        return validate.labels(None, file, lang, None, warnings)
    return validate.labels(load_file(file), file, lang, fallback, warnings)
