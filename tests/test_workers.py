"""Worker processes and shards: the same bytes whatever the number of workers, and slices that add up to the whole."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kratom_handouts.cli import _stop_on_signals, main
from kratom_handouts.errors import Interruption, Stopped
from kratom_handouts.plan import plan, plan_bundles, shard
from kratom_handouts.project import Project

from .conftest import REPO


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.pdf"))}


def build(*args: str) -> None:
    result = CliRunner().invoke(main, ["build", "--project", str(REPO), "--layout", "standard", "--layout",
                                       "large-print", *args])
    assert result.exit_code == 0, result.output


def test_one_worker_and_four_write_the_same_bytes(tmp_path):
    # Arabic and Chinese too: their joined letters get glyph codes that must not depend on what a worker drew before
    languages = ("--lang", "en", "--lang", "ar", "--lang", "zh-Hans")
    build("--jobs", "1", "--output", str(tmp_path / "one"), *languages)
    build("--jobs", "4", "--output", str(tmp_path / "four"), *languages)
    one, four = tree(tmp_path / "one"), tree(tmp_path / "four")
    assert len(one) == 2 * 30 + 2 * 9 and one == four  # 10 handouts x 3 languages, 3 programs x 3, each in 2 layouts


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_are_disjoint_and_together_are_every_job(count):
    project = Project(REPO)
    jobs = plan(project, (), (), ("standard", "a4")) + plan_bundles(project, (), (), ("standard", "a4"))
    slices = [shard(jobs, index, count) for index in range(1, count + 1)]
    assert sum(len(s) for s in slices) == len(jobs)
    assert sorted(map(str, (job for s in slices for job in s))) == sorted(map(str, jobs))
    if count > 1:
        assert all(len(s) < len(jobs) for s in slices)  # each one a real part


def test_a_job_stays_in_its_shard_when_the_library_grows():
    project = Project(REPO)
    jobs = plan(project)
    fewer = jobs[:-3]
    assert [j for j in shard(fewer, 2, 3)] == [j for j in shard(jobs, 2, 3) if j in fewer]


def test_three_shards_built_one_after_another_equal_a_full_build(tmp_path):
    build("--output", str(tmp_path / "full"), "--lang", "en", "--lang", "es")
    for index in (1, 2, 3):
        build("--shard", f"{index}/3", "--output", str(tmp_path / "sharded"), "--lang", "en", "--lang", "es")
    assert tree(tmp_path / "sharded") == tree(tmp_path / "full")


@pytest.mark.parametrize("value", ["0/3", "4/3", "1/0", "a/b", "2", "-1/2"])
def test_a_bad_shard_is_a_usage_error(value):
    result = CliRunner().invoke(main, ["build", "--project", str(REPO), "--shard", value])
    assert result.exit_code == 2
    assert (f"Invalid value for '--shard': '{value}' is not a slice like 2/4 (the second of four; I from 1 to N)"
            in result.stderr)


def test_a_worker_that_dies_fails_its_job_with_a_message_not_a_hang(tmp_path, monkeypatch):
    """A worker killed from outside (out of memory, say) fails the jobs it took, plainly; the build ends."""
    import os

    from kratom_handouts import jobs as jobs_module

    real = jobs_module.run_job

    def dies_on_overdose(job, *args):
        if job.name == "overdose":
            os._exit(9)
        return real(job, *args)

    monkeypatch.setattr(jobs_module, "run_job", dies_on_overdose)
    monkeypatch.setattr("kratom_handouts.workers.run_job", dies_on_overdose)
    out = tmp_path / "out"
    result = CliRunner().invoke(main,
                                ["build", "--project", str(REPO), "--jobs", "2", "--no-bundles", "--output", str(out)])
    assert result.exit_code == 1
    assert ("a worker process ended unexpectedly (out of memory, or killed); run again with --jobs 1 to see more"
            in result.stderr)
    assert "Traceback" not in result.output
    assert not [p for p in out.rglob("*.tmp")]


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 0)])
def test_a_signal_as_a_worker_starts_ends_it_quietly_or_is_left_to_the_main_process(signum, status):
    """A forked worker has the main process's handlers until it sets its own: in that moment SIGTERM ends it
    with 143 and Ctrl-C is left to the main process, where they used to raise inside the worker's start and
    print 'Exception in initializer' with a traceback."""
    saved = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        _stop_on_signals()
        child = os.fork()
        if child == 0:  # the worker, before its own handlers
            try:
                os.kill(os.getpid(), signum)
            except BaseException:  # what the old handlers did: raise inside the worker
                os._exit(99)
            os._exit(0)
        _, code = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(code) == status
        with pytest.raises(Stopped if signum == signal.SIGTERM else KeyboardInterrupt):  # the main process stops
            os.kill(os.getpid(), signum)
    finally:
        signal.signal(signal.SIGTERM, saved[0])
        signal.signal(signal.SIGINT, saved[1])
        Interruption.signal = None


def test_a_stop_while_an_outcome_is_recorded_stops_the_workers_before_the_manifest_is_saved(tmp_path, monkeypatch):
    """SIGTERM lands in the main process as often while it records a finished job as while it waits for one. The
    workers used to go on (a CI run found all 40 PDFs written after a stop, and a temporary file left) until the
    jobs' generator was collected, after the manifest was saved."""
    import multiprocessing
    import multiprocessing.connection
    import time

    from kratom_handouts import workers
    from kratom_handouts.manifest import Manifest

    from .conftest import GOOD_HANDOUT, Project as TestProject

    project = TestProject(tmp_path / "project")
    for n in range(8):
        project.handout(f"h{n}", GOOD_HANDOUT.format(id=f"h{n}"))
    real_run_job, real_record, real_save = workers.run_job, Manifest.record, Manifest.save

    def run_job(job, *args):
        while job.name not in ("h0", "h1"):  # the later jobs are still rendering when the stop comes
            time.sleep(0.01)
        return real_run_job(job, *args)

    recorded = []

    def record(self, *args, **kwargs):
        real_record(self, *args, **kwargs)
        recorded.append(1)
        if len(recorded) == 2:
            raise Stopped  # what the SIGTERM handler raises, here while an outcome is recorded

    earlier_children = set(multiprocessing.active_children())
    running_at_save = []

    def save(self):
        # A worker's sentinel is ready once it has ended, whichever thread reaps it (is_alive can say yes a moment
        # after the end, while the pool's own thread reaps it).
        workers_of_this_build = [p for p in multiprocessing.active_children() if p not in earlier_children]
        ended = multiprocessing.connection.wait([p.sentinel for p in workers_of_this_build], timeout=0)
        running_at_save.extend(p.pid for p in workers_of_this_build if p.sentinel not in ended)
        return real_save(self)

    monkeypatch.setattr(workers, "run_job", run_job)
    monkeypatch.setattr(Manifest, "record", record)
    monkeypatch.setattr(Manifest, "save", save)
    result = project.run("build", "--jobs", "2", "--format", "pdf", "--no-bundles")
    assert result.exit_code == 143, result.output
    assert running_at_save == []
    assert sorted(p.name for p in (project.root / "output" / "standard" / "en").iterdir()) == ["h0.pdf", "h1.pdf"]


def test_jobs_run_with_fewer_collections_and_the_collector_is_put_back(tmp_path, monkeypatch):
    import gc

    from kratom_handouts import workers

    seen = []
    real = workers.run_job

    def run_job(job, *args):
        seen.append(gc.get_threshold())
        return real(job, *args)

    monkeypatch.setattr(workers, "run_job", run_job)
    before = gc.get_threshold()
    build("--jobs", "1", "--no-bundles", "--lang", "en", "--format", "pdf", "--output", str(tmp_path / "out"))
    assert seen and set(seen) == {workers.FEWER_COLLECTIONS}
    assert gc.get_threshold() == before


def test_a_stop_as_a_worker_makes_its_temporary_file_leaves_no_file_behind(tmp_path):
    """A worker stopped in the moment its temporary file exists, before the code that removes it: the stop is
    held back until that code runs. The worker's handler used to exit there at once (a CI run found a temporary
    file left when the pool stopped a worker)."""
    import tempfile as tempfile_module

    from kratom_handouts import output as output_module, workers

    child = os.fork()
    if child == 0:  # a worker, in a job
        code = 1
        try:
            signal.signal(signal.SIGTERM, workers._on_sigterm)
            workers._worker["busy"] = True
            real = tempfile_module.mkstemp

            def made_then_stopped(*args, **kwargs):
                made = real(*args, **kwargs)
                os.kill(os.getpid(), signal.SIGTERM)  # what the pool sends; its handler runs at once
                return made

            output_module.tempfile.mkstemp = made_then_stopped
            try:
                output_module.write_atomic(tmp_path / "a.pdf", b"%PDF-1.7", tmp_path)
            except Stopped:
                code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0  # 143: the handler exited with the file still there
    assert list(tmp_path.iterdir()) == []


# --- map_in_workers: pure work (the catalog's thumbnails) in worker processes, results in order ---

MAIN_PID = os.getpid()


def ended(item: int) -> None:
    raise AssertionError(f"no worker should end here (item {item})")


def square_and_pid(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def ends_its_worker_at_three(item: int) -> tuple[int, int]:
    if item == 3 and os.getpid() != MAIN_PID:
        os._exit(1)  # as a worker killed for want of memory
    return item, os.getpid()


def sleeps_after_the_first(item: int) -> int:
    import time

    if item:
        time.sleep(60)
    return item


def test_map_in_workers_gives_each_result_in_order_from_other_processes():
    from kratom_handouts.workers import map_in_workers

    results = list(map_in_workers(square_and_pid, list(range(20)), 2, ended))
    assert [value for value, _ in results] == [n * n for n in range(20)]
    assert {pid for _, pid in results} - {os.getpid()}  # done elsewhere
    assert list(map_in_workers(square_and_pid, list(range(5)), 1, ended)) == [(n * n, os.getpid()) for n in range(5)]


def test_the_items_a_dead_worker_left_get_the_fallback_and_none_is_done_here():
    from kratom_handouts.workers import map_in_workers

    results = list(map_in_workers(ends_its_worker_at_three, list(range(8)), 2, lambda item: ("ended", item)))
    assert results[3] == ("ended", 3)
    for item, result in enumerate(results):  # done before the worker died, or the fallback: never here
        assert result == ("ended", item) or (result[0] == item and result[1] != os.getpid())


@pytest.mark.parametrize("how", ["the caller stops", "SIGTERM"])
def test_a_stop_in_map_in_workers_stops_every_worker_at_once(how):
    import multiprocessing
    import threading
    import time
    from contextlib import closing

    from kratom_handouts.workers import map_in_workers

    saved = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    started = time.monotonic()
    try:
        _stop_on_signals()
        with pytest.raises(Stopped), closing(map_in_workers(sleeps_after_the_first, [0, 1, 2, 3], 2, ended)) as results:
            for _ in results:
                if how == "the caller stops":
                    raise Stopped
                threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()  # while it waits for item 1
    finally:
        signal.signal(signal.SIGTERM, saved[0])
        signal.signal(signal.SIGINT, saved[1])
        Interruption.signal = None
    assert time.monotonic() - started < 20  # not the 60 s the workers would sleep
    # The pool's own thread may reap a stopped worker a moment after us, and only then does multiprocessing
    # count it as ended: it is given a few seconds (a worker left running would sleep for 60).
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children()


def test_each_handout_is_loaded_once_in_a_parallel_build_of_three_layouts(tmp_path, monkeypatch):
    """The jobs of one handout in one language go to one worker. Job by job, 2 workers each loaded most
    handouts (all three layouts of a handout on one worker: a 1 in 4 chance each)."""
    from kratom_handouts import jobs as jobs_module

    log = tmp_path / "loads.log"
    real = jobs_module.load_handout

    def logged(project, handout_id, lang, *args, **kwargs):  # type: ignore[no-untyped-def]
        with open(log, "a", encoding="utf-8") as file:  # appended whole, from both workers
            file.write(f"{os.getpid()} {lang} {handout_id}\n")
        return real(project, handout_id, lang, *args, **kwargs)

    monkeypatch.setattr(jobs_module, "load_handout", logged)
    build("--jobs", "2", "--layout", "a4", "--lang", "en", "--lang", "es", "--format", "pdf", "--no-bundles",
          "--output", str(tmp_path / "out"))
    loads = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    handouts = sorted((lang, handout_id) for _, lang, handout_id in loads)
    assert len(handouts) == 2 * 10 and len({pid for pid, _, _ in loads}) == 2
    assert handouts == sorted(set(handouts))  # each once: none loaded by both workers
