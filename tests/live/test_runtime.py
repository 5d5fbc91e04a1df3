"""Live tests of grader.runtime: images, deploy, apply_configs, destroy, CLI. Needs Docker and root."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import paramiko
import pytest
import yaml
from click.testing import CliRunner

from grader.cli.lab_runtime import down, images, status
from grader.errors import DeployError
from grader.model.inventory import Inventory
from grader.model.topology import Topology
from grader.runtime import deploy as runtime
from grader.runtime import nodeio
from grader.runtime.dockerapi import client
from grader.runtime.images import build_images, image_for
from grader.runtime.state import lab_containers, lab_status, running_labs

pytestmark = pytest.mark.docker

USER, PASSWORD = "student", "lab pass:1"
TOPOLOGY = Topology.model_validate({"name": "two-routers", "topology": {
    "nodes": {
        "r1": {"kind": "linux", "image": "labgrader/frr:latest", "labels": {"labgrader.platform": "frr"}},
        "r2": {"kind": "linux", "labels": {"labgrader.platform": "frr"}},
        "pc": {"kind": "linux", "labels": {"labgrader.platform": "linux"}},
    },
    "links": [{"endpoints": ["r1:eth1", "r2:eth1"]}, {"endpoints": ["r2:ge-0.1", "pc:eth1"]}],
}})
CONFIGS = {
    "r1": "hostname r1\n!\ninterface eth1\n ip address 10.0.12.1/24\n!\n",
    "r2": "hostname r2\n!\ninterface eth1\n ip address 10.0.12.2/24\n!\ninterface ge-0.1\n ip address 10.0.2.1/24\n!\n",
    "pc": "ip address add 10.0.2.10/24 dev eth1\nip route add default via 10.0.2.1\n",
}


def host_links() -> set[str]:
    out = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True, check=True).stdout
    return {line.split(": ")[1].split("@")[0] for line in out.splitlines()}


def ssh_exec(port: int, command: str) -> str:
    ssh = paramiko.SSHClient()
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ssh.connect("127.0.0.1", port=port, username=USER, password=PASSWORD, look_for_keys=False,
                allow_agent=False, timeout=10)
    try:
        _, stdout, stderr = ssh.exec_command(command, timeout=10)
        return stdout.read().decode() + stderr.read().decode()
    finally:
        ssh.close()


def in_node(lab: runtime.Deployment, node: str, command: str) -> str:
    container = client().containers.get(lab.nodes[node].container)
    code, output = container.exec_run(["sh", "-c", command])
    assert code == 0, output.decode()
    return output.decode()


@pytest.fixture(scope="module")
def links_before() -> set[str]:
    return host_links()


@pytest.fixture(scope="module")
def lab(device_images: dict, run_id: str, links_before: set[str]) -> Iterator[runtime.Deployment]:
    deployment = runtime.deploy(f"{run_id}a", TOPOLOGY, CONFIGS, ssh_user=USER, ssh_password=PASSWORD)
    yield deployment
    runtime.destroy(deployment.lab_id)


def test_build_is_idempotent_and_tags_are_stable(device_images: dict) -> None:
    messages: list[str] = []
    again = {info.name: info for info in build_images(on_progress=messages.append)}
    assert {n: i.tag for n, i in again.items()} == {n: i.tag for n, i in device_images.items()}
    assert all("up to date" in m for m in messages if "building" in m or "up to date" in m)
    assert not any("building" in m for m in messages)
    for name, info in again.items():
        assert info.current
        assert image_for(f"labgrader/{name}") == info.tag
        assert image_for(f"labgrader/{name}:latest") == info.tag


def test_image_for_unknown_image_says_how_to_build() -> None:
    with pytest.raises(DeployError, match="not available locally"):
        image_for("labgrader/nosuchrecipe:latest")


def test_ssh_login_runs_vtysh(lab: runtime.Deployment) -> None:
    out = ssh_exec(lab.nodes["r1"].ssh_port, "show version")
    assert "FRRouting" in out
    assert "r1" in ssh_exec(lab.nodes["r1"].ssh_port, "show running-config")


def test_linux_host_login_is_a_shell(lab: runtime.Deployment) -> None:
    out = ssh_exec(lab.nodes["pc"].ssh_port, "echo $0; ping -c1 -W2 10.0.2.1 >/dev/null && echo reachable")
    assert "bash" in out and "reachable" in out


def test_interface_names_match_the_topology(lab: runtime.Deployment, links_before: set[str]) -> None:
    links = set(in_node(lab, "r2", "ls /sys/class/net").split())
    assert links >= {"eth1", "ge-0.1"} and "eth0" not in links  # eth0 is in the management namespace
    assert "eth1" in in_node(lab, "r1", "ls /sys/class/net").split()
    assert "10.0.12.2/24" in in_node(lab, "r2", "ip -o -4 addr show dev eth1")
    assert host_links() - links_before <= {n for n in host_links() if n.startswith("veth")}


def test_no_default_route_through_management(lab: runtime.Deployment) -> None:
    assert "0.0.0.0/0" not in in_node(lab, "r1", "vtysh -c 'show ip route'")
    assert in_node(lab, "pc", "ip route show default").split()[:3] == ["default", "via", "10.0.2.1"]


def test_credentials_are_not_left_in_the_container(lab: runtime.Deployment) -> None:
    attrs = client().containers.get(lab.nodes["r1"].container).attrs
    assert not any(PASSWORD in item for item in attrs["Config"]["Env"])
    assert "credentials" not in in_node(lab, "r1", "ls /etc/labgrader")


def test_apply_configs_replaces_the_running_config(lab: runtime.Deployment) -> None:
    new = CONFIGS["r1"].replace("10.0.12.1/24", "10.0.12.9/24").replace("hostname r1", "hostname r1-new")
    runtime.apply_configs(lab, {"r1": new, "pc": CONFIGS["pc"]})
    running = in_node(lab, "r1", "vtysh -c 'show running-config'")
    assert "10.0.12.9/24" in running and "10.0.12.1/24" not in running
    assert "10.0.12.1/" not in in_node(lab, "r1", "ip -o -4 addr show dev eth1")
    runtime.apply_configs(lab.lab_id, {"r1": CONFIGS["r1"]})  # by lab id, state from Docker
    assert "10.0.12.1/24" in in_node(lab, "r1", "vtysh -c 'show running-config'")
    assert "10.0.2.10/24" in in_node(lab, "pc", "ip -o -4 addr show dev eth1")


def test_apply_configs_sets_up_ipv6_and_clears_configured_link_local_addresses(lab: runtime.Deployment) -> None:
    """IPv6 on both platforms (addresses usable at once, ospf6d running, a host's IPv6 default route); a
    link-local address of one configuration is gone in the next, the kernel's own is back."""
    v6_r1 = CONFIGS["r1"].replace(" ip address 10.0.12.1/24\n", " ip address 10.0.12.1/24\n"
                                  " ipv6 address 2001:db8:12::1/64\n ipv6 address fe80::1/64\n")
    v6_pc = CONFIGS["pc"] + "ip -6 address add 2001:db8:2::10/64 dev eth1\nip -6 route add default via 2001:db8:2::1\n"
    runtime.apply_configs(lab, {"r1": v6_r1, "pc": v6_pc})
    addresses = in_node(lab, "r1", "ip -o -6 addr show dev eth1")
    assert "2001:db8:12::1/64" in addresses and "inet6 fe80::1/64" in addresses
    assert "tentative" not in addresses  # no duplicate address detection in a lab
    assert "default via 2001:db8:2::1 dev eth1" in in_node(lab, "pc", "ip -6 route show")
    assert "OSPFv3 instance not found" in in_node(lab, "r1", "vtysh -c 'show ipv6 ospf6 neighbor'")
    runtime.apply_configs(lab, {"r1": CONFIGS["r1"], "pc": CONFIGS["pc"]})
    addresses = in_node(lab, "r1", "ip -o -6 addr show dev eth1")
    assert "2001:db8:12::1" not in addresses and "inet6 fe80::1/" not in addresses
    assert "inet6 fe80::" in addresses
    assert "2001:db8:2::10" not in in_node(lab, "pc", "ip -o -6 addr show dev eth1")


def test_apply_configs_reports_a_rejected_line(lab: runtime.Deployment) -> None:
    with pytest.raises(DeployError, match=r"node r1: .*bogus"):
        runtime.apply_configs(lab, {"r1": CONFIGS["r1"] + "interface eth1\n ip ospf bogus\n!\n"})
    runtime.apply_configs(lab, {"r1": CONFIGS["r1"]})


def test_inventory_file_is_accepted_by_the_model(lab: runtime.Deployment, tmp_path) -> None:
    path = lab.write_inventory(tmp_path / "inventory.yml")
    inventory = Inventory.model_validate(yaml.safe_load(path.read_text()))
    resolved = inventory.resolve("r2", environ={"LABGRADER_PASSWORD": PASSWORD})
    assert (resolved.host, resolved.port, resolved.username) == ("127.0.0.1", lab.nodes["r2"].ssh_port, USER)
    assert PASSWORD not in path.read_text()
    in_memory = lab.inventory().resolve("r1", environ={})
    assert in_memory.password is not None and in_memory.password.get_secret_value() == PASSWORD


def test_two_labs_side_by_side_then_destroy_leaves_nothing(lab: runtime.Deployment, run_id: str,
                                                            links_before: set[str]) -> None:
    second = runtime.deploy(f"{run_id}b", TOPOLOGY, CONFIGS, ssh_user=USER, ssh_password=PASSWORD)
    try:
        ids = {s.lab_id for s in running_labs()}
        assert {lab.lab_id, second.lab_id} <= ids
        assert "FRRouting" in ssh_exec(second.nodes["r2"].ssh_port, "show version")
        assert "FRRouting" in ssh_exec(lab.nodes["r2"].ssh_port, "show version")
    finally:
        assert runtime.destroy(second.lab_id) == 3
    assert lab_containers(second.lab_id) == []
    assert lab_status(second.lab_id) is None
    assert not {"eth1", "ge-0.1"} & (host_links() - links_before)
    assert lab_status(lab.lab_id) is not None and lab_status(lab.lab_id).running


def test_failed_configuration_removes_everything(device_images: dict, run_id: str) -> None:
    broken = dict(CONFIGS, pc="ip address add 10.0.2.10/24 dev nosuchdev\n")
    with pytest.raises(DeployError, match="node pc: configuration failed"):
        runtime.deploy(f"{run_id}c", TOPOLOGY, broken, ssh_user=USER, ssh_password=PASSWORD)
    assert lab_containers(f"{run_id}c") == []


def test_unknown_image_fails_before_creating_anything(device_images: dict, run_id: str) -> None:
    topology = TOPOLOGY.model_copy(deep=True)
    topology.nodes["r2"].image = "labgrader/nosuch:latest"
    with pytest.raises(DeployError, match="labgrader/nosuch"):
        runtime.deploy(f"{run_id}d", topology, {}, ssh_user=USER, ssh_password=PASSWORD)
    assert lab_containers(f"{run_id}d") == []


def test_interrupt_mid_deploy_cleans_up(device_images: dict, run_id: str, monkeypatch) -> None:
    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(nodeio, "wait_ready", interrupted)
    with pytest.raises(DeployError, match="interrupted"):
        runtime.deploy(f"{run_id}e", TOPOLOGY, CONFIGS, ssh_user=USER, ssh_password=PASSWORD)
    assert lab_containers(f"{run_id}e") == []


def test_cli_status_down_and_images(lab: runtime.Deployment, run_id: str) -> None:
    cli = CliRunner()
    shown = cli.invoke(status, [])
    assert shown.exit_code == 0 and f"lab {lab.lab_id}" in shown.output
    assert f"127.0.0.1:{lab.nodes['r1'].ssh_port}" in shown.output
    listed = cli.invoke(images, ["list"])
    assert listed.exit_code == 0 and "labgrader/frr:" in listed.output
    assert cli.invoke(down, [f"{run_id}-none"]).output.startswith("no lab")
    bad = cli.invoke(down, ["bad/id"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
