"""The switching checks (vlan, switchport, stp, link_aggregation) on facts, their parameters, and the Cisco IOS
and Huawei VRP normalisers on recorded output (tests/fixtures; the fixtures' ``facts`` pin every value)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from grader.checks import CHECK_TYPES
from grader.checks.switching import (
    LINK_AGGREGATIONS,
    STP,
    SWITCHPORTS,
    TRUNKS,
    VLANS,
    Trunk,
    Vlan,
    VlanSet,
    vlan_list_param,
    vlan_members,
)
from grader.errors import ParseError
from grader.model.facts import FactRequest, FactValue
from grader.model.report import Outcome
from grader.naming import canonical_interface, same_interface
from grader.parsing import parse
from grader.platforms import get_platform
from grader.platforms.cisco_ios import switching as ios
from grader.platforms.huawei_vrp import switching as vrp

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fact(platform: str, kind: str, fixture: str) -> Any:
    """The fact a platform makes of a recorded output (``fixture``: ``<command folder>/<case>``)."""
    return get_platform(platform).interpret(FactRequest.make("s1", kind), (FIXTURES / platform / f"{fixture}.raw")
                                            .read_text())


def run(check_type: str, values: dict[str, Any], **params: Any) -> tuple[Outcome, str]:
    """Judge a check on facts given per kind; a kind the check asks for and ``values`` lacks is a failure."""
    check = CHECK_TYPES[check_type]
    parsed = check.Params.model_validate({"node": "s1", **params})
    facts = {r: FactValue(request=r, command="show x", value=values[r.kind]) for r in check.requests(parsed)}
    result = check.evaluate(parsed, facts)
    assert "\n" not in result.message and result.message.startswith("s1: ")
    return result.outcome, result.message


# ------------------------------------------------------------------------------------------------ VLAN lists


@pytest.mark.parametrize(("text", "expected"), [
    ("1-4094", "1-4094"), ("ALL", "1-4094"), ("none", "none"), ("NONE", "none"), ("-", "none"), ("", "none"),
    ("1 249-255", "1,249-255"), ("2 to 10 20", "2-10,20"), ("1,12,15,31-36,", "1,12,15,31-36"),
    ("200-211, 300-302", "200-211,300-302"), ("10 11 12 14", "10-12,14"), ("1,12,604, 900,910", "1,12,604,900,910"),
])
def test_vlan_lists_as_devices_print_them(text: str, expected: str) -> None:
    assert str(VlanSet.parse(text)) == expected


@pytest.mark.parametrize("text", ["0", "4095", "10-5", "ten", "1 to", "2-"])
def test_a_vlan_list_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="VLAN"):
        VlanSet.parse(text)


def test_vlan_set_arithmetic() -> None:
    allowed = VlanSet.parse("1-10")
    assert 5 in allowed and 11 not in allowed and "5" not in allowed and len(allowed) == 10
    assert str(VlanSet.parse("1-20") - allowed) == "11-20" and str(allowed & VlanSet.parse("8-30")) == "8-10"


@pytest.mark.parametrize(("value", "expected"), [([10, 20, "30-40"], "10,20,30-40"), ("10,20", "10,20"), (7, "7")])
def test_vlan_list_parameters(value: object, expected: str) -> None:
    assert vlan_list_param(value) == expected


@pytest.mark.parametrize("value", [[], [True], [10.5], "0", [4095], "none"])
def test_bad_vlan_list_parameters_are_refused(value: object) -> None:
    with pytest.raises(ValueError):
        vlan_list_param(value)


# ------------------------------------------------------------------------------------------------ vlan

# eNSP S5700: GE0/0/1 hybrid untagged in 10 and 20, GE0/0/2 trunk (PVID 1) allowing 10 and 20
VRP_VLANS = {VLANS: fact("huawei_vrp", "vlans", "display_vlan/ensp_s5700_hybrid_and_trunk"), TRUNKS: []}


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"vlan": 10, "untagged": ["GE0/0/1"], "tagged": ["GigabitEthernet0/0/2"]}, Outcome.PASS, "as expected"),
    ({"vlan": 1, "untagged": ["ge0/0/2"]}, Outcome.PASS, "as expected"),  # a trunk's PVID VLAN is untagged
    ({"vlan": 10, "tagged": ["GE0/0/1"]}, Outcome.FAIL, "GigabitEthernet0/0/1 carries it untagged, expected tagged"),
    ({"vlan": 20, "untagged": ["GE0/0/3"]}, Outcome.FAIL, "GE0/0/3 does not carry it, expected untagged"),
    ({"vlan": 20, "not_members": ["GE0/0/3"]}, Outcome.PASS, "as expected"),
    ({"vlan": 20, "not_members": ["GE0/0/2"]}, Outcome.FAIL, "GigabitEthernet0/0/2 carries it tagged, expected not"),
    ({"vlan": 10, "name": "VLAN 0010"}, Outcome.PASS, "as expected"),  # VRP: the description display vlan shows
    ({"vlan": 10, "name": "Sales"}, Outcome.FAIL, "is named 'VLAN 0010', expected 'Sales'"),
    ({"vlan": 30}, Outcome.FAIL, "VLAN 30 does not exist (VLANs: 1, 10, 20)"),
    ({"vlan": 30, "present": False}, Outcome.PASS, "does not exist, as expected"),
    ({"vlan": 20, "present": False}, Outcome.FAIL, "exists, expected absent"),
])
def test_vlan_on_huawei_display_vlan(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("vlan", VRP_VLANS, **params)
    assert got is outcome, message
    assert fragment in message


# Cisco: show vlan brief lists access ports only; trunks come from show interfaces trunk
IOS_VLANS = [Vlan(1, "default", active=True, untagged=("GigabitEthernet0/3",)),
             Vlan(10, "USERS", active=True, untagged=("GigabitEthernet0/1",)),
             Vlan(20, "VOICE", active=True), Vlan(99, "NATIVE", active=True)]
IOS_TRUNKS = [Trunk("GigabitEthernet0/24", native_vlan=99, allowed=VlanSet.parse("10,20,30,99"),
                    active=VlanSet.parse("10,20,99")),
              Trunk("Port-channel1", native_vlan=1, allowed=VlanSet.parse("1-4094"))]  # active not printed
IOS = {VLANS: IOS_VLANS, TRUNKS: IOS_TRUNKS}


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"vlan": 10, "name": "USERS", "untagged": ["Gi0/1"], "tagged": ["Gi0/24", "Po1"]}, Outcome.PASS, "as expected"),
    ({"vlan": 99, "untagged": ["Gi0/24"]}, Outcome.PASS, "as expected"),  # the native VLAN is untagged
    ({"vlan": 99, "tagged": ["Gi0/24"]}, Outcome.FAIL, "GigabitEthernet0/24 carries it untagged, expected tagged"),
    ({"vlan": 1, "untagged": ["Po1", "Gi0/3"]}, Outcome.PASS, "as expected"),
    ({"vlan": 20, "tagged": ["Po1"], "not_members": ["Gi0/1"]}, Outcome.PASS, "as expected"),
    ({"vlan": 10, "not_members": ["GigabitEthernet0/24"]}, Outcome.FAIL, "carries it tagged, expected not"),
    ({"vlan": 10, "name": "users"}, Outcome.FAIL, "is named 'USERS', expected 'users'"),
])
def test_vlan_on_cisco_vlan_table_and_trunks(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("vlan", IOS, **params)
    assert got is outcome, message
    assert fragment in message


def test_a_trunk_carries_only_vlans_that_are_allowed_and_exist() -> None:
    # VLAN 30 is allowed on Gi0/24 but does not exist: no member anywhere
    assert vlan_members(IOS_VLANS, IOS_TRUNKS, 30) == {}
    # Po1 allows 1-4094 but its active list is not known: the VLANs that exist count
    members = vlan_members(IOS_VLANS, IOS_TRUNKS, 20)
    assert sorted(name for name, _ in members.values()) == ["GigabitEthernet0/24", "Port-channel1"]
    # the device's own active list wins over allowed ∩ existing: 10 is active on Gi0/24, 1 is not
    assert "gigabitethernet0/24" not in vlan_members(IOS_VLANS, IOS_TRUNKS, 1)


def test_the_vlan_check_reads_trunks_only_when_asked_about_ports() -> None:
    check = CHECK_TYPES["vlan"]
    alone = check.requests(check.Params.model_validate({"node": "s1", "vlan": 10, "name": "USERS"}))
    with_ports = check.requests(check.Params.model_validate({"node": "s1", "vlan": 10, "tagged": ["Gi0/24"]}))
    assert [r.kind for r in alone] == [VLANS] and [r.kind for r in with_ports] == [VLANS, TRUNKS]


def test_the_vlan_check_reads_a_cisco_trunk_from_show_interfaces_trunk() -> None:
    trunks = fact("cisco_ios", "trunks", "show_interfaces_trunk/catalyst3550_allowed_lists")
    vlans = [Vlan(v, active=True) for v in (1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 254)]
    assert run("vlan", {VLANS: vlans, TRUNKS: trunks}, vlan=254, tagged=["Fa0/2"], not_members=["Fa0/1"])[0] \
        is Outcome.PASS
    outcome, message = run("vlan", {VLANS: vlans, TRUNKS: trunks}, vlan=60, tagged=["Fa0/1"])
    assert outcome is Outcome.FAIL and "Fa0/1 does not carry it, expected tagged" in message


@pytest.mark.parametrize(("params", "error"), [
    ({"vlan": 0}, "greater than or equal to 1"),
    ({"vlan": 4095}, "less than or equal to 4094"),
    ({"vlan": 10, "present": False, "untagged": ["Gi0/1"]}, "must not exist has no name or ports"),
    ({"vlan": 10, "tagged": ["Gi0/1; reload"]}, "is not an interface name"),
    ({"vlan": 10, "tagged": [""]}, "is not an interface name"),
    ({"vlan": 10, "tagged": ["0/0/1"]}, "is not an interface name"),
    ({"vlan": 10, "colour": "red"}, "Extra inputs are not permitted"),
])
def test_vlan_parameters_are_checked(params: dict[str, Any], error: str) -> None:
    with pytest.raises(ValidationError, match=error):
        CHECK_TYPES["vlan"].Params.model_validate({"node": "s1", **params})


def test_port_names_may_carry_the_blank_vrp_commands_take() -> None:
    params = CHECK_TYPES["vlan"].Params.model_validate({"node": "s1", "vlan": 10,
                                                        "untagged": ["GigabitEthernet 0/0/1"]})
    assert params.untagged == ["GigabitEthernet0/0/1"]


# ------------------------------------------------------------------------------------------------ switchport

VRP_PORTS = {SWITCHPORTS: fact("huawei_vrp", "switchports", "display_port_vlan/s_series_hybrid_auto")}


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"interface": "GE0/0/5", "access_vlan": 330}, Outcome.PASS, "is access in VLAN 330, as expected"),
    ({"interface": "GE0/0/5", "mode": "access", "access_vlan": 300}, Outcome.FAIL,
     "port GigabitEthernet0/0/5 is access in VLAN 330, expected access in VLAN 300"),
    ({"interface": "GE0/0/5", "mode": "trunk", "allowed_vlans": [10, 20]}, Outcome.FAIL,
     "is access in VLAN 330, expected trunk allowing 10,20"),
    ({"interface": "GigabitEthernet0/0/3", "mode": "trunk", "native_vlan": 999, "allowed_vlans": "255,300"},
     Outcome.PASS, "as expected"),
    ({"interface": "GE0/0/3", "allowed_vlans": "255,300", "allowed_exactly": True}, Outcome.FAIL,
     "is trunk (native VLAN 999) allowing 255,300,999, expected allowing exactly 255,300"),
    ({"interface": "GE0/0/2", "allowed_vlans": ["249-255", 1], "allowed_exactly": True}, Outcome.PASS, "as expected"),
    ({"interface": "GE0/0/2", "allowed_vlans": [248]}, Outcome.FAIL, "expected allowing 248"),
    ({"interface": "GE0/0/21", "mode": "trunk"}, Outcome.FAIL, "is dynamic (native VLAN 450) allowing 1-4094"),
    ({"interface": "GE0/0/29"}, Outcome.FAIL, "port GE0/0/29 is not a layer 2 port"),
])
def test_switchport_on_huawei_display_port_vlan(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("switchport", VRP_PORTS, **params)
    assert got is outcome, message
    assert fragment in message


IOS_PORTS = {SWITCHPORTS: fact("cisco_ios", "switchports", "show_interfaces_switchport/voice_vlan_dynamic_auto")
             + fact("cisco_ios", "switchports", "show_interfaces_switchport/wrapped_trunking_vlans")
             + fact("cisco_ios", "switchports", "show_interfaces_switchport/routed_port_disabled")}


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"interface": "Gi0/2", "access_vlan": 100}, Outcome.PASS, "as expected"),  # dynamic auto, operationally access
    ({"interface": "Gi0/1", "mode": "trunk", "native_vlan": 1, "allowed_vlans": "1-4094", "allowed_exactly": True},
     Outcome.PASS, "as expected"),
    ({"interface": "Te5/0/1", "allowed_vlans": [12, 900, 940]}, Outcome.PASS, "as expected"),  # a wrapped list
    ({"interface": "Te5/0/1", "allowed_vlans": [950]}, Outcome.FAIL, "expected allowing 950"),
    ({"interface": "Te1/1/6", "mode": "access"}, Outcome.FAIL, "is routed, expected access"),
])
def test_switchport_on_cisco_show_interfaces_switchport(params: dict[str, Any], outcome: Outcome,
                                                         fragment: str) -> None:
    got, message = run("switchport", IOS_PORTS, **params)
    assert got is outcome, message
    assert fragment in message


@pytest.mark.parametrize(("params", "error"), [
    ({"interface": "Gi0/1", "mode": "trunk", "access_vlan": 10}, "access_vlan is for access ports"),
    ({"interface": "Gi0/1", "allowed_exactly": True}, "allowed_exactly needs allowed_vlans"),
    ({"interface": "Gi0/1", "allowed_vlans": "10-x"}, "is not a VLAN id"),
    ({"interface": "Gi0/1", "mode": "routed"}, "Input should be 'access', 'trunk' or 'hybrid'"),
    ({"interface": "Gi0/1", "native_vlan": 5000}, "less than or equal to 4094"),
])
def test_switchport_parameters_are_checked(params: dict[str, Any], error: str) -> None:
    with pytest.raises(ValidationError, match=error):
        CHECK_TYPES["switchport"].Params.model_validate({"node": "s1", **params})


def test_huawei_trunks_are_the_trunk_ports_of_display_port_vlan() -> None:
    trunks = fact("huawei_vrp", "trunks", "display_port_vlan/ensp_ac_pvid_hybrid_dash")
    assert [(t.interface, t.native_vlan, str(t.allowed), t.active) for t in trunks] == [
        ("GigabitEthernet0/0/1", 100, "1,100-101", None), ("GigabitEthernet0/0/2", 100, "1,100-102", None)]


# ------------------------------------------------------------------------------------------------ stp

VRP_RSTP = {STP: fact("huawei_vrp", "stp", "display_stp/ne40e_rstp_padded_priority")}


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"mode": "rstp", "root": False, "priority": 4096}, Outcome.PASS, "as expected"),
    ({"mode": "stp"}, Outcome.FAIL, "runs rstp, expected stp"),
    ({"root": True}, Outcome.FAIL, "instance 0: this switch is not the root (root 0.00e0-fc12-3456), expected root"),
    ({"instance": 0, "priority": 0}, Outcome.FAIL, "instance 0: bridge priority is 4096, expected 0"),
    ({"interface": "GE0/1/1", "role": "root", "state": "forwarding", "edge": False}, Outcome.PASS, "as expected"),
    ({"interface": "GE0/1/2", "role": "alternate", "state": "blocking"}, Outcome.FAIL,
     "port GigabitEthernet0/1/2 is designated, expected alternate; instance 0: port GigabitEthernet0/1/2 is "
     "forwarding, expected discarding"),
    ({"interface": "GE0/1/3", "role": "designated"}, Outcome.FAIL, "port GE0/1/3 takes no part"),
    ({"instance": 1, "root": True}, Outcome.FAIL, "has no tree for instance 1 (trees: instance 0)"),
    ({"vlan": 10, "root": True}, Outcome.FAIL, "has no tree for VLAN 10"),
])
def test_stp_on_huawei_display_stp(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("stp", VRP_RSTP, **params)
    assert got is outcome, message
    assert fragment in message


def test_stp_root_bridge_and_disabled_spanning_tree_on_huawei() -> None:
    root = {STP: fact("huawei_vrp", "stp", "display_stp/ne40e_this_bridge_is_root")}
    assert run("stp", root, mode="mstp", root=True, priority=32768)[0] is Outcome.PASS
    disabled = {STP: fact("huawei_vrp", "stp", "display_stp/protocol_disabled")}
    assert run("stp", disabled, mode="mstp") == (Outcome.FAIL, "s1: spanning tree is disabled")


IOS_RSTP = {STP: fact("cisco_ios", "stp", "show_spanning-tree/rstp_iol_shared")}


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"mode": "rapid-pvst", "vlan": 1, "root": False, "priority": 32768}, Outcome.PASS, "as expected"),
    ({"root": True}, Outcome.FAIL, "VLAN 1: this switch is not the root (root 32769.aabb.cc00.1000), expected root"),
    ({"interface": "Et0/1", "role": "alternate", "state": "blocking"}, Outcome.PASS, "as expected"),  # Altn BLK
    ({"interface": "Et0/1", "state": "forwarding"}, Outcome.FAIL,
     "port Ethernet0/1 is discarding, expected forwarding"),
    ({"interface": "Et0/0", "role": "root", "edge": True}, Outcome.FAIL, "is not an edge port, expected edge"),
    ({"vlan": 10, "root": True}, Outcome.FAIL, "has no tree for VLAN 10 (trees: VLAN 1)"),
])
def test_stp_on_cisco_show_spanning_tree(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("stp", IOS_RSTP, **params)
    assert got is outcome, message
    assert fragment in message


def _ios_stp_of(fixture: str) -> Any:
    text = (FIXTURES / "cisco_ios" / f"{fixture}.raw").read_text()
    return ios.stp(parse("cisco_ios", "show spanning-tree", text), text, FactRequest.make("s1", STP))


def test_cisco_root_bridge_and_edge_port() -> None:
    tree = _ios_stp_of("show_spanning-tree_vlan_10/this_bridge_is_root")  # show spanning-tree vlan 10's format
    assert run("stp", {STP: tree}, vlan=10, root=True, priority=32768, interface="Gi1/0/4", edge=True,
               role="designated")[0] is Outcome.PASS
    mst = fact("cisco_ios", "stp", "show_spanning-tree/mst_inconsistent_ports")
    assert run("stp", {STP: mst}, mode="mst", instance=10, root=True, interface="Gi1/0/5", role="master")[0] \
        is Outcome.PASS
    assert run("stp", {STP: mst}, instance=0, interface="Po14", state="broken")[0] is Outcome.PASS  # BKN*


@pytest.mark.parametrize("text", ["No spanning tree instance exists.\n",
                                  "Spanning tree instance(s) for vlan 10 does not exist.\n"])
def test_cisco_without_spanning_tree(text: str) -> None:
    tree = get_platform("cisco_ios").interpret(FactRequest.make("s1", STP), text)
    assert not tree.enabled and run("stp", {STP: tree}, mode="stp")[1] == "s1: spanning tree is disabled"


def test_cisco_empty_spanning_tree_output_is_an_error() -> None:
    with pytest.raises(ParseError, match="no spanning tree instance"):
        ios.stp([], "\n", FactRequest.make("s1", STP))


@pytest.mark.parametrize(("params", "error"), [
    ({"vlan": 10, "instance": 0, "root": True}, "give vlan or instance, not both"),
    ({"role": "root"}, "give interface"),
    ({"vlan": 10}, "needs something to check"),
    ({"priority": 1000}, "multiple of 4096"),
    ({"priority": 65536}, "less than or equal to 61440"),
    ({"mode": "pvst+"}, "unknown spanning tree mode"),
    ({"interface": "Gi0/1", "state": "up"}, "unknown port state"),
    ({"interface": "Gi0/1", "role": "primary"}, "Input should be 'root'"),
])
def test_stp_parameters_are_checked(params: dict[str, Any], error: str) -> None:
    with pytest.raises(ValidationError, match=error):
        CHECK_TYPES["stp"].Params.model_validate({"node": "s1", **params})


@pytest.mark.parametrize(("word", "mode"), [("PVST", "stp"), ("rapid-pvst", "rstp"), ("MST", "mstp")])
def test_cisco_mode_names_are_accepted(word: str, mode: str) -> None:
    assert CHECK_TYPES["stp"].Params.model_validate({"node": "s1", "mode": word}).mode == mode


@pytest.mark.parametrize(("text", "role"), [("Designated Port", "designated"), ("CIST Designated Port", "designated"),
                                            ("ALTE", "alternate"), ("BACK", "backup"), ("MAST", "master"),
                                            ("DISA", "disabled"), ("Root Port", "root")])
def test_huawei_port_roles(text: str, role: str) -> None:
    assert vrp.stp_role(text) == role


def test_unknown_huawei_port_role_or_state_is_an_error() -> None:
    with pytest.raises(ParseError, match="role"):
        vrp.stp_role("Edge Port")
    with pytest.raises(ParseError, match="state"):
        vrp.stp_state("WAITING")


# ------------------------------------------------------------------------------------------------ link aggregation

VRP_TRUNKS = {LINK_AGGREGATIONS: fact("huawei_vrp", "link_aggregations", "display_eth-trunk/s_series_normal_and_lacp")}
VRP_UNSELECT = {LINK_AGGREGATIONS: fact("huawei_vrp", "link_aggregations", "display_eth-trunk_1/ne40e_static_unselect")}


@pytest.mark.parametrize(("values", "params", "outcome", "fragment"), [
    (VRP_TRUNKS, {"interface": "Eth-Trunk1", "mode": "lacp-static", "state": "up", "min_active": 2,
                  "active_members": ["GE0/0/11", "GE0/0/12"]}, Outcome.PASS, "as expected (2 active members)"),
    (VRP_TRUNKS, {"interface": "eth-trunk0", "mode": "manual", "members": ["GE0/0/27", "GE0/0/28"]}, Outcome.PASS,
     "as expected"),
    (VRP_TRUNKS, {"interface": "Eth-Trunk0", "mode": "lacp"}, Outcome.FAIL, "Eth-Trunk0 is manual, expected lacp"),
    (VRP_TRUNKS, {"interface": "Eth-Trunk1", "members": ["GE0/0/13"]}, Outcome.FAIL, "GE0/0/13 is not a member"),
    (VRP_TRUNKS, {"interface": "Eth-Trunk2"}, Outcome.FAIL, "Eth-Trunk2 does not exist (bundles: Eth-Trunk0, "
     "Eth-Trunk1)"),
    (VRP_UNSELECT, {"interface": "Eth-Trunk1", "mode": "lacp", "min_active": 2}, Outcome.PASS, "as expected"),
    (VRP_UNSELECT, {"interface": "Eth-Trunk1", "active_members": ["GE0/3/0"]}, Outcome.FAIL,
     "GigabitEthernet0/3/0 is Unselect, expected active"),
    (VRP_UNSELECT, {"interface": "Eth-Trunk1", "min_active": 3}, Outcome.FAIL,
     "has 2 active members, expected at least 3"),
])
def test_link_aggregation_on_huawei_display_eth_trunk(values: dict[str, Any], params: dict[str, Any],
                                                      outcome: Outcome, fragment: str) -> None:
    got, message = run("link_aggregation", values, **params)
    assert got is outcome, message
    assert fragment in message


IOS_CHANNELS = {LINK_AGGREGATIONS: (
    fact("cisco_ios", "link_aggregations", "show_etherchannel_summary/hot_standby_member")
    + fact("cisco_ios", "link_aggregations", "show_etherchannel_summary/down_groups_mixed_flags")[3:4])}  # Po4


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"interface": "Po2", "mode": "active", "state": "up", "min_active": 2}, Outcome.PASS, "as expected"),
    ({"interface": "Port-channel2", "active_members": ["Gi5"]}, Outcome.FAIL,
     "GigabitEthernet5 is hot-sby, expected active"),
    ({"interface": "Po4", "state": "down", "members": ["Gi4/0/5"]}, Outcome.PASS, "as expected"),
    ({"interface": "Po4", "state": "up"}, Outcome.FAIL, "is down, expected up"),
    ({"interface": "Po1", "mode": "pagp"}, Outcome.FAIL, "is lacp, expected pagp"),
])
def test_link_aggregation_on_cisco_etherchannel_summary(params: dict[str, Any], outcome: Outcome,
                                                        fragment: str) -> None:
    got, message = run("link_aggregation", IOS_CHANNELS, **params)
    assert got is outcome, message
    assert fragment in message


def test_cisco_mode_on_is_manual() -> None:
    channels = {LINK_AGGREGATIONS: fact("cisco_ios", "link_aggregations", "show_etherchannel_summary/static_mode_on")}
    assert run("link_aggregation", channels, interface="Po1", mode="on", min_active=3)[0] is Outcome.PASS


@pytest.mark.parametrize(("params", "error"), [
    ({"interface": "Eth-Trunk1", "mode": "static"}, "'static' is ambiguous"),
    ({"interface": "Eth-Trunk1", "mode": "bonded"}, "unknown link aggregation mode"),
    ({"interface": "Eth-Trunk1", "min_active": 0}, "greater than or equal to 1"),
    ({"interface": "Eth-Trunk1", "state": "selected"}, "Input should be 'up' or 'down'"),
])
def test_link_aggregation_parameters_are_checked(params: dict[str, Any], error: str) -> None:
    with pytest.raises(ValidationError, match=error):
        CHECK_TYPES["link_aggregation"].Params.model_validate({"node": "s1", **params})


def test_unknown_huawei_working_mode_is_an_error() -> None:
    row = {"trunk": "Eth-Trunk1", "working_mode": "ROUND-ROBIN", "operate_status": "up", "port": "",
           "partner_system_id": "", "status": ""}
    with pytest.raises(ParseError, match="unknown working mode 'ROUND-ROBIN'"):
        vrp.link_aggregations([row], "", FactRequest.make("s1", LINK_AGGREGATIONS))


def test_unknown_huawei_link_type_and_bad_vlan_list_are_errors() -> None:
    request = FactRequest.make("s1", SWITCHPORTS)
    row = {"interface": "GigabitEthernet0/0/1", "link_type": "stack", "pvid": "1", "trunk_vlans": ["1"]}
    with pytest.raises(ParseError, match="unknown link type 'stack'"):
        vrp.switchports([row], "", request)
    with pytest.raises(ParseError, match="port GigabitEthernet0/0/1: VLAN list"):
        vrp.switchports([{**row, "link_type": "trunk", "trunk_vlans": ["1 to"]}], "", request)


# ------------------------------------------------------------------------------------------------ VLAN interfaces


@pytest.mark.parametrize("name", ["Vlanif1", "vlanif1", "VLANIF1", "Vlanif 1", "Vlan-interface1", "Vlan1"])
def test_interface_check_finds_a_huawei_vlanif_by_any_spelling(name: str) -> None:
    interfaces = fact("huawei_vrp", "interfaces", "display_ip_interface_brief/ensp_ap_vlanif")
    got, message = run("interface", {"interfaces": interfaces}, interface=name, ipv4="192.168.100.84/24", oper="up")
    assert got is Outcome.PASS, message


@pytest.mark.parametrize("name", ["Vlan2", "vlan2", "Vl2", "Vlanif2"])
def test_interface_check_finds_a_cisco_svi_by_any_spelling(name: str) -> None:
    interfaces = fact("cisco_ios", "interfaces", "show_ip_interface/admin_down_no_address")
    assert run("interface", {"interfaces": interfaces}, interface=name, oper="up")[0] is Outcome.PASS
    assert run("interface", {"interfaces": interfaces}, interface="Vlan1", admin="up")[0] is Outcome.FAIL


def test_vlan_interfaces_of_different_vlans_differ_and_huawei_xge_is_xgigabitethernet() -> None:
    assert not same_interface("Vlanif10", "Vlan1") and not same_interface("Vlanif10", "Vlanif100")
    assert canonical_interface("XGE0/0/1") == canonical_interface("xge0/0/1") == "XGigabitEthernet0/0/1"
    assert same_interface("XGE0/0/1", "XGigabitEthernet0/0/1")


def test_huawei_vrpv8_reads_switching_facts_with_the_vrp_table() -> None:
    for kind in (VLANS, TRUNKS, SWITCHPORTS, STP, LINK_AGGREGATIONS):
        assert get_platform("huawei_vrpv8").spec(kind) == get_platform("huawei_vrp").spec(kind)


def test_without_vlan_or_instance_the_stp_check_reads_instance_0_or_vlan_1() -> None:
    pvst = fact("cisco_ios", "stp", "show_spanning-tree/rstp_root_port_channel")  # VLANs 200 and 201 only
    assert "has no tree for instance 0 or VLAN 1 (trees: VLAN 200, VLAN 201)" in run("stp", {STP: pvst}, root=True)[1]
    assert run("stp", {STP: pvst}, vlan=200, root=False, priority=28672)[0] is Outcome.PASS


def test_a_port_without_a_link_type_is_described_as_printed() -> None:
    ports = {SWITCHPORTS: fact("huawei_vrp", "switchports", "display_port_vlan/eth_trunk_desirable_dash")}
    outcome, message = run("switchport", ports, interface="40GE0/0/1", mode="trunk")
    assert outcome is Outcome.FAIL and "port 40GE0/0/1 is link type -, expected trunk" in message
