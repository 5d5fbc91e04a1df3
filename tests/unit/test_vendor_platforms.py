"""Cisco IOS and Huawei VRP platforms: what the recorded-output fixtures do not cover.

Outputs below are excerpts of public sample output, each naming where it came from, or (marked so) written
in the device's format where no public capture was at hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.errors import ParseError
from grader.model.facts import CommandRows, FactRequest, PingResult, RunningConfig
from grader.parsing import find_template, ntc_template_dir, parse_with_template, project_template_dir
from grader.platforms import get_platform
from grader.platforms.vendor_common import parse_asn

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# the kinds of the routing checks these tests are about (the registry holds every kind: grader.checks.FACT_KINDS)
ALL_KINDS = ("interfaces", "routes", "ospf_neighbors", "bgp_neighbors", "ping", "running_config", "command")
VENDOR_PLATFORMS = ("cisco_ios", "huawei_vrp", "huawei_vrpv8")

# CiscoTestAutomation/genieparser: src/genie/libs/parser/iosxe/tests/Ping/cli/equal/golden_output1_output.txt
CISCO_PING_OK = """\
Type escape sequence to abort.
Sending 10, 100-byte ICMP Echos to 10.229.1.1, timeout is 2 seconds:
Packet sent with a source address of 10.229.1.2
!!!!!!!!!!
Success rate is 100 percent (10/10), round-trip min/avg/max = 1/1/1 ms
"""
# CiscoTestAutomation/genieparser: src/genie/libs/parser/iosxe/tests/Ping/cli/equal/golden_output4_output.txt
CISCO_PING_PARTIAL = """\
Type escape sequence to abort.
Sending 5, 1379-byte ICMP Echos to 6800::6, timeout is 1 seconds:
Packet sent with a source address of 1700::1%vpn-101
B!!!!
Success rate is 80 percent (4/5), round-trip min/avg/max = 1/1/1 ms
"""
# Written in IOS's format: no round-trip times when nothing came back.
CISCO_PING_FAILED = """\
Type escape sequence to abort.
Sending 5, 100-byte ICMP Echos to 10.9.9.9, timeout is 2 seconds:
.....
Success rate is 0 percent (0/5)
"""
# WheaterW/INTA-project: nassim-main/corpus/hw/hw_CE6800_V300R023C00/config_corpus/Configuration/
# Configuration_Guide/High_Availability_Configuration/BFD_Configuration/Configuring_BFD_for_Link-Bundle/
# Example_for_Configuring_a_BFD_for_Link-Bundle_Session_to_Monitor_Layer_3_Eth-Trunk_Member_Links.md
HUAWEI_PING_OK = """\
  PING 10.1.1.1: 56  data bytes, press CTRL_C to break
    Reply from 10.1.1.1: bytes=56 Sequence=1 ttl=255 time=10 ms
    Reply from 10.1.1.1: bytes=56 Sequence=2 ttl=255 time=2 ms
    Reply from 10.1.1.1: bytes=56 Sequence=3 ttl=255 time=2 ms
    Reply from 10.1.1.1: bytes=56 Sequence=4 ttl=255 time=1 ms
    Reply from 10.1.1.1: bytes=56 Sequence=5 ttl=255 time=2 ms
  --- 10.1.1.1 ping statistics ---
    5 packet(s) transmitted
    5 packet(s) received
    0.00% packet loss
    round-trip min/avg/max = 1/3/10 ms
"""
# The same repository and guide, the output of "ping -a 10.1.1.2" on DeviceB with the link down.
HUAWEI_PING_FAILED = """\
PING 10.1.1.2: 56  data bytes, press CTRL_C to break
    Request time out
    Request time out
    Request time out
    Request time out
    Request time out

  --- 10.1.1.2 ping statistics ---
    5 packet(s) transmitted
    0 packet(s) received
    100.00% packet loss
"""
# ChippeyTheo/Reseaux_B2: TP6/routeur1_ospf.md (first lines of "sh running-config" on R1)
CISCO_CONFIG = """\
Building configuration...
Current configuration : 1302 bytes
!
version 12.4
service timestamps debug datetime msec
service timestamps log datetime msec
no service password-encryption
!
hostname R1
!
boot-start-marker
boot-end-marker
"""
# Written in the format of VRP's display current-configuration: "#"-separated sections, sysname indented.
HUAWEI_CONFIG = """\
!Software Version V200R003C00SPC200
#
 sysname AR1-Branch
#
 snmp-agent local-engineid 800007DB03000000000000
#
interface GigabitEthernet0/0/0
 ip address 10.0.12.1 255.255.255.0
#
return
"""


def _interpret(platform: str, kind: str, text: str, **args: object) -> object:
    value = get_platform(platform).interpret(FactRequest.make("r1", kind, **args), text)
    return value


# --- the platform tables -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", VENDOR_PLATFORMS)
def test_platform_supplies_every_fact(name: str) -> None:
    platform = get_platform(name)
    assert platform.name == name
    assert all(platform.supports(kind) for kind in ALL_KINDS)


@pytest.mark.parametrize(("name", "ssh", "telnet", "setup"), [
    ("cisco_ios", "cisco_ios", "cisco_ios_telnet", ("terminal length 0",)),
    ("huawei_vrp", "huawei", "huawei_telnet", ("screen-length 0 temporary",)),
    ("huawei_vrpv8", "huawei_vrpv8", "huawei_telnet", ("screen-length 0 temporary",)),
])
def test_connection_data(name: str, ssh: str, telnet: str, setup: tuple[str, ...]) -> None:
    platform = get_platform(name)
    assert (platform.session.ssh_device_type, platform.session.telnet_device_type) == (ssh, telnet)
    assert platform.session.paging_off == setup


def test_vrpv8_reuses_the_vrp_table() -> None:
    vrp, vrp8 = get_platform("huawei_vrp"), get_platform("huawei_vrpv8")
    assert vrp8.template_platform == vrp.template_platform == "huawei_vrp"
    assert vrp8.facts == vrp.facts
    assert vrp8.session.error_markers == vrp.session.error_markers


@pytest.mark.parametrize("name", VENDOR_PLATFORMS)
def test_command_fact_returns_raw_text(name: str) -> None:
    value = _interpret(name, "command", "some output\n", command="display clock")
    assert value == CommandRows(command="display clock", text="some output\n")
    assert get_platform(name).command_for(FactRequest.make("r1", "command", command="display clock")) == "display clock"


# --- templates and routing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", VENDOR_PLATFORMS)
def test_every_parsed_command_has_a_compiling_template(name: str) -> None:
    platform = get_platform(name)
    for kind, spec in platform.facts.items():
        if spec.parsed:
            path = find_template(platform.template_platform, platform.command_for(FactRequest.make("r1", kind)))
            assert parse_with_template(path, "") == []


@pytest.mark.parametrize(("command", "template"), [
    ("display ip routing-table", "huawei_vrp_display_ip_routing-table.textfsm"),
    ("dis ip routing-table", "huawei_vrp_display_ip_routing-table.textfsm"),
    ("display ip routing-table protocol ospf", "huawei_vrp_display_ip_routing-table.textfsm"),
    ("display ip interface brief", "huawei_vrp_display_ip_interface_brief.textfsm"),
    ("dis ip int brief", "huawei_vrp_display_ip_interface_brief.textfsm"),
    ("display ospf peer", "huawei_vrp_display_ospf_peer.textfsm"),
    ("display ospf 1 peer", "huawei_vrp_display_ospf_peer.textfsm"),
    ("display bgp peer", "huawei_vrp_display_bgp_peer.textfsm"),
])
def test_huawei_commands_are_routed_to_our_templates_not_huawei_vrp_dir(command: str, template: str) -> None:
    """ntc-templates' prefix index sends these to huawei_vrp_dir (or to a template that fails on real output)."""
    path = find_template("huawei_vrp", command)
    assert path == project_template_dir() / template
    assert path.name != "huawei_vrp_dir.textfsm"


@pytest.mark.parametrize(("command", "template"), [
    ("show ip interface", "cisco_ios_show_ip_interface.textfsm"),
    ("show ip route", "cisco_ios_show_ip_route.textfsm"),
    ("sh ip ro", "cisco_ios_show_ip_route.textfsm"),
    ("show ip ospf neighbor", "cisco_ios_show_ip_ospf_neighbor.textfsm"),
    ("show ip bgp summary", "cisco_ios_show_ip_bgp_summary.textfsm"),
])
def test_cisco_commands_use_our_templates(command: str, template: str) -> None:
    """Our templates shadow ntc-templates' files of the same name (our folder is searched first)."""
    assert find_template("cisco_ios", command) == project_template_dir() / template
    assert (ntc_template_dir() / template).exists()


def test_ntc_route_template_drops_a_next_hop_where_ours_keeps_it() -> None:
    """Why show ip route has our own template: ntc's ignores a further "is directly connected, X" line."""
    text = (FIXTURES / "cisco_ios/show_ip_route/static_two_interfaces_iosv.raw").read_text()

    def hops(path: Path) -> list[str]:
        return [row["nexthop_if"] for row in parse_with_template(path, text) if row["network"] == "10.36.3.3"]

    assert hops(ntc_template_dir() / "cisco_ios_show_ip_route.textfsm") == ["GigabitEthernet0/3"]
    assert hops(find_template("cisco_ios", "show ip route")) == ["GigabitEthernet0/3", "GigabitEthernet0/2"]


def test_ntc_bgp_peer_template_fails_where_ours_parses() -> None:
    """Why display bgp peer has our own template: ntc's needs the first line indented; netmiko output may not be."""
    text = (FIXTURES / "huawei_vrp/display_bgp_peer/switch_unindented_header.raw").read_text()
    with pytest.raises(ParseError):
        parse_with_template(ntc_template_dir() / "huawei_vrp_display_bgp_peer.textfsm", text)
    assert len(parse_with_template(find_template("huawei_vrp", "display bgp peer"), text)) == 5


# --- ping --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "text", "sent", "received"), [
    ("cisco_ios", CISCO_PING_OK, 10, 10),
    ("cisco_ios", CISCO_PING_PARTIAL, 5, 4),
    ("cisco_ios", CISCO_PING_FAILED, 5, 0),
    ("huawei_vrp", HUAWEI_PING_OK, 5, 5),
    ("huawei_vrp", HUAWEI_PING_FAILED, 5, 0),
    ("huawei_vrpv8", HUAWEI_PING_OK, 5, 5),
])
def test_ping_counts(platform: str, text: str, sent: int, received: int) -> None:
    value = _interpret(platform, "ping", text, target="10.1.1.1")
    assert value == PingResult(target="10.1.1.1", sent=sent, received=received)
    assert value.success is (received > 0)


@pytest.mark.parametrize("platform", VENDOR_PLATFORMS)
def test_ping_without_summary_is_a_parse_error(platform: str) -> None:
    with pytest.raises(ParseError, match="ping"):
        _interpret(platform, "ping", "Type escape sequence to abort.\n", target="10.1.1.1")


@pytest.mark.parametrize(("platform", "args", "command"), [
    ("cisco_ios", {"target": "10.0.0.2"}, "ping 10.0.0.2"),
    ("cisco_ios", {"target": "10.0.0.2", "source": "Loopback0"}, "ping 10.0.0.2 source Loopback0"),
    ("huawei_vrp", {"target": "10.0.0.2"}, "ping 10.0.0.2"),
    ("huawei_vrp", {"target": "10.0.0.2", "source": "1.1.1.1"}, "ping -a 1.1.1.1 10.0.0.2"),
    ("huawei_vrpv8", {"target": "10.0.0.2", "source": "1.1.1.1"}, "ping -a 1.1.1.1 10.0.0.2"),
])
def test_ping_command(platform: str, args: dict[str, str], command: str) -> None:
    assert get_platform(platform).command_for(FactRequest.make("r1", "ping", **args)) == command


# --- running configuration ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "text", "hostname"), [
    ("cisco_ios", CISCO_CONFIG, "R1"),
    ("huawei_vrp", HUAWEI_CONFIG, "AR1-Branch"),
    ("huawei_vrpv8", HUAWEI_CONFIG, "AR1-Branch"),
    ("cisco_ios", "!\nversion 15.2\n!\nend\n", None),
    ("huawei_vrp", "#\nreturn\n", None),
])
def test_hostname_from_running_config(platform: str, text: str, hostname: str | None) -> None:
    dialect = "cisco_ios" if platform == "cisco_ios" else "huawei_vrp"
    assert _interpret(platform, "running_config", text) == RunningConfig(text=text, hostname=hostname,
                                                                         dialect=dialect)


def test_running_config_commands() -> None:
    request = FactRequest.make("r1", "running_config")
    assert get_platform("cisco_ios").command_for(request) == "show running-config"
    assert get_platform("huawei_vrp").command_for(request) == "display current-configuration"


# --- rejected commands -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "text", "line"), [
    ("cisco_ios", "show ip bgp summry\n                ^\n% Invalid input detected at '^' marker.\n",
     "% Invalid input detected at '^' marker."),
    ("cisco_ios", "% Incomplete command.\n", "% Incomplete command."),
    ("cisco_ios", "% Ambiguous command:  \"show ip o\"\n", "% Ambiguous command:  \"show ip o\""),
    ("cisco_ios", "% Unknown command or computer name, or unable to find computer address\n",
     "% Unknown command or computer name, or unable to find computer address"),
    ("huawei_vrp", "                  ^\nError: Unrecognized command found at '^' position.\n",
     "Error: Unrecognized command found at '^' position."),
    ("huawei_vrpv8", "             ^\nError: Incomplete command found at '^' position.\n",
     "Error: Incomplete command found at '^' position."),
])
def test_rejected_command_is_detected(platform: str, text: str, line: str) -> None:
    assert get_platform(platform).rejected(text) == line
    with pytest.raises(ParseError, match="rejected"):
        _interpret(platform, "routes", text)


@pytest.mark.parametrize(("platform", "fixture"), [
    ("huawei_vrp", "huawei_vrp/display_ip_interface_brief/switch_meth.raw"),  # legend line "^down: standby"
    ("huawei_vrp", "huawei_vrp/display_ip_routing-table/vrp8_ospf_ecmp.raw"),
    ("cisco_ios", "cisco_ios/show_ip_route/connected_and_local.raw"),
    ("cisco_ios", "cisco_ios/show_ip_bgp_summary/idle_admin.raw"),
])
def test_normal_output_is_not_rejected(platform: str, fixture: str) -> None:
    assert get_platform(platform).rejected((FIXTURES / fixture).read_text()) is None


# --- helpers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "asn"), [("65000", 65000), ("65000.1000", 4259841000), ("1.0", 65536),
                                           ("", None), ("AS65000", None)])
def test_parse_asn(text: str, asn: int | None) -> None:
    assert parse_asn(text) == asn


def test_huawei_running_config_is_read_as_vrp_hierarchy() -> None:
    from grader.checks import CHECK_TYPES
    from grader.model.facts import FactRequest, FactValue

    text = "#\nsysname R1\n#\nospf 1 router-id 1.1.1.1\n area 0.0.0.0\n  network 10.0.12.0 0.0.0.255\n#\nreturn\n"
    request = FactRequest.make("r1", "running_config")
    value = get_platform("huawei_vrp").interpret(request, text)
    check = CHECK_TYPES["config"]
    params = check.Params.model_validate({"node": "r1", "section": ["ospf 1", "area 0.0.0.0"],
                                          "contains": r"network 10\.0\.12\.0 0\.0\.0\.255"})
    result = check.evaluate(params, {request: FactValue(request=request, command="x", value=value)})
    assert result.outcome.value == "pass", result.message
