"""The inventory of a deployed lab: every node at its published SSH port (on 127.0.0.1 unless told otherwise).

In memory the password is kept as given to ``deploy``. Written to a file, the password is by default
*not* written: the file says ``password_env: LABGRADER_PASSWORD`` and the grader reads the variable when
it connects; ``literal_password=True`` writes it (as the lab's throw-away password it is no real secret).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr

from grader.errors import DeployError
from grader.model.inventory import PASSWORD_ENV, Connection, Inventory

HOST = "127.0.0.1"


def inventory_data(ports: dict[str, int], username: str, password: SecretStr | None,
                   literal_password: bool, host: str = HOST) -> dict[str, Any]:
    """The inventory as plain data (what the YAML file holds)."""
    defaults: dict[str, Any] = {"transport": "ssh", "username": username}
    if literal_password:
        if password is None:
            raise DeployError("the lab's password is not known here (it is never stored); "
                              f"set {PASSWORD_ENV} and write the inventory without the password")
        defaults["password"] = password.get_secret_value()
    else:
        defaults["password_env"] = PASSWORD_ENV
    return {"defaults": defaults, "nodes": {name: {"host": host, "port": port} for name, port in ports.items()}}


def make_inventory(ports: dict[str, int], username: str, password: SecretStr | None,
                   host: str = HOST) -> Inventory:
    """An ``Inventory`` holding the password when known, else naming ``LABGRADER_PASSWORD``."""
    defaults = Connection(transport="ssh", username=username, password=password,
                          password_env=None if password is not None else PASSWORD_ENV)
    return Inventory(defaults=defaults,
                     nodes={name: Connection(host=host, port=port) for name, port in ports.items()})


def write_inventory_file(path: str | Path, lab_id: str, data: dict[str, Any]) -> Path:
    target = Path(path)
    header = f"# labgrader inventory of deployed lab {lab_id}\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(header + yaml.safe_dump(data, sort_keys=False))
    return target
