"""local_user, ssh_server, telnet_server, vty: checks on facts, parameters, and the VRP and IOS readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from grader.checks import CHECK_TYPES
from grader.checks.management import LocalUser, ServerStatus, VtyLine, VtyTransport
from grader.model.facts import FactRequest, FactValue
from grader.model.report import Outcome
from grader.platforms import get_platform

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def run(check_type: str, values: dict[str, Any], **params: Any) -> tuple[Outcome, str]:
    check = CHECK_TYPES[check_type]
    parsed = check.Params.model_validate({"node": "r1", **params})
    facts = {r: FactValue(request=r, command=f"show {r.kind}", value=values[r.kind]) for r in check.requests(parsed)}
    result = check.evaluate(parsed, facts)
    return result.outcome, result.message


def interpret(platform: str, kind: str, text: str) -> Any:
    return get_platform(platform).interpret(FactRequest.make("r1", kind), text)


VRP_USERS = interpret("huawei_vrp", "local_users",
                      (FIXTURES / "huawei_vrp/display_local-user/ar_ensp_authmask_letters.raw").read_text())
USERS = [LocalUser("admin", 15, ("ssh", "telnet", "terminal"), active=True), LocalUser("guest", 1, ("all",)),
         LocalUser("locked", 3, ("ssh",), active=False)]


@pytest.mark.parametrize(("users", "params", "outcome", "fragment"), [
    (USERS, {"name": "admin", "privilege": 15, "services": ["ssh", "terminal"]}, Outcome.PASS, "is as expected"),
    (USERS, {"name": "admin", "services": ["ftp", "ssh", "http"]}, Outcome.FAIL,
     "has services ssh, telnet, terminal, expected ftp, http"),
    (USERS, {"name": "guest", "services": ["ftp"]}, Outcome.PASS, "as expected"),  # service type "all"
    (USERS, {"name": "locked"}, Outcome.FAIL, "is blocked"),
    (USERS, {"name": "Admin"}, Outcome.FAIL, "local user Admin does not exist (users: admin, guest, locked)"),
    (USERS, {"name": "guest", "absent": True}, Outcome.FAIL, "exists, expected absent"),
    (USERS, {"name": "nobody", "absent": True}, Outcome.PASS, "does not exist"),
    (VRP_USERS, {"name": "hcia-admin@datacom", "services": ["telnet"]}, Outcome.PASS, "as expected"),
    (VRP_USERS, {"name": "admin", "privilege": 15}, Outcome.FAIL, "has privilege level not set, expected 15"),
    ([LocalUser("cisco", 15)], {"name": "cisco", "services": ["ssh"]}, Outcome.ERROR, "no per-user service types"),
])
def test_local_user(users: list[LocalUser], params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("local_user", {"local_users": users}, **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


@pytest.mark.parametrize("params", [{"name": "two words"}, {"name": "x", "privilege": 16},
                                    {"name": "x", "services": ["gopher"]}])
def test_local_user_refuses_bad_parameters(params: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CHECK_TYPES["local_user"].Params.model_validate({"node": "r1", **params})


def test_vrp_service_letters() -> None:
    text = (FIXTURES / "huawei_vrp/display_local-user_state_active/ne40e_indented.raw").read_text()
    users = get_platform("huawei_vrp").interpret(FactRequest.make("r1", "local_users"), text)
    assert [(u.name, u.services, u.privilege) for u in users] == [
        ("netconf", ("ssh",), 3), ("root123", ("ftp", "telnet", "terminal", "ssh", "netconf"), 3)]


IOS_CONFIG = """\
!
hostname R1
!
aaa new-model
!
username admin privilege 15 secret 9 $9$abc
username viewer password 7 0822455D0A16
!
line con 0
 logging synchronous
line vty 0 4
 login authentication default
 transport input ssh
 privilege level 15
line vty 5 15
 no login
!
end
"""


def test_ios_users_and_lines_from_the_configuration() -> None:
    assert interpret("cisco_ios", "local_users", IOS_CONFIG) == [LocalUser("admin", 15), LocalUser("viewer", 1)]
    lines = interpret("cisco_ios", "vty_lines", IOS_CONFIG)
    assert lines[0] == VtyLine(0, "aaa", 15) and lines[5] == VtyLine(5, "none", 1) and len(lines) == 16
    transport = interpret("cisco_ios", "vty_transport", IOS_CONFIG)
    assert transport[4] == VtyTransport(4, ("ssh",)) and transport[5] == VtyTransport(5, None)
    plain = IOS_CONFIG.replace("aaa new-model\n", "").replace(" login authentication default\n", " login local\n")
    assert interpret("cisco_ios", "vty_lines", plain)[0].authentication == "aaa"
    password = plain.replace(" login local\n", " password 7 0822455D0A16\n login\n")
    assert interpret("cisco_ios", "vty_lines", password)[0].authentication == "password"


VRP_CONFIG = """\
#
user-interface con 0
 authentication-mode password
user-interface vty 0 4
 authentication-mode aaa
 user privilege level 15
 protocol inbound ssh
user-interface vty 16 20
#
return
"""


def test_vrp_lines_from_display_user_interface_and_protocols_from_the_configuration() -> None:
    text = (FIXTURES / "huawei_vrp/display_user-interface/ne40e_con_vty_legend.raw").read_text()
    lines = interpret("huawei_vrp", "vty_lines", text)
    assert [line.number for line in lines] == list(range(21)) and lines[0] == VtyLine(0, "none", 3)
    transport = interpret("huawei_vrp", "vty_transport", VRP_CONFIG)
    assert [t.protocols for t in transport] == [("ssh",)] * 5 + [None] * 5
    assert interpret("huawei_vrp", "vty_transport", VRP_CONFIG.replace("inbound ssh", "inbound all"))[0].protocols == \
        ("ssh", "telnet")


LINES = [VtyLine(n, "aaa", 15) for n in range(5)] + [VtyLine(n, "password", 1) for n in range(5, 16)]
TRANSPORT = [VtyTransport(n, ("ssh",)) for n in range(5)] + [VtyTransport(n, None) for n in range(5, 16)]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"authentication": "aaa", "privilege": 15, "transport": ["ssh"]}, Outcome.PASS, "VTY 0-4 are as expected"),
    ({"transport": ["ssh", "telnet"]}, Outcome.FAIL, "VTY 0 accepts ssh, expected ssh telnet"),
    ({"first": 0, "last": 15, "authentication": "aaa"}, Outcome.FAIL,
     "VTY 5 has authentication password, expected aaa"),
    ({"first": 5, "last": 6, "transport": ["ssh"]}, Outcome.FAIL, "VTY 5 accepts the device's default protocols"),
    ({"first": 0, "last": 20}, Outcome.FAIL, "line VTY 16 does not exist"),
])
def test_vty(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("vty", {"vty_lines": LINES, "vty_transport": TRANSPORT}, **params)
    assert got is outcome and fragment in message, message


def test_vty_refuses_bad_parameters() -> None:
    with pytest.raises(ValidationError, match="after the last"):
        CHECK_TYPES["vty"].Params.model_validate({"node": "r1", "first": 5, "last": 4})
    with pytest.raises(ValidationError):
        CHECK_TYPES["vty"].Params.model_validate({"node": "r1", "authentication": "radius"})
    check = CHECK_TYPES["vty"]
    assert [r.kind for r in check.requests(check.Params.model_validate({"node": "r1"}))] == ["vty_lines"]


@pytest.mark.parametrize(("check", "status", "params", "outcome", "fragment"), [
    ("ssh_server", ServerStatus(True, "2.0"), {}, Outcome.PASS, "SSH server is enabled (version 2.0)"),
    ("ssh_server", ServerStatus(False, "1.99"), {}, Outcome.FAIL, "SSH server is disabled, expected enabled"),
    ("telnet_server", ServerStatus(True), {"enabled": False}, Outcome.FAIL, "Telnet server is enabled, expected"),
    ("telnet_server", ServerStatus(False), {"enabled": False}, Outcome.PASS, "Telnet server is disabled"),
])
def test_servers(check: str, status: ServerStatus, params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run(check, {check: status}, **params)
    assert got is outcome and fragment in message, message


def test_ios_has_no_telnet_server_switch() -> None:
    with pytest.raises(Exception, match="transport input"):
        get_platform("cisco_ios").command_for(FactRequest.make("r1", "telnet_server"))
