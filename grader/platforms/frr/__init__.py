"""FRRouting through vtysh (``cisco_ios`` to netmiko): our templates, as ntc-templates has none for FRR.

Measured on FRR 8.4 and 10.3 (see docs/frr-notes.md). Interface names stay as the kernel spells them
(``eth1``, ``lo``): ``naming.canonical_interface`` would make ``Ethernet1`` and ``Loopback`` of them.

There is no ``ping`` fact: vtysh's ``ping WORD`` runs the system's ``ping WORD`` with no count, which never
ends on its own (vtysh takes no count or source). ``linux.ping`` reads its output once interrupted.
"""

from __future__ import annotations

from grader.platforms.base import Platform, SessionProfile, collect_facts

# vtysh prompts: r1# (enable), r1(config)#, r1(config-router)#, r1(config-if)#.
SESSION = SessionProfile(
    ssh_device_type="cisco_ios",
    telnet_device_type="cisco_ios_telnet",
    prompt=r"[\w.-]+(?:\([\w.-]+\))?[#>]",
    config_prompt=r"[\w.-]+\(config[\w.-]*\)#",
    leave_config=("end",),
    paging_off=("terminal length 0",),
    # vtysh's words for a rejected command, a daemon that is not running, and no daemon at all.
    # "% BGP instance not found" / "% No BGP neighbors found" are answers (no BGP), not errors.
    error_markers=(
        "% Unknown command",
        "% Command incomplete",
        "% Ambiguous command",
        "zebra is not running",
        "staticd is not running",
        "ospfd is not running",
        "bgpd is not running",
        "isisd is not running",
        "ripd is not running",
        "Exiting: failed to connect to any daemons",
    ),
    login_shell="vtysh",
)

PLATFORM = Platform(
    name="frr",
    template_platform="frr",
    facts=collect_facts(__name__),
    session=SESSION,
    unsupported={
        "ping": "vtysh's ping runs the system ping with no count: it never ends by itself",
        "hostname": "vtysh shows the system hostname, not the one configured with `hostname` (FRR 8.4)",
        # switching: VLANs, switchports, spanning tree and link aggregation
        "vlans": "vtysh has no VLAN table (FRR routes; Linux bridge VLANs are not read)",
        "trunks": "vtysh has no trunk ports",
        "switchports": "vtysh has no layer 2 ports",
        "stp": "FRR runs no spanning tree",
        "link_aggregations": "vtysh shows no bonds (Linux bonding is outside FRR)",
    },
    container_recipe="frr",
)
