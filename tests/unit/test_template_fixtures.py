"""One test per recorded device output: ``tests/fixtures/<platform>/<command>/<case>.raw``.

The command is the folder name with ``_`` for spaces. Beside each ``.raw`` a ``.yml`` holds:

- ``origin``: where the output was recorded (device, software version, or the public source it came from);
- ``parsed_sample``: the rows TextFSM must produce (keys lower-case), in order;
- optionally ``fact`` (a fact kind such as ``routes``), ``request_args`` (e.g. ``{target: 10.0.0.1}``) and
  ``facts``: the normalised value the platform must make of it, as plain data (see ``fact_as_data``).
"""

from __future__ import annotations

import dataclasses
import ipaddress
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.model.facts import FactRequest
from grader.parsing import parse
from grader.platforms import get_platform

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = sorted(p for p in FIXTURES.glob("*/*/*.raw") if p.parent.parent.name != "captures")


def _command(path: Path) -> str:
    return path.parent.name.replace("_", " ")


def fact_as_data(value: Any) -> Any:
    """Facts as plain YAML-comparable data: dataclasses → dicts, addresses → strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: fact_as_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [fact_as_data(v) for v in value]
    if isinstance(value, dict):
        return {k: fact_as_data(v) for k, v in value.items()}
    if isinstance(value, ipaddress._BaseAddress | ipaddress._BaseNetwork | ipaddress.IPv4Interface):
        return str(value)
    return value


@pytest.mark.parametrize("raw_path", CASES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(raw_path: Path) -> None:
    expected = yaml.safe_load(raw_path.with_suffix(".yml").read_text())
    assert expected.get("origin"), "every fixture names its origin"
    platform = get_platform(raw_path.parent.parent.name)
    command = _command(raw_path)
    text = raw_path.read_text()
    rows = parse(platform.template_platform, command, text)
    assert rows == expected["parsed_sample"]
    if "facts" in expected:
        request = FactRequest.make("node", expected["fact"], **expected.get("request_args", {}))
        assert platform.command_for(request) == command
        value = platform.interpret(request, text)
        assert fact_as_data(value) == expected["facts"]
