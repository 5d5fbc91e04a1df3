"""FRR and Linux platforms: what the recorded-output fixtures (test_template_fixtures) do not cover.

Every output below was recorded on 2026-11-28 in Docker containers built from Debian packages: FRR 8.4.4
(Debian 12) unless marked FRR 10.3 (Debian 13), through ``vtysh -c``; Linux outputs from a Debian 12
container (iproute2 6.1.0, iputils ping). Interactive vtysh pings were interrupted with Ctrl-C in a terminal.
"""

from __future__ import annotations

import re
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from grader.checks.config import find_section, parse_config
from grader.errors import ParseError, UnsupportedError
from grader.model.facts import BgpNeighbor, CommandRows, FactRequest, PingResult, RunningConfig
from grader.parsing import find_template, project_template_dir
from grader.platforms import get_platform
from grader.platforms.linux import routing as linux_platform

TEXT = Path(__file__).resolve().parent.parent / "fixtures" / "frr" / "text"
# the kinds of the routing checks these tests are about (the registry holds every kind: grader.checks.FACT_KINDS)
ALL_KINDS = ("interfaces", "routes", "ospf_neighbors", "bgp_neighbors", "ping", "running_config", "command")

# Debian 12 host h1, "ping -c 3 -W 1 4.4.4.4" (a loopback three hops away).
LINUX_PING_OK = """\
PING 4.4.4.4 (4.4.4.4) 56(84) bytes of data.
64 bytes from 4.4.4.4: icmp_seq=1 ttl=63 time=0.061 ms
64 bytes from 4.4.4.4: icmp_seq=2 ttl=63 time=0.085 ms
64 bytes from 4.4.4.4: icmp_seq=3 ttl=63 time=0.081 ms

--- 4.4.4.4 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 2042ms
rtt min/avg/max/mdev = 0.061/0.075/0.085/0.010 ms
"""
# h1, "ping -c 3 -W 1 -I 10.0.1.10 10.0.1.1" (from a source address).
LINUX_PING_SOURCE = """\
PING 10.0.1.1 (10.0.1.1) from 10.0.1.10 : 56(84) bytes of data.
64 bytes from 10.0.1.1: icmp_seq=1 ttl=64 time=0.280 ms
64 bytes from 10.0.1.1: icmp_seq=2 ttl=64 time=0.045 ms
64 bytes from 10.0.1.1: icmp_seq=3 ttl=64 time=0.065 ms

--- 10.0.1.1 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 2046ms
rtt min/avg/max/mdev = 0.045/0.130/0.280/0.106 ms
"""
# h1, "ping -c 3 -W 1 10.0.1.99": an unused address on its own LAN (no ARP answer).
LINUX_PING_LOSS = """\
PING 10.0.1.99 (10.0.1.99) 56(84) bytes of data.

--- 10.0.1.99 ping statistics ---
3 packets transmitted, 0 received, 100% packet loss, time 2048ms

"""
# h1, "ping -c 3 -W 1 192.168.102.1": a router on the path has no route.
LINUX_PING_NET_UNREACHABLE = """\
PING 192.168.102.1 (192.168.102.1) 56(84) bytes of data.
From 10.0.100.4 icmp_seq=1 Destination Net Unreachable
From 10.0.100.4 icmp_seq=2 Destination Net Unreachable
From 10.0.100.4 icmp_seq=3 Destination Net Unreachable

--- 192.168.102.1 ping statistics ---
3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2035ms

"""
# A container without a default route, "ping -c 3 -W 1 10.77.0.1" (exit status 2, nothing sent).
LINUX_PING_NO_ROUTE = "ping: connect: Network is unreachable\n"
# The same container, "ping -c 3 -W 1 nosuch.invalid".
LINUX_PING_UNKNOWN_HOST = "ping: nosuch.invalid: Temporary failure in name resolution\n"

# vtysh on r1, "ping 10.0.12.2" in a terminal, Ctrl-C after about three seconds (vtysh gives no count).
FRR_PING_INTERRUPTED_OK = """\
PING 10.0.12.2 (10.0.12.2) 56(84) bytes of data.
64 bytes from 10.0.12.2: icmp_seq=1 ttl=64 time=0.048 ms
64 bytes from 10.0.12.2: icmp_seq=2 ttl=64 time=0.062 ms
64 bytes from 10.0.12.2: icmp_seq=3 ttl=64 time=0.063 ms
^C
--- 10.0.12.2 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 2027ms
rtt min/avg/max/mdev = 0.048/0.057/0.063/0.006 ms
"""
# vtysh on r1, "ping 10.0.1.99" (no such host on the LAN), Ctrl-C after about four seconds.
FRR_PING_INTERRUPTED_FAILED = """\
PING 10.0.1.99 (10.0.1.99) 56(84) bytes of data.
From 10.0.1.1 icmp_seq=1 Destination Host Unreachable
From 10.0.1.1 icmp_seq=2 Destination Host Unreachable
From 10.0.1.1 icmp_seq=3 Destination Host Unreachable
^C
--- 10.0.1.99 ping statistics ---
4 packets transmitted, 0 received, +3 errors, 100% packet loss, time 3079ms
pipe 3
"""
# vtysh's answers to rejected commands (8.4 and 10.3 print the same), and with ospfd stopped.
FRR_REJECTIONS = {
    "show ip foo": "% Unknown command: show ip foo\n",
    "show ip": "% Command incomplete: show ip\n",
    "show b": "% Ambiguous command: show b\n",
    "show ip ospf neighbor detail": "ospfd is not running\n",
    "show ip bgp summary": "bgpd is not running\n",
    "show ipv6 ospf6 neighbor": "ospf6d is not running\n",
}


def request(kind: str, **args: object) -> FactRequest:
    return FactRequest.make("node", kind, **args)  # type: ignore[arg-type]


# --- the tables ------------------------------------------------------------------------------------------


def test_frr_connection_data() -> None:
    frr = get_platform("frr")
    assert (frr.session.ssh_device_type, frr.session.telnet_device_type) == ("cisco_ios", "cisco_ios_telnet")
    assert frr.template_platform == "frr"
    assert frr.session.paging_off == ("terminal length 0",)


def test_linux_connection_data() -> None:
    linux = get_platform("linux")
    assert (linux.session.ssh_device_type, linux.session.telnet_device_type) == ("linux", None)
    assert linux.template_platform == "linux"


def test_linux_supplies_the_facts_of_a_host() -> None:
    linux = get_platform("linux")
    assert [kind for kind in ALL_KINDS if linux.supports(kind)] == [
        "interfaces", "routes", "ping", "running_config", "command"]


def test_frr_router_ping_is_bounded_by_the_session() -> None:
    frr = get_platform("frr")
    assert all(frr.supports(kind) for kind in ALL_KINDS)
    assert frr.command_for(request("ping", target="10.0.12.2")) == "ping 10.0.12.2"
    (interrupt,) = frr.session.interrupts
    assert re.fullmatch(interrupt.command, "ping 10.0.12.2") and interrupt.enough == 3
    with pytest.raises(UnsupportedError, match="no source"):
        frr.command_for(request("ping", target="10.0.12.2", source="1.1.1.1"))


def test_frr_router_ping_to_an_ipv6_address_is_stopped_like_an_ipv4_one() -> None:
    """``ping 2001:db8:3::1``: iputils picks IPv6 from the address; replies and errors count as progress."""
    frr = get_platform("frr")
    command = frr.command_for(request("ping", target="2001:db8:3::1"))
    assert command == "ping 2001:db8:3::1"
    (interrupt,) = frr.session.interrupts
    assert re.fullmatch(interrupt.command, command)
    progress = re.compile(interrupt.progress)
    assert progress.search("64 bytes from 2001:db8:3::1: icmp_seq=1 ttl=63 time=0.029 ms")
    assert progress.search("From 2001:db8:23::3 icmp_seq=1 Destination unreachable: Address unreachable")
    assert not progress.search("PING 2001:db8:3::1(2001:db8:3::1) 56 data bytes")


def test_frr_ospfv3_neighbours_without_ospf6d_are_an_error() -> None:
    frr = get_platform("frr")
    with pytest.raises(ParseError, match="rejected the command: ospf6d is not running"):
        frr.interpret(request("ospf_neighbors", version="3"), "ospf6d is not running\n")


def test_frr_ospf_neighbours_come_from_the_detail_form_which_has_areas() -> None:
    assert get_platform("frr").command_for(request("ospf_neighbors")) == "show ip ospf neighbor detail"


@pytest.mark.parametrize("name", ["frr", "linux"])
def test_every_parsed_command_is_routed_to_our_template(name: str) -> None:
    platform = get_platform(name)
    for kind, spec in platform.facts.items():
        if spec.parsed:
            path = find_template(platform.template_platform, platform.command_for(request(kind)))
            assert path.parent == project_template_dir()
            assert path.name.startswith(f"{name}_")


@pytest.mark.parametrize(("command", "template"), [
    ("sh int", "frr_show_interface.textfsm"),
    ("show interface eth1", "frr_show_interface.textfsm"),
    ("show ip route ospf", "frr_show_ip_route.textfsm"),
    ("sh ip ro", "frr_show_ip_route.textfsm"),
    ("show ip ospf neighbor", "frr_show_ip_ospf_neighbor.textfsm"),
    ("show ip ospf neighbor detail", "frr_show_ip_ospf_neighbor_detail.textfsm"),
    ("show bgp ipv4 unicast summary", "frr_show_ip_bgp_summary.textfsm"),
    ("show ip bgp summary", "frr_show_ip_bgp_summary.textfsm"),
])
def test_frr_index_rows(command: str, template: str) -> None:
    assert find_template("frr", command).name == template


@pytest.mark.parametrize(("command", "template"), [
    ("ip addr show", "linux_ip_addr.textfsm"),
    ("ip -4 address show dev eth1", "linux_ip_addr.textfsm"),
    ("ip a", "linux_ip_addr.textfsm"),
    ("ip route", "linux_ip_route.textfsm"),
    ("ip -4 route show", "linux_ip_route.textfsm"),
])
def test_linux_index_rows(command: str, template: str) -> None:
    assert find_template("linux", command).name == template


# --- rejected commands -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "text"), FRR_REJECTIONS.items())
def test_frr_rejections_are_errors(command: str, text: str) -> None:
    frr = get_platform("frr")
    assert frr.rejected(text) == text.strip()
    with pytest.raises(ParseError, match="rejected"):
        frr.interpret(request("command", command=command), text)


def test_frr_answers_that_are_not_rejections() -> None:
    frr = get_platform("frr")
    for text in ("% BGP instance not found\n", "% No BGP neighbors found in VRF default\n",
                 "% Can't find interface eth9\n"):
        assert frr.rejected(text) is None


@pytest.mark.parametrize("text", [
    "bash: line 1: foo: command not found\n",
    "sh: 1: foo: not found\n",
    'Object "foo" is unknown, try "ip help".\n',
    'Command "shw" is unknown, try "ip address help".\n',
    'Device "eth9" does not exist.\n',
    'Error: any valid prefix is expected rather than "foo".\n',
    "ping: usage error: Destination address required\n",
])
def test_linux_rejections(text: str) -> None:
    assert get_platform("linux").rejected(text) == text.strip()


# --- ping ------------------------------------------------------------------------------------------------


def test_linux_ping_command() -> None:
    linux = get_platform("linux")
    assert linux.command_for(request("ping", target="10.0.1.1")) == "ping -c 3 -i 0.2 -W 1 10.0.1.1"
    assert linux.command_for(request("ping", target="10.0.1.1", source="10.0.1.10")) == \
        "ping -c 3 -i 0.2 -W 1 -I 10.0.1.10 10.0.1.1"


@pytest.mark.parametrize(("text", "sent", "received"), [
    (LINUX_PING_OK, 3, 3),
    (LINUX_PING_SOURCE, 3, 3),
    (LINUX_PING_LOSS, 3, 0),
    (LINUX_PING_NET_UNREACHABLE, 3, 0),
    (LINUX_PING_NO_ROUTE, 0, 0),
])
def test_linux_ping(text: str, sent: int, received: int) -> None:
    value = get_platform("linux").interpret(request("ping", target="x"), text)
    assert value == PingResult(target="x", sent=sent, received=received)


def test_linux_ping_to_an_unknown_name_is_an_error_not_a_failure() -> None:
    with pytest.raises(ParseError, match="name resolution"):
        get_platform("linux").interpret(request("ping", target="nosuch.invalid"), LINUX_PING_UNKNOWN_HOST)


@pytest.mark.parametrize(("text", "sent", "received"), [
    (FRR_PING_INTERRUPTED_OK, 3, 3),
    (FRR_PING_INTERRUPTED_FAILED, 4, 0),
])
def test_frr_interrupted_ping_reads_like_linux(text: str, sent: int, received: int) -> None:
    """vtysh runs the system ping: its output, once interrupted, is read by the Linux normaliser."""
    result = linux_platform.ping([], text, request("ping", target="t"))
    assert (result.sent, result.received, result.success) == (sent, received, received > 0)


# --- running configuration, host name, raw command -------------------------------------------------------


@pytest.mark.parametrize(("file", "hostname"), [
    ("r1_show_running-config_frr8.txt", "r1"),
    ("n1_show_running-config_frr10.txt", "n1"),
])
def test_frr_running_config(file: str, hostname: str) -> None:
    text = (TEXT / file).read_text()
    value = get_platform("frr").interpret(request("running_config"), text)
    assert value == RunningConfig(text=text, hostname=hostname, dialect="cisco_ios")


def test_frr_running_config_reads_as_a_hierarchy() -> None:
    """FRR's sections end with ``exit``; read as cisco_ios they nest by indentation."""
    text = (TEXT / "r1_show_running-config_frr8.txt").read_text()
    value = get_platform("frr").interpret(request("running_config"), text)
    tree = parse_config(value)
    eth6 = find_section(tree, ["interface eth6"])
    assert eth6 is not None
    assert {child.text for child in eth6.children} == {
        "description spare LAN", "ip address 192.168.50.1/24", "shutdown"}
    bgp = find_section(tree, ["router bgp 65001", "address-family ipv4 unicast"])
    assert bgp is not None and [c.text for c in bgp.children] == ["network 1.1.1.1/32"]


def test_linux_hostname() -> None:
    value = get_platform("linux").interpret(request("running_config"), "h1\n")
    assert value == RunningConfig(text="h1\n", hostname="h1", dialect="generic")
    assert get_platform("linux").command_for(request("running_config")) == "hostname"


@pytest.mark.parametrize("name", ["frr", "linux"])
def test_command_fact_returns_raw_text(name: str) -> None:
    platform = get_platform(name)
    req = request("command", command="show version")
    assert platform.command_for(req) == "show version"
    value = platform.interpret(req, "FRRouting 8.4.4 (r1) on Linux\n")
    assert value == CommandRows(command="show version", text="FRRouting 8.4.4 (r1) on Linux\n")


# --- cases the recordings do not reach ---------------------------------------------------------------------


def test_frr_bgp_peer_named_by_hostname_or_interface() -> None:
    """``bgp default show-hostname`` prints ``r4(10.0.14.4)``; an unnumbered peer is named by its interface.
    Rows written in the recorded layout (not recorded)."""
    rows = [
        {"neighbor": "r4(10.0.14.4)", "remote_as": "65004", "state_pfxrcd": "2"},
        {"neighbor": "eth1", "remote_as": "65002", "state_pfxrcd": "Connect"},
    ]
    from grader.platforms.frr.routing import bgp_neighbors

    assert bgp_neighbors(rows, "", request("bgp_neighbors")) == [
        BgpNeighbor(address=IPv4Address("10.0.14.4"), remote_as=65004, state="Established", prefixes_received=2)]


def test_frr_route_template_refuses_an_unknown_line() -> None:
    """A line the template does not know is an error, never a next hop dropped without a word."""
    text = "S>* 10.0.0.0/8 [1/0] via 10.0.14.4, eth4, weight 1, 00:00:01\nsomething new\n"
    with pytest.raises(ParseError):
        get_platform("frr").interpret(request("routes"), text)
