"""Where things are in a project folder: handouts per language, labels, layouts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SOURCE_LANGUAGE = "en"
DEFAULT_LAYOUT = "standard"
LANGUAGE_FOLDER = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
LABELS_FILE = "_labels.yaml"


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def handouts_dir(self) -> Path:
        return self.root / "handouts"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    def languages(self) -> list[str]:
        """Language folders under handouts/, the source language first."""
        if not self.handouts_dir.is_dir():
            return []
        found = sorted(p.name for p in self.handouts_dir.iterdir() if p.is_dir() and LANGUAGE_FOLDER.match(p.name))
        return sorted(found, key=lambda lang: lang != SOURCE_LANGUAGE)

    def handout_files(self, lang: str) -> dict[str, Path]:
        """Handout id -> file, for one language (files starting with '_' are not handouts)."""
        folder = self.handouts_dir / lang
        if not folder.is_dir():
            return {}
        return {p.stem: p for p in sorted(folder.glob("*.yaml")) if not p.name.startswith("_")}

    def handout_ids(self) -> list[str]:
        ids: set[str] = set()
        for lang in self.languages():
            ids.update(self.handout_files(lang))
        return sorted(ids)

    def labels_file(self, lang: str) -> Path:
        return self.handouts_dir / lang / LABELS_FILE

    def relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)
