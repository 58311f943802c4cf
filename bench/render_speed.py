"""How fast handouts render: against plain ReportLab on the same text, and against the last untagged renderer.

    python bench/render_speed.py [--rounds N] [--repeats N] [--untagged-ref REF]

Figures from one run, on the shipped English handouts in the standard layout as it was at REF:
- baseline: each handout's printed text as plain paragraphs in a SimpleDocTemplate
  with the same embedded font (no header, footer, boxes, tables or second pass);
- untagged: ``render_handout`` as it was at REF (the commit before tagged PDF, by
  default), taken out of git into a temporary folder and run in a subprocess;
- tagged, two passes: today's renderer laid out twice as it used to be, to isolate
  the cost of tagging against the untagged one (the target is 25% at most);
- ours: today's ``render_handout``: tagged, laid out once.
Prints handouts per second for each and the ratios.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNTAGGED_REF = "d704b34"  # the block registry, the last commit before tagging


def baseline(texts: list[str], font: str) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = ParagraphStyle("body", fontName=font, fontSize=12, leading=16)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, invariant=1, initialFontName=font).build([Paragraph(escape(t), style) for t in texts])
    return buffer.getvalue()


def rate(work, items: list, rounds: int) -> float:
    """Median handouts per second over the rounds."""
    speeds = []
    for _ in range(rounds):
        started = time.perf_counter()
        for item in items:
            work(item)
        speeds.append(len(items) / (time.perf_counter() - started))
    return statistics.median(speeds)


def sample_project(folder: Path, layouts_ref: str) -> Path:
    """Today's English handouts, the layouts as they were at ``layouts_ref``, and the built-in labels.

    Both renderers read the same input: today's layouts have fields the older reader refuses (a
    language-assistance line, per-script fonts), and today's reader still takes the older layouts.
    """
    import shutil

    project = folder / "project"
    extract(layouts_ref, project, "layouts")
    (project / "handouts" / "en").mkdir(parents=True)
    for file in (ROOT / "handouts" / "en").glob("[!_]*.yaml"):
        shutil.copy(file, project / "handouts" / "en" / file.name)
    return project


def measure_here(rounds: int, root: str) -> dict[str, float]:
    """Handouts per second of render_handout (and of the baseline) with the package on sys.path."""
    import kratom_handouts
    from kratom_handouts import errors, fonts, inline
    from kratom_handouts.content import load_handout, load_labels
    try:
        from kratom_handouts.jobs import creation_time
    except ImportError:  # the untagged reference keeps it in build.py
        from kratom_handouts.build import creation_time  # type: ignore[attr-defined,no-redef]
    from kratom_handouts.layouts import load_layout
    from kratom_handouts.model import handout_texts
    from kratom_handouts.project import Project
    from kratom_handouts.render import document
    from kratom_handouts.render.document import render_handout

    project = Project(Path(root))
    report = (errors.Diagnostics(),) if hasattr(errors, "Diagnostics") else ()  # older packages take none
    layout = load_layout("standard", Path(root), *report)
    labels = load_labels(project, "en", *report)
    handouts = [load_handout(project, handout_id, "en", *report) for handout_id in project.handout_files("en")]
    family = fonts.FAMILIES[layout.body_font]
    fonts.register(family)
    plain = [[inline.plain_text(t.value) for t in handout_texts(h)] for h in handouts]
    # Two layout passes, as every render made before the one-pass layout: isolates what tagging costs.
    two_passes = getattr(document, "render_handout_two_passes", render_handout)
    return {
        "two_passes": rate(lambda h: two_passes(h, layout, labels, creation_time(h, None)), handouts, rounds),
        "package": kratom_handouts.__file__,
        "handouts": len(handouts),
        "baseline": rate(lambda texts: baseline(texts, family.face_name("regular")), plain, rounds),
        "ours": rate(lambda h: render_handout(h, layout, labels, creation_time(h, None)), handouts, rounds),
    }


def measure_in_subprocess(package_root: Path, rounds: int, root: Path) -> dict[str, float]:
    """measure_here in a fresh process with the package taken from ``package_root``."""
    # An editable install puts a finder on sys.meta_path that would serve today's modules to the old package.
    code = ("import sys; sys.meta_path = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
            f"sys.path.insert(0, {str(package_root)!r}); sys.path.append({str(ROOT / 'bench')!r}); "
            f"import json, render_speed; print(json.dumps(render_speed.measure_here({rounds}, {str(root)!r})))")
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=str(root))
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    if not str(figures["package"]).startswith(str(package_root)):
        raise SystemExit(f"the run imported {figures['package']}, not the package in {package_root}")
    return figures


def extract(ref: str, folder: Path, path: str = "kratom_handouts") -> Path:
    """The package (or another folder of the project) as it was at ``ref``, in ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, path], check=True,
                             capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs of each renderer")
    parser.add_argument("--untagged-ref", default=UNTAGGED_REF,
                        help="git commit of the untagged renderer to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = sample_project(Path(folder), args.untagged_ref)
        old = extract(args.untagged_ref, Path(folder) / "untagged")
        # Alternate the two, each in a fresh process, and keep each one's best run: the machine's
        # speed drifts over a run, and this way both see the same drift.
        runs: dict[str, list[dict[str, float]]] = {"here": [], "untagged": []}
        for _ in range(args.repeats):
            runs["untagged"].append(measure_in_subprocess(old, args.rounds, root))
            runs["here"].append(measure_in_subprocess(ROOT, args.rounds, root))
        here = {key: max(run[key] for run in runs["here"]) for key in ("handouts", "baseline", "ours", "two_passes")}
        untagged = {"ours": max(run["ours"] for run in runs["untagged"])}
    print(f"handouts: {here['handouts']:.0f}, rounds: {args.rounds}")
    print(f"baseline (plain ReportLab paragraphs):  {here['baseline']:6.1f} handouts/s")
    print(f"untagged render_handout ({args.untagged_ref}):     {untagged['ours']:6.1f} handouts/s")
    print(f"tagged, two layout passes:               {here['two_passes']:6.1f} handouts/s")
    print(f"kratom-handouts render_handout (tagged, one pass): {here['ours']:6.1f} handouts/s")
    print(f"ratio ours/baseline: {here['ours'] / here['baseline']:.2f}")
    print(f"tagging cost, two passes each (time per handout, tagged/untagged - 1): "
          f"{untagged['ours'] / here['two_passes'] - 1:+.0%} (target: +25% at most)")
    print(f"one layout pass against two: {here['ours'] / here['two_passes']:.2f}x the handouts per second")


if __name__ == "__main__":
    main()
