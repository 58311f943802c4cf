"""Output paths and atomic writes: a reader never sees half a PDF, and a failure keeps the last good one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def handout_path(output_dir: Path, layout: str, lang: str, handout_id: str) -> Path:
    return output_dir / layout / lang / f"{handout_id}.pdf"


def bundle_path(output_dir: Path, layout: str, lang: str, program_id: str) -> Path:
    return output_dir / "bundles" / layout / lang / f"{program_id}.pdf"


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
