"""Files that content and layouts point at: kept inside the project, checked before use."""

from __future__ import annotations

import re
from pathlib import Path

MAX_IMAGE_PIXELS = 25_000_000  # a 5000 x 5000 photo; far beyond what a handout prints
IMAGE_FORMATS = ("PNG", "JPEG", "GIF")


def resolve_in_project(written: str, project_root: Path) -> tuple[Path | None, str | None]:
    """The real path of a project file, or why it cannot be used.

    Symlinks are resolved before the check, so a link that points outside the
    project is refused like a path that does.
    """
    root = project_root.resolve()
    candidate = Path(written)
    if not candidate.is_absolute():
        candidate = root / candidate
    real = candidate.resolve()
    if not real.is_relative_to(root):
        return None, f"the path '{written}' leaves the project folder; keep files inside the project"
    if not real.is_file():
        return None, f"the file '{written}' does not exist (paths start from the project folder)"
    return real, None


def image_problem(path: Path) -> str | None:
    """Why a file cannot be printed as an image, or None when it can."""
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
    except UnidentifiedImageError:
        return f"'{path.name}' is not an image that can be read (use PNG or JPEG)"
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        return too_large.format(size=f"{int(found.group(1)):,} pixels" if found else "too many pixels")
    except (OSError, SyntaxError, ValueError) as exc:
        return f"'{path.name}' is a damaged image ({exc})"
    return None
