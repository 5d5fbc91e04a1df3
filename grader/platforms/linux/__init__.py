"""Linux hosts (bash, iproute2, iputils ping): addresses, routes, ping and the host name.

Interface names stay as the kernel spells them (``eth1``; ``eth1@if27`` is a veth's peer index and is read as
``eth1``): ``naming.canonical_interface`` would turn ``eth1`` into ``Ethernet1``, which no Linux tool prints.
"""

from __future__ import annotations

from grader.platforms.base import Platform, SessionProfile, collect_facts

SESSION = SessionProfile(
    dialect="bash",
    ssh_device_type="linux",
    telnet_device_type=None,
    prompt=r"[^\n]{0,120}[$#]",
    # bash/dash for an unknown command; iproute2 for a bad object, argument or device.
    error_markers=(
        "-bash: ",
        "bash: ",
        "sh: ",
        'Object "',
        'Command "',
        'Device "',
        "Error: ",
        "ping: usage error",
    ),
    login_shell="bash",
    strip_ansi=True,  # bash's bracketed-paste sequences
)

PLATFORM = Platform(
    name="linux",
    template_platform="linux",
    facts=collect_facts(__name__),
    session=SESSION,
    unsupported={
        "ospf_neighbors": "a Linux host runs no routing daemon",
        "bgp_neighbors": "a Linux host runs no routing daemon",
        "bgp_routes": "a Linux host runs no routing daemon",
        "isis_neighbors": "a Linux host runs no routing daemon",
        "prefix_lists": "a Linux host has no routing policy language",
        "route_policies": "a Linux host has no routing policy language",
        "lldp_neighbors": "a Linux host runs no LLDP daemon by default",
        "version": "a Linux host's software is the lab's image",
        "vrfs": "a Linux host's VRF devices are not read",
        # switching: VLANs, switchports, spanning tree and link aggregation
        "vlans": "Linux bridge VLANs (bridge vlan show) are not read",
        "trunks": "Linux bridge VLANs (bridge vlan show) are not read",
        "switchports": "Linux bridge ports are not read",
        "stp": "the spanning tree of a Linux bridge is not read",
        "link_aggregations": "Linux bonds (/proc/net/bonding) are not read",
        # services and management
        "vrrp_groups": "a Linux host runs no VRRP daemon",
        "hsrp_groups": "a Linux host runs no HSRP",
        "acls": "netfilter rules are not parsed as access lists",
        "acl_bindings": "netfilter rules are not parsed as access lists",
        "nat": "netfilter NAT rules are not parsed",
        "nat_translations": "conntrack is not parsed",
        "dhcp_pools": "a Linux host's DHCP server (if any) is not read",
        "dhcp_leases": "a Linux host's DHCP server (if any) is not read",
        "dhcp_bindings": "a Linux host's DHCP server (if any) is not read",
        "dhcp_relays": "a Linux host relays no DHCP here",
        "local_users": "system accounts are not read",
        "ssh_server": "sshd's state is not read",
        "telnet_server": "a Linux host runs no Telnet server here",
        "vty_lines": "a Linux host has no VTY lines",
        "vty_transport": "a Linux host has no VTY lines",
    },
    containerlab_kinds=("linux",),
    container_recipe="host",
)
