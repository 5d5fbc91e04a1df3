"""Terminal report: header, objectives table, details of what did not pass, summary. Readable without colour."""

from __future__ import annotations

from io import StringIO

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from grader.model.report import GradeReport, ObjectiveResult, Outcome
from grader.reporters.registry import PLAIN, RenderOptions, report_format
from grader.reporters.text import (
    detail_lines,
    duration_s,
    is_redacted,
    num,
    one_line,
    outcome_counts,
    points,
    title_of,
)

WIDTH = 120
STYLES = {Outcome.PASS: "bold green", Outcome.FAIL: "bold red", Outcome.ERROR: "bold magenta",
          Outcome.SKIP: "yellow"}


def _outcome(outcome: Outcome) -> Text:
    return Text(str(outcome), style=STYLES[outcome])


def _header(report: GradeReport) -> Text:
    verdict = Text("PASSED", style="bold green") if report.passed else Text("NOT PASSED", style="bold red")
    header = Text()
    header.append(f"{report.lab.title}", style="bold")
    header.append(f"  ({report.lab.id})\n")
    header.append(f"source: {report.source}   graded {report.finished:%Y-%m-%d %H:%M:%S}"
                  f" in {duration_s(report):.1f} s\n")
    header.append(f"score: {num(report.score)}/{num(report.max_score)} ({report.percentage:.1f}%)  ")
    header.append(verdict)
    return header


def _table(report: GradeReport) -> Table:
    waited = any(obj.waited_s is not None for obj in report.objectives)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("ID", no_wrap=True)
    table.add_column("Objective", max_width=36)
    table.add_column("Outcome", no_wrap=True)
    table.add_column("Points", justify="right", no_wrap=True)
    if waited:
        table.add_column("Waited", justify="right", no_wrap=True)
    table.add_column("Message", overflow="fold")
    for obj in report.objectives:
        cells = [Text(obj.id), Text(title_of(obj)), _outcome(obj.outcome), Text(points(obj))]
        if waited:
            cells.append(Text("" if obj.waited_s is None else f"{obj.waited_s:.1f} s"))
        cells.append(Text(one_line(obj.message)))
        table.add_row(*cells)
    return table


def _details(obj: ObjectiveResult) -> Group:
    heading = Text.assemble((obj.id, "bold"), " · ", title_of(obj), " · ", _outcome(obj.outcome),
                            f" {points(obj)}")
    body: list[Text] = []
    if is_redacted(obj):
        body.append(Text("details of a hidden objective are not shown", style="dim"))
    else:
        if obj.feedback:
            body.append(Text(f"hint: {one_line(obj.feedback, 300)}", style="italic"))
        if not obj.checks and obj.message:
            body.append(Text(one_line(obj.message, 300)))
        for line in detail_lines(obj):
            body.append(Text(line, style="dim" if line.startswith(" ") else ""))
    return Group(heading, Padding(Group(*body), (0, 0, 0, 2)))


def _warnings(report: GradeReport) -> list[Text]:
    return [Text(f"WARNING: {one_line(warning, 300)}", style="bold yellow") for warning in report.warnings]


def _node_problems(report: GradeReport) -> list[Text]:
    return [Text(f"node {n.node} ({n.platform}) could not be read: {one_line(n.error)}", style="magenta")
            for n in report.nodes if n.error]


def _summary(report: GradeReport) -> Text:
    line = Text(f"{len(report.objectives)} objectives: ")
    for i, (outcome, count) in enumerate(outcome_counts(report).items()):
        if i:
            line.append(", ")
        line.append(f"{count} ")
        line.append(str(outcome), style=STYLES[outcome] if count else "")
    line.append(f"  |  score {num(report.score)}/{num(report.max_score)} ({report.percentage:.1f}%)")
    return line


@report_format("terminal", summary="a table for the terminal, with what did not pass (colour on a terminal)",
               suffix=".txt")
def render(report: GradeReport, options: RenderOptions = PLAIN, *, color: bool | None = None) -> str:
    """The report as terminal text, with ANSI colours only when ``color`` (or ``options.color``) is true."""
    color = options.color if color is None else color
    buffer = StringIO()
    console = Console(file=buffer, width=WIDTH, force_terminal=color, color_system="standard" if color else None,
                      highlight=False, emoji=False, markup=False)
    console.print(_header(report))
    for warning in _warnings(report):
        console.print(warning)
    console.print()
    console.print(_table(report))
    for problem in _node_problems(report):
        console.print(problem)
    failing = [obj for obj in report.objectives if obj.outcome is not Outcome.PASS]
    if failing:
        console.print()
        console.print(Text("What did not pass", style="bold underline"))
        for obj in failing:
            console.print(_details(obj))
    console.print()
    console.print(_summary(report))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
