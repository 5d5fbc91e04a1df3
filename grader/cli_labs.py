"""Commands that read labs and grade them: lint, checks, show, grade."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from grader.cli_common import EXIT_NOT_PASSED, EXIT_OK, one_line_errors, parse_variables, write_output
from grader.errors import LabFileError

FORMATS = ("terminal", "json", "junit", "gradescope", "markdown")

variable_options = [
    click.option("--var", "var_pairs", multiple=True, metavar="NAME=VALUE", help="Set a lab variable."),
    click.option("--vars", "vars_file", type=click.Path(path_type=Path, dir_okay=False),
                 help="YAML file of lab variables (e.g. a student's variant)."),
]


def with_variables(func: Any) -> Any:
    for option in reversed(variable_options):
        func = option(func)
    return func


@click.command()
@click.argument("labs", nargs=-1, required=True, type=click.Path(path_type=Path))
@one_line_errors
def lint(labs: tuple[Path, ...]) -> None:
    """Validate lab definitions without touching a device.

    Checks the schema, variables, check parameters, that every check is supported on its node's platform,
    that templates compile, and that config files and expectations name real nodes and objectives.
    """
    bad = 0
    for lab in labs:
        clean = lint_and_report(lab)
        bad += not clean
        if clean:
            click.echo(f"ok: {lab}")
    raise SystemExit(EXIT_NOT_PASSED if bad else EXIT_OK)


def lint_and_report(lab: Path) -> bool:
    """Lint one lab, printing each problem as an ``error:`` line; True when it has none."""
    from grader.engine.lint import lint_lab

    problems = lint_lab(lab)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    return not problems


@click.command("checks")
def list_checks() -> None:
    """List check types, their parameters, and the platforms that support each."""
    from grader.checks import CHECK_TYPES
    from grader.platforms import all_platforms

    platforms = all_platforms()
    for check in CHECK_TYPES.values():
        supported = [p.name for p in platforms if all(p.supports(k) for k in check.fact_kinds)]
        click.echo(f"{check.name}: {check.summary}")
        click.echo(f"  platforms: {', '.join(supported) or 'none'}")
        for name, field in check.Params.model_fields.items():
            required = "required" if field.is_required() else f"default {field.default!r}"
            click.echo(f"  {name} ({required}): {field.description or ''}")


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@with_variables
@one_line_errors
def show(lab: Path, var_pairs: tuple[str, ...], vars_file: Path | None) -> None:
    """Print the student instructions of LAB, with its variables filled in."""
    from grader.loader import load_lab

    loaded = load_lab(lab)
    text = loaded.render_instructions(parse_variables(var_pairs, vars_file))
    header = f"# {loaded.lab.title}\n"
    meta = " · ".join(x for x in (loaded.lab.track, loaded.lab.level) if x)
    points = f"{loaded.lab.max_score:g} points, {len(loaded.lab.objectives)} objectives"
    write_output(header + (f"{meta} · {points}\n\n" if meta else f"{points}\n\n") + text, None)


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--capture", "capture_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Grade recorded output (a capture folder).")
@click.option("--inventory", "inventory_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Grade live devices listed in an inventory file.")
@click.option("--live", is_flag=True, help="Grade the lab deployed by `labgrader up` (its inventory).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="terminal", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report here.")
@click.option("--student-view", is_flag=True, help="Hide the details of hidden objectives.")
@click.option("--color/--no-color", default=None, help="Colour terminal output (default: when a terminal).")
@click.option("--save-capture", type=click.Path(path_type=Path, file_okay=False),
              help="Live grading: also save the collected output as a capture folder.")
@with_variables
@one_line_errors
def grade(lab: Path, capture_dir: Path | None, inventory_file: Path | None, live: bool, fmt: str,
          output: Path | None, student_view: bool, color: bool | None, save_capture: Path | None,
          var_pairs: tuple[str, ...], vars_file: Path | None) -> None:
    """Grade LAB from a capture (--capture), an inventory (--inventory) or the running lab (--live)."""
    from grader.engine.grade import grade as run_grade
    from grader.loader import load_lab
    from grader.reporters import render

    if sum(x is not None and x is not False for x in (capture_dir, inventory_file, live or None)) != 1:
        raise LabFileError(["give exactly one of --capture DIR, --inventory FILE or --live"])
    loaded = load_lab(lab)
    variables = parse_variables(var_pairs, vars_file)
    evidence: dict[str, Any] = {}
    if capture_dir is not None:
        from grader.transport.replay import ReplayTransport

        transport: Any = ReplayTransport(capture_dir)
        if transport.manifest.get("lab") not in (None, loaded.lab.id):
            raise LabFileError([f"{capture_dir}: a capture of lab {transport.manifest['lab']!r}, "
                                f"not {loaded.lab.id!r}"])
        # the variables the capture was taken with, unless given again here
        variables = {**(transport.manifest.get("variables") or {}), **variables}
        report = run_grade(loaded, transport, variables, source=f"capture:{capture_dir}")
    else:
        from grader.live import live_transport

        transport, source = live_transport(loaded, inventory_file)
        report = run_grade(loaded, transport, variables, source=source, live=True, evidence_sink=evidence)
        if save_capture is not None:
            from grader.transport.capture import write_capture

            write_capture(evidence, save_capture, lab_id=loaded.lab.id, source=source,
                          variables=loaded.variables(variables))
    if color is None:
        color = output is None and sys.stdout.isatty()
    write_output(render(report, fmt, color=color, show_hidden=not student_view), output)
    raise SystemExit(EXIT_OK if report.passed else EXIT_NOT_PASSED)


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--inventory", "inventory_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Devices listed in an inventory file.")
@click.option("--live", is_flag=True, help="The lab deployed by `labgrader up`.")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Capture folder to write (replaced if it is already a capture).")
@with_variables
@one_line_errors
def capture(lab: Path, inventory_file: Path | None, live: bool, out_dir: Path, var_pairs: tuple[str, ...],
            vars_file: Path | None) -> None:
    """Record every command LAB needs from live devices into a capture folder (for `grade --capture`)."""
    from grader.engine.collect import collect
    from grader.engine.plan import build_plan
    from grader.live import live_transport
    from grader.loader import load_lab
    from grader.transport.capture import write_capture

    if (inventory_file is None) == (not live):
        raise LabFileError(["give exactly one of --inventory FILE or --live"])
    loaded = load_lab(lab)
    variables = parse_variables(var_pairs, vars_file)
    plan = build_plan(loaded.resolve(variables), loaded.topology)
    transport, source = live_transport(loaded, inventory_file)
    evidence = collect(plan.commands, loaded.topology, transport)
    write_capture(evidence, out_dir, lab_id=loaded.lab.id, source=source, variables=loaded.variables(variables))
    failed = 0
    for node, node_evidence in sorted(evidence.items()):
        errors = [o for o in node_evidence.outputs.values() if o.error]
        if node_evidence.error:
            click.echo(f"error: {node}: {node_evidence.error}", err=True)
        for output in errors:
            click.echo(f"error: {node}: {output.command!r}: {output.error}", err=True)
        failed += bool(node_evidence.error or errors)
    click.echo(f"captured {plan.command_count} commands from {len(evidence)} nodes into {out_dir}"
               + (f" ({failed} nodes with errors)" if failed else ""))
    raise SystemExit(EXIT_NOT_PASSED if failed else EXIT_OK)


COMMANDS = [lint, list_checks, show, grade, capture]
