"""The inventory command: an inventory from a student's simulator project (eNSP, GNS3, EVE-NG)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from grader.cli.common import one_line_errors, write_output
from grader.errors import LabFileError

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@click.command("inventory")
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--from-ensp", "ensp", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE.topo",
              help="Huawei eNSP topology (consoles on 127.0.0.1 at each device's com_port).")
@click.option("--from-gns3", "gns3", type=click.Path(path_type=Path, dir_okay=False), metavar="PROJECT.gns3",
              help="GNS3 project file (telnet consoles only).")
@click.option("--from-eve", "eve", type=click.Path(path_type=Path, dir_okay=False), metavar="LAB.unl",
              help="EVE-NG lab file (ports are 32768 + 128 x pod + node id; needs --eve-host).")
@click.option("--eve-pod", type=click.IntRange(0, 255), default=0, show_default=True,
              help="EVE-NG pod (tenant) of the user who runs the lab.")
@click.option("--host", "--eve-host", "host", metavar="ADDRESS",
              help="Address of the consoles, replacing the file's (the EVE-NG server; the GNS3 VM).")
@click.option("--map", "map_pairs", multiple=True, metavar="SIMNAME=LABNODE",
              help="A device whose name differs from the lab's node (repeatable).")
@click.option("--username", help="User name the consoles ask for (eNSP consoles ask none).")
@click.option("--password-env", metavar="VAR", help="Environment variable holding the consoles' password.")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the inventory here (default: print it).")
@click.option("--force", is_flag=True, help="Replace --out even when it is not a labgrader inventory.")
@one_line_errors
def inventory(lab: Path, ensp: Path | None, gns3: Path | None, eve: Path | None, eve_pod: int, host: str | None,
              map_pairs: tuple[str, ...], username: str | None, password_env: str | None, out: Path | None,
              force: bool) -> None:
    """Make an inventory for LAB from a student's simulator project: each device's telnet console, matched to
    the lab's nodes by name. Notes go to stderr; `labgrader grade LAB --inventory FILE` grades with it."""
    from grader.discovery import match, parse_maps, read_project, render_inventory
    from grader.discovery.base import console_host
    from grader.loader import load_lab

    sources = [(kind, path) for kind, path in (("ensp", ensp), ("gns3", gns3), ("eve", eve)) if path is not None]
    if len(sources) != 1:
        raise LabFileError(["give exactly one of --from-ensp FILE, --from-gns3 FILE or --from-eve FILE"])
    kind, path = sources[0]
    if kind == "eve" and not host:
        raise LabFileError([f"{path}: an EVE-NG lab file does not say where EVE-NG runs: give --eve-host ADDRESS"])
    if password_env is not None and not _ENV_NAME.fullmatch(password_env):
        raise LabFileError([f"--password-env {password_env!r}: not an environment variable name"])
    address = console_host(host, "--host") if host else None
    maps = parse_maps(map_pairs)
    if out is not None and not force:
        _refuse_to_clobber(out)
    loaded = load_lab(lab)
    devices = read_project(kind, path, eve_host=address, eve_pod=eve_pod)  # type: ignore[arg-type]
    matching = match(loaded, devices, str(path), maps, host=address)
    for note in matching.notes:
        click.echo(f"note: {note}", err=True)
    text = render_inventory(matching, lab_id=loaded.lab.id, source=str(path), username=username,
                            password_env=password_env)
    write_output(text, out)
    if out is not None:
        click.echo(f"wrote {out}: {len(matching.entries)} nodes, telnet", err=True)


def _refuse_to_clobber(out: Path) -> None:
    """``out`` may be replaced only when it does not exist or is a labgrader inventory."""
    from grader.live import load_inventory

    if out.is_dir():
        raise LabFileError([f"--out {out}: is a folder"])
    if not out.exists():
        return
    try:
        load_inventory(out)
    except LabFileError:
        raise LabFileError([f"--out {out}: exists and is not a labgrader inventory: give --force to replace "
                            f"it"]) from None


COMMANDS = [inventory]
