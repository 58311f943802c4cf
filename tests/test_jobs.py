"""Running one job: what it loads and measures, once per process however many outputs use it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kratom_handouts import jobs as jobs_module
from kratom_handouts.build import build
from kratom_handouts.plan import plan
from kratom_handouts.project import Project

from .conftest import GOOD_HANDOUT, REPO

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
    # A process keeping one handout only still loads each once: the jobs of a handout run together, where in plan
    # order its layouts are a layout's worth of jobs apart (960 loads for 240 handouts in the bench's library).
    monkeypatch.setattr(jobs_module, "KEPT_HANDOUTS", 1)
    project = Project(root)
    planned = plan(project, (), ("en",), ("standard", "a4", "large-print"), ("pdf", "html"))
    result = build(project, planned, root / "output", workers=1, catalog=False)
    assert result.ok, result.problems
    assert len(result.written) == len(planned) and {job.layout for job in planned} == {"standard", "a4", "large-print"}
    assert sorted(measured) == sorted(HANDOUTS)


def test_a_process_keeps_only_its_last_handouts_and_loads_an_older_one_again(project, monkeypatch: pytest.MonkeyPatch):
    """A 1,000-handout build kept every handout it had loaded, 14 MiB more at its peak than a 50-handout one."""
    from kratom_handouts.content import FallbackPolicy
    from kratom_handouts.errors import Diagnostics
    from kratom_handouts.plan import Job
    from kratom_handouts.project import Project as KratomProject

    monkeypatch.setattr(jobs_module, "KEPT_HANDOUTS", 2)
    for handout_id in ("a", "b", "c"):
        project.handout(handout_id)
    project.handout("d", GOOD_HANDOUT.format(id="d").replace("title: A test handout", "title: A test\u200b handout"))
    inputs = jobs_module.Inputs(KratomProject(project.root), FallbackPolicy())
    loads: list[str] = []
    real = jobs_module.load_handout

    def counted(project_, handout_id, *args, **kwargs):  # type: ignore[no-untyped-def]
        loads.append(handout_id)
        return real(project_, handout_id, *args, **kwargs)

    monkeypatch.setattr(jobs_module, "load_handout", counted)
    warnings_of_d = []
    for handout_id in ("d", "a", "a", "b", "c", "d"):
        inputs.start_job()
        inputs.handout(Job(handout_id, "en", "standard"))
        if handout_id == "d":
            warnings_of_d.append([p.message for p in Diagnostics(inputs.used).warnings])
    assert loads == ["d", "a", "b", "c", "d"]  # 'a' again from the cache; 'd' again once pushed out
    assert sum(key[0] == "handout" for key in inputs._cache) == 2
    assert warnings_of_d[0] and warnings_of_d[0] == warnings_of_d[1]  # its warnings, said both times
