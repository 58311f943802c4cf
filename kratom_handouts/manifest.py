"""What built each output, so that a rebuild can skip what is up to date.

The manifest (``OUTPUT/.kratom-handouts-manifest.json``) records, for every
output written, the hash of every file it was made from (handout, translations,
labels, program texts, the layout and what it extends, the logo, images,
inserts, settings), whether each file it looked for was absent, the build
constants (the tool's fingerprint, ``SOURCE_DATE_EPOCH``, flags that change
output), the output's size and modification time, and the warnings the job
gave. A job is up to date when all of these still match; checking that reads
only small files and never imports ReportLab.

Which files a job depends on comes in two parts: those known from the job
alone (``static_files``: found again on every check, so that a new translation
file is noticed) and those known only once the content is read (images, the
logo, inserts, a bundle's handouts), recorded from the validated models. The
second set can only change when a file of the first does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import __version__
from .errors import Origin, Problem, UnsafeFile
from .files import MAX_ASSET_BYTES, read_limited, sha256_of
from .i18n.languages import fallback_chain
from .layouts import layout_chain_files
from .programs import PROGRAMS_TEXT_FILE
from .project import SOURCE_LANGUAGE, Project
from .render.formats import is_output_name
from .settings import SETTINGS_FILE

MANIFEST_NAME = ".kratom-handouts-manifest.json"
FORMAT_VERSION = 2


class Hashes:
    """File hashes for one build: each file is read once however many outputs depend on it."""

    def __init__(self) -> None:
        self._known: dict[Path, str | None] = {}

    def of(self, path: Path) -> str | None:
        """The file's sha256, or None when there is no such file."""
        if path not in self._known:
            self._known[path] = sha256_of(path)
        return self._known[path]


def tool_fingerprint() -> str:
    """The version, and a hash of the package's own files (code, fonts, data): a changed renderer rebuilds all,
    even in a checkout whose version number has not moved."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def static_files(project: Project, kind: str, name: str, lang: str, layout: str,
                 shared: dict[tuple[str, str], list[Path]] | None = None) -> list[Path]:
    """The files a job reads (or looks for) that are known from the job itself.

    ``shared`` keeps, for one build, the files many jobs share (a layout's chain, a language's labels): made
    once, the same path objects serve every job, which keeps a no-op rebuild of a large library fast.
    """
    known = {} if shared is None else shared
    if ("layout", layout) not in known:
        known[("layout", layout)] = [project.root / SETTINGS_FILE, *layout_chain_files(layout, project.layouts_dir)]
    if ("lang", lang) not in known:
        codes = list(dict.fromkeys([*fallback_chain(lang), SOURCE_LANGUAGE]))
        known[("lang", lang)] = [project.labels_file(code) for code in codes]
        known[("folders", lang)] = [project.handouts_dir / code for code in codes]
    files = [*known[("layout", layout)], *known[("lang", lang)]]
    if kind == "handout":
        files += [folder / f"{name}.yaml" for folder in known[("folders", lang)]]
    else:
        files += [project.root / "programs" / f"{name}.yaml"]
        files += [folder / PROGRAMS_TEXT_FILE for folder in known[("folders", lang)]]
    return files


@dataclass
class Entry:
    """How one output was made."""

    constants: dict[str, Any]
    files: dict[str, str | None]  # project-relative path -> sha256, None: looked for and absent
    size: int
    mtime_ns: int
    warnings: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0
    facts: dict[str, Any] = field(default_factory=dict)  # what the catalog says of the output

    def replayed_warnings(self, root: Path) -> list[Problem]:
        return [Problem(Origin(root / w["file"], w["line"], w["column"]), w["message"], "warning")
                for w in self.warnings]


def _project_relative(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and "\\" not in name and ".." not in path.parts


class Manifest:
    def __init__(self, output_dir: Path, project: Project, entries: dict[str, Entry] | None = None):
        self.output_dir = output_dir
        self.project = project
        self.entries: dict[str, Entry] = entries or {}
        self.changed = False  # a build that changed nothing writes nothing, this file included
        self._names: dict[Path, str] = {}
        self._paths: dict[str, Path] = {}

    @property
    def path(self) -> Path:
        return self.output_dir / MANIFEST_NAME

    @classmethod
    def load(cls, output_dir: Path, project: Project) -> Manifest:
        """The manifest of an earlier build; an unreadable or foreign one counts as none (everything rebuilds)."""
        try:  # read as any project file is: a named pipe or a link to /dev/zero in its place is no manifest
            data = json.loads(read_limited(output_dir / MANIFEST_NAME, MAX_ASSET_BYTES).decode("utf-8"))
            if data.get("format") != FORMAT_VERSION:
                return cls(output_dir, project)
            entries = {key: Entry(**value) for key, value in data["outputs"].items() if is_output_name(key)}
            # An input is named from the project folder; one named otherwise would be read from outside it.
            entries = {key: entry for key, entry in entries.items()
                       if all(_project_relative(name) for name in entry.files)}
        except (OSError, UnsafeFile, ValueError, TypeError, KeyError, AttributeError):
            return cls(output_dir, project)
        return cls(output_dir, project, entries)

    def _damaged(self) -> Manifest:
        self.changed = True  # missing or unreadable: written afresh
        return self

    def save(self) -> Problem | None:
        """Write the manifest; if the output folder will not take it, say so (the next build then rebuilds all)."""
        from .output import write_atomic

        if not self.changed:
            return None
        data = {"format": FORMAT_VERSION, "outputs": {key: vars(entry) for key, entry in sorted(self.entries.items())}}
        try:
            # Compact, which json writes in C: with an indent it builds the text from a million small pieces in
            # Python, the peak of a 1,000-handout build (16 MiB above the rest of it).
            text = json.dumps(data, sort_keys=True, separators=(",", ":"))  # ASCII: one byte a character
            write_atomic(self.path, text.encode(), self.output_dir)
            self.changed = False
        except OSError as exc:
            return Problem(Origin(self.path), f"cannot record what was built ({exc.strerror or exc}): "
                                              "the next build will rebuild everything", "warning")
        return None

    def key(self, output: Path) -> str:
        return output.relative_to(self.output_dir).as_posix()

    def _relative(self, path: Path) -> str:
        """The path from the project folder (remembered: a large library asks for the same files thousands of
        times, and ``Path.relative_to`` is slow)."""
        name = self._names.get(path)
        if name is None:
            try:
                name = path.relative_to(self.project.root).as_posix()
            except ValueError:
                name = path.as_posix()
            self._names[path] = name
        return name

    def _path(self, name: str) -> Path:
        path = self._paths.get(name)
        if path is None:
            path = self._paths[name] = self.project.root / name
        return path

    def up_to_date(self, output: Path, constants: dict[str, Any], static: Iterable[Path],
                   hashes: Hashes) -> Entry | None:
        """The entry that built ``output``, if the output is still there, unchanged, and made from these inputs."""
        entry = self.entries.get(self.key(output))
        if entry is None or entry.constants != constants:
            return None
        if any(self._relative(path) not in entry.files for path in static):
            return None
        try:
            stat = output.stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != (entry.size, entry.mtime_ns):
            return None
        for name, digest in entry.files.items():
            if hashes.of(self._path(name)) != digest:
                return None
        return entry

    def record(self, output: Path, constants: dict[str, Any], files: Iterable[Path], hashes: Hashes,
               warnings: Iterable[Problem], pages: int, facts: dict[str, Any] | None = None) -> None:
        stat = output.stat()
        self.changed = True
        self.entries[self.key(output)] = Entry(
            constants=constants,
            files={self._relative(path): hashes.of(path) for path in sorted(set(files))},
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            warnings=[{"file": self._relative(w.origin.file), "line": w.origin.line, "column": w.origin.column,
                       "message": w.message} for w in warnings if not w.is_error],
            pages=pages,
            facts=facts or {},
        )

    def forget(self, output: Path) -> None:
        if self.entries.pop(self.key(output), None) is not None:
            self.changed = True


