"""Jobs across worker processes, outcomes back in the planned order; and pure work (``map_in_workers``).

Each worker keeps its own ``Inputs`` (files load once per process), and gets
all the jobs of a handout or program in a language, so that each one loads
once. Ctrl-C and SIGTERM stop everything cleanly: the main process stops the
workers (SIGTERM); a worker in the middle of a job unwinds, so its temporary
file is removed, and exits; PDFs already written are complete. Workers ignore
Ctrl-C themselves, so that the main process alone decides what happens.
``map_in_workers`` runs work that makes no file (the catalog's thumbnails):
the main process writes what comes back, so its workers may end at once.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

from .content import FallbackPolicy
from .errors import ExitCode, Interruption, Origin, Problem, Stopped
from .jobs import Inputs, Outcome, run_job
from .plan import AnyJob, BundleJob
from .project import Project

Item = TypeVar("Item")
Result = TypeVar("Result")


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        return os.cpu_count() or 1


# Rendering makes hundreds of thousands of short-lived objects, almost none in cycles: at Python's default of
# 700 the collector ran 109 times in a 50-handout bundle and took 6% of its time; at 10,000 it runs 5 times.
FEWER_COLLECTIONS = (10_000, 10, 10)


def run_jobs(project: Project, jobs: Sequence[AnyJob], output_dir: Path, source_date_epoch: int | None,
             policy: FallbackPolicy, workers: int) -> Generator[Outcome, None, None]:
    """Each job's outcome, in the order of ``jobs``, as each becomes known."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)  # inherited by the workers; put back when the jobs are done
    try:
        yield from _run_jobs(project, jobs, output_dir, source_date_epoch, policy, workers)
    finally:
        gc.set_threshold(*thresholds)


def _run_jobs(project: Project, jobs: Sequence[AnyJob], output_dir: Path, source_date_epoch: int | None,
              policy: FallbackPolicy, workers: int) -> Generator[Outcome, None, None]:
    # The jobs of one handout (or program) in one language run together, so its files are loaded once while a
    # process keeps them: in a worker (job by job, each of 2 workers loaded most handouts of a 3-layout build),
    # and here too (in plan order a handout's layouts come a whole layout of jobs apart, further than the handouts
    # a process keeps).
    groups = _same_files(jobs)
    if workers <= 1 or len(jobs) <= 1:
        inputs = Inputs(project, policy)
        yield from _in_job_order(groups, lambda number: [run_job(jobs[i], inputs, output_dir, source_date_epoch)
                                                         for i in groups[number]])
        return
    if any(job.format == "pdf" for job in jobs):
        _load_renderer()  # once, before the workers are forked, instead of once in each
    with _pool(min(workers, len(groups)), _start_worker, (project, policy, output_dir, source_date_epoch)) as executor:
        futures: list[Future[list[Outcome]]] = [executor.submit(_work, [jobs[i] for i in group]) for group in groups]

        def outcomes_of(number: int) -> list[Outcome]:
            try:
                return futures[number].result()
            except BrokenProcessPool:
                Interruption.raise_if_arrived()
                ended = (Problem(Origin(output_dir), WORKER_ENDED),)
                return [Outcome(jobs[i], "failed", ended) for i in groups[number]]

        yield from _in_job_order(groups, outcomes_of)


def _in_job_order(groups: list[list[int]], outcomes_of: Callable[[int], list[Outcome]]
                  ) -> Generator[Outcome, None, None]:
    """The outcomes of the grouped jobs in the order of the jobs; a group's (by its number) are asked for when
    its first job is due."""
    number_of = {index: number for number, group in enumerate(groups) for index in group}
    known: dict[int, Outcome] = {}
    for index in range(len(number_of)):
        if index not in known:
            number = number_of[index]
            known.update(zip(groups[number], outcomes_of(number), strict=True))
        yield known.pop(index)


WORKER_ENDED = "a worker process ended unexpectedly (out of memory, or killed); run again with --jobs 1 to see more"


def _same_files(jobs: Sequence[AnyJob]) -> list[list[int]]:
    """The jobs' places, grouped by what they load (kind, language, handout or program), in the order of jobs."""
    groups: dict[tuple[bool, str, str], list[int]] = {}
    for index, job in enumerate(jobs):
        groups.setdefault((isinstance(job, BundleJob), job.lang, job.name), []).append(index)
    return list(groups.values())


def map_in_workers(function: Callable[[Item], Result], items: Sequence[Item], workers: int,
                   if_ended: Callable[[Item], Result]) -> Iterator[Result]:
    """``function`` of each item, in the order of ``items``, in up to ``workers`` processes.

    For work that makes no file (the main process writes what comes back), so a worker can be stopped at any
    moment. ``function`` must be a module's own function. If a worker ends (killed for memory, or crashed by
    what it was reading), the items not yet done get ``if_ended(item)``: doing them here could crash this
    process the same way.
    """
    if workers <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    with _pool(min(workers, len(items)), _start_helper, ()) as executor:
        futures = [executor.submit(function, item) for item in items]
        for item, future in zip(items, futures, strict=True):
            try:
                yield future.result()
            except BrokenProcessPool:
                Interruption.raise_if_arrived()
                yield if_ended(item)


@contextmanager
def _pool(count: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
          ) -> Generator[ProcessPoolExecutor, None, None]:
    """Forked worker processes, all stopped at once if the caller stops early (Ctrl-C, SIGTERM, an error)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    executor = ProcessPoolExecutor(count, mp_context=context, initializer=initializer, initargs=initargs)
    try:
        yield executor
    except BaseException:
        _stop(executor)
        # The workers are gone: waiting for the pool's own bookkeeping thread could wait for ever (a worker it
        # started as the stop came would wait for work that never comes).
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True, cancel_futures=True)


def _load_renderer() -> None:
    from . import bundle  # noqa: F401
    from .render import bundle as render_bundle, document  # noqa: F401


def _stop(executor: ProcessPoolExecutor) -> None:
    """Stop every worker now: each one in a job removes its temporary file on the way out."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        if process.exitcode is None:
            process.terminate()
    # Waiting on the sentinels, not join: the pool's own thread may reap a worker at the same moment, and then join
    # can return while the worker's is_alive still says yes.
    running = _running(processes, timeout=30)
    for process in running:  # it did not stop in 30 s: no worker outlives the build
        process.kill()
    _running(running, timeout=5)
    for process in processes:  # reaped here too, so that none is left behind as a zombie when the build exits
        process.join(timeout=1)


def _running(processes: list[BaseProcess], timeout: float) -> list[BaseProcess]:
    """The processes that have not ended within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    running = list(processes)
    while running and (left := deadline - time.monotonic()) > 0:
        ended = set(multiprocessing.connection.wait([process.sentinel for process in running], left))
        running = [process for process in running if process.sentinel not in ended]
    return running


_worker: dict[str, Any] = {}


def _start_worker(project: Project, policy: FallbackPolicy, output_dir: Path, source_date_epoch: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    Interruption.signal = None
    _worker.update(inputs=Inputs(project, policy), output_dir=output_dir, source_date_epoch=source_date_epoch,
                   busy=False)


def _start_helper() -> None:
    """A worker of ``map_in_workers``: it makes no file, so SIGTERM may end it at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    Interruption.signal = None


def _on_sigterm(signum: int, frame: Any) -> None:
    if _worker.get("busy"):
        # Unwinds the job, so its temporary file is removed: now, or, in the moment a temporary file is made,
        # when the hold ends (exiting here then would leave the file behind).
        Interruption.arrive(Stopped)
        return
    os._exit(ExitCode.TERMINATED)


def _work(jobs: list[AnyJob]) -> list[Outcome]:
    outcomes = []
    for job in jobs:
        _worker["busy"] = True
        try:
            outcomes.append(run_job(job, _worker["inputs"], _worker["output_dir"], _worker["source_date_epoch"]))
        except Stopped:
            os._exit(ExitCode.TERMINATED)
        finally:
            _worker["busy"] = False
    return outcomes
