"""The inventory file: YAML that ``grader.live.load_inventory`` reads back, one node a line, each with a
comment naming the simulator's device. Nothing from the student's file reaches the YAML unquoted: values
are dumped by PyYAML, comments are made printable and single-line, and the text is validated as an
``Inventory`` before anything is written."""

from __future__ import annotations

import yaml

from grader.discovery.base import shown
from grader.discovery.match import Matching
from grader.model.inventory import Inventory


def _scalar(value: object) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=False, width=10_000).strip() \
        .removesuffix("...").strip()


def _comment(text: str) -> str:
    return shown(text, 120).replace("\ufffd", "?")


def render_inventory(matching: Matching, *, lab_id: str, source: str, username: str | None = None,
                     password_env: str | None = None) -> str:
    """The inventory text for ``matching`` (validated; raises if it would not load)."""
    defaults: dict[str, object] = {"transport": "telnet"}
    if username:
        defaults["username"] = username
    if password_env:
        defaults["password_env"] = password_env
    lines = [f"# labgrader inventory for lab {_comment(lab_id)}, made by `labgrader inventory` from",
             f"# {_comment(source)}. Consoles are telnet; the lab's platforms give the device types.",
             f"defaults: {_scalar(defaults)}", "nodes:"]
    for entry in sorted(matching.entries, key=lambda e: e.node):
        value: dict[str, object] = {"host": entry.host, "port": entry.port}
        if entry.device_type:
            value["device_type"] = entry.device_type
        lines.append(f"  {_scalar(entry.node)}: {_scalar(value)}  "
                     f"# {_comment(entry.device.name)} ({_comment(entry.device.kind)})")
    if not matching.entries:
        lines[-1] = "nodes: {}"
    text = "\n".join(lines) + "\n"
    Inventory.model_validate(yaml.safe_load(text))  # what is written always loads back
    return text
