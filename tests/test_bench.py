"""The benchmarks run to the end on today's project (they print figures; no timing is asserted here).

A benchmark nobody runs breaks quietly: render_speed.py stopped when the layouts gained fields its older
reference renderer refuses. Each runs here at its smallest size.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from .conftest import REPO


def bench(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(REPO / "bench" / script), *args], capture_output=True, text=True,
                          cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_build_speed_prints_every_figure():
    out = bench("build_speed.py", "--handouts", "10", "--skip-memory", "--rounds", "1")
    for start in ("library: 10 handouts", "per core (--jobs 1", "whole library", "Typst", "no-op rebuild",
                  "list:", "bundle of 50 handouts"):
        assert any(line.startswith(start) for line in out.splitlines()), (start, out)


def test_bundle_size_prints_the_ratio():
    assert "ratio bundle/alone: " in bench("bundle_size.py", "--count", "3")


def test_render_speed_compares_with_the_untagged_renderer():
    spec = importlib.util.spec_from_file_location("render_speed", REPO / "bench" / "render_speed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    reference = module.UNTAGGED_REF
    known = subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{reference}^{{commit}}"],
                           capture_output=True)
    if known.returncode != 0:
        pytest.skip(f"the checkout has no commit {reference} (a shallow clone): nothing to compare with")
    out = bench("render_speed.py", "--rounds", "1", "--repeats", "1")
    assert f"untagged render_handout ({reference})" in out and "ratio ours/baseline: " in out, out
