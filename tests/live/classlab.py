"""A two-node lab (router r1, PC pc) written into a folder, for the class tests: every student's lab uses the
same addresses, so a packet that crossed from one lab into another would find a host that answers."""

from __future__ import annotations

from pathlib import Path

LAB_YAML = """\
id: {lab_id}
title: Class test lab
topology: topology.clab.yml
variables:
  lan:
    default: 1
    description: third octet of the LAN
  pc_dev:
    default: eth1
    description: the PC's LAN interface
objectives:
  - id: addressing
    title: R1's LAN interface addressed
    points: 50
    checks:
      - {{type: interface, node: r1, interface: eth1, ipv4: "192.168.{{{{ lan }}}}.1/24", oper: up}}
  - id: reach
    title: The PC reaches R1
    points: 50
    wait: 5
    checks:
      - {{type: ping, node: pc, target: "192.168.{{{{ lan }}}}.1"}}
"""
TOPOLOGY = """\
name: class-test
topology:
  nodes:
    r1: {kind: linux, image: labgrader/frr:latest, labels: {labgrader.platform: frr}}
    pc: {kind: linux, image: labgrader/host:latest, labels: {labgrader.platform: linux}}
  links:
    - endpoints: ["r1:eth1", "pc:eth1"]
"""
R1_SOLUTION = """\
frr defaults traditional
hostname r1
!
interface eth1
 ip address 192.168.{{ lan }}.1/24
exit
!
"""
R1_INITIAL = "frr defaults traditional\nhostname r1\n!\n"
PC = "ip address add 192.168.{{ lan }}.10/24 dev {{ pc_dev }}\nip route replace default via 192.168.{{ lan }}.1\n"


def write_lab(directory: Path, lab_id: str) -> Path:
    """Write the lab into ``directory`` and return it."""
    (directory / "configs" / "initial").mkdir(parents=True)
    (directory / "configs" / "solution").mkdir(parents=True)
    (directory / "lab.yaml").write_text(LAB_YAML.format(lab_id=lab_id))
    (directory / "topology.clab.yml").write_text(TOPOLOGY)
    (directory / "configs" / "initial" / "r1.cfg").write_text(R1_INITIAL)
    (directory / "configs" / "initial" / "pc.cfg").write_text(PC)
    (directory / "configs" / "solution" / "r1.cfg").write_text(R1_SOLUTION)
    (directory / "configs" / "solution" / "pc.cfg").write_text(PC)
    return directory
