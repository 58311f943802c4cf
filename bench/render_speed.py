"""How fast handouts render, against plain ReportLab on the same text in the same run.

    python bench/render_speed.py [--rounds N]

Baseline: each handout's printed text as plain paragraphs in a SimpleDocTemplate
with the same embedded font (no header, footer, boxes, tables or second pass).
Ours: the full pipeline (render_handout), from already-validated inputs.
Prints handouts per second for both and the ratio.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kratom_handouts import fonts, inline  # noqa: E402
from kratom_handouts.build import creation_time  # noqa: E402
from kratom_handouts.content import load_handout, load_labels  # noqa: E402
from kratom_handouts.layouts import load_layout  # noqa: E402
from kratom_handouts.model import handout_texts  # noqa: E402
from kratom_handouts.project import Project  # noqa: E402
from kratom_handouts.render.document import render_handout  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    project = Project(ROOT)
    layout = load_layout("standard", ROOT)
    labels = load_labels(project, "en")
    handouts = [load_handout(project, handout_id, "en") for handout_id in project.handout_files("en")]
    family = fonts.FAMILIES[layout.body_font]
    fonts.register(family)
    plain = [[inline.plain_text(t.value) for t in handout_texts(h)] for h in handouts]

    base = rate(lambda texts: baseline(texts, family.face_name("regular")), plain, args.rounds)
    ours = rate(lambda h: render_handout(h, layout, labels, creation_time(h, None)), handouts, args.rounds)
    print(f"handouts: {len(handouts)}, rounds: {args.rounds}")
    print(f"baseline (plain ReportLab paragraphs): {base:6.1f} handouts/s")
    print(f"kratom-handouts render_handout:        {ours:6.1f} handouts/s")
    print(f"ratio ours/baseline: {ours / base:.2f}")


if __name__ == "__main__":
    main()
