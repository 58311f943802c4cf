"""Shared fixtures: throwaway projects, the shipped library built once, and two PDF readers."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kratom_handouts.cli import main

REPO = Path(__file__).resolve().parent.parent


# --- what a command touches -----------------------------------------------------------------------------------

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


@dataclass
class FileAccess:
    """Every path a command opened for reading, and every path it wrote, renamed, removed or made."""

    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)

    def outside(self, root: Path, writable: Path) -> tuple[list[str], list[str]]:
        """Reads outside the project (and the Python installation, the package, the system's time zones and
        ReportLab's own settings files in the home folder), and writes outside ``writable``."""
        allowed = (str(root.resolve()), sys.prefix, sys.base_prefix, str(REPO / "kratom_handouts"),
                   "/usr/share/zoneinfo", str(Path.home() / ".reportlab_"))
        reads = sorted({path for path in self.reads if not os.path.realpath(path).startswith(allowed)})
        folder = writable.resolve()
        if not folder.is_relative_to(root.resolve()):  # output/ itself a link out: nothing may be written
            folder = root.resolve() / "nowhere"
        writes = sorted({path for path in self.writes if not Path(os.path.realpath(path)).is_relative_to(folder)})
        return reads, writes


_watching: FileAccess | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _watching is None:
        return
    if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        path = os.fsdecode(args[0])
        mode, flags = args[1], args[2]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(
            isinstance(flags, int) and flags & _WRITE_FLAGS)
        (_watching.writes if writing else _watching.reads).append(path)
    elif event in ("os.rename", "os.remove", "os.mkdir", "os.symlink", "os.rmdir", "os.truncate"):
        _watching.writes.extend(os.fsdecode(arg) for arg in args[:2] if isinstance(arg, str | bytes | os.PathLike))


sys.addaudithook(_audit)


@contextmanager
def watching_files() -> Iterator[FileAccess]:
    """What the code inside opens and changes on disk (this process only)."""
    global _watching
    _watching = FileAccess()
    try:
        yield _watching
    finally:
        _watching = None


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a blocking read, a loop on bad input."""
    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def squash(text: str) -> str:
    """Text without any white space, so line breaks in the PDF do not matter."""
    return re.sub(r"\s+", "", text)


def pypdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def actual_text_pages(path: Path) -> list[str]:
    """Each page's text as its marked content's /ActualText gives it, one line per span, in content order.

    Right-to-left lines are drawn in visual order, and extractors disagree about how to put them back
    (poppler reverses them, pypdf garbles joined letters): the logical text is in /ActualText.
    """
    import pikepdf

    pages = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            lines = []
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
                    actual = operands[1].get("/ActualText")
                    if actual is not None:
                        lines.append(str(actual))
            pages.append("\n".join(lines))
    return pages


def pdfminer_lines(path: Path, page_numbers: list[int] | None = None) -> list[list[Any]]:
    """pdfminer's text lines of each page, those inside form XObjects (an inserted page's stamp) included."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTFigure, LTTextContainer, LTTextLine

    def lines(container: Any) -> Iterator[Any]:
        for element in container:
            if isinstance(element, LTTextLine):
                yield element
            elif isinstance(element, LTTextContainer | LTFigure):
                yield from lines(element)

    return [list(lines(page)) for page in extract_pages(str(path), page_numbers=page_numbers,
                                                         laparams=LAParams(all_texts=True))]


def pdfminer_pages(path: Path) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTFigure, LTTextContainer

    def texts(container: Any) -> Iterator[str]:
        for element in container:
            if isinstance(element, LTTextContainer):
                yield element.get_text()
            elif isinstance(element, LTFigure):  # a form XObject: an inserted page's stamp
                yield from texts(element)

    return ["\n".join(texts(layout)) for layout in extract_pages(str(path), laparams=LAParams(all_texts=True))]


GOOD_HANDOUT = """\
id: {id}
title: A test handout
summary: This is the main message.
updated: 2026-01-15
next_review: 2027-01-15
sources:
  - title: DrugFacts
    publisher: NIDA
    year: 2024
body:
  - heading: First part
    id: first
  - paragraph: Some plain words for the reader.
"""


class Project:
    """A project folder in tmp_path with the repository's layouts and labels."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(REPO / "layouts", root / "layouts")
        brand = root / "layouts" / "_brand.yaml"  # a clinic of its own, as a real project has (no sample warning)
        brand.write_text(brand.read_text(encoding="utf-8").replace("Sample Clinic (placeholder)", "Test Clinic"),
                         encoding="utf-8")
        (root / "handouts" / "en").mkdir(parents=True)
        shutil.copy(REPO / "handouts" / "en" / "_labels.yaml", root / "handouts" / "en" / "_labels.yaml")

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return path

    def handout(self, handout_id: str, content: str | bytes | None = None, lang: str = "en") -> Path:
        return self.write(f"handouts/{lang}/{handout_id}.yaml",
                          content if content is not None else GOOD_HANDOUT.format(id=handout_id))

    def translate(self, lang: str, edit=None) -> None:
        """Start ``lang`` with 'i18n init', then mark everything done.

        ``edit(id, document)`` may change a file first."""
        import yaml

        from kratom_handouts.i18n.sync import init_language
        from kratom_handouts.project import Project as KratomProject

        init_language(KratomProject(self.root), lang)
        for path in sorted((self.root / "handouts" / lang).glob("*.yaml")):
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            document["todo"] = []
            if edit is not None:
                edit(path.stem, document)
            path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def pdf(self, handout_id: str, lang: str = "en", layout: str = "standard") -> Path:
        return self.root / "output" / layout / lang / f"{handout_id}.pdf"

    def run(self, *args: str, env: dict[str, str] | None = None):
        return CliRunner().invoke(main, [*args, "--project", str(self.root)], env=env)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> Path:
    """Every shipped handout in every shipped layout, built once for the session."""
    out = tmp_path_factory.mktemp("shipped")
    result = CliRunner().invoke(
        main, ["build", "--project", str(REPO), "--output", str(out), "--layout", "standard", "--layout", "a4",
               "--layout", "large-print"]
    )
    assert result.exit_code == 0, result.output
    return out
