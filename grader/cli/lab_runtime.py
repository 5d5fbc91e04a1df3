"""Commands that run labs on containers: images build|list, up, status, down."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import click

from grader.cli.common import one_line_errors, student_variables, with_student, with_variables
from grader.errors import DeployError, LabFileError


def _size(n: int) -> str:
    return f"{n / 1e6:.0f} MB"


@click.group()
def images() -> None:
    """Build and list the device images (FRR router, Linux host)."""


@images.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when the recipe did not change.")
@click.argument("names", nargs=-1, type=click.Choice(["frr", "host"]))
@one_line_errors
def images_build(force: bool, names: tuple[str, ...]) -> None:
    """Build the images whose recipe changed (all, or NAMES) from Debian packages."""
    from grader.runtime.images import build_images

    built = build_images(list(names) or None, force=force, on_progress=click.echo)
    for info in built:
        click.echo(f"{info.tag}  {info.id}  {_size(info.size)}")


@images.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@one_line_errors
def images_list(as_json: bool) -> None:
    """List the labgrader images; '*' marks the ones built from the current recipes."""
    from grader.runtime.images import list_images

    found = list_images()
    if as_json:
        click.echo(json.dumps([{"name": i.name, "tag": i.tag, "id": i.id, "size": i.size,
                                "created": i.created.isoformat(), "current": i.current} for i in found], indent=2))
        return
    if not found:
        click.echo("no labgrader images; run `labgrader images build`")
    for info in found:
        mark = "*" if info.current else " "
        click.echo(f"{mark} {info.tag:<28} {info.id}  {_size(info.size):>7}  {info.created:%Y-%m-%d %H:%M}")


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@one_line_errors
def status(as_json: bool) -> None:
    """Show the deployed labs: nodes, container states, SSH ports."""
    from grader.runtime.state import running_labs

    labs = running_labs()
    if as_json:
        click.echo(json.dumps([{"lab": lab.lab_id, "nodes": [
            {"node": n.node, "platform": n.platform, "state": n.state, "ssh_port": n.ssh_port,
             "container": n.container, "interfaces": list(n.interfaces)} for n in lab.nodes]} for lab in labs],
            indent=2))
        return
    if not labs:
        click.echo("no lab is deployed")
    for lab in labs:
        click.echo(f"lab {lab.lab_id}")
        for n in lab.nodes:
            port = f"127.0.0.1:{n.ssh_port}" if n.ssh_port else "-"
            click.echo(f"  {n.node:<12} {n.platform:<6} {n.state:<8} ssh {port:<16} {' '.join(n.interfaces)}")


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--config", "config", default="initial", show_default=True,
              help="initial, solution, a variant name, or a folder of <node>.cfg files.")
@with_variables
@with_student
@one_line_errors
def up(lab: Path, config: str, var_pairs: tuple[str, ...], vars_file: Path | None, student: str | None,
       course_file: Path | None) -> None:
    """Deploy LAB on containers (one per node, linked as the topology says) with a configuration; with
    --student, that student's variant."""
    from grader.configs import lab_configs
    from grader.live import deployed_inventory_path, lab_password
    from grader.loader import load_lab
    from grader.runtime.deploy import check_deployable, deploy

    loaded = load_lab(lab)
    check_deployable(loaded.topology)
    configs = lab_configs(loaded, config, student_variables(loaded, student, course_file, var_pairs, vars_file))
    started = time.monotonic()
    deployment = deploy(loaded.lab.id, loaded.topology, configs, ssh_password=lab_password())
    inventory = deployment.write_inventory(deployed_inventory_path(loaded.lab.id))
    click.echo(f"lab {loaded.lab.id} is up ({len(deployment.nodes)} nodes, {config} config, "
               f"{time.monotonic() - started:.1f} s)")
    for name, node in deployment.nodes.items():
        click.echo(f"  {name:<8} {node.platform:<6} ssh -p {node.ssh_port} {deployment.ssh_user}@127.0.0.1")
    click.echo(f"inventory: {inventory}")
    click.echo(f"grade it:  labgrader grade {lab} --live")


def _lab_id(lab: str) -> str:
    """A lab folder/file → its id; anything else is taken as an id already."""
    from grader.loader import lab_file, load_lab

    path = Path(lab)
    return load_lab(path).lab.id if lab_file(path).exists() else lab


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


COMMANDS = [images, status, up, down]
