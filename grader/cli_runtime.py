"""Command-line commands for device images and deployed labs: ``images build|list`` and ``status``.

``COMMANDS`` lists them for the main group (``up``/``down`` live in ``cli_live``). Errors are one line.
"""

from __future__ import annotations

import json

import click

from grader.cli_common import one_line_errors


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


COMMANDS: tuple[click.Command, ...] = (images, status)
