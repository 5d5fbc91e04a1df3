"""How people and the grader reach the labs of a class: access-sheet entries (with passwords), inventories and
live transports, from what Docker runs and the class's password store (``classstore``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr

from grader.errors import DeployError
from grader.model.inventory import Connection, Inventory
from grader.runtime.classroom import AccessEntry, ClassStore, class_status, default_root
from grader.runtime.state import connect_host


def access_entries(lab_id: str, root: Path | None = None) -> list[AccessEntry]:
    """Every student's access (host, user, ports and password), for the access sheet."""
    view = class_status(lab_id, root)
    if view.settings is None:
        raise DeployError(f"no class {lab_id!r} was deployed here (see `labgrader class status`)")
    passwords = ClassStore(root or default_root(), lab_id).passwords()
    return [AccessEntry(lab.student, lab.name, view.settings.host, view.settings.username, lab.ports, lab.state,
                        passwords.get(lab.student, "")) for lab in view.labs]


def class_inventories(lab_id: str, root: Path | None = None) -> tuple[dict[str, Inventory], dict[str, str]]:
    """How the grader reaches each ready student's lab (passwords from the class's store), and why each other
    student's lab cannot be graded (student id → one line)."""
    view = class_status(lab_id, root)
    if view.settings is None:
        raise DeployError(f"no class {lab_id!r} was deployed here (see `labgrader class status`)")
    passwords = ClassStore(root or default_root(), lab_id).passwords()
    inventories: dict[str, Inventory] = {}
    problems: dict[str, str] = {}
    for lab in view.labs:
        if lab.state != "ready":
            problems[lab.student] = f"the student's lab is {lab.state} (see `labgrader class status {lab_id}`)"
            continue
        if lab.student not in passwords:
            problems[lab.student] = "no password is known for the student's lab"
            continue
        host = connect_host(next(iter(lab.nodes.values())).ssh_host)
        defaults = Connection(transport="ssh", username=view.settings.username,
                              password=SecretStr(passwords[lab.student]))
        inventories[lab.student] = Inventory(defaults=defaults, nodes={
            node: Connection(host=host, port=port) for node, port in lab.ports.items()})
    return inventories, problems



def class_transports(lab_id: str, root: Path | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """A live transport to each ready student's lab (see ``class_inventories``), and why each other student's
    lab cannot be graded. Docker has just said that every container of these labs runs, so the transports skip
    the TCP probe before each SSH login: on these containers a probe starts an sshd that receives nothing
    (about 9 ms of a router's CPU, a sixth of a grading session); a lab that fails anyway is reported by the
    SSH connection itself."""
    from grader.transport.netmiko_cli import NetmikoConnector, NetmikoTransport

    class RunningContainers(NetmikoConnector):
        def probe(self, conn: Any) -> str | None:
            return None

    inventories, problems = class_inventories(lab_id, root)
    connector = RunningContainers()
    return {student: NetmikoTransport(inventory, connector=connector)
            for student, inventory in inventories.items()}, problems
