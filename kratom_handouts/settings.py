"""Project settings: ``kratom-handouts.yaml`` at the project's root, optional.

    target_grade: 6     # reading grade every handout should be at or below
    allow_drafts: true  # under --strict, build and pass handouts not yet clinically reviewed
                        # (they always print as drafts); false refuses them
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostics
from .load import load_file
from .validate import Reader

SETTINGS_FILE = "kratom-handouts.yaml"
DEFAULT_TARGET_GRADE = 6.0
SETTINGS_FIELDS = ("target_grade", "allow_drafts")


@dataclass(frozen=True)
class Settings:
    target_grade: float = DEFAULT_TARGET_GRADE
    allow_drafts: bool = False  # under --strict: False refuses handouts not yet reviewed
    file: Path | None = None  # where the settings came from, for messages


def load_settings(project_root: Path, report: Diagnostics) -> Settings:
    file = project_root / SETTINGS_FILE
    if not os.path.lexists(file):  # a folder, a pipe or a loop of links there is read, and refused, by load_file
        return Settings()
    reader = Reader(project_root)
    m = reader.mapping(load_file(file), "the project settings", SETTINGS_FIELDS)
    grade = reader.optional(m, "target_grade", lambda n, w: reader.number(n, w, 1, 16), "target_grade") if m else None
    drafts = reader.optional(m, "allow_drafts", reader.boolean, "allow_drafts") if m else None
    return reader.done(Settings(grade if grade is not None else DEFAULT_TARGET_GRADE, bool(drafts), file), report)
