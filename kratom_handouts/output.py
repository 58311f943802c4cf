"""Atomic writes: a reader never sees half a PDF, and a failure keeps the last good one."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import Interruption

TEMPORARY_PREFIX = ".kratom-handouts-"  # only files named so are ever swept: never another program's
TEMPORARY_SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 15 * 60  # older than any build that could still be writing it


def _refuse_links_out(folder: Path, inside: Path) -> None:
    """The nearest part of the way from ``inside`` to ``folder`` that exists must lead to a folder inside it."""
    existing = folder
    while not (existing.exists() or existing.is_symlink()):
        if existing in (inside, existing.parent):
            return  # nothing there yet: it is made inside
        existing = existing.parent
    try:
        real, real_inside = existing.resolve(), inside.resolve()
    except RuntimeError:  # Python 3.11's word for a loop of links: the output cannot be written, say so as an OSError
        raise OSError(errno.ELOOP, f"{existing} is a link that leads back to itself (a loop of links): nothing is "
                                   "written there; remove the link", str(existing)) from None
    if not real.is_relative_to(real_inside):
        raise PermissionError(errno.EACCES, f"{folder} leads out of {inside} through a link: nothing is written "
                                            "there; remove the link", str(folder))


def remove_stale_temporaries(output_dir: Path, now: float | None = None) -> list[Path]:
    """Temporary files a killed build (SIGKILL, a power cut) left behind, removed once they are clearly abandoned."""
    import time

    now = time.time() if now is None else now
    removed = []
    if output_dir.is_dir():
        for path in output_dir.rglob(f"{TEMPORARY_PREFIX}*{TEMPORARY_SUFFIX}"):
            try:
                if path.is_symlink() or not path.is_file():
                    continue  # a link or a folder with our kind of name was not made by us
                if now - path.stat().st_mtime > STALE_AFTER_SECONDS:
                    path.unlink()
                    removed.append(path)
            except OSError:
                continue  # another build got there first, or it is not ours to remove
    return removed


def write_atomic(path: Path, data: bytes, inside: Path) -> None:
    """Write to a temporary file beside ``path``, then rename it into place.

    ``path`` must stay inside the folder ``inside`` once links are followed: a link the project holds (a language
    folder, or a folder under output/, pointing elsewhere) never leads a write out of it.
    """
    _refuse_links_out(path.parent, inside)
    path.parent.mkdir(parents=True, exist_ok=True)
    _refuse_links_out(path.parent, inside)  # a link made meanwhile
    # A signal between the temporary file's making and the ``try`` that removes it would leave it behind: it is
    # held back until that ``try`` has begun.
    Interruption.hold()
    released = False
    try:
        # the name is cut so the temporary name fits file systems' 255 bytes whatever the file's own name
        handle, temporary = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{path.name[:80]}.",
                                             suffix=TEMPORARY_SUFFIX, dir=path.parent)
    except BaseException:
        Interruption.release()
        raise
    try:
        with os.fdopen(handle, "wb") as stream:
            released = True
            Interruption.release()  # a signal that came meanwhile is raised here, where the file is removed
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        if not released:
            Interruption.release()
        raise
