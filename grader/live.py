"""Where live grading finds its devices: an inventory file, or the lab deployed by ``labgrader up``."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from grader.errors import LabFileError
from grader.loader import LoadedLab
from grader.model.inventory import Inventory
from grader.transport.netmiko_cli import NetmikoTransport


def load_inventory(path: Path) -> Inventory:
    try:
        data = yaml.safe_load(Path(path).read_text())
    except FileNotFoundError:
        raise LabFileError([f"{path}: inventory file not found"]) from None
    except (OSError, yaml.YAMLError) as exc:
        raise LabFileError([f"{path}: cannot read the inventory: {exc}"]) from None
    try:
        return Inventory.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LabFileError([f"{path}: {where}: {first['msg']}"]) from None


def deployed_inventory_path(lab_id: str) -> Path:
    from grader.runtime.state import inventory_path

    return inventory_path(lab_id)


def live_transport(loaded: LoadedLab, inventory_file: Path | None) -> tuple[NetmikoTransport, str]:
    """The transport for ``grade --inventory FILE`` or, without a file, ``grade --live``."""
    if inventory_file is None:
        inventory_file = deployed_inventory_path(loaded.lab.id)
        if not inventory_file.exists():
            raise LabFileError([f"lab {loaded.lab.id!r} is not running here: start it with "
                                f"`labgrader up {loaded.directory}` (or give --inventory FILE)"])
    inventory = load_inventory(inventory_file)
    return NetmikoTransport(inventory), f"live:{inventory_file}"
