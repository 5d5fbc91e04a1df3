"""Batch grading: every student of a roster graded into one batch folder (``grader.model.classwork``).

- Concurrent, bounded: at most ``workers`` gradings at once (processes by default: grading is CPU work in
  Python; threads suit rosters of live devices) and at most twice that many waiting.
- Streamed: the roster is read row by row and each result is written as soon as it is known (two report files
  and one journal line), so memory does not grow with the roster.
- One student never stops the batch: a bad bundle is ``refused``, dead devices or a defect are ``error``,
  each with a one-line reason.
- Resumable: the journal says who is done; running the same command again grades only the others, and the
  folder ends as an uninterrupted run would have left it.
- Sharded: ``Shard(k, n)`` grades the students whose id hashes to part ``k`` of ``n`` (stable whatever the
  roster's order), for a CI matrix or an indexed job; ``merge`` combines the shard folders.
- Sources: a row's submission is a bundle or an inventory file; or the caller hands live devices per student
  (``LiveSource``: the labs of a class deployed here, ``labgrader batch LAB --class``), graded like an inventory
  row, their evidence optionally kept as a bundle each.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from grader.classwork import journal
from grader.classwork.bundle import BundleLimits, lab_hash, read_bundle
from grader.classwork.course import Course
from grader.classwork.roster import INVENTORY_SUFFIXES, RosterRow, read_roster
from grader.classwork.submission import grade_bundle
from grader.classwork.variants import Assignment
from grader.engine.session import Grading, Identity, LiveOptions, grade_live
from grader.errors import CaptureError, GraderError, LabFileError
from grader.loader import LoadedLab, load_lab
from grader.model.classwork import BATCH_FORMAT, BatchInfo, JournalEntry, Status
from grader.text import printable
from grader.version import __version__

Workers = Literal["processes", "threads"]


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (1-based) of ``count``: the students whose id hashes there."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        left, sep, right = text.partition("/")
        if not sep or not left.isdigit() or not right.isdigit() or not 1 <= int(left) <= int(right) <= 10_000:
            raise LabFileError([f"--shard {text!r}: expected K/N with 1 <= K <= N (e.g. 2/4)"])
        return cls(int(left), int(right))

    def holds(self, student: str) -> bool:
        digest = hashlib.sha256(student.casefold().encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass(frozen=True)
class BatchOptions:
    workers: int = max(1, min(os.cpu_count() or 1, 8))
    executor: Workers = "processes"
    shard: Shard | None = None
    limits: BundleLimits = field(default_factory=BundleLimits)
    max_wait: float = 0.0  # live rows: seconds to let objectives converge (hosted labs are usually settled)


class BatchObserver(Protocol):
    def started(self, total: int, done: int) -> None:
        """``total`` students in this batch (shard), ``done`` of them already in the journal."""

    def finished(self, entry: JournalEntry) -> None:
        """One more student is in the journal."""


@dataclass
class BatchSummary:
    total: int = 0  # students in this batch (shard)
    skipped: int = 0  # already in the journal
    counts: dict[str, int] = field(default_factory=lambda: {"graded": 0, "refused": 0, "error": 0})


@dataclass(frozen=True)
class LiveDevices:
    """One student's devices, already known to the caller: a transport to them (or why there is none)."""

    label: str  # what the journal shows as the submission, e.g. ``class:<lab>-<student>``
    transport: Any = None  # a ``grader.transport.base.Transport``
    problem: str | None = None  # set when the devices cannot be graded (a lab not deployed, ...)


@dataclass(frozen=True)
class LiveSource:
    """Live devices per student for a whole roster (threads only: transports are not sent to processes).
    ``variables``: each student's, when the caller knows them (what their lab was deployed with); ``bundles``:
    a folder where each student's evidence is kept as ``<student>.zip``."""

    devices: dict[str, LiveDevices]
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    bundles: str | None = None


@dataclass(frozen=True)
class Task:
    """One student to grade: everything a worker needs, small enough to send to another process."""

    row: RosterRow
    roster_dir: str
    variables: dict[str, Any]
    out: str
    live: LiveDevices | None = None
    bundle: str | None = None  # keep the evidence of a live grading as a bundle here


# --- the worker side: state set once per process (or once for all threads) ---------------------------------

@dataclass
class _State:
    loaded: LoadedLab
    lab_hash: str
    assignment: Assignment | None
    options: BatchOptions


_STATE: _State | None = None


def _init_worker(lab_path: str, expected_hash: str, assignment: Assignment | None, options: BatchOptions) -> None:
    global _STATE
    loaded = load_lab(lab_path)
    if lab_hash(loaded) != expected_hash:  # the lab changed under a running batch
        raise LabFileError([f"{lab_path}: changed while the batch was running"])
    _STATE = _State(loaded, expected_hash, assignment, options)


def _entry(task: Task, status: Status, started: float, **fields: Any) -> JournalEntry:
    return JournalEntry(student=task.row.student, name=task.row.name, status=status,
                        submission=task.live.label if task.live else task.row.submission,
                        seconds=round(time.monotonic() - started, 3), finished=datetime.now(UTC), **fields)


def _submission_path(task: Task) -> Path:
    """The row's submission, confined to the roster's folder (a link may not lead out of it)."""
    base = Path(task.roster_dir).resolve()
    path = (base / str(task.row.submission)).resolve()
    if not path.is_relative_to(base):
        raise CaptureError(f"{task.row.submission}: leads outside the roster's folder")
    if not path.exists():
        raise CaptureError(f"{task.row.submission}: no such file")
    return path


def _grade(task: Task, path: Path) -> Grading:
    state = _STATE
    assert state is not None
    if str(task.row.submission).endswith(INVENTORY_SUFFIXES):
        from grader.live import load_inventory

        inventory = load_inventory(path)
        identity = Identity(student=task.row.student, submission=task.row.submission)
        options = LiveOptions(max_wait=state.options.max_wait)
        return grade_live(state.loaded, inventory, task.variables, source=f"live:{task.row.submission}",
                          options=options, identity=identity)
    bundle = read_bundle(path, state.options.limits, origin=task.row.submission)
    return grade_bundle(state.loaded, bundle, task.variables, student=task.row.student,
                        assignment=state.assignment, expected_hash=state.lab_hash)


def _grade_devices(task: Task, live: LiveDevices) -> Grading:
    state = _STATE
    assert state is not None
    identity = Identity(student=task.row.student, submission=live.label)
    return grade_live(state.loaded, live.transport, task.variables, source=f"live:{live.label}",
                      options=LiveOptions(max_wait=state.options.max_wait), identity=identity)


def _keep_bundle(task: Task, grading: Grading, started: datetime) -> None:
    """The evidence of a live grading as the student's bundle (as ``labgrader submit`` would have made it)."""
    from grader.classwork.bundle import write_bundle

    state = _STATE
    assert state is not None and task.bundle is not None and task.live is not None
    problems = tuple(f"{node}: {e.error}" for node, e in sorted(grading.evidence.items()) if e.error)
    write_bundle(Path(task.bundle), loaded=state.loaded, student=task.row.student, variables=task.variables,
                 evidence=grading.evidence, started=started, finished=datetime.now(UTC), source="live",
                 problems=problems)


def grade_task(task: Task) -> JournalEntry:
    """Grade one student and write their reports; never raises (the entry carries what went wrong)."""
    from grader.reporters import render

    started = time.monotonic()
    began = datetime.now(UTC)
    if task.live is not None and task.live.problem is not None:
        return _entry(task, "error", started, reason=printable(task.live.problem, one_line=True))
    if task.row.submission is None and task.live is None:
        return _entry(task, "refused", started, reason="nothing submitted")
    try:
        if task.live is not None:
            grading = _grade_devices(task, task.live)
            if task.bundle is not None:
                _keep_bundle(task, grading, began)
        else:
            grading = _grade(task, _submission_path(task))
    except (CaptureError, LabFileError) as exc:
        return _entry(task, "refused", started, reason=printable(str(exc), one_line=True))
    except GraderError as exc:
        return _entry(task, "error", started, reason=printable(str(exc), one_line=True))
    except Exception as exc:  # a defect must cost one student, never the batch
        return _entry(task, "error", started, reason=f"internal error: {type(exc).__name__}: "
                      f"{printable(str(exc), one_line=True)}")
    report = grading.report
    reports = Path(task.out) / journal.REPORTS_DIR
    json_name, html_name = f"{task.row.student}.json", f"{task.row.student}.html"
    journal.write_atomic(reports / json_name, render(report, "json"), sync=False)
    journal.write_atomic(reports / html_name, render(report, "html"), sync=False)
    dead = [f"{n.node}: {n.error}" for n in report.nodes if n.error]
    digest = {f"{node}: {command}": hashlib.sha256(output.text.encode("utf-8")).hexdigest()
              for node, evidence in sorted(grading.evidence.items())
              for command, output in evidence.outputs.items() if output.error is None}
    return _entry(task, "error" if dead else "graded", started, score=report.score, max_score=report.max_score,
                  percentage=report.percentage, report=f"{journal.REPORTS_DIR}/{json_name}",
                  html=f"{journal.REPORTS_DIR}/{html_name}",
                  reason=printable(dead[0], one_line=True) if dead else None, warnings=report.warnings,
                  variables=report.variables, evidence_digest=digest)


# --- the main side ------------------------------------------------------------------------------------------

def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _assignment(loaded: LoadedLab, course: Course | None) -> Assignment | None:
    if course is None:
        if loaded.lab.pool_groups():
            raise LabFileError([f"lab {loaded.lab.id!r} gives each student their own values: give --course FILE "
                                "(the course secret and roster decide them)"])
        return None
    return course.assignment(loaded)


def _prepare(out: Path, loaded: LoadedLab, roster: Path, expected_hash: str, shard: Shard | None) -> None:
    info = journal.read_info(out)
    if info is not None:
        if info.lab != loaded.lab.id or info.lab_hash != expected_hash:
            raise LabFileError([f"{out}: holds a batch of another lab or another version of it ({info.lab}, lab "
                                f"hash {info.lab_hash[:12]}…); use another --out"])
        if info.shard != (str(shard) if shard else None):
            raise LabFileError([f"{out}: holds shard {info.shard or 'none'}, not {shard or 'none'}; "
                                "use another --out"])
        info = info.model_copy(update={"roster": str(roster), "roster_hash": _file_hash(roster)})
    else:
        info = BatchInfo(format=BATCH_FORMAT, lab=loaded.lab.id, lab_title=loaded.lab.title, lab_hash=expected_hash,
                         max_score=loaded.lab.max_score, roster=str(roster), roster_hash=_file_hash(roster),
                         shard=str(shard) if shard else None, tool_version=__version__, started=datetime.now(UTC))
    out.mkdir(parents=True, exist_ok=True)
    journal.remove_leftovers(out)
    journal.write_info(out, info)  # first: from now on the folder is a batch folder
    (out / journal.REPORTS_DIR).mkdir(exist_ok=True)
    journal.remove_leftovers(out / journal.REPORTS_DIR)


def _mine(roster: Path, shard: Shard | None) -> Iterator[RosterRow]:
    return (row for row in read_roster(roster, need_submission=True) if shard is None or shard.holds(row.student))


def _executor(options: BatchOptions, lab: Path, expected_hash: str, assignment: Assignment | None) -> Executor:
    args = (str(lab), expected_hash, assignment, options)
    if options.executor == "threads":
        _init_worker(*args)
        return ThreadPoolExecutor(max_workers=options.workers)
    if "forkserver" in multiprocessing.get_all_start_methods():  # workers forked from a clean, preloaded server
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, "grader.reporters"])
    else:  # Windows, macOS without forkserver: each worker starts afresh
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=options.workers, mp_context=context, initializer=_init_worker,
                               initargs=args)


def run_batch(lab: Path, roster: Path, out: Path, *, course: Course | None = None,
              options: BatchOptions | None = None, observer: BatchObserver | None = None,
              live: LiveSource | None = None) -> BatchSummary:
    """Grade every student of ``roster`` (of this shard) not yet in ``out``'s journal; see the module docs.
    With ``live``, each student's devices come from it (a student it does not name is an error) and the
    variables are those it gives (the lab's defaults otherwise), not the course's."""
    options = options or BatchOptions()
    if live is not None and options.executor != "threads":
        raise LabFileError(["live devices are graded with threads (--executor threads)"])
    loaded = load_lab(lab)
    expected_hash = lab_hash(loaded)
    assignment = _assignment(loaded, course) if live is None else None
    summary = BatchSummary()
    done = journal.done(out) if journal.read_info(out) is not None else set()
    for row in _mine(roster, options.shard):  # validates the whole roster before anything is graded
        if assignment is not None and row.student not in assignment:
            raise LabFileError([f"{roster}:{row.line}: student {row.student!r} is not on the course roster "
                                f"({course.roster_path if course else ''})"])
        summary.total += 1
        summary.skipped += row.student.casefold() in done
    _prepare(out, loaded, roster, expected_hash, options.shard)
    if observer is not None:
        observer.started(summary.total, summary.skipped)
    tasks = (_task(row, roster, out, assignment, live)
             for row in _mine(roster, options.shard) if row.student.casefold() not in done)
    with journal.Journal(out) as log:
        for wave in _run(tasks, options, lab, expected_hash, assignment):
            for entry in wave:
                log.append(entry)
            log.sync()  # one fsync for the entries that finished together
            for entry in wave:
                summary.counts[entry.status] += 1
                if observer is not None:
                    observer.finished(entry)
    return summary


def _task(row: RosterRow, roster: Path, out: Path, assignment: Assignment | None,
          live: LiveSource | None) -> Task:
    if live is None:
        return Task(row, str(roster.parent), assignment.of(row.student) if assignment else {}, str(out))
    devices = live.devices.get(row.student) or LiveDevices(
        label="live", problem=f"no devices are known for student {row.student!r}")
    bundle = str(Path(live.bundles) / f"{row.student}.zip") if live.bundles and devices.problem is None else None
    return Task(row, str(roster.parent), dict(live.variables.get(row.student, {})), str(out), live=devices,
                bundle=bundle)


def _run(tasks: Iterator[Task], options: BatchOptions, lab: Path, expected_hash: str,
         assignment: Assignment | None) -> Iterator[list[JournalEntry]]:
    """The entries of the tasks that finished together, wave by wave, with at most ``2 * workers`` tasks
    submitted at a time. If a worker process dies (killed, out of memory), the tasks it may have held are
    retried once in a new pool."""
    retry: deque[Task] = deque()
    retried: set[str] = set()
    executor = _executor(options, lab, expected_hash, assignment)
    pending: dict[Future[JournalEntry], Task] = {}
    try:
        while True:
            while len(pending) < 2 * options.workers:
                task = retry.popleft() if retry else next(tasks, None)
                if task is None:
                    break
                pending[executor.submit(grade_task, task)] = task
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            wave: list[JournalEntry] = []
            for future in finished:
                task = pending.pop(future)
                try:
                    wave.append(future.result())
                except BrokenProcessPool:
                    broken = True
                    if task.row.student in retried:
                        wave.append(_entry(task, "error", time.monotonic(), reason="the grading process stopped "
                                           "while grading this submission (twice)"))
                    else:
                        retried.add(task.row.student)
                        retry.append(task)
            if wave:
                yield wave
            if broken:
                for future, task in list(pending.items()):
                    if future.cancel() or future.exception() is not None:
                        pending.pop(future)
                        retry.append(task)
                executor.shutdown(wait=False, cancel_futures=True)
                executor = _executor(options, lab, expected_hash, assignment)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
