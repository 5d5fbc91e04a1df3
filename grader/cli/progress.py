"""Progress of long work on stderr: nodes being read, objectives still converging and the time left.

On a terminal it is a live rich display that disappears when done; elsewhere (CI logs, pipes) a plain line
now and then, so a log never goes silent for long either. The engine only calls ``Observer`` methods.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from grader.engine.events import Observer
from grader.model.evidence import NodeEvidence
from grader.text import printable

PLAIN_EVERY_S = 5.0


class LiveProgress(Observer):
    """Shows collection and convergence; use as a context manager around the grading."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)
        self.live = self.console.is_terminal
        # what the command prints on stdout meanwhile shows above the live lines when stdout is this terminal too
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=self.console, transient=True, redirect_stdout=sys.stdout.isatty(),
                                 redirect_stderr=False)
        self.nodes: dict[str, TaskID] = {}
        self.wait_task: TaskID | None = None
        self.last_plain = 0.0

    def __enter__(self) -> LiveProgress:
        if self.live:
            self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.live:
            self.progress.stop()

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
