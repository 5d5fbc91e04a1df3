"""The project's Cisco IOS templates: routing, fixture coverage and exact parsing (an unknown line raises)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.errors import ParseError
from grader.parsing import find_template, ntc_template_dir, parse_with_template, project_template_dir

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cisco_ios"
TEMPLATES = sorted(project_template_dir().glob("cisco_ios_*.textfsm"))
# show version is free text (licence paragraphs, tables): its template reads known lines and passes over the rest.
FREE_TEXT = {"cisco_ios_show_version.textfsm"}


def _fixture_templates() -> dict[str, int]:
    """How many recorded outputs each template is tested with (folder name = command)."""
    counts: dict[str, int] = {}
    for folder in FIXTURES.iterdir():
        cases = list(folder.glob("*.raw"))
        if not cases:
            continue
        name = find_template("cisco_ios", folder.name.replace("_", " ")).name
        counts[name] = counts.get(name, 0) + len(cases)
    return counts


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_template_has_at_least_two_recorded_outputs(template: Path) -> None:
    assert _fixture_templates().get(template.name, 0) >= 2


@pytest.mark.parametrize("template", [t for t in TEMPLATES if t.name not in FREE_TEXT], ids=lambda p: p.stem)
def test_unknown_line_is_an_error(template: Path) -> None:
    assert parse_with_template(template, "") == []
    with pytest.raises(ParseError):
        parse_with_template(template, "%% this line belongs to no output\n")


@pytest.mark.parametrize(("command", "template"), [
    ("show ip route vrf CUST", "cisco_ios_show_ip_route.textfsm"),
    ("sh ip ro ospf", "cisco_ios_show_ip_route.textfsm"),
    ("show ip interface Vlan301", "cisco_ios_show_ip_interface.textfsm"),
    ("show ip interface GigabitEthernet 0/1", "cisco_ios_show_ip_interface.textfsm"),
    ("show vlan brief", "cisco_ios_show_vlan_brief.textfsm"),
    ("show interfaces Gi0/1 switchport", "cisco_ios_show_interfaces_switchport.textfsm"),
    ("show interfaces trunk", "cisco_ios_show_interfaces_trunk.textfsm"),
    ("show spanning-tree vlan 10", "cisco_ios_show_spanning-tree.textfsm"),
    ("show spanning-tree summary", "cisco_ios_show_spanning-tree_summary.textfsm"),
    ("show etherchannel summary", "cisco_ios_show_etherchannel_summary.textfsm"),
    ("show vrrp all", "cisco_ios_show_vrrp.textfsm"),
    ("show vrrp brief", "cisco_ios_show_vrrp_brief.textfsm"),
    ("show standby brief", "cisco_ios_show_standby_brief.textfsm"),
    ("show ip access-lists 101", "cisco_ios_show_access-lists.textfsm"),
    ("show access-lists", "cisco_ios_show_access-lists.textfsm"),
    ("show ip nat translations", "cisco_ios_show_ip_nat_translations.textfsm"),
    ("show ip nat statistics", "cisco_ios_show_ip_nat_statistics.textfsm"),
    ("show ip dhcp pool", "cisco_ios_show_ip_dhcp_pool.textfsm"),
    ("show ip dhcp binding", "cisco_ios_show_ip_dhcp_binding.textfsm"),
    ("show ip ssh", "cisco_ios_show_ip_ssh.textfsm"),
    ("show users", "cisco_ios_show_users.textfsm"),
    ("show ip bgp", "cisco_ios_show_ip_bgp.textfsm"),
    ("show ip bgp 10.0.0.0 255.0.0.0 longer-prefixes", "cisco_ios_show_ip_bgp.textfsm"),
    ("show ip bgp 10.0.0.0/8", "cisco_ios_show_ip_bgp_prefix.textfsm"),
    ("show ip bgp summary", "cisco_ios_show_ip_bgp_summary.textfsm"),
    ("show bgp ipv6 unicast summary", "cisco_ios_show_ip_bgp_summary.textfsm"),
    ("show ip prefix-list", "cisco_ios_show_ip_prefix-list.textfsm"),
    ("show route-map", "cisco_ios_show_route-map.textfsm"),
    ("show isis neighbors", "cisco_ios_show_isis_neighbors.textfsm"),
    ("show cdp neighbors", "cisco_ios_show_cdp_neighbors.textfsm"),
    ("show lldp neighbors", "cisco_ios_show_lldp_neighbors.textfsm"),
    ("show version", "cisco_ios_show_version.textfsm"),
    ("show ipv6 interface brief", "cisco_ios_show_ipv6_interface_brief.textfsm"),
    ("show ipv6 route", "cisco_ios_show_ipv6_route.textfsm"),
    ("show ipv6 ospf neighbor", "cisco_ios_show_ipv6_ospf_neighbor.textfsm"),
    ("show vrf", "cisco_ios_show_vrf.textfsm"),
])
def test_command_is_routed_to_our_template(command: str, template: str) -> None:
    assert find_template("cisco_ios", command) == project_template_dir() / template


@pytest.mark.parametrize("command", [
    "show ip interface brief", "show vrf detail", "show ip bgp neighbors", "show cdp neighbors detail",
    "show lldp neighbors detail", "show ip route summary",
])
def test_commands_with_another_format_are_not_routed_to_ours(command: str) -> None:
    """Full-match routing: a longer command with a different output never lands in one of our templates."""
    assert find_template("cisco_ios", command).parent == ntc_template_dir()
