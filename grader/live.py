"""Where live grading finds its devices: an inventory file, or the lab deployed by ``labgrader up``."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError

from grader.errors import LabFileError
from grader.loader import LoadedLab
from grader.model.inventory import DEFAULT_PASSWORD, PASSWORD_ENV, Inventory
from grader.transport.netmiko_cli import NetmikoTransport
from grader.yamlsource import load_yaml


def load_inventory(path: Path) -> Inventory:
    if not Path(path).exists():
        raise LabFileError([f"{path}: inventory file not found"])
    data = load_yaml(path).data
    try:
        return Inventory.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LabFileError([f"{path}: {where}: {first['msg']}"]) from None




def state_dir() -> Path:
    """Where ``up`` keeps what it wrote (inventories): ``$LABGRADER_STATE_DIR`` or ~/.local/state/labgrader."""
    root = os.environ.get("LABGRADER_STATE_DIR") or os.environ.get("XDG_STATE_HOME")
    base = Path(root) if root else Path.home() / ".local" / "state"
    return base if os.environ.get("LABGRADER_STATE_DIR") else base / "labgrader"


def deployed_inventory_path(lab_id: str) -> Path:
    return state_dir() / lab_id / "inventory.yaml"


def lab_password() -> str:
    return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def live_transport(loaded: LoadedLab, inventory_file: Path | None) -> tuple[NetmikoTransport, str]:
    """The transport for ``grade --inventory FILE`` or, without a file, ``grade --live`` (the inventory that
    ``labgrader up`` wrote; its password is ``$LABGRADER_PASSWORD`` or the default lab password)."""
    environ: dict[str, str] | None = None
    if inventory_file is None:
        inventory_file = deployed_inventory_path(loaded.lab.id)
        if not inventory_file.exists():
            raise LabFileError([f"lab {loaded.lab.id!r} is not running here: start it with "
                                f"`labgrader up {loaded.directory}` (or give --inventory FILE)"])
        environ = {**os.environ, PASSWORD_ENV: lab_password()}
    inventory = load_inventory(inventory_file)
    return NetmikoTransport(inventory, environ), f"live:{inventory_file}"
