"""Bundle size against the same handouts built alone (the fonts are shared in a bundle).

    python bench/bundle_size.py [--count 10]

Copies the shipped English handouts into a temporary project until there are
COUNT of them, declares one program with all of them, builds, and prints the
bundle's size, the sum of the handouts' sizes, and the ratio.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kratom_handouts.cli import main as cli  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copytree(ROOT / "layouts", project / "layouts")
        (project / "handouts" / "en").mkdir(parents=True)
        shutil.copy(ROOT / "handouts" / "en" / "_labels.yaml", project / "handouts" / "en")
        shipped = sorted((ROOT / "handouts" / "en").glob("[!_]*.yaml"))
        ids = []
        for number in range(args.count):
            source = shipped[number % len(shipped)]
            handout_id = f"{source.stem}-{number}"
            text = source.read_text().replace(f"id: {source.stem}", f"id: {handout_id}", 1)
            (project / "handouts" / "en" / f"{handout_id}.yaml").write_text(text)
            ids.append(handout_id)
        (project / "programs").mkdir()
        (project / "programs" / "all.yaml").write_text(f"id: all\ntitle: All\nhandouts: [{', '.join(ids)}]\n")
        result = CliRunner().invoke(cli, ["build", "--project", str(project)])
        if result.exit_code != 0:
            sys.exit(result.output)
        alone = sum((project / "output" / "standard" / "en" / f"{i}.pdf").stat().st_size for i in ids)
        bundle = (project / "output" / "bundles" / "standard" / "en" / "all.pdf").stat().st_size
        print(f"handouts: {args.count}")
        print(f"sum of handouts built alone: {alone:>9,} bytes")
        print(f"bundle of the same handouts: {bundle:>9,} bytes")
        print(f"ratio bundle/alone: {bundle / alone:.2f} (the target is below 0.60)")


if __name__ == "__main__":
    main()
