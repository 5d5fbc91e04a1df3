"""Progress of long work on stderr: nodes being read, objectives still converging and the time left.

On a terminal it is a live rich display that disappears when done; elsewhere (CI logs, pipes) a plain line
now and then, so a log never goes silent for long either. The engine only calls ``Observer`` methods.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from grader.engine.events import Observer
from grader.model.evidence import NodeEvidence
from grader.text import printable

PLAIN_EVERY_S = 5.0


class LiveDisplay:
    """A rich progress display on stderr, live on a terminal only; use as a context manager."""

    progress: Progress

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)
        self.live = self.console.is_terminal

    def __enter__(self) -> Self:
        if self.live:
            self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.live:
            self.progress.stop()


class LiveProgress(LiveDisplay, Observer):
    """Shows collection and convergence; use as a context manager around the grading."""

    def __init__(self, console: Console | None = None) -> None:
        super().__init__(console)
        # what the command prints on stdout meanwhile shows above the live lines when stdout is this terminal too
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=self.console, transient=True, redirect_stdout=sys.stdout.isatty(),
                                 redirect_stderr=False)
        self.nodes: dict[str, TaskID] = {}
        self.wait_task: TaskID | None = None
        self.last_plain = 0.0

    def node_started(self, node: str, commands: int) -> None:
        if not self.live:
            return
        label = f"reading {printable(node, one_line=True)} ({commands} command{'s' if commands != 1 else ''})"
        task = self.nodes.get(node)
        if task is None:
            self.nodes[node] = self.progress.add_task(label, total=None)
        else:
            self.progress.update(task, description=label, visible=True)

    def node_finished(self, node: str, evidence: NodeEvidence, seconds: float) -> None:
        if evidence.error:
            self.console.print(f"[magenta]{printable(node, one_line=True)}: {printable(evidence.error, one_line=True)}"
                               "[/magenta]", markup=True, highlight=False)
        if self.live and node in self.nodes:
            self.progress.update(self.nodes[node], visible=False)

    def waiting(self, objectives: list[str], remaining_s: float) -> None:
        names = ", ".join(objectives[:4]) + (f" and {len(objectives) - 4} more" if len(objectives) > 4 else "")
        text = f"waiting for {names} to converge ({remaining_s:.0f} s left at most)"
        if self.live:
            if self.wait_task is None:
                self.wait_task = self.progress.add_task(text, total=None)
            else:
                self.progress.update(self.wait_task, description=text)
        elif time.monotonic() - self.last_plain >= PLAIN_EVERY_S:
            self.last_plain = time.monotonic()
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)


class BatchProgress(LiveDisplay):
    """A batch's progress on stderr: a bar with the count, rate and time left on a terminal; elsewhere a plain
    line now and then. Refused and error entries are printed as they come, one line each."""

    def __init__(self, console: Console | None = None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn

        super().__init__(console)
        self.progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                                 console=self.console, transient=False, redirect_stdout=False,
                                 redirect_stderr=False)
        self.task: TaskID | None = None
        self.count = 0
        self.total = 0
        self.graded_here = 0
        self.started_at = time.monotonic()
        self.last_plain = 0.0

    def started(self, total: int, done: int) -> None:
        self.total, self.count = total, done
        self.started_at = time.monotonic()
        self.graded_here = 0
        if done:
            self.console.print(f"{done} of {total} students already graded in this folder; grading the rest",
                               markup=False, highlight=False)
        if self.live:
            self.task = self.progress.add_task("grading", total=total, completed=done, rate="")

    def finished(self, entry: object) -> None:
        from grader.model.classwork import JournalEntry

        assert isinstance(entry, JournalEntry)
        self.count += 1
        self.graded_here += 1
        if entry.status != "graded":
            self.console.print(f"{entry.student}: {entry.status}: {printable(entry.reason or '', one_line=True)}",
                               markup=False, highlight=False, soft_wrap=True)
        rate = self.graded_here / max(time.monotonic() - self.started_at, 1e-6)
        if self.live and self.task is not None:
            self.progress.update(self.task, completed=self.count, rate=f"{rate:.1f}/s")
        elif time.monotonic() - self.last_plain >= PLAIN_EVERY_S or self.count == self.total:
            self.last_plain = time.monotonic()
            self.console.print(f"graded {self.count}/{self.total} ({rate:.1f}/s)", markup=False, highlight=False)
