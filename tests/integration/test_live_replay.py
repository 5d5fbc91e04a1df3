"""Recorded scenarios replayed through the whole live path: each node of a recorded submission becomes a
scripted device behind a real SSH or telnet server on 127.0.0.1 (paging on, prompts, dialogs), labgrader grades
it live through its inventory, and the report equals the one graded from the capture."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from grader.engine.session import LiveOptions, grade_capture, grade_live
from grader.loader import load_lab
from grader.model.inventory import Connection, Inventory
from grader.platforms import get_platform
from grader.transport.capture import read_capture
from grader.transport.fake import devices_from_evidence
from grader.transport.fake_servers import serving
from grader.transport.netmiko_cli import NetmikoTransport

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = [ROOT / "labs" / lab / "submissions" / run for lab, run in (
    ("hcia-static-routing", "solution"), ("hcia-static-routing", "wrong-mask"),
    ("hcia-ospf-single-area", "hello-mismatch"), ("hcip-ebgp", "solution"),
    ("hcia-vlan-intervlan", "solution"), ("hcia-vlan-intervlan", "trunk-left-default"),
    ("hcia-stp", "solution"), ("hcia-stp", "root-on-wrong-switch"),
    ("hcia-eth-trunk", "solution"), ("hcia-eth-trunk", "member-missing"),
    ("ccna-vlans-trunk", "solution"), ("ccna-vlans-trunk", "allowed-missing-vlan"),
    ("hcia-acl", "solution"), ("hcia-acl", "wrong-direction"),
    ("hcia-nat-dhcp", "solution"), ("hcia-nat-dhcp", "nat-on-lan-interface"),
    ("hcia-vrrp", "solution"), ("hcia-vrrp", "priorities-swapped"),
    ("hcia-ipv6", "solution"), ("hcia-ipv6", "static-prefix-typo"),
    ("ccna-services", "solution"), ("ccna-services", "nat-acl-mask"))]


@pytest.mark.parametrize("transport", ["ssh", "telnet"])
@pytest.mark.parametrize("submission", SCENARIOS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_live_grading_of_a_replayed_scenario_equals_grading_its_capture(submission: Path, transport: str) -> None:
    loaded = load_lab(submission.parent.parent)
    capture = read_capture(submission)
    profiles = {node: get_platform(loaded.topology.nodes[node].platform).session for node in capture.evidence}
    # a host has no console: it is always reached over SSH
    ways = {node: transport if profile.telnet_device_type else "ssh" for node, profile in profiles.items()}
    devices = devices_from_evidence(capture.evidence, {node: p.dialect for node, p in profiles.items()},
                                    page_lines=12, username="student", password="s3cret")
    for node, device in devices.items():
        device.console_login = ways[node] == "telnet"
    with serving({node: (device, ways[node]) for node, device in devices.items()}) as servers:
        inventory = Inventory(
            defaults=Connection(username="student", password=SecretStr("s3cret"), timeout=5),
            nodes={node: Connection(host=server.host, port=server.port, transport=ways[node])
                   for node, server in servers.items()})
        live = grade_live(loaded, NetmikoTransport(inventory, retry_after=0.1),
                          options=LiveOptions(max_wait=0)).report
    recorded = grade_capture(loaded, submission).report
    assert [(o.id, o.outcome, o.score) for o in live.objectives] == \
        [(o.id, o.outcome, o.score) for o in recorded.objectives]
    assert not [n for n in live.nodes if n.error]
