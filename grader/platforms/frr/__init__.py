"""FRRouting through vtysh (``cisco_ios`` to netmiko): our templates, as ntc-templates has none for FRR.

Measured on FRR 8.4 and 10.3 (see docs/frr-notes.md). Interface names stay as the kernel spells them
(``eth1``, ``lo``): ``naming.canonical_interface`` would make ``Ethernet1`` and ``Loopback`` of them.

vtysh's ``ping WORD`` runs the system's iputils ``ping WORD`` with no count, which never ends on its own (vtysh
takes no count or source): the session stops it (``interrupts``) and ``linux.ping`` reads the statistics. iputils
picks the family from the address, so ``ping 2001:db8::1`` is an IPv6 ping (``ping ipv6 WORD`` runs ``ping6``).
"""

from __future__ import annotations

from grader.platforms.base import Interrupt, Platform, SessionProfile, collect_facts

# vtysh prompts: r1# (enable), r1(config)#, r1(config-router)#, r1(config-if)#.
SESSION = SessionProfile(
    dialect="vtysh",
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
        "ospf6d is not running",
        "bgpd is not running",
        "isisd is not running",
        "ripd is not running",
        "Exiting: failed to connect to any daemons",
    ),
    login_shell="vtysh",
    # vtysh's ping takes no count and never ends: stopped after three replies (or 3.5 s), well before vtysh
    # logs a STARVATION line (a ping of 5 s or more); the statistics iputils prints on Ctrl-C are the fact.
    interrupts=(Interrupt(command=r"ping (?:ip |ipv6 )?\S+", progress=r"^\d+ bytes from |^From \S+ icmp_seq=",
                          enough=3, seconds=3.5),),
)

PLATFORM = Platform(
    name="frr",
    template_platform="frr",
    facts=collect_facts(__name__),
    session=SESSION,
    unsupported={
        "hostname": "vtysh shows the system hostname, not the one configured with `hostname` (FRR 8.4)",
        "lldp_neighbors": "FRR runs no LLDP daemon (lldpd on the host would be another platform)",
        "version": "FRR's show version is not read: an FRR node's software is the lab's image",
        # switching: VLANs, switchports, spanning tree and link aggregation
        "vlans": "vtysh has no VLAN table (FRR routes; Linux bridge VLANs are not read)",
        "trunks": "vtysh has no trunk ports",
        "switchports": "vtysh has no layer 2 ports",
        "stp": "FRR runs no spanning tree",
        "link_aggregations": "vtysh shows no bonds (Linux bonding is outside FRR)",
        # services and management
        "hsrp_groups": "FRR has no HSRP (vrrpd speaks VRRP only)",
        "acls": "FRR does not filter packets: access lists there are route filters (use config or command)",
        "acl_bindings": "FRR does not filter packets on interfaces",
        "nat": "FRR does not do NAT (the kernel's nftables/iptables does)",
        "nat_translations": "FRR does not do NAT (the kernel's conntrack holds translations)",
        "dhcp_pools": "FRR has no DHCP server",
        "dhcp_leases": "FRR has no DHCP server",
        "dhcp_bindings": "FRR has no DHCP server",
        "dhcp_relays": "FRR has no DHCP relay (a separate dhcrelay does it)",
        "local_users": "vtysh has no local user accounts (the system's users log in)",
        "ssh_server": "the container's sshd, not FRR, serves SSH",
        "telnet_server": "FRR daemons' telnet ports are not a device Telnet server",
        "vty_lines": "vtysh has no VTY lines",
        "vty_transport": "vtysh has no VTY lines",
    },
    container_recipe="frr",
)
