"""The located problem type shared by every stage of the pipeline.

Every message a user sees names a file and, where there is one, a line and
column, so that a translator can go straight to the mistake.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Origin:
    """Where a value came from: a file and a 1-based line and column."""

    file: Path
    line: int = 0
    column: int = 0

    def describe(self, relative_to: Path | None = None) -> str:
        name = str(self.file)
        if relative_to is not None:
            with contextlib.suppress(ValueError):
                name = str(self.file.relative_to(relative_to))
        if self.line:
            return f"{name}:{self.line}:{self.column}"
        return name


@dataclass(frozen=True)
class Problem:
    """One finding: an error stops that output from being written, a warning does not."""

    origin: Origin
    message: str
    severity: str = "error"  # "error" or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def describe(self, relative_to: Path | None = None) -> str:
        prefix = "" if self.is_error else "warning: "
        return f"{self.origin.describe(relative_to)}: {prefix}{self.message}"


class ContentError(Exception):
    """Raised when input cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.describe() for p in problems))
        self.problems = problems


class Untranslated(ContentError):
    """A translation is not finished: its handout is skipped and reported, which is not a failure."""



class Stopped(BaseException):  # not an Exception: nothing may catch it as a content failure
    """SIGTERM arrived: unwinds like Ctrl-C, so temporary files are removed on the way out."""


class Interruption:
    """Whether Ctrl-C or SIGTERM has arrived in this process.

    A library may catch the exception a signal raises and turn it into an error of its own (ReportLab
    reports "cannot open resource" when it lands while an image is read); the build asks this instead, so an
    interrupted build still ends as interrupted (130, 143), not as a write failure.
    """

    signal: type[BaseException] | None = None

    @classmethod
    def arrived(cls, kind: type[BaseException]) -> BaseException:
        cls.signal = kind
        return kind()

    @classmethod
    def raise_if_arrived(cls) -> None:
        if cls.signal is not None:
            raise cls.signal()
