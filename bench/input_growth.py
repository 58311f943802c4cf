"""How the time of each stage grows with the size of its input (issue 14): linear, or worse.

    python bench/input_growth.py [--quick] [--repeats N] [--budget S] [--max-seconds S] [--only TEXT] [--profile]

Each case builds one kind of input at three sizes and times the stage it feeds. Where one function is the stage,
it is called directly: the inline markup parser (runs of '[' and '*', '[*' pairs, unclosed links, many italics,
many links), header and footer label fitting (``pages.fit``, Latin, Arabic and Chinese), syllable counting of
one long word (English, Spanish), sentence splitting, and the layout ``extends`` chain. A long header label, a
long word, a long paragraph, a table, a list, paragraphs, paragraphs that each raise a warning, and images go
through the real path on a temporary project (a copy of layouts/ and the English labels): loading and validating
the handout, the checks (readability and rules), and ``run_job`` (load, validate, reading grade, glyph check,
render, write). The largest size stays within the tool's limits (a YAML file holds 1 MB at most); ``--quick``
uses smaller sizes (about a minute in all on an idle machine; the default takes a few minutes).

Each size's time is the least CPU time of this process over REPEATS runs (more when they are short; fewer once a
size has used BUDGET seconds), with the garbage collector paused as timeit does: CPU time rather than wall time,
so that other work on the machine changes the figures less. Printed, one line per case: the sizes, the seconds,
and for each step the growth exponent log(t2/t1) / log(n2/n1): 1.0 is linear, 2.0 quadratic. A step above 1.3 is
flagged NOT LINEAR. A step whose larger time is under 10 ms is too noisy to judge (shown in brackets); a step
that looks not linear is timed again, its two sizes alternating, and judged on those runs alone (marked *). For
a case that is not linear, the time at the size the 1 MB limit allows is estimated from its last exponent. A
size predicted to take longer than MAX_SECONDS is skipped.

Then recursion probes: an ``extends`` chain 500 layouts deep (and 1,500, past Python's default limit) and inline
markup nested 5,000 deep (rendered through run_job 1,000 deep with --quick), each run at the default recursion
limit or with only a few hundred frames free (so that recursion which follows the input's depth fails at a depth
the default limit still allows), and reported as ok, a clean located error, or a RecursionError (a defect).
``--profile`` then profiles each case that is not linear at its two largest sizes and prints the package's
functions that cost most (each with the library code it calls directly), how fast that grew, and how often each
was called.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import gc
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kratom_handouts import inline  # noqa: E402
from kratom_handouts.content import FallbackPolicy  # noqa: E402
from kratom_handouts.errors import ContentError  # noqa: E402
from kratom_handouts.jobs import Inputs, Outcome, run_job  # noqa: E402
from kratom_handouts.layouts import layout_chain_files  # noqa: E402
from kratom_handouts.load import MAX_FILE_BYTES  # noqa: E402
from kratom_handouts.model import Handout, Layout  # noqa: E402
from kratom_handouts.plan import Job  # noqa: E402
from kratom_handouts.project import Project  # noqa: E402
from kratom_handouts.quality import readability, rules, syllables  # noqa: E402
from kratom_handouts.render import pages  # noqa: E402
from kratom_handouts.render.document import register_fonts  # noqa: E402
from kratom_handouts.render.styles import Styles, make_styles  # noqa: E402

NOT_LINEAR = 1.3
NOISE_FLOOR = 0.010  # seconds: a step whose larger time is below this is not judged
SHORT = 0.05  # seconds: a run this short is repeated more
Work = Callable[[], object]

HANDOUT = """id: {id}
title: Growth test
summary: Call the clinic if you need help.
updated: "2026-01-01"
next_review: "2027-01-01"
sources:
  - title: A source
    publisher: CDC
body:
  - heading: What to do
{body}"""


LAYOUT_PASSES = [0]  # how many times a handout has been laid out (see count_layout_passes)


def count_layout_passes() -> None:
    """A handout is laid out once (only its back matter again, in scratch layouts, when the last page might
    hold its closing lines alone): passes are counted so that a case that renders more than one document is
    judged on the time per document. The run_job cases print the passes when they differ between sizes."""
    from kratom_handouts.render import document

    lay_out = document._build

    def counted(*args: object, **kwargs: object) -> object:
        LAYOUT_PASSES[0] += 1
        return lay_out(*args, **kwargs)  # type: ignore[arg-type]

    document._build = counted  # type: ignore[assignment]


def best_time(make: Callable[[], Work], repeats: int, budget: float) -> tuple[float, int]:
    """The least CPU time of ``repeats`` runs (three times as many when they are short, since their noise is
    larger), stopping early (after two) once ``budget`` seconds are spent, and the layout passes of that run.
    The input is made afresh (untimed) for every run, so that no run finds the work of the one before in a cache
    (hyphenation points per word, parsed texts, decoded images per file and date): each run pays what a build
    pays the first time it meets the input."""
    best, passes, spent, runs = math.inf, 0, 0.0, 0
    while runs < max(1, repeats) or (best < SHORT and runs < 3 * repeats):
        work = make()
        inline._parsed.cache_clear()  # the parsed texts are remembered too
        gc.collect()
        gc.disable()  # as timeit does: a collection falls wherever the count of objects says, which is noise here
        try:
            LAYOUT_PASSES[0] = 0
            started, wall = time.process_time(), time.perf_counter()
            work()
            seconds = time.process_time() - started
            if seconds < best:
                best, passes = seconds, LAYOUT_PASSES[0]
            spent, runs = spent + time.perf_counter() - wall, runs + 1
        finally:
            gc.enable()
        if spent > budget and runs >= min(2, repeats):  # two runs at least: the first may pay for a cache
            break
    return best, passes


def exponent(n1: int, t1: float, n2: int, t2: float) -> float:
    return math.log(max(t2, 1e-9) / max(t1, 1e-9)) / math.log(n2 / n1)


# --- the temporary project -----------------------------------------------------------------------------------


class Sandbox:
    """A project in a temporary folder: the shipped layouts and English labels, and handouts written per case."""

    def __init__(self, folder: Path) -> None:
        self.root = folder / "project"
        shutil.copytree(ROOT / "layouts", self.root / "layouts")
        (self.root / "handouts" / "en").mkdir(parents=True)
        shutil.copy(ROOT / "handouts" / "en" / "_labels.yaml", self.root / "handouts" / "en")
        (self.root / "images").mkdir()
        self.output = folder / "output"
        self.output.mkdir()  # made first: run_job refuses an output folder whose nearest existing parent is outside it
        self.project = Project(self.root)
        self.touches = 0
        self.chain: tuple[int, str] | None = None  # the extends chain written last

    def inputs(self) -> Inputs:
        """Fresh inputs: nothing loaded yet, so each timed run loads everything again."""
        return Inputs(self.project, FallbackPolicy())

    def write_handout(self, handout_id: str, body: str) -> Job:
        (self.root / "handouts" / "en" / f"{handout_id}.yaml").write_text(HANDOUT.format(id=handout_id, body=body),
                                                                          encoding="utf-8")
        return Job(handout_id, "en", "standard")

    def write_layout(self, name: str, text: str) -> None:
        (self.root / "layouts" / f"{name}.yaml").write_text(text, encoding="utf-8")

    def handout(self, job: Job) -> Handout:
        loaded = self.inputs().handout(job)
        if not isinstance(loaded, Handout):
            raise RuntimeError(f"{job} did not load as a handout: {loaded!r}")
        return loaded

    def layout(self, name: str = "standard") -> Layout:
        return self.inputs().layout(name)

    def run(self, job: Job) -> Outcome:
        outcome = run_job(job, self.inputs(), self.output, None)
        if outcome.status != "written":
            raise RuntimeError(f"{job}: {outcome.status}: " + "; ".join(p.message[:200] for p in outcome.problems))
        return outcome

    def image(self, number: int) -> str:
        """A small PNG of its own colour (so no two are the same file), written once, and given a new date each
        time it is asked for (so that what the package keeps per file and date is not found again)."""
        from PIL import Image

        path = self.root / "images" / f"picture-{number}.png"
        if not path.exists():
            colour = ((number * 37) % 256, (number * 91) % 256, (number * 13) % 256)
            Image.new("RGB", (48, 32), colour).save(path)
        self.touches += 1
        stamp = 1_700_000_000_000_000_000 + self.touches * 1000
        os.utime(path, ns=(stamp, stamp))
        return f"images/{path.name}"

    def extends_chain(self, depth: int, name: str) -> None:
        """``name`` extends a chain of ``depth`` partial layouts, the last of which extends standard."""
        if self.chain == (depth, name):
            return
        self.chain = (depth, name)
        for old in (self.root / "layouts").glob("_chain-*.yaml"):
            old.unlink()
        parent = "standard"
        for number in range(depth):
            link = f"_chain-{number:05d}"
            self.write_layout(link, f"extends: {parent}\ntype:\n  body_size: 12\n")
            parent = link
        self.write_layout(name, f"extends: {parent}\n")


# --- the cases ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    sizes: tuple[int, int, int]
    quick: tuple[int, int, int]
    make: Callable[[int], Work]  # builds the input of size n (untimed, before every run) and returns the work
    limit: int | None = None  # the size at which the input fills the 1 MB a YAML file may hold


def cut_to(words: str) -> Callable[[int], str]:
    return lambda n: (words * (n // len(words) + 1))[:n]


_WORDS = [0]


def new_word(n: int) -> str:
    """A word of n letters not made before (pyphen keeps the hyphenation points of every word it has seen)."""
    _WORDS[0] += 1
    tag = "".join("abcdefghij"[int(digit)] for digit in str(_WORDS[0]))
    return cut_to("supercalifragilistic")(n - len(tag)) + tag


def markup_cases() -> list[Case]:
    patterns = [
        ("'[' x n", "[", (2000, 4000, 8000), (1000, 2000, 4000)),
        ("'*' x n", "*", (4000, 8000, 16000), (2000, 4000, 8000)),
        ("'[*' x n", "[*", (100, 200, 400), (50, 100, 200)),
        ("'[a](' x n (unclosed links)", "[a](", (15_625, 62_500, 250_000), (3_125, 12_500, 50_000)),
        ("'*a* ' x n (n italics)", "*a* ", (2000, 4000, 8000), (1000, 2000, 4000)),
        ("'[a](https://e.org) ' x n (n links)", "[a](https://e.org) ", (500, 1000, 2000), (250, 500, 1000)),
    ]
    return [Case(f"inline.parse: {label}", sizes, quick, parsing(pattern), MAX_FILE_BYTES // len(pattern))
            for label, pattern, sizes, quick in patterns]


def parsing(pattern: str) -> Callable[[int], Work]:
    def make(n: int) -> Work:
        source = pattern * n
        return lambda: inline.parse(source)

    return make


def fitting(layout: Layout, styles: Styles, words: str) -> Callable[[int], Work]:
    def make(n: int) -> Work:
        label, font, size, script = cut_to(words)(n), styles.body_font, styles.small.fontSize, styles.script
        return lambda: pages.fit(label, font, size, layout.frame_width / 3, script)

    return make


def fitting_cases(sandbox: Sandbox) -> list[Case]:
    """``pages.fit``, what every header and footer slot goes through on every page, with a label of n characters."""
    layout = sandbox.layout()
    cases = []
    # Sizes for a fit that measures a few prefixes; one that measured a prefix per character took minutes at the
    # larger sizes (the largest are then skipped as predicted too slow, and the first two steps tell).
    labels = (("en", "Sample Clinic of the County ", (16_000, 64_000, 256_000), (8000, 32_000, 128_000)),
              ("ar", "عيادة المقاطعة ", (1000, 4000, 16_000), (500, 2000, 8000)),
              ("zh-Hans", "县诊所名称", (1000, 4000, 16_000), (500, 2000, 8000)))
    for lang, words, sizes, quick in labels:
        register_fonts(layout, lang)
        make = fitting(layout, make_styles(layout, lang), words)
        make(50)()  # the fonts' shaping data loaded before any timing
        utf8_bytes = len(words.encode()) / len(words)
        cases.append(Case(f"pages.fit: header label of n chars ({lang})", sizes, quick, make,
                          int(MAX_FILE_BYTES / utf8_bytes)))

    def long_label(n: int) -> Work:
        sandbox.write_layout("long-label", f'extends: standard\nheader:\n  left: "{cut_to("Sample Clinic ")(n)}"\n')
        job = sandbox.write_handout("long-label", "  - paragraph: Call the clinic.\n")
        return lambda: sandbox.run(Job(job.handout_id, "en", "long-label"))

    cases.append(Case("run_job: header label of n chars (en)", (4000, 16000, 64000), (2000, 8000, 32000), long_label,
                      MAX_FILE_BYTES))
    return cases


def word_cases() -> list[Case]:
    def english(n: int) -> Work:
        word = new_word(n)
        return lambda: syllables.english(word)

    def spanish(n: int) -> Work:
        word = cut_to("paracetamolesco")(n)
        return lambda: syllables.spanish(word)

    def sentences(n: int) -> Work:
        text = "one dose, i.e. " * n  # a full stop before a small letter: the pieces are joined up again
        return lambda: readability.split_sentences(text)

    return [
        Case("syllables.english: one word of n letters", (16_000, 32_000, 64_000), (8000, 16000, 32000), english,
             MAX_FILE_BYTES),
        Case("syllables.spanish: one word of n letters", (62_500, 250_000, 1_000_000), (15_625, 62_500, 250_000),
             spanish, MAX_FILE_BYTES),
        Case("readability.split_sentences: 'one dose, i.e. ' x n", (16_000, 32_000, 64_000), (8000, 16000, 32000),
             sentences, MAX_FILE_BYTES // 15),
    ]


def pipeline_cases(sandbox: Sandbox, what: str, handout_id: str, body: Callable[[int], str],
                   sizes: tuple[int, int, int], quick: tuple[int, int, int], bytes_per_unit: int) -> list[Case]:
    """The same handout, n units of something, through each stage of the real path."""

    def load(n: int) -> Work:
        job = sandbox.write_handout(handout_id, body(n))
        return lambda: sandbox.handout(job)

    def check(n: int) -> Work:
        handout = sandbox.handout(sandbox.write_handout(handout_id, body(n)))
        today = dt.date(2026, 6, 1)
        return lambda: rules.check_handout(handout, readability.measure(handout), today)

    def job(n: int) -> Work:
        written = sandbox.write_handout(handout_id, body(n))
        return lambda: sandbox.run(written)

    limit = MAX_FILE_BYTES // bytes_per_unit
    return [Case(f"load+validate: {what}", sizes, quick, load, limit),
            Case(f"check (readability, rules): {what}", sizes, quick, check, limit),
            Case(f"run_job: {what}", sizes, quick, job, limit)]


def real_path_cases(sandbox: Sandbox) -> list[Case]:
    def word(n: int) -> str:
        return f"  - paragraph: Take {new_word(n)} daily.\n"

    def table(n: int) -> str:
        rows = "".join(f"        - [Row {i}, Some text here, More words in this cell]\n" for i in range(n))
        return f"  - table:\n      header: [Name, What, Notes]\n      rows:\n{rows}"

    def bullets(n: int) -> str:
        return "  - bullets:\n" + "".join(f"      - Item {i} of the list\n" for i in range(n))

    def long_paragraph(n: int) -> str:  # n words, seven to a sentence
        return "  - paragraph: " + "Call the clinic if you feel sick. " * (n // 7) + "\n"

    def paragraphs(n: int) -> str:
        return "".join(f"  - paragraph: Call the clinic if you feel sick, number {i}.\n" for i in range(n))

    def warnings(n: int) -> str:  # each paragraph holds a zero-width space: one located warning each
        return "".join(f"  - paragraph: Call the clinic\u200b if you feel sick, number {i}.\n" for i in range(n))

    def images(n: int) -> str:
        return "".join(f"  - image:\n      path: {sandbox.image(i)}\n      alt: A pill bottle, picture {i}\n"
                       f"      width: 1in\n" for i in range(n))

    return [
        *pipeline_cases(sandbox, "a word of n letters", "long-word", word, (4000, 16000, 64000), (1000, 4000, 16000),
                        1),
        *pipeline_cases(sandbox, "a table of n rows", "table-rows", table, (500, 1000, 2000), (150, 300, 600), 56),
        *pipeline_cases(sandbox, "a list of n items", "list-items", bullets, (250, 1000, 4000), (60, 250, 1000), 30),
        *pipeline_cases(sandbox, "one paragraph of n words", "long-paragraph", long_paragraph, (2000, 8000, 32000),
                        (1000, 4000, 16000), 5),
        *pipeline_cases(sandbox, "n paragraphs", "paragraphs", paragraphs, (125, 500, 2000), (60, 250, 1000), 60),
        *pipeline_cases(sandbox, "n paragraphs, each with a warning", "warnings", warnings, (500, 1000, 2000),
                        (200, 400, 800), 63),
        *pipeline_cases(sandbox, "n images", "images", images, (25, 100, 400), (12, 50, 200), 75),
    ]


def chain_cases(sandbox: Sandbox) -> list[Case]:
    def load(n: int) -> Work:
        sandbox.extends_chain(n, "deep")
        return lambda: sandbox.layout("deep")

    def files(n: int) -> Work:
        sandbox.extends_chain(n, "deep")
        return lambda: layout_chain_files("deep", sandbox.root / "layouts")

    def job(n: int) -> Work:
        sandbox.extends_chain(n, "deep")
        written = sandbox.write_handout("chain", "  - paragraph: Call the clinic.\n")
        return lambda: sandbox.run(Job(written.handout_id, "en", "deep"))

    # Kept below the default recursion limit: the probes below say what happens deeper.
    return [Case("load_layout: extends chain of n layouts", (25, 100, 400), (12, 50, 200), load),
            Case("layout_chain_files: extends chain of n layouts", (125, 500, 2000), (200, 400, 800), files),
            Case("run_job: layout with an extends chain of n", (25, 100, 400), (12, 50, 200), job)]


# --- running and printing ------------------------------------------------------------------------------------


@dataclass
class Result:
    case: Case
    sizes: list[int]
    seconds: list[float]
    passes: list[int] = field(default_factory=list)  # layout passes at each size (0: the case lays nothing out)
    note: str = ""
    rechecked: dict[int, float] = field(default_factory=dict)  # step -> its exponent when timed again

    def per_pass(self, index: int) -> float:
        return self.seconds[index] / max(1, self.passes[index])

    @property
    def exponents(self) -> list[float]:
        def step(i: int) -> float:
            return exponent(self.sizes[i], self.per_pass(i), self.sizes[i + 1], self.per_pass(i + 1))

        return [self.rechecked.get(i, step(i)) for i in range(len(self.seconds) - 1)]

    def judged(self, index: int) -> bool:
        return self.seconds[index + 1] >= NOISE_FLOOR

    @property
    def linear(self) -> bool:
        return not any(e > NOT_LINEAR and self.judged(i) for i, e in enumerate(self.exponents)) and not self.note


def measure(case: Case, quick: bool, repeats: int, budget: float, max_seconds: float) -> Result:
    sizes = case.quick if quick else case.sizes
    result = Result(case, [], [])
    for n in sizes:
        if result.seconds:
            growth = max(1.0, result.exponents[-1] if len(result.seconds) > 1 else 1.0)
            predicted = result.seconds[-1] * (n / result.sizes[-1]) ** growth
            if predicted > max_seconds:
                result.note = f"n={n:,} skipped (predicted ~{predicted:,.0f} s)"
                break
        try:
            seconds, passes = best_time(functools.partial(case.make, n), repeats, budget)
        except Exception as exc:  # a case that fails is reported, and the others still run
            result.note = f"n={n:,} failed: {type(exc).__name__}: {str(exc)[:160]}"
            break
        result.sizes.append(n)
        result.seconds.append(seconds)
        result.passes.append(passes)
        if seconds > max_seconds:
            break
    recheck(result, repeats, budget)
    return result


def recheck(result: Result, repeats: int, budget: float) -> None:
    """Time both sizes of a step that looks not linear again, alternating them, and judge the step on these runs
    alone: both sizes then see the same load on the machine, and a step that only looked slow because the machine
    was busy for a moment comes out linear. A step that is clearly super-linear and costly to repeat is left."""
    for i in range(len(result.seconds) - 1):
        growth = result.exponents[i]
        cheap = result.seconds[i + 1] * max(repeats, 3) <= 2 * budget
        if 0 <= growth <= NOT_LINEAR or not result.judged(i) or not (cheap or growth < 1.7):
            continue  # (a step that shrinks is timed again too: its smaller size paid for something once)
        fresh = [math.inf, math.inf]
        for _ in range(max(repeats, 3) if cheap else 1):
            for k, j in enumerate((i, i + 1)):
                seconds, passes = best_time(functools.partial(result.case.make, result.sizes[j]), 1, budget)
                fresh[k] = min(fresh[k], seconds / max(1, passes))
        result.rechecked[i] = exponent(result.sizes[i], fresh[0], result.sizes[i + 1], fresh[1])


def duration(seconds: float) -> str:
    for unit, length in (("years", 365 * 86400), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= 2 * length:
            return f"{seconds / length:,.0f} {unit}"
    return f"{seconds:.0f} s"


def at_limit(result: Result) -> str:
    """The time the largest input the limits allow would take, from the exponent of the last judged step."""
    limit = result.case.limit
    judged = [e for i, e in enumerate(result.exponents) if result.judged(i)]
    if result.linear or limit is None or not judged or limit <= result.sizes[-1]:
        return ""
    estimate = result.seconds[-1] * (limit / result.sizes[-1]) ** max(1.0, judged[-1])
    return f"  ~{duration(estimate)} at n={limit:,} (1 MB)"


def line(result: Result) -> str:
    sizes = " ".join(f"{n:>9,}" for n in result.sizes).ljust(30)
    seconds = " ".join(f"{t:>8.3f}" for t in result.seconds).ljust(27)
    exponents = " ".join((f"{e:5.2f}" if result.judged(i) else f"({e:4.2f})") + ("*" if i in result.rechecked else " ")
                         for i, e in enumerate(result.exponents))
    verdict = "ok" if result.linear else "NOT LINEAR"
    if result.note and not any(e > NOT_LINEAR for e in result.exponents):
        verdict = "see note"
    text = f"{result.case.name:<58} {sizes} {seconds} {exponents.ljust(14)} {verdict}{at_limit(result)}"
    if len(set(result.passes)) > 1:
        text += f"\n{'':<58} layout passes {'/'.join(map(str, result.passes))}: exponents are of the time per pass"
    return text + (f"\n{'':<58} {result.note}" if result.note else "")


def header() -> str:
    return f"{'case':<58} {'sizes (n)':<30} {'seconds (best)':<27} {'exponents':<14} verdict"


# --- recursion probes ----------------------------------------------------------------------------------------


def frame_depth() -> int:
    depth, frame = 0, sys._getframe()
    while frame.f_back is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


def probe(work: Work, free_frames: int | None) -> str:
    """What running ``work`` gives: ok, a located error, or a RecursionError (with only ``free_frames`` frames
    above this one when given)."""
    old = sys.getrecursionlimit()
    started = time.perf_counter()
    try:
        if free_frames is not None:
            sys.setrecursionlimit(frame_depth() + free_frames)
        work()
        outcome = "ok"
    except RecursionError:
        outcome = "RecursionError  <- DEFECT: recursion depends on the input's depth"
    except ContentError as exc:
        first = exc.problems[0]
        outcome = f"located error: {first.describe()[:150]}"
    except RuntimeError as exc:  # a job that did not write its PDF (Sandbox.run)
        outcome = f"job failed: {str(exc)[:200]}"
        if "RecursionError" in str(exc):
            outcome += "  <- DEFECT: a RecursionError, not a located error"
    finally:
        sys.setrecursionlimit(old)
    return f"{outcome}  ({time.perf_counter() - started:.2f} s)"


def nested_markup(depth: int) -> list[tuple[str, str]]:
    """Markup opened ``depth`` times and closed as often (the mixed one 1,000 deep: its parse time is quadratic)."""
    mixed = min(depth, 1000)
    return [
        (f"'**' x {depth}, x, '**' x {depth}", "**" * depth + "x" + "**" * depth),
        (f"'*' x {depth}, x, '*' x {depth}", "*" * depth + "x" + "*" * depth),
        (f"'[' x {depth}, x, '](https://e.org)' x {depth}", "[" * depth + "x" + "](https://e.org)" * depth),
        (f"'**a *b [c ' x {mixed}, then the closers x {mixed}",
         "**a *b [c " * mixed + "](https://e.org) c* b** " * mixed),
    ]


def parser_of(source: str) -> Work:
    inline._parsed.cache_clear()  # parsed afresh, as a build meets a text the first time
    return lambda: inline.parse(source)


def running(sandbox: Sandbox, job: Job) -> Work:
    return lambda: sandbox.run(job)


def recursion_probes(sandbox: Sandbox, rendered_depth: int) -> list[str]:
    tight = 300
    lines = [f"Recursion probes (default limit {sys.getrecursionlimit():,}; tight: only {tight} frames free above the "
             "caller, so recursion that follows the input's depth fails at a depth the default limit still allows)"]

    def report(label: str, work: Work, free_frames: int | None) -> None:
        limit = "default limit" if free_frames is None else "tight"
        lines.append(f"  {label + ', ' + limit + ':':<86} {probe(work, free_frames)}")

    chain_job = sandbox.write_handout("chain", "  - paragraph: Call the clinic.\n")
    for depth in (500, 1500):
        sandbox.extends_chain(depth, "deep")
        if depth == 500:
            report(f"extends chain {depth} deep, load_layout", lambda: sandbox.layout("deep"), None)
            report(f"extends chain {depth} deep, load_layout", lambda: sandbox.layout("deep"), tight)
            report(f"extends chain {depth} deep, layout_chain_files",
                   lambda: layout_chain_files("deep", sandbox.root / "layouts"), tight)
        report(f"extends chain {depth} deep, run_job", running(sandbox, Job(chain_job.handout_id, "en", "deep")), None)
    for label, source in nested_markup(5000):
        report(f"inline.parse {label}", parser_of(source), tight)
    for label, source in nested_markup(rendered_depth)[:3]:  # (--quick: 1,000 deep, to save time)
        job = sandbox.write_handout("nested", f"  - paragraph: \"{source}\"\n")
        report(f"run_job, a paragraph of {label}", running(sandbox, job), None)
    return lines


# --- profiling -------------------------------------------------------------------------------------------------


@dataclass
class Spent:
    seconds: float = 0.0
    calls: int = 0


def project_function(code: object) -> str | None:
    """``file:line(name)`` of a function of the package, None for anything else (the library, built-ins)."""
    if not isinstance(code, CodeType) or f"{os.sep}kratom_handouts{os.sep}" not in code.co_filename:
        return None
    return f"{os.path.relpath(code.co_filename, ROOT)}:{code.co_firstlineno}({code.co_name})"


def project_times(work: Work) -> dict[str, Spent]:
    """For each function of the package: its own time plus that of the library code it calls directly (so a
    loop of ours that calls ReportLab or a regex is charged with what it costs), and how often it was called."""
    profile = cProfile.Profile()
    profile.enable()
    work()
    profile.disable()
    spent: dict[str, Spent] = {}
    for entry in profile.getstats():
        name = project_function(entry.code)
        if name is None:
            continue
        item = spent.setdefault(name, Spent())
        item.seconds += entry.inlinetime
        item.calls += entry.callcount
        item.seconds += sum(sub.totaltime for sub in entry.calls or () if project_function(sub.code) is None)
    return spent


def hot_spots(result: Result, top: int = 6) -> list[str]:
    """The package's functions that cost most at the largest size, with how fast that grew from the size before."""
    if len(result.sizes) < 2:
        return []
    (n1, n2) = result.sizes[-2:]
    before, after = project_times(result.case.make(n1)), project_times(result.case.make(n2))
    ranked = sorted(after.items(), key=lambda item: item[1].seconds, reverse=True)[:top]
    lines = [f"  {result.case.name}, n={n1:,} -> n={n2:,} (under the profiler):"]
    for name, spent in ranked:
        earlier = before.get(name, Spent())
        growth = f"{exponent(n1, earlier.seconds, n2, spent.seconds):5.2f}" if earlier.seconds > 0 else "  new"
        lines.append(f"    {earlier.seconds:8.3f} s -> {spent.seconds:8.3f} s  exponent {growth}  "
                     f"calls {earlier.calls:>7,} -> {spent.calls:>7,}  {name}")
    return lines


WARM_UP = """  - paragraph: Call the **clinic** at [our number](tel:555-010-0100), *any* time.
  - bullets: [Powder, Capsules]
  - steps: [Call the clinic., Bring your medicines.]
  - checklist: [I use more than I meant to.]
  - callout:
      kind: warning
      title: Call 911 if
      text: You cannot wake someone up.
      bullets: [Seizures]
  - table:
      header: [Symptom, What helps]
      rows:
        - [Muscle aches, Rest and warm baths]
  - contacts:
      - label: SAMHSA National Helpline
        phone: 1-800-662-4357
  - qr:
      url: https://findtreatment.gov
      caption: Find treatment near you
  - image:
      path: {image}
      alt: A pill bottle
"""


def revision() -> str:
    """The commit the package was measured at, and whether its files differ from it (to compare runs by)."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "kratom_handouts"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown commit (no git)"
    return f"commit {head}" + (" with local changes to kratom_handouts/" if changed else "")


def warm_up(sandbox: Sandbox) -> None:
    """Fonts registered, the syllable table read, every block type rendered once: first-use costs out of the
    timings."""
    syllables.english("warm")
    syllables.english("kratomwarmup")  # not in the table: the hyphenation patterns are loaded too
    sandbox.run(sandbox.write_handout("warm-up", WARM_UP.format(image=sandbox.image(10**6))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: the whole run in about a minute")
    parser.add_argument("--repeats", type=int, default=None, help="runs per size, the best kept (default 3, quick 1)")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds a size may use before its repeats stop (default 3, quick 1)")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="skip a size predicted to take longer than this (default 40, quick 10)")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this text")
    parser.add_argument("--profile", action="store_true", help="profile each case that is not linear")
    parser.add_argument("--no-probes", action="store_true", help="skip the recursion probes")
    args = parser.parse_args()
    repeats = args.repeats or (1 if args.quick else 3)
    budget = args.budget if args.budget is not None else (1.0 if args.quick else 3.0)
    max_seconds = args.max_seconds if args.max_seconds is not None else (10.0 if args.quick else 40.0)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"kratom_handouts at {revision()}")
    print(f"{'quick' if args.quick else 'default'} sizes, best of {repeats} (budget {budget:g} s per size); "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load:.1f}")
    print(f"exponent log(t2/t1)/log(n2/n1) per step: 1.0 linear, 2.0 quadratic; above {NOT_LINEAR} is NOT LINEAR")
    started = time.perf_counter()
    count_layout_passes()
    with tempfile.TemporaryDirectory() as folder:
        sandbox = Sandbox(Path(folder))
        warm_up(sandbox)
        cases = [*markup_cases(), *fitting_cases(sandbox), *word_cases(), *real_path_cases(sandbox),
                 *chain_cases(sandbox)]
        results = []
        print()
        print(header())
        for case in cases:
            if args.only.lower() in case.name.lower():
                results.append(measure(case, args.quick, repeats, budget, max_seconds))
                print(line(results[-1]), flush=True)
        slow = [result for result in results if not result.linear]
        print()
        print(f"not linear: {len(slow)} of {len(results)}" + "".join(f"\n  {r.case.name}" for r in slow))
        if not args.no_probes and not args.only:
            print()
            print("\n".join(recursion_probes(sandbox, 1000 if args.quick else 5000)))
        if args.profile and slow:
            print()
            print("Where the time goes in the cases that are not linear: each function of the package, with the "
                  "library code it calls directly")
            for result in slow:
                print("\n".join(hot_spots(result)), flush=True)
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
