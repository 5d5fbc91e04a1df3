"""Progress of a class deployment on stderr: a bar over the students, a spinner per lab being deployed.

On a terminal it is a live rich display that disappears when done; elsewhere one plain line per student as
each finishes. A failure is printed at once, above the bar, and the others go on.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from grader.runtime.classroom import ClassObserver, StudentOutcome
from grader.text import printable


class ClassProgress(ClassObserver):
    """Use as a context manager around ``class_up``."""

    def __init__(self, console: Console | None = None, verb: str = "deploying") -> None:
        self.console = console or Console(stderr=True, highlight=False)
        self.live = self.console.is_terminal
        self.verb = verb
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=self.console, transient=True)
        self.total: TaskID | None = None
        self.students: dict[str, TaskID] = {}
        self.started: dict[str, float] = {}
        self.lock = threading.Lock()

    def __enter__(self) -> ClassProgress:
        if self.live:
            self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.live:
            self.progress.stop()

    def class_started(self, students: int, to_deploy: int) -> None:
        if self.live:
            self.total = self.progress.add_task(f"{self.verb} {to_deploy} of {students} labs", total=students)

    def student_started(self, student: str) -> None:
        with self.lock:
            self.started[student] = time.monotonic()
            if self.live:
                self.students[student] = self.progress.add_task(
                    f"  {printable(student, one_line=True)}", total=None)

    def student_finished(self, outcome: StudentOutcome) -> None:
        name = printable(outcome.student, one_line=True)
        with self.lock:
            if outcome.status == "failed":
                self.console.print(f"[red]{escape(name)}: {escape(printable(outcome.error or 'failed', one_line=True))}"
                                   "[/red]",
                                   markup=True, highlight=False, soft_wrap=True)
            elif not self.live:
                self.console.print(f"{name}: {outcome.status} ({outcome.seconds:.1f} s)", markup=False,
                                   highlight=False)
            if self.live:
                task = self.students.pop(outcome.student, None)
                if task is not None:
                    self.progress.remove_task(task)
                if self.total is not None:
                    self.progress.advance(self.total)
