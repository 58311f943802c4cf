"""Whole-library build speed: against raw ReportLab and Typst on the same pages, rebuilds, bundles, memory, listing.

    python bench/build_speed.py [--handouts 120] [--big 1000] [--skip-memory] [--rounds 3]

A library of HANDOUTS handouts (the shipped ten, copied under new ids) in English and
Spanish is built in a temporary folder; every figure comes from this one run:
- per core: our pages per second with --jobs 1, against raw ReportLab platypus drawing the
  same handouts' text as plain paragraphs in the same fonts (no boxes, furniture or tags), in
  ROUNDS alternating rounds (the median round's figures, and every round's ratio);
- whole library, all cores, whole process (start-up included): the CLI's wall time, against
  Typst (the PyPI ``typst`` package, ``pip install typst``) writing the same number of pages in
  one process from documents of the same text with the same Noto Sans files;
- a no-op rebuild: seconds, seconds per 1,000 outputs, and its share of a full build;
- ``list`` on this library; a 50-handout bundle (the best of 3 runs); peak memory of a BIG-handout build against a
  50-handout one (each in its own process, --jobs 1).
Targets (issue 12) are printed beside each figure. No timing is asserted in the test suite.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LAYOUTS = ("standard", "a4", "large-print")
BUNDLE_RUNS = 3


def make_library(folder: Path, count: int, langs: tuple[str, ...] = ("en", "es"), programs: bool = True) -> Path:
    root = folder / f"library-{count}-{'-'.join(langs)}{'' if programs else '-no-programs'}"
    if root.exists():  # the same size asked twice (the bundle and the memory figures): start afresh
        shutil.rmtree(root)
    shutil.copytree(ROOT / "layouts", root / "layouts")
    shutil.copy(ROOT / "kratom-handouts.yaml", root / "kratom-handouts.yaml")
    if programs:
        shutil.copytree(ROOT / "programs", root / "programs")
    shipped = sorted(p.stem for p in (ROOT / "handouts" / "en").glob("[!_]*.yaml"))
    for lang in langs:
        (root / "handouts" / lang).mkdir(parents=True)
        for extra in (ROOT / "handouts" / lang).glob("_*.yaml"):
            shutil.copy(extra, root / "handouts" / lang / extra.name)
        for n in range(count):
            source = shipped[n % len(shipped)]
            name = source if n < len(shipped) else f"{source}-{n // len(shipped)}"
            text = (ROOT / "handouts" / lang / f"{source}.yaml").read_text(encoding="utf-8")
            (root / "handouts" / lang / f"{name}.yaml").write_text(text.replace(f"id: {source}\n", f"id: {name}\n", 1),
                                                                   encoding="utf-8")
    return root


def cli(root: Path, *args: str) -> tuple[float, str]:
    """Wall time of the command in a fresh process, and its output."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kratom_handouts", *args, "--project", str(root)],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def pages_of(output: str) -> int:
    # "Built 123 PDF(s), 456 page(s), in ..."
    line = next(line for line in output.splitlines() if line.startswith("Built "))
    return int(line.split(", ")[1].split()[0])


def handout_texts(root: Path) -> list[tuple[str, list[str]]]:
    from kratom_handouts import inline
    from kratom_handouts.content import load_handout
    from kratom_handouts.errors import Diagnostics
    from kratom_handouts.model import handout_texts as texts
    from kratom_handouts.project import Project

    project = Project(root)
    found = []
    for lang in ("en", "es"):
        for handout_id in project.handout_files(lang):
            handout = load_handout(project, handout_id, lang, Diagnostics())
            found.append((lang, [inline.plain_text(t.value) for t in texts(handout)]))
    return found


def raw_reportlab(texts: list[tuple[str, list[str]]]) -> tuple[float, int]:
    """Pages per second of plain platypus paragraphs in the same font, one document per handout."""
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from kratom_handouts import fonts

    family = fonts.FAMILIES["noto-sans"]
    fonts.register(family)
    style = ParagraphStyle("body", fontName=family.face_name("regular"), fontSize=12, leading=16)
    pages = 0
    started = time.perf_counter()
    for _, paragraphs in texts:
        buffer = io.BytesIO()
        document = SimpleDocTemplate(buffer, invariant=1)
        document.build([Paragraph(escape(t), style) for t in paragraphs])
        pages += document.page
    return pages / (time.perf_counter() - started), pages


def typst_pages_per_second(texts: list[tuple[str, list[str]]], folder: Path,
                           target_pages: int) -> tuple[float, int] | None:
    """Typst compiling documents of the same text, repeated until it has written ``target_pages`` pages."""
    try:
        import typst
    except ImportError:
        return None
    from pypdf import PdfReader

    fonts_dir = ROOT / "kratom_handouts" / "fonts" / "noto-sans"
    sources = []
    for index, (lang, paragraphs) in enumerate(texts):
        body = "\n\n".join(t.replace("\\", "\\\\").replace("#", "\\#").replace("$", "\\$").replace("*", "\\*")
                           .replace("_", "\\_").replace("<", "\\<").replace("@", "\\@").replace("`", "\\`")
                           .replace("[", "\\[").replace("]", "\\]") for t in paragraphs)
        source = folder / f"doc{index}.typ"
        source.write_text('#set page(paper: "us-letter", margin: 0.75in)\n'
                          f'#set text(font: "Noto Sans", size: 12pt, lang: "{lang}")\n'
                          f"#set par(leading: 0.5em)\n{body}\n", encoding="utf-8")
        sources.append(source)
    pages, started = 0, time.perf_counter()
    while pages < target_pages:
        for source in sources:
            pdf = typst.compile(str(source), font_paths=[str(fonts_dir)], ignore_system_fonts=True)
            pages += len(PdfReader(io.BytesIO(pdf)).pages)
            if pages >= target_pages:
                break
    return pages / (time.perf_counter() - started), pages


def peak_memory_mib(root: Path) -> float:
    """Peak resident memory of one --jobs 1 build of the English handouts, in its own process."""
    code = ("import resource, sys\nfrom click.testing import CliRunner\nfrom kratom_handouts.cli import main\n"
            "r = CliRunner().invoke(main, ['build', '--jobs', '1', '--no-bundles', '--lang', 'en', '--project', "
            f"{str(root)!r}])\n"
            "assert r.exit_code == 0, r.output\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def bundle_seconds(folder: Path) -> tuple[float, float]:
    """The best wall time of a few runs, and the best CPU time (this process's own: time the machine gave to
    others is left out, and this machine's speed moves by up to 40% between runs)."""
    root = make_library(folder, 50, ("en",), programs=False)
    ids = sorted(p.stem for p in (root / "handouts" / "en").glob("[!_]*.yaml"))
    (root / "programs").mkdir()
    (root / "programs" / "all.yaml").write_text("id: all\ntitle: Every handout\nhandouts:\n"
                                                + "".join(f"  - {i}\n" for i in ids), encoding="utf-8")
    from kratom_handouts.build import build
    from kratom_handouts.plan import plan_bundles
    from kratom_handouts.project import Project

    project = Project(root)
    jobs = plan_bundles(project, ("all",), ("en",))
    build(project, jobs, root / "warm", workers=1)  # fonts and modules loaded once, as in any build after the first job
    walls, cpus = [], []
    for run in range(BUNDLE_RUNS):  # the best of a few: one run moves by half a second on a busy machine
        started, cpu_started = time.perf_counter(), time.process_time()
        result = build(project, jobs, root / f"output{run}", workers=1)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
        assert result.ok and result.written, result.problems
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--handouts", type=int, default=120)
    parser.add_argument("--big", type=int, default=1000, help="handouts in the memory comparison (against 50)")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the per-core comparison")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        root = make_library(folder, args.handouts)
        layout_args = [arg for layout in LAYOUTS for arg in ("--layout", layout)]

        # Ours and raw ReportLab in alternating rounds: this machine's speed moves by up to 40% within a minute,
        # so each round's ratio compares two runs made a moment apart, and the median of them is printed.
        texts = handout_texts(root)
        rounds = []
        for round_number in range(args.rounds):
            one_core, out = cli(root, "build", "--jobs", "1", "--no-bundles", "--output",
                                str(folder / f"one{round_number}"), *layout_args)
            pages_one = pages_of(out)
            raw_rate, _ = raw_reportlab(texts)
            rounds.append((pages_one / one_core, raw_rate))
        full, out = cli(root, "build", "--output", str(root / "output"), *layout_args)
        pages_full = pages_of(out)
        outputs = sum(1 for _ in (root / "output").rglob("*.pdf"))
        noop, out = cli(root, "build", "--output", str(root / "output"), *layout_args)
        assert pages_of(out) == 0, out
        listing, _ = cli(root, "list")

        typst = typst_pages_per_second(texts, folder, pages_full)
        bundle = bundle_seconds(folder)
        if not args.skip_memory:
            small = peak_memory_mib(make_library(folder, 50, ("en",), programs=False))
            big = peak_memory_mib(make_library(folder, args.big, ("en",), programs=False))

    ratios = sorted(ours / raw for ours, raw in rounds)
    ours_core, raw_rate = sorted(rounds, key=lambda pair: pair[0] / pair[1])[len(rounds) // 2]
    ours_all = pages_full / full
    print(f"library: {args.handouts} handouts x 2 languages x {len(LAYOUTS)} layouts, plus bundles: "
          f"{outputs} outputs, {pages_full} pages; {cores} cores")
    print(f"per core (--jobs 1, whole process), the median of {len(rounds)} alternating rounds: "
          f"{ours_core:7.1f} pages/s; raw ReportLab paragraphs: {raw_rate:7.1f} pages/s; "
          f"ratio {ours_core / raw_rate:.2f} (target 0.8); the rounds' ratios {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"whole library, {cores} cores, whole process: {full:6.1f} s = {ours_all:6.1f} pages/s")
    if typst is None:
        print("Typst: not installed (pip install typst) - no comparison")
    else:
        print(f"Typst, one process, the same text and fonts: {typst[0]:6.1f} pages/s over {typst[1]} pages; "
              f"ratio ours/Typst {ours_all / typst[0]:.2f} (target above 1)")
    print(f"no-op rebuild: {noop:.2f} s = {noop / outputs * 1000:.2f} s per 1,000 outputs (target under 1), "
          f"{noop / full:.1%} of the full build (target under 5%)")
    print(f"list: {listing:.2f} s for {args.handouts} handouts (target under 0.3 s, start-up included)")
    print(f"bundle of 50 handouts: {bundle[0]:.2f} s, the best of {BUNDLE_RUNS} runs (target under 1.5 s); "
          f"its best CPU time {bundle[1]:.2f} s")
    if not args.skip_memory:
        print(f"peak memory: {small:.0f} MiB for 50 handouts, {big:.0f} MiB for {args.big}; ratio {big / small:.2f} "
              "(target 1.2 at most)")


if __name__ == "__main__":
    main()
