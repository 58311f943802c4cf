"""Where things are in a project folder: handouts per language, labels, layouts."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

SOURCE_LANGUAGE = "en"
DEFAULT_LAYOUT = "standard"
# The shape of a BCP 47 tag as used here; i18n/languages.py checks that Babel knows it.
LANGUAGE_FOLDER = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?\Z")
LABELS_FILE = "_labels.yaml"
BROKEN_LINK = "is a link that leads nowhere, or back to itself (a loop of links); put the folder there"


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def handouts_dir(self) -> Path:
        return self.root / "handouts"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    def language_folders(self) -> list[str]:
        """Every folder under handouts/, whether or not its name is a language code."""
        if not self.handouts_dir.is_dir():
            return []
        return sorted(p.name for p in self.handouts_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))

    def broken_links(self) -> list[Path]:
        """Content folders that are links leading nowhere or back to themselves: the project's own folders and the
        language folders in handouts/ (listed as missing, their handouts would seem to be gone)."""
        folders = [self.handouts_dir, self.layouts_dir, self.root / "programs"]
        if self.handouts_dir.is_dir():
            folders += sorted(self.handouts_dir.iterdir())
        return [folder for folder in folders if folder.is_symlink() and not folder.exists()]

    def languages(self) -> list[str]:
        """Folders under handouts/ named like language codes, the source language first."""
        found = [name for name in self.language_folders() if LANGUAGE_FOLDER.match(name)]
        return sorted(found, key=lambda lang: lang != SOURCE_LANGUAGE)

    def handout_files(self, lang: str) -> dict[str, Path]:
        """Handout id -> file, for one language (files starting with '_' are not handouts)."""
        folder = self.handouts_dir / lang
        if not folder.is_dir():
            return {}
        return {p.stem: p for p in sorted(folder.glob("*.yaml")) if not p.name.startswith("_")}

    def handout_file(self, lang: str, handout_id: str) -> Path | None:
        """What ``handout_files(lang).get(handout_id)`` gives, without listing the folder: a build looks up
        every handout it renders, and listing the folder for each made a build quadratic in the library."""
        if not handout_id or handout_id.startswith("_") or "/" in handout_id or "\0" in handout_id:
            return None  # never a handout's name (and a slash would lead out of the folder)
        path = self.handouts_dir / lang / f"{handout_id}.yaml"
        return path if os.path.lexists(path) else None  # as the listing, a broken link too: reading it says why

    def program_files(self) -> dict[str, Path]:
        """Program id -> file."""
        folder = self.root / "programs"
        return {p.stem: p for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}

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


def find_project(start: Path) -> Path | None:
    """The folder a command run in ``start`` works on: ``start`` itself, or the nearest folder above it, that has a
    handouts/ folder (so a translator can run a command from inside handouts/es, as git works from any folder)."""
    for folder in (start, *start.parents):
        if (folder / "handouts").is_dir():
            return folder
    return None


def layout_files(layouts_dir: Path) -> dict[str, Path]:
    """Every layout file by name, partial ones (``_name``) included."""
    if not layouts_dir.is_dir():
        return {}
    return {path.stem: path for path in sorted(layouts_dir.glob("*.yaml"))}


# A layout's name is its file's name, and a folder of the output: letters, digits, '-' and '_' ('..' is none).
LAYOUT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*\Z")


def buildable(layouts_dir: Path) -> list[str]:
    """The layouts a build can use (``check`` names the files whose names cannot be one)."""
    return [name for name in layout_files(layouts_dir) if LAYOUT_NAME.match(name)]


def misnamed_layouts(layouts_dir: Path) -> list[Path]:
    """Layout files whose names are neither a layout's nor a partial's (``_name``)."""
    return [path for name, path in layout_files(layouts_dir).items()
            if not LAYOUT_NAME.match(name) and not LAYOUT_NAME.match(name[1:])]
