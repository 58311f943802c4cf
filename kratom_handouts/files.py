"""Reading a project's files safely: regular files only, inside the project, never more than a limit.

``stat`` alone is not enough: a named pipe reports size 0 and blocks a read
forever, and a link to ``/dev/zero`` reports size 0 and never ends. A file is
opened without blocking, checked on the open descriptor, and read in chunks
that stop at the limit.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from .errors import UnsafeFile

_CHUNK = 1 << 20
MAX_ASSET_BYTES = 100_000_000  # an image, an insert or a font: far beyond what a handout needs
PROJECT_MARKERS = ("handouts", "layouts", "programs", "kratom-handouts.yaml")



def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def project_root_of(path: Path) -> Path | None:
    """The project folder a file is in: the nearest folder above it, as written (before links are followed),
    that has a handouts/, layouts/ or programs/ folder or the settings file."""
    return _root_above(path.absolute().parent)


@functools.lru_cache(maxsize=256)
def _root_above(folder: Path) -> Path | None:
    # Asked once per folder, not once per file: a build reads every input again to hash it.
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return None


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file inside its project, at most ``limit`` of them; ``UnsafeFile`` otherwise."""
    root = project_root_of(path)
    if root is not None:
        try:
            real, inside = path.resolve(), root.resolve()
        except RuntimeError:  # Python 3.11's word for a loop of links (later versions raise OSError)
            raise UnsafeFile("is a link that leads back to itself (a loop of links); put the file there") from None
        if real != inside and inside not in real.parents:
            raise UnsafeFile("is a link to a file outside the project; copy the file into the project instead")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise UnsafeFile(f"is {_kind(mode)}, not a file")
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(descriptor, _CHUNK):
            total += len(chunk)
            if total > limit:
                raise UnsafeFile(f"is too large (more than {limit / 1e6:.0f} MB, the limit)")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def sha256_of(path: Path, limit: int = MAX_ASSET_BYTES) -> str | None:
    """The file's sha256, or None if it is missing, not a regular file inside the project, or too large."""
    import hashlib

    try:
        return hashlib.sha256(read_limited(path, limit)).hexdigest()
    except (OSError, UnsafeFile):
        return None
