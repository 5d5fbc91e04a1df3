"""Commands that run labs on containers: up, down, validate."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click

from grader.cli_common import EXIT_NOT_PASSED, EXIT_OK, one_line_errors, parse_variables
from grader.cli_labs import lint_and_report, with_variables
from grader.errors import DeployError, LabFileError


def _lab_id(lab: str) -> str:
    """A lab folder/file → its id; anything else is taken as an id already."""
    from grader.loader import lab_file, load_lab

    path = Path(lab)
    return load_lab(path).lab.id if lab_file(path).exists() else lab


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--config", "config", default="initial", show_default=True,
              help="initial, solution, a variant name, or a folder of <node>.cfg files.")
@with_variables
@one_line_errors
def up(lab: Path, config: str, var_pairs: tuple[str, ...], vars_file: Path | None) -> None:
    """Deploy LAB on containers (one per node, linked as the topology says) with a configuration."""
    from grader.configs import lab_configs
    from grader.live import deployed_inventory_path, lab_password
    from grader.loader import load_lab
    from grader.runtime.deploy import deploy

    loaded = load_lab(lab)
    configs = lab_configs(loaded, config, parse_variables(var_pairs, vars_file))
    started = time.monotonic()
    deployment = deploy(loaded.lab.id, loaded.topology, configs, ssh_password=lab_password())
    inventory = deployment.write_inventory(deployed_inventory_path(loaded.lab.id))
    click.echo(f"lab {loaded.lab.id} is up ({len(deployment.nodes)} nodes, {config} config, "
               f"{time.monotonic() - started:.1f} s)")
    for name, node in deployment.nodes.items():
        click.echo(f"  {name:<8} {node.platform:<6} ssh -p {node.ssh_port} {deployment.ssh_user}@127.0.0.1")
    click.echo(f"inventory: {inventory}")
    click.echo(f"grade it:  labgrader grade {lab} --live")


@click.command()
@click.argument("labs", nargs=-1)
@click.option("--all", "all_labs", is_flag=True, help="Remove every deployed lab.")
@one_line_errors
def down(labs: tuple[str, ...], all_labs: bool) -> None:
    """Remove the containers and links of LAB(s) (a lab folder or id), even after a crash."""
    from grader.live import state_dir
    from grader.runtime.deploy import destroy
    from grader.runtime.state import check_lab_id, running_labs

    if all_labs == bool(labs):
        raise LabFileError(["give LAB... or --all"])
    ids = [status.lab_id for status in running_labs()] if all_labs else [_lab_id(lab) for lab in labs]
    for lab_id in ids:
        try:
            check_lab_id(lab_id)
        except DeployError as exc:
            raise LabFileError([str(exc)]) from None
        removed = destroy(lab_id)
        shutil.rmtree(state_dir() / lab_id, ignore_errors=True)
        click.echo(f"lab {lab_id}: removed {removed} containers" if removed else f"no lab {lab_id} is deployed")


class _DeployedLab:
    """What validation needs of a running lab: switch configs, and a transport to grade it."""

    def __init__(self, deployment: object) -> None:
        self.deployment = deployment

    def apply(self, configs: dict[str, str]) -> None:
        from grader.runtime.deploy import apply_configs

        apply_configs(self.deployment, configs)  # type: ignore[arg-type]

    def transport(self) -> object:
        from grader.transport.netmiko_cli import NetmikoTransport

        return NetmikoTransport(self.deployment.inventory())  # type: ignore[attr-defined]


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


def _row(lab: str, run: str, score: str, expected: str, problems: list[str], seconds: float | None) -> None:
    verdict = click.style("ok", fg="green") if not problems else click.style("MISMATCH", fg="red", bold=True)
    timing = f"{seconds:6.1f} s" if seconds is not None else ""
    click.echo(f"{lab:<24} {run:<22} {score:>9} {expected:<46} {verdict} {timing}")
    for problem in problems:
        click.echo(f"    {problem}")


def _validate_live(lab: Path, record: bool) -> int:
    from grader.configs import lab_configs
    from grader.live import lab_password
    from grader.loader import load_lab
    from grader.runtime.deploy import deploy, destroy
    from grader.validation import RunResult, validate_lab

    loaded = load_lab(lab)
    started = time.monotonic()
    deployment = deploy(loaded.lab.id, loaded.topology, lab_configs(loaded, "solution"), ssh_password=lab_password())
    deployed_s = time.monotonic() - started

    def show(result: RunResult) -> None:
        assert result.report is not None
        expected = ("full marks" if result.run == "solution" else "every objective fails"
                    if result.expected_fail is None else "fail: " + ", ".join(result.expected_fail))
        _row(loaded.lab.id, result.run, f"{result.report.score:g}/{result.report.max_score:g}", expected,
             result.problems, result.seconds)

    click.echo(f"{loaded.lab.id}: deployed {len(deployment.nodes)} nodes in {deployed_s:.1f} s")
    try:
        results = validate_lab(loaded, _DeployedLab(deployment),
                               record=loaded.directory / "submissions" if record else None, on_run=show)
    finally:
        destroy(loaded.lab.id)
    click.echo(f"{loaded.lab.id}: {sum(r.ok for r in results)}/{len(results)} runs as expected, "
               f"{time.monotonic() - started:.1f} s in all")
    return int(not all(r.ok for r in results))


def _validate_recorded(lab: Path) -> int:
    from grader.configs import read_expected
    from grader.engine.grade import grade
    from grader.loader import load_lab
    from grader.transport.replay import ReplayTransport
    from grader.validation import judge_run

    loaded = load_lab(lab)
    submissions = sorted(p.parent for p in loaded.directory.glob("submissions/*/expected.yaml"))
    if not submissions:
        click.echo(f"error: {loaded.directory}: no recorded submissions (record them with validate --live --record)",
                   err=True)
        return 1
    failed = 0
    for folder in submissions:
        expected = read_expected(folder / "expected.yaml", {o.id for o in loaded.lab.objectives})
        fail = tuple(expected.get("fail") or ())
        transport = ReplayTransport(folder)
        report = grade(loaded, transport, transport.manifest.get("variables"), source=f"capture:{folder}")
        problems = judge_run(report, "solution" if not fail else folder.name, fail)
        if "score" in expected and abs(report.score - float(expected["score"])) > 0.01:
            problems.append(f"score {report.score:g}, expected {expected['score']}")
        _row(loaded.lab.id, folder.name, f"{report.score:g}/{report.max_score:g}",
             "full marks" if not fail else "fail: " + ", ".join(fail), problems, None)
        failed += bool(problems)
    return int(bool(failed))


COMMANDS = [up, down, validate]
