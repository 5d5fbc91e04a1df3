"""IPv6 and VRFs: ``interface`` (ipv6, vrf), ``route`` (vrf), ``ospf_neighbor`` (version, process, vrf) and
``bgp_neighbor`` (IPv6 peers, vrf) -- the requests they make, the commands each platform sends for them, and the
judgements."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv6Address
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from grader.checks import CHECK_TYPES
from grader.checks.interfaces import InterfaceIpv6, Ipv6Address, Vrf
from grader.errors import UnsupportedError
from grader.model.facts import BgpNeighbor, FactRequest, FactValue, Interface, OspfNeighbor
from grader.model.report import Outcome
from grader.parsing import parse
from grader.platforms import get_platform

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def run(check_type: str, by_kind: dict[str, Any], **params: Any) -> tuple[Outcome, str]:
    """Each requested fact from ``by_kind`` (fact kind → value)."""
    check = CHECK_TYPES[check_type]
    parsed = check.Params.model_validate({"node": "r1", **params})
    facts = {r: FactValue(request=r, command="x", value=by_kind[r.kind]) for r in check.requests(parsed)}
    result = check.evaluate(parsed, facts)
    return result.outcome, result.message


INTERFACES = [Interface("GigabitEthernet0/0/1", True, True, (IPv4Interface("10.0.12.1/24"),)),
              Interface("GigabitEthernet0/0/2", True, True)]
IPV6 = [InterfaceIpv6("GigabitEthernet0/0/1", True, True, (Ipv6Address(IPv6Address("fe80::1")),
                                                          Ipv6Address(IPv6Address("2001:db8:12::1"), 64))),
        InterfaceIpv6("GigabitEthernet0/0/2", True, True, (Ipv6Address(IPv6Address("2001:db8:13::1")),))]
VRFS = [Vrf("vpna", "100:1", ("GigabitEthernet0/0/2",))]
FACTS = {"interfaces": INTERFACES, "ipv6_interfaces": IPV6, "vrfs": VRFS}


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"interface": "GE0/0/1", "ipv6": "2001:db8:12::1/64"}, Outcome.PASS, "as expected"),
    ({"interface": "GE0/0/1", "ipv6": ["FE80::1/64", "2001:DB8:12::1"], "ipv4": "10.0.12.1/24"}, Outcome.PASS,
     "as expected"),
    ({"interface": "GE0/0/1", "ipv6": "2001:db8:12::1/48"}, Outcome.FAIL,
     "interface GE0/0/1 has fe80::1, 2001:db8:12::1/64, expected 2001:db8:12::1/48"),
    ({"interface": "GE0/0/2", "ipv6": "2001:db8:13::1/64", "vrf": "vpna"}, Outcome.PASS, "as expected"),
    ({"interface": "GE0/0/1", "vrf": "vpna"}, Outcome.FAIL, "is in the global table, expected VRF vpna"),
    ({"interface": "GE0/0/2", "vrf": "vpnb"}, Outcome.FAIL, "is in VRF vpna, expected VRF vpnb"),
    ({"interface": "GE0/0/2", "admin": "down", "vrf": "vpnb"}, Outcome.FAIL,
     "administratively up, expected down; is in VRF vpna"),
    ({"interface": "GE0/0/9", "ipv6": "2001:db8::9"}, Outcome.FAIL, "not found"),
])
def test_interface_ipv6_and_vrf(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("interface", FACTS, **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


def test_ipv4_only_interface_check_asks_nothing_new() -> None:
    check = CHECK_TYPES["interface"]
    params = check.Params.model_validate({"node": "r1", "interface": "GE0/0/1", "ipv4": "10.0.12.1/24"})
    assert check.requests(params) == [FactRequest.make("r1", "interfaces")]


@pytest.mark.parametrize("value", ["2001:db8::1/129", "10.0.0.1/24", "fe80::zz"])
def test_bad_ipv6_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="IPv6"):
        CHECK_TYPES["interface"].Params.model_validate({"node": "r1", "interface": "Gi0/1", "ipv6": value})


@pytest.mark.parametrize("vrf", ["a b", "x;reload", ""])
def test_vrf_names_are_plain_names(vrf: str) -> None:
    for check_type, params in (("route", {"prefix": "10.0.0.0/8"}), ("bgp_neighbor", {"peer": "10.0.0.1"}),
                               ("ospf_neighbor", {"neighbor": "1.1.1.1"}), ("interface", {"interface": "Gi0/1"})):
        with pytest.raises(ValidationError):
            CHECK_TYPES[check_type].Params.model_validate({"node": "r1", "vrf": vrf, **params})


ROUTE_COMMANDS = [
    ("huawei_vrp", {"vrf": "vpna"}, "display ip routing-table vpn-instance vpna"),
    ("huawei_vrp", {"family": "ipv6"}, "display ipv6 routing-table"),
    ("cisco_ios", {"vrf": "RED"}, "show ip route vrf RED"),
    ("cisco_ios", {"family": "ipv6", "vrf": "RED"}, "show ipv6 route vrf RED"),
    ("frr", {"family": "ipv6", "vrf": "red"}, "show ipv6 route vrf red"),
    ("linux", {"family": "ipv6"}, "ip -6 route show"),
]


@pytest.mark.parametrize(("platform", "args", "command"), ROUTE_COMMANDS)
def test_route_commands(platform: str, args: dict[str, str], command: str) -> None:
    check = CHECK_TYPES["route"]
    prefix = "2001:db8::/64" if args.get("family") else "10.0.0.0/8"
    params = check.Params.model_validate({"node": "r1", "prefix": prefix, "vrf": args.get("vrf")})
    (request,) = check.requests(params)
    assert get_platform(platform).command_for(request) == command


@pytest.mark.parametrize(("platform", "kind", "args", "reason"), [
    ("huawei_vrp", "routes", {"family": "ipv6", "vrf": "v"}, "VPN instance"),
    ("linux", "routes", {"vrf": "v"}, "VRF"),
    ("huawei_vrp", "bgp_neighbors", {"vrf": "v", "family": "ipv6"}, "VPN instance"),
    ("cisco_ios", "bgp_neighbors", {"family": "ipv6", "vrf": "v"}, "VRF"),
    ("frr", "ospf_neighbors", {"version": "3", "process": "2"}, "one instance"),
    ("linux", "vrfs", {}, "VRF"),
])
def test_unsupported_requests_say_why(platform: str, kind: str, args: dict[str, str], reason: str) -> None:
    with pytest.raises(UnsupportedError, match=reason):
        get_platform(platform).command_for(FactRequest.make("r1", kind, **args))


@pytest.mark.parametrize(("platform", "args", "command"), [
    ("huawei_vrp", {"version": "3"}, "display ospfv3 peer"),
    ("huawei_vrp", {"process": "2"}, "display ospf 2 peer"),
    ("huawei_vrp", {"process": "2", "vrf": "vpna"}, "display ospf 2 peer"),
    ("cisco_ios", {"version": "3"}, "show ipv6 ospf neighbor"),
    ("cisco_ios", {"process": "10"}, "show ip ospf 10 neighbor"),
    ("frr", {"process": "1"}, "show ip ospf 1 neighbor detail"),
    ("frr", {"vrf": "blue"}, "show ip ospf vrf blue neighbor detail"),
    ("frr", {"version": "3", "vrf": "blue"}, "show ipv6 ospf6 vrf blue neighbor"),
])
def test_ospf_commands(platform: str, args: dict[str, str], command: str) -> None:
    assert get_platform(platform).command_for(FactRequest.make("r1", "ospf_neighbors", **args)) == command


def test_ospf_process_command_is_parsed_by_the_neighbor_template() -> None:
    raw = FIXTURES / "cisco_ios/show_ip_ospf_neighbor"
    text = next(raw.glob("*.raw")).read_text()
    assert parse("cisco_ios", "show ip ospf 10 neighbor", text) == parse("cisco_ios", "show ip ospf neighbor", text)


@pytest.mark.parametrize(("platform", "args", "command"), [
    ("huawei_vrp", {"family": "ipv6"}, "display bgp ipv6 peer"),
    ("huawei_vrp", {"vrf": "vpna"}, "display bgp vpnv4 vpn-instance vpna peer"),
    ("cisco_ios", {"family": "ipv6"}, "show bgp ipv6 unicast summary"),
    ("cisco_ios", {"vrf": "CUST"}, "show ip bgp vpnv4 vrf CUST summary"),
    ("frr", {"vrf": "red"}, "show bgp vrf red ipv4 unicast summary"),
    ("frr", {"family": "ipv6"}, "show bgp ipv6 unicast summary"),
    ("frr", {}, "show ip bgp summary"),
])
def test_bgp_neighbor_commands(platform: str, args: dict[str, str], command: str) -> None:
    check = CHECK_TYPES["bgp_neighbor"]
    peer = "2001:db8::2" if args.get("family") else "10.0.0.2"
    (request,) = check.requests(check.Params.model_validate({"node": "r1", "peer": peer, "vrf": args.get("vrf")}))
    assert get_platform(platform).command_for(request) == command


def test_ipv6_bgp_peer_is_judged() -> None:
    peers = [BgpNeighbor(IPv6Address("2001:db8::2"), 65002, "Established", 3)]
    assert run("bgp_neighbor", {"bgp_neighbors": peers}, peer="2001:db8::2", remote_as=65002)[0] is Outcome.PASS
    got, message = run("bgp_neighbor", {"bgp_neighbors": peers}, peer="2001:db8::3", vrf="red")
    assert got is Outcome.FAIL and "BGP peer 2001:db8::3 in VRF red not configured" in message


def test_cisco_summary_with_an_ipv6_neighbour_is_read() -> None:
    from grader.platforms.cisco_ios.routing import bgp_neighbors

    rows = [{"bgp_neighbor": "2001:DB8::2", "neighbor_as": "65002", "state_or_prefixes_received": "4"}]
    (peer,) = bgp_neighbors(rows, "", FactRequest.make("n", "bgp_neighbors"))
    assert peer.address == IPv6Address("2001:db8::2") and peer.prefixes_received == 4


OSPF = [OspfNeighbor(IPv4Address("2.2.2.2"), IPv4Address("10.0.12.2"), "Full", "GigabitEthernet0/0/1", "0.0.0.0"),
        OspfNeighbor(IPv4Address("3.3.3.3"), IPv4Address("10.0.13.3"), "Full", "GigabitEthernet0/0/2", "0.0.0.0")]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"neighbor": "3.3.3.3", "vrf": "vpna"}, Outcome.PASS, "OSPF neighbour 3.3.3.3 in VRF vpna is Full"),
    ({"neighbor": "2.2.2.2", "vrf": "vpna"}, Outcome.FAIL,
     "is seen on GigabitEthernet0/0/1 in the global table, expected in VRF vpna"),
    ({"neighbor": "2.2.2.2"}, Outcome.PASS, "is Full"),
    ({"neighbor": "2.2.2.2", "version": 3, "process": 1}, Outcome.PASS, "OSPFv3 neighbour 2.2.2.2 (process 1)"),
    ({"neighbor": "4.4.4.4", "vrf": "vpna"}, Outcome.FAIL, "not found (neighbours: 3.3.3.3 (Full))"),
])
def test_ospf_neighbor_version_process_vrf(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("ospf_neighbor", {"ospf_neighbors": OSPF, "vrfs": VRFS}, **params)
    assert got is outcome, message
    assert fragment in message


def test_ospf_requests_carry_version_process_and_vrf() -> None:
    check = CHECK_TYPES["ospf_neighbor"]
    params = check.Params.model_validate({"node": "r1", "neighbor": "1.1.1.1", "version": 3, "process": 2,
                                          "vrf": "v"})
    assert check.requests(params) == [FactRequest.make("r1", "ospf_neighbors", version=3, process=2, vrf="v"),
                                      FactRequest.make("r1", "vrfs")]
    with pytest.raises(ValidationError):
        check.Params.model_validate({"node": "r1", "neighbor": "1.1.1.1", "version": 4})


@pytest.mark.parametrize(("platform", "fixture"), [
    ("frr", "show_interface/ipv6_global_link_local_admin_down.raw"),
    ("linux", "ip_addr_show"),
])
def test_host_and_frr_ipv6_addresses_keep_their_prefix_length(platform: str, fixture: str) -> None:
    path = FIXTURES / platform / fixture
    raw = path if path.suffix == ".raw" else next(path.glob("*.raw"))
    command = raw.parent.name.replace("_", " ")
    module = __import__(f"grader.platforms.{platform}.routing", fromlist=["ipv6_interfaces"])
    found = module.ipv6_interfaces(parse(platform, command, raw.read_text()), raw.read_text(),
                                   FactRequest.make("n", "ipv6_interfaces"))
    every = [a for i in found for a in i.addresses]
    assert every and all(a.prefix_length is not None for a in every)
    assert any(a.address.is_link_local for a in every)


def test_huawei_vpn_instance_peers_with_the_instance_line() -> None:
    """The layout of Huawei's CE6800 (V300R023C00) configuration guides, which add a "VPN-Instance" line."""
    from grader.platforms.huawei_vrp.routing import bgp_neighbors

    text = (" BGP local router ID : 1.1.1.9\n Local AS number : 100\n\n VPN-Instance vpna, Router ID 1.1.1.9:\n"
            " Total number of peers : 1                 Peers in established state : 1\n\n"
            "  Peer            V          AS  MsgRcvd  MsgSent  OutQ  Up/Down       State  PrefRcv\n"
            "  10.1.1.1        4       65410       91       90     0 01:15:39 Established        1\n")
    rows = parse("huawei_vrp", "display bgp vpnv4 vpn-instance vpna peer", text)
    assert rows[0]["vpn_instance"] == "vpna"
    (peer,) = bgp_neighbors(rows, text, FactRequest.make("n", "bgp_neighbors", vrf="vpna"))
    assert (peer.address, peer.remote_as, peer.state, peer.prefixes_received) == (
        IPv4Address("10.1.1.1"), 65410, "Established", 1)
