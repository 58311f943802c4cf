"""The output formats, and where each puts its files: the one place that knows file extensions.

A job names its format; its path comes from here. PDFs go per layout
(``<layout>/<lang>/<id>.pdf``, bundles under ``bundles/``); the web edition is
one page per handout and language whatever the layout (``web/<lang>/<id>.html``).
This module imports no renderer, so planning and up-to-date checks stay light.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    noun: str  # what one output is called in a message ("cannot write the PDF")
    per_layout: bool  # one output per layout (print), or one whatever the layout (the web)
    bundles: bool  # whether programs are built as bundles in this format
    folder: str = ""  # a folder of its own under the output folder

    def handout_path(self, output_dir: Path, layout: str, lang: str, handout_id: str) -> Path:
        base = output_dir / self.folder if self.folder else output_dir
        if self.per_layout:
            base = base / layout
        return base / lang / f"{handout_id}{self.extension}"

    def bundle_path(self, output_dir: Path, layout: str, lang: str, program_id: str) -> Path:
        return output_dir / "bundles" / layout / lang / f"{program_id}{self.extension}"


PDF = Format("pdf", ".pdf", "PDF", per_layout=True, bundles=True)
HTML = Format("html", ".html", "web page", per_layout=False, bundles=False, folder="web")
FORMATS: dict[str, Format] = {f.name: f for f in (PDF, HTML)}


def is_output_name(name: str) -> bool:
    """Whether ``name``, a path from the output folder (as the manifest records it), has the shape of an output
    (``<layout>/<lang>/<id>.pdf``, ``bundles/...``, ``web/...``): a damaged or edited manifest must never lead a
    build to a file outside the output folder, or to one it did not make."""
    path = PurePosixPath(name)
    return (not path.is_absolute() and "\\" not in name and 3 <= len(path.parts) <= 4
            and all(part not in ("", ".", "..") for part in path.parts)
            and path.suffix in {f.extension for f in FORMATS.values()})
