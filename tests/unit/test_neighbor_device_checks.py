"""``isis_neighbor``, ``lldp_neighbor`` and ``version``: judgements on facts, parameters, commands."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from grader.checks import CHECK_TYPES
from grader.checks.cabling import LldpNeighbor
from grader.checks.device import DeviceVersion
from grader.checks.isis import IsisNeighbor
from grader.errors import UnsupportedError
from grader.model.facts import FactRequest, FactValue
from grader.model.report import Outcome
from grader.platforms import get_platform


def run(check_type: str, value: Any, **params: Any) -> tuple[Outcome, str]:
    check = CHECK_TYPES[check_type]
    parsed = check.Params.model_validate({"node": "r1", **params})
    facts = {r: FactValue(request=r, command="x", value=value) for r in check.requests(parsed)}
    result = check.evaluate(parsed, facts)
    return result.outcome, result.message


ISIS = [
    IsisNeighbor("R2", "GigabitEthernet0/0/1", "L1", "Up", "1"),
    IsisNeighbor("R2", "GigabitEthernet0/0/1", "L2", "Up", "1"),
    IsisNeighbor("R3", "GigabitEthernet0/0/2", "L12", "Up", "1"),
    IsisNeighbor("0000.0000.0004", "GigabitEthernet0/0/3", "L2", "Init", "1"),
    IsisNeighbor("spine2-ott-lisp", "GigabitEthernet0/0/4", "L2", "Up", "1"),
]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"neighbor": "r2", "level": "L12"}, Outcome.PASS, "IS-IS neighbour r2 is Up at level L12"),
    ({"neighbor": "R3", "level": "level-1-2", "interface": "GE0/0/2"}, Outcome.PASS, "at level L12"),
    ({"neighbor": "R2", "level": "L2"}, Outcome.FAIL, "is at level L12, expected L2"),
    ({"neighbor": "R2", "interface": "GE0/0/9"}, Outcome.FAIL, "is seen on GigabitEthernet0/0/1, expected on GE0/0/9"),
    ({"neighbor": "0000.0000.0004"}, Outcome.FAIL, "is Init, expected Up"),
    ({"neighbor": "000000000004", "state": "init"}, Outcome.PASS, "is Init"),
    ({"neighbor": "spine2-ott-lisp-c9k-127", "level": 2}, Outcome.PASS, "at level L2"),
    ({"neighbor": "R9"}, Outcome.FAIL, "not found (neighbours: R2 (Up), R2 (Up), R3 (Up)"),
])
def test_isis_neighbor(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("isis_neighbor", ISIS, **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


LLDP = [
    LldpNeighbor("GigabitEthernet0/0/1", "R2", "GigabitEthernet0/0/2"),
    LldpNeighbor("GigabitEthernet0/2", "long_name_swt.josh-v", "Gi0/0"),
    LldpNeighbor("GigabitEthernet1/0/10", "R1-PBX.lab.local", "Fas 0/0"),
]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"interface": "GE0/0/1", "device": "r2", "port": "GE0/0/2"}, Outcome.PASS,
     "GE0/0/1 is connected to R2 port GigabitEthernet0/0/2"),
    ({"interface": "Gi0/2", "device": "long_name_swt.josh-vm", "port": "GigabitEthernet0/0"}, Outcome.PASS, "to"),
    ({"interface": "Gi1/0/10", "device": "R1-PBX", "port": "FastEthernet0/0"}, Outcome.PASS, "R1-PBX.lab.local"),
    ({"interface": "GE0/0/1", "device": "R3"}, Outcome.FAIL,
     "is connected to R2 port GigabitEthernet0/0/2, expected R3"),
    ({"interface": "GE0/0/1", "device": "R2", "port": "GE0/0/3"}, Outcome.FAIL, "expected R2 port GE0/0/3"),
    ({"interface": "GE0/0/9", "device": "R2"}, Outcome.FAIL, "GE0/0/9 has no LLDP neighbour"),
])
def test_lldp_neighbor(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("lldp_neighbor", LLDP, **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


def test_lldp_protocol_picks_the_command() -> None:
    ios = get_platform("cisco_ios")
    assert ios.command_for(FactRequest.make("r1", "lldp_neighbors")) == "show lldp neighbors"
    assert ios.command_for(FactRequest.make("r1", "lldp_neighbors", protocol="cdp")) == "show cdp neighbors"
    with pytest.raises(UnsupportedError, match="CDP"):
        get_platform("huawei_vrp").command_for(FactRequest.make("r1", "lldp_neighbors", protocol="cdp"))


VRP = DeviceVersion("VRP 5.170 (AR610 V300R019C13SPC200)", "AR617VW-LTE4EA Router")


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"software": "V300R019", "model": "^AR6"}, Outcome.PASS, "AR617VW-LTE4EA Router running VRP 5.170"),
    ({"software": "vrp 5\\.1"}, Outcome.PASS, "running"),
    ({"software": "V200R010"}, Outcome.FAIL, "runs VRP 5.170 (AR610 V300R019C13SPC200), expected software "
     "matching 'V200R010'"),
    ({"model": "AR2220"}, Outcome.FAIL, "is a AR617VW-LTE4EA Router, expected a model matching 'AR2220'"),
])
def test_version(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("version", VRP, **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


@pytest.mark.parametrize(("check_type", "params"), [
    ("version", {}),
    ("version", {"software": "15.(2"}),
    ("isis_neighbor", {"neighbor": "R2", "level": "L3"}),
    ("isis_neighbor", {"neighbor": "R2", "state": "Full"}),
    ("isis_neighbor", {"neighbor": ""}),
    ("lldp_neighbor", {"interface": "Gi0/1", "protocol": "ndp"}),
    ("lldp_neighbor", {"interface": ""}),
])
def test_bad_parameters_are_refused(check_type: str, params: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CHECK_TYPES[check_type].Params.model_validate({"node": "r1", **params})


def test_iosxe_version_matches_either_spelling() -> None:
    from pathlib import Path

    from grader.parsing import parse
    from grader.platforms.cisco_ios.device import version

    raw = Path(__file__).resolve().parent.parent / "fixtures/cisco_ios/show_version/catalyst9500_iosxe16.raw"
    seen = version(parse("cisco_ios", "show version", raw.read_text()), raw.read_text(),
                   FactRequest.make("n", "version"))
    assert run("version", seen, software="16\\.9\\.3")[0] is Outcome.PASS
    assert run("version", seen, software="16\\.09")[0] is Outcome.PASS
