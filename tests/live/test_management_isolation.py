"""The management interface (eth0, Docker's bridge, carrying SSH) is invisible to the lab's routing.

The entrypoint moves eth0 into a network namespace of its own; SSH reaches vtysh through a relay there. So a
router lists no eth0 and no route to Docker's subnet, ``redistribute connected`` (OSPF and BGP) cannot hand
that subnet to a neighbour, and a login still lands in vtysh beside the lab's interfaces. Needs Docker.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from ipaddress import IPv4Network, ip_network

import paramiko
import pytest

from grader.model.topology import Topology
from grader.parsing import parse
from grader.runtime import deploy as runtime
from grader.runtime.dockerapi import client

pytestmark = pytest.mark.docker

USER, PASSWORD = "student", "mgmt-test"
TOPOLOGY = Topology.model_validate({"name": "management", "topology": {
    "nodes": {
        "r1": {"kind": "linux", "labels": {"labgrader.platform": "frr"}},
        "r2": {"kind": "linux", "labels": {"labgrader.platform": "frr"}},
        "pc": {"kind": "linux", "labels": {"labgrader.platform": "linux"}},
    },
    "links": [{"endpoints": ["r1:eth1", "r2:eth1"]}, {"endpoints": ["r2:eth2", "pc:eth1"]}],
}})
_ROUTER = """frr defaults traditional
hostname {name}
!
interface eth1
 ip address 10.0.12.{n}/24
 ip ospf network point-to-point
 ip ospf hello-interval 1
 ip ospf dead-interval 4
exit
!
interface lo
 ip address {n}.{n}.{n}.{n}/32
exit
!
router ospf
 network 10.0.12.0/24 area 0
 redistribute connected
exit
!
router bgp 6500{n}
 no bgp ebgp-requires-policy
 neighbor 10.0.12.{peer} remote-as 6500{peer}
 address-family ipv4 unicast
  redistribute connected
 exit-address-family
exit
"""
CONFIGS = {
    "r1": _ROUTER.format(name="r1", n=1, peer=2),
    "r2": _ROUTER.format(name="r2", n=2, peer=1),
    "pc": "ip address add 10.0.2.10/24 dev eth1\n",
}


@pytest.fixture(scope="module")
def lab(device_images: dict, run_id: str) -> Iterator[runtime.Deployment]:
    deployment = runtime.deploy(f"{run_id}m", TOPOLOGY, CONFIGS, ssh_user=USER, ssh_password=PASSWORD)
    yield deployment
    runtime.destroy(deployment.lab_id)


def management_subnet() -> IPv4Network:
    """The subnet of Docker's default bridge, which every container's eth0 is on."""
    config = client().networks.get("bridge").attrs["IPAM"]["Config"]
    return IPv4Network(next(c["Subnet"] for c in config if ":" not in c["Subnet"]))


def vtysh(lab: runtime.Deployment, node: str, command: str) -> str:
    code, output = client().containers.get(lab.nodes[node].container).exec_run(["vtysh", "-c", command])
    assert code == 0, output.decode()
    return output.decode()


def routes(lab: runtime.Deployment, node: str) -> dict[str, set[str]]:
    """Prefix → the route codes FRR shows for it (O, B, C, ...)."""
    found: dict[str, set[str]] = {}
    for row in parse("frr", "show ip route", vtysh(lab, node, "show ip route")):
        if row["prefix"]:
            found.setdefault(row["prefix"], set()).add(row["code"])
    return found


def wait_for_routes(lab: runtime.Deployment, node: str, wanted: dict[str, set[str]],
                    seconds: float = 60.0) -> dict[str, set[str]]:
    deadline = time.monotonic() + seconds
    while True:
        seen = routes(lab, node)
        if all(codes <= seen.get(prefix, set()) for prefix, codes in wanted.items()):
            return seen
        assert time.monotonic() < deadline, f"{node} never learnt {wanted}; it has {seen}"
        time.sleep(0.5)


def ssh(port: int) -> paramiko.SSHClient:
    client_ = paramiko.SSHClient()
    client_.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client_.connect("127.0.0.1", port=port, username=USER, password=PASSWORD, look_for_keys=False,
                    allow_agent=False, timeout=10)
    return client_


def test_routers_do_not_see_the_management_interface(lab: runtime.Deployment) -> None:
    subnet = management_subnet()
    for node in ("r1", "r2"):
        names = [row["interface"] for row in parse("frr", "show interface", vtysh(lab, node, "show interface"))]
        assert "eth1" in names and "eth0" not in names
        assert not any(ip_network(prefix).overlaps(subnet) for prefix in routes(lab, node))


def test_redistribute_connected_does_not_leak_the_management_subnet(lab: runtime.Deployment) -> None:
    # r1's loopback reaches r2 both ways: redistribution works, so the absence below is not vacuous.
    seen = wait_for_routes(lab, "r2", {"1.1.1.1/32": {"O", "B"}})
    subnet = management_subnet()
    assert not any(ip_network(prefix).overlaps(subnet) for prefix in seen)
    table = parse("frr", "show bgp ipv4 unicast", vtysh(lab, "r2", "show bgp ipv4 unicast"))
    assert "1.1.1.1/32" in {row["network"] for row in table}
    assert not any(ip_network(row["network"]).overlaps(subnet) for row in table)


def test_ssh_still_logs_in_to_vtysh_beside_the_lab_interfaces(lab: runtime.Deployment) -> None:
    session = ssh(lab.nodes["r1"].ssh_port)
    try:
        _, stdout, _ = session.exec_command("show interface brief", timeout=10)
        brief = stdout.read().decode()
        assert "eth1" in brief and "eth0" not in brief
        # vtysh's ping (the system ping, started by the login) goes out on the lab link
        channel = session.get_transport().open_session()
        channel.settimeout(10)
        channel.exec_command("ping 10.0.12.2")
        received = b""
        while b"bytes from 10.0.12.2" not in received:
            chunk = channel.recv(4096)
            assert chunk, f"ping ended without a reply: {received!r}"
            received += chunk
        channel.close()
    finally:
        session.close()


def test_linux_host_login_sees_only_lab_interfaces(lab: runtime.Deployment) -> None:
    session = ssh(lab.nodes["pc"].ssh_port)
    try:
        _, stdout, _ = session.exec_command("ip -o link show; ip -4 route show", timeout=10)
        out = stdout.read().decode()
    finally:
        session.close()
    assert "eth1" in out and "eth0" not in out
    assert str(management_subnet()) not in out
