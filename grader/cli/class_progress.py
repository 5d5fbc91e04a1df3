"""Progress of a class deployment on stderr: a bar over the students, a spinner per lab being deployed.

On a terminal it is a live rich display that disappears when done; elsewhere one plain line per student as
each finishes. A failure is printed at once, above the bar, and the others go on.
"""

from __future__ import annotations

import threading

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from grader.cli.progress import LiveDisplay
from grader.runtime.classroom import ClassObserver, StudentOutcome
from grader.text import printable


class ClassProgress(LiveDisplay, ClassObserver):
    """Use as a context manager around ``class_up``."""

    def __init__(self, console: Console | None = None, verb: str = "deploying") -> None:
        super().__init__(console)
        self.verb = verb
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[now]}"),
                                 console=self.console, transient=True)
        self.task: TaskID | None = None
        self.running: list[str] = []
        self.lock = threading.Lock()

    def _now(self) -> str:
        shown = ", ".join(printable(s, one_line=True) for s in self.running[:4])
        more = f" and {len(self.running) - 4} more" if len(self.running) > 4 else ""
        return f"now: {shown}{more}" if shown else ""

    def class_started(self, students: int, to_deploy: int) -> None:
        if self.live:
            kept = students - to_deploy
            label = f"{self.verb} {to_deploy} labs" + (f" ({kept} already up)" if kept else "")
            self.task = self.progress.add_task(label, total=students, now="")
        elif to_deploy < students:
            self.console.print(f"{students - to_deploy} of {students} labs are up already", markup=False,
                               highlight=False)

    def student_started(self, student: str) -> None:
        with self.lock:
            self.running.append(student)
            if self.task is not None:
                self.progress.update(self.task, now=self._now())

    def student_finished(self, outcome: StudentOutcome) -> None:
        name = printable(outcome.student, one_line=True)
        with self.lock:
            if outcome.student in self.running:
                self.running.remove(outcome.student)
            if outcome.status == "failed":
                self.console.print(f"[red]{escape(name)}: {escape(printable(outcome.error or 'failed', one_line=True))}"
                                   "[/red]", markup=True, highlight=False, soft_wrap=True)
            elif not self.live and outcome.status != "kept":
                self.console.print(f"{name}: {outcome.status} ({outcome.seconds:.1f} s)", markup=False,
                                   highlight=False)
            if self.task is not None:
                self.progress.update(self.task, advance=1, now=self._now())
