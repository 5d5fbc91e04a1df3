"""``labgrader validate``: prove labs live on containers, or against their recorded submissions."""

from __future__ import annotations

import time
from pathlib import Path

import click

from grader.cli.common import EXIT_NOT_PASSED, EXIT_OK, lint_and_report, one_line_errors


@click.command()
@click.argument("labs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--live", is_flag=True, help="Prove the labs on containers (else: check recorded submissions).")
@click.option("--record", is_flag=True,
              help="With --live: save every run that behaves as expected as labs/<lab>/submissions/<run>.")
@one_line_errors
def validate(labs: tuple[Path, ...], live: bool, record: bool) -> None:
    """Prove labs: the solution scores full marks, the initial config fails every objective, and each variant
    fails exactly the objectives it lists. Without --live, recorded submissions are graded instead."""
    bad = 0
    for lab in labs:
        if not lint_and_report(lab):
            bad += 1
            continue
        bad += _validate_live(lab, record) if live else _validate_recorded(lab)
    raise SystemExit(EXIT_NOT_PASSED if bad else EXIT_OK)


def _row(result: object, seconds: bool) -> None:
    from grader.validation import RunResult

    assert isinstance(result, RunResult) and result.report is not None
    verdict = click.style("ok", fg="green") if result.ok else click.style("MISMATCH", fg="red", bold=True)
    timing = f"{result.seconds:6.1f} s" if seconds else ""
    score = f"{result.report.score:g}/{result.report.max_score:g}"
    click.echo(f"{result.lab:<24} {result.run:<22} {score:>9} {result.expectation:<46} {verdict} {timing}")
    for problem in result.problems:
        click.echo(f"    {problem}")


def _validate_live(lab: Path, record: bool) -> int:
    from grader.configs import lab_configs
    from grader.live import lab_password
    from grader.loader import load_lab
    from grader.runtime.deploy import check_deployable, deploy, destroy
    from grader.validation import validate_lab

    loaded = load_lab(lab)
    check_deployable(loaded.topology)
    started = time.monotonic()
    deployment = deploy(loaded.lab.id, loaded.topology, lab_configs(loaded, "solution"), ssh_password=lab_password())
    click.echo(f"{loaded.lab.id}: deployed {len(deployment.nodes)} nodes in {time.monotonic() - started:.1f} s")
    from grader.cli.progress import LiveProgress

    try:
        with LiveProgress() as progress:
            results = validate_lab(loaded, deployment, record=loaded.directory / "submissions" if record else None,
                                   on_run=lambda result: _row(result, seconds=True), observer=progress)
    finally:
        destroy(loaded.lab.id)
    click.echo(f"{loaded.lab.id}: {sum(r.ok for r in results)}/{len(results)} runs as expected, "
               f"{time.monotonic() - started:.1f} s in all")
    return int(not all(r.ok for r in results))


def _validate_recorded(lab: Path) -> int:
    from grader.loader import load_lab
    from grader.validation import validate_recorded

    loaded = load_lab(lab)
    results = validate_recorded(loaded, on_run=lambda result: _row(result, seconds=False))
    if not results:
        click.echo(f"error: {loaded.directory}: no recorded submissions (record them with validate --live --record)",
                   err=True)
        return 1
    return int(not all(r.ok for r in results))


COMMANDS = [validate]
