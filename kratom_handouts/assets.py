"""Files that content and layouts point at: kept inside the project, checked before use."""

from __future__ import annotations

import functools
import re
from pathlib import Path

MAX_IMAGE_PIXELS = 25_000_000  # a 5000 x 5000 photo; far beyond what a handout prints
IMAGE_FORMATS = ("PNG", "JPEG", "GIF")


def resolve_in_project(written: str, project_root: Path) -> tuple[Path | None, str | None]:
    """The real path of a project file, or why it cannot be used.

    Symlinks are resolved before the check, so a link that points outside the
    project is refused like a path that does.
    """
    if any(ord(char) < 32 for char in written):
        shown = written.encode("unicode_escape").decode()
        return None, f"the path '{shown}' holds a control character (a NUL byte or a line break); write it plainly"
    root = project_root.resolve()
    candidate = Path(written)
    if not candidate.is_absolute():
        candidate = root / candidate
    try:
        real = candidate.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python 3.11's word for a loop of links
        return None, f"the path '{written}' is a link that leads back to itself (a loop of links); put the file there"
    if not real.is_relative_to(root):
        return None, f"the path '{written}' leaves the project folder; keep files inside the project"
    if not real.is_file():
        return None, f"the file '{written}' does not exist (paths start from the project folder)"
    return real, None


def _is_svg(path: Path) -> bool:
    if path.suffix.lower() in (".svg", ".svgz"):
        return True
    with path.open("rb") as stream:
        start = stream.read(512).lstrip().lower()
    return start.startswith(b"<svg") or (start.startswith(b"<?xml") and b"<svg" in start)


def image_problem(path: Path) -> str | None:
    """Why a file cannot be printed as an image, or None when it can."""
    stat = path.stat()
    return _image_problem(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _image_problem(path: Path, size: int, mtime_ns: int) -> str | None:
    """Decoding is the only sure test, and costs: each picture is decoded once per process, not once per language."""
    from PIL import Image, UnidentifiedImageError  # Pillow comes with ReportLab

    too_large = f"'{path.name}' is too large to print safely ({{size}}; the limit is {MAX_IMAGE_PIXELS:,} pixels)"
    try:
        with Image.open(path) as image:
            if image.format not in IMAGE_FORMATS:
                return f"'{path.name}' is a {image.format} image; use PNG or JPEG"
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return too_large.format(size=f"{width} x {height} pixels")
            image.verify()
        with Image.open(path) as image:
            image.load()  # verify() reads the structure only: a truncated or corrupt picture fails here, not in build
    except UnidentifiedImageError:
        if _is_svg(path):
            # No SVG converter we could ship is both maintained and safe with untrusted files (entities, external
            # references, scripts): a drawing is made into a picture by the person who has it, once.
            png = f"{path.stem}.png" if path.suffix.lower() != ".png" else f"{path.stem}-exported.png"
            return (f"'{path.name}' is an SVG drawing, which this tool does not print; export it as a PNG at least "
                    f"1200 pixels wide (Inkscape: File > Export; or: rsvg-convert -w 1200 {path.name} -o {png}) "
                    "and name the PNG here")
        return f"'{path.name}' is not an image that can be read (use PNG or JPEG)"
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        return too_large.format(size=f"{int(found.group(1)):,} pixels" if found else "too many pixels")
    except (OSError, SyntaxError, ValueError) as exc:
        return f"'{path.name}' is a damaged image ({exc})"
    return None
