"""Running one job: what it loads and measures, once per process however many outputs use it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kratom_handouts import jobs as jobs_module
from kratom_handouts.build import build
from kratom_handouts.plan import plan
from kratom_handouts.project import Project

from .conftest import REPO

HANDOUTS = ("overdose", "kratom-withdrawal")


def test_a_handout_is_measured_for_its_reading_grade_once_for_every_layout_and_format(tmp_path: Path,
                                                                                     monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "library"
    shutil.copytree(REPO / "layouts", root / "layouts")
    for handout_id in HANDOUTS:
        (root / "handouts" / "en").mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "handouts" / "en" / f"{handout_id}.yaml", root / "handouts" / "en")
    measured: list[str] = []
    real = jobs_module._reading_grade

    def counted(handout):  # type: ignore[no-untyped-def]
        measured.append(handout.id)
        return real(handout)

    monkeypatch.setattr(jobs_module, "_reading_grade", counted)
    project = Project(root)
    planned = plan(project, (), ("en",), ("standard", "a4", "large-print"), ("pdf", "html"))
    result = build(project, planned, root / "output", workers=1, catalog=False)
    assert result.ok, result.problems
    assert len(result.written) == len(planned) and {job.layout for job in planned} == {"standard", "a4", "large-print"}
    assert sorted(measured) == sorted(HANDOUTS)
