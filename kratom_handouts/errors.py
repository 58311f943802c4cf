"""Problems, the one path they travel back by, and the few failures that stop a command, with their exit codes.

Every message a user sees names a file and, where there is one, a line and
column, so that a translator can go straight to the mistake. Each stage adds
what it finds to a ``Diagnostics``, which the caller hands in: a stage has no
way to drop a warning. Exceptions are for failures only; each names the exit
status the command ends with. "Not translated yet" is not a failure: it is a
value (``model.NotTranslated``), not an exception.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


class ExitCode(enum.IntEnum):
    """What a command's exit status means (docs/SECURITY.md lists them for users)."""

    OK = 0
    CONTENT = 1  # fix the file named in the message, or the name given on the command line
    USAGE = 2  # an unknown option or command, or a folder that is not a project
    OUTPUT = 3  # the output could not be written; the content is fine
    DEFECT = 70  # a failure of the tool itself or of its installation (sysexits' EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM


def printable(text: str) -> str:
    """``text`` with what a terminal would act on escaped: a file's name (or an error about one) may hold a line
    break, a terminal's escape codes or bytes that are not UTF-8, and one line must stay one problem and the
    terminal as it was."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


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
        name = printable(name)
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


class Diagnostics:
    """Every problem a stage found, errors and warnings, in the order found (each one once)."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()  # a list scan per problem made a file of 10,000 warnings quadratic
        self.extend(problems)

    def add(self, problem: Problem) -> None:
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def error(self, origin: Origin, message: str) -> None:
        self.add(Problem(origin, message))

    def warn(self, origin: Origin, message: str) -> None:
        self.add(Problem(origin, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)


class ContentError(Exception):
    """Input cannot be used; carries every problem found, not just the first."""

    exit_code = ExitCode.CONTENT

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.describe() for p in problems))
        self.problems = problems


class SelectionError(Exception):
    """The command asked for a handout, language, layout or program the project does not have."""

    exit_code = ExitCode.CONTENT


class UnsafeFile(Exception):
    """Why a file is not read (a pipe, a device, a link out of the project...), in words for whoever put it there.

    Readers turn it into a located ``ContentError``."""

    exit_code = ExitCode.CONTENT


class Stopped(BaseException):  # not an Exception: nothing may catch it as a content failure
    """SIGTERM arrived: unwinds like Ctrl-C, so temporary files are removed on the way out."""

    exit_code = ExitCode.TERMINATED


class Interruption:
    """Whether Ctrl-C or SIGTERM has arrived in this process.

    A library may catch the exception a signal raises and turn it into an error of its own (ReportLab
    reports "cannot open resource" when it lands while an image is read); the build asks this instead, so an
    interrupted build still ends as interrupted (130, 143), not as a write failure.
    """

    signal: type[BaseException] | None = None
    held = 0  # while above 0, a signal is remembered and raised when the hold ends (see hold)
    pending: type[BaseException] | None = None

    @classmethod
    def arrived(cls, kind: type[BaseException]) -> BaseException:
        cls.signal = kind
        return kind()

    @classmethod
    def arrive(cls, kind: type[BaseException]) -> None:
        """What a signal handler calls: raises ``kind`` now, or at the end of a hold."""
        exception = cls.arrived(kind)
        if cls.held:
            cls.pending = kind
            return
        raise exception

    @classmethod
    def hold(cls) -> None:
        """Keep a signal back for a moment in which it would leave something behind (a temporary file made but
        not yet under the code that removes it); ``release`` raises it."""
        cls.held += 1

    @classmethod
    def release(cls) -> None:
        cls.held -= 1
        if cls.held == 0 and cls.pending is not None:
            kind, cls.pending = cls.pending, None
            raise kind()

    @classmethod
    def raise_if_arrived(cls) -> None:
        if cls.signal is not None:
            raise cls.signal()
