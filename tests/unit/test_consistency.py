"""Cross-device consistency: real captures agree with themselves; fabricated ones are flagged, in every grading."""

from __future__ import annotations

import shutil
from ipaddress import ip_address, ip_interface
from pathlib import Path

import pytest
import yaml

from grader.engine.consistency import consistency_warnings
from grader.engine.session import grade_capture, grade_evidence
from grader.loader import load_lab
from grader.model.facts import BgpNeighbor, FactRequest, FactValue, Interface, OspfNeighbor, RunningConfig
from grader.transport.capture import read_capture

ROOT = Path(__file__).resolve().parents[2]
OSPF = ROOT / "labs" / "hcia-ospf-single-area"
EBGP = ROOT / "labs" / "hcip-ebgp"
RECORDED = sorted(p.parent for p in ROOT.glob("labs/*/submissions/*/manifest.yaml"))


@pytest.mark.parametrize("capture", RECORDED, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_real_recorded_captures_raise_no_warning(capture: Path) -> None:
    assert grade_capture(load_lab(capture.parent.parent), capture).report.warnings == []


def fabricate(tmp_path: Path, lab: Path, edits: list[tuple[str, str, str, str]], base: str = "solution") -> Path:
    """A capture of ``lab`` with outputs edited by hand: (node, file, old, new)."""
    folder = tmp_path / "fabricated"
    shutil.copytree(lab / "submissions" / base, folder)
    (folder / "expected.yaml").unlink()
    for node, name, old, new in edits:
        path = folder / node / name
        text = path.read_text()
        assert old in text, (node, name, old)
        path.write_text(text.replace(old, new))
    return folder


NEIGHBOURS = "show_ip_ospf_neighbor_detail.txt"


@pytest.mark.parametrize(("edits", "warning"), [
    ([("r2", NEIGHBOURS, "interface address 10.0.12.1", "interface address 10.0.12.10")],
     "r2 reports r1 as Full at 10.0.12.10 but r1 has no such address"),
    ([("r2", NEIGHBOURS, "Neighbor 1.1.1.1,", "Neighbor 1.1.1.11,")],
     "r2 reports r1 (10.0.12.1) with router id 1.1.1.11 but r1's router id is 1.1.1.1"),
    ([("r1", "show_interface.txt", "inet 10.0.12.1/24", "inet 10.0.21.1/24")],
     "link r1:eth1 - r2:eth1: r1 has 10.0.21.1/24, r2 has 10.0.12.2/24: not in one subnet"),
    ([("r2", NEIGHBOURS, "interface address 10.0.12.1", "interface address 10.0.99.1"),
      ("r2", NEIGHBOURS, "Neighbor 1.1.1.1,", "Neighbor 9.9.9.9,")],
     "r2 reports an OSPF neighbour 9.9.9.9 Full at 10.0.99.1 but no node of the lab has that address"),
    ([("r2", NEIGHBOURS, "interface address 10.0.12.1", "interface address 10.0.12.2")],
     "r2 reports itself as an OSPF neighbour (Full at 10.0.12.2)"),
])
def test_a_fabricated_ospf_capture_is_flagged(tmp_path: Path, edits: list[tuple[str, str, str, str]],
                                              warning: str) -> None:
    report = grade_capture(load_lab(OSPF), fabricate(tmp_path, OSPF, edits)).report
    assert warning in report.warnings, report.warnings


def test_a_neighbour_claimed_by_one_side_only_is_flagged(tmp_path: Path) -> None:
    """r2-r3 never came up (areas differ); r3's view was copied from a working lab, r2's left as it was."""
    folder = fabricate(tmp_path, OSPF, [], "area-mismatch")
    (folder / "r3" / NEIGHBOURS).write_text((OSPF / "submissions" / "solution" / "r3" / NEIGHBOURS).read_text())
    report = grade_capture(load_lab(OSPF), folder).report
    assert report.warnings == ["r3 reports r2 as Full at 10.0.23.2 but r2 does not list r3 as an OSPF neighbour"]


def test_a_fabricated_bgp_capture_is_flagged(tmp_path: Path) -> None:
    summary = "show_ip_bgp_summary.txt"
    folder = fabricate(tmp_path, EBGP, [("r1", summary, "10.0.12.2       4      65002",
                                         "10.0.12.2       4      65009")])
    warnings = grade_capture(load_lab(EBGP), folder).report.warnings
    assert warnings == ["r1 reports BGP peer 10.0.12.2 (r2) Established in AS 65009 but r2 is in AS 65002"]
    one_sided = fabricate(tmp_path / "b", EBGP, [], "wrong-remote-as")  # r1-r2 is Idle at both ends
    text = (EBGP / "submissions" / "solution" / "r1" / summary).read_text()
    (one_sided / "r1" / summary).write_text(text)  # r1's view copied from a working lab
    warnings = grade_capture(load_lab(EBGP), one_sided).report.warnings
    assert warnings == ["r1 reports BGP peer 10.0.12.2 (r2) Established but r2 has no Established session with r1"]


def test_live_and_in_memory_gradings_get_the_same_warnings(tmp_path: Path) -> None:
    folder = fabricate(tmp_path, OSPF, [("r2", NEIGHBOURS, "interface address 10.0.12.1",
                                         "interface address 10.0.12.10")])
    loaded = load_lab(OSPF)
    from_memory = grade_evidence(loaded, read_capture(folder).evidence, source="test").report.warnings
    assert from_memory == grade_capture(loaded, folder).report.warnings != []
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text())
    assert manifest["lab"] == loaded.lab.id


def fact(node: str, kind: str, value: object, error: str | None = None) -> tuple[FactRequest, FactValue]:
    request = FactRequest(node, kind)
    return request, FactValue(request=request, command="", value=value, error=error)


def test_missing_facts_mean_no_verdict() -> None:
    """Silence where a fact is missing: an unknown owner, an unreadable config, no interfaces of the peer."""
    topology = load_lab(OSPF).topology
    neighbour = OspfNeighbor(router_id=ip_address("1.1.1.1"), address=ip_address("10.0.12.77"), state="Full")
    facts = dict([fact("r2", "ospf_neighbors", [neighbour]),
                  fact("r2", "interfaces", [Interface("eth1", addresses=(ip_interface("10.0.12.2/24"),))])])
    assert consistency_warnings(topology, facts) == []  # r1's and r3's interfaces are unknown
    facts.update([fact("r1", "interfaces", [Interface("eth1", addresses=(ip_interface("10.0.12.1/24"),)),
                                            Interface("lo", addresses=(ip_interface("1.1.1.1/32"),))]),
                  fact("r3", "interfaces", None, error="could not read")])
    assert consistency_warnings(topology, facts) == ["r2 reports r1 as Full at 10.0.12.77 but r1 has no such address"]
    stale = OspfNeighbor(router_id=ip_address("172.17.0.9"), address=ip_address("10.0.12.1"), state="Init")
    facts.update([fact("r2", "ospf_neighbors", [stale]),
                  fact("r1", "running_config", RunningConfig("router ospf\n ospf router-id 1.1.1.1\n"))])
    assert consistency_warnings(topology, facts) == []  # a stale Init entry is what real routers show


def test_router_ids_and_local_as_are_read_from_each_dialect() -> None:
    topology = load_lab(EBGP).topology
    peer = BgpNeighbor(address=ip_address("10.0.12.2"), remote_as=65002, state="Established")
    base = dict([fact("r1", "bgp_neighbors", [peer]),
                 fact("r1", "interfaces", [Interface("eth1", addresses=(ip_interface("10.0.12.1/24"),))]),
                 fact("r2", "interfaces", [Interface("eth1", addresses=(ip_interface("10.0.12.2/24"),))])])
    for text in ("router bgp 65007\n bgp router-id 2.2.2.2\n", "bgp 65007\n router-id 2.2.2.2\n"):
        facts = {**base, **dict([fact("r2", "running_config", RunningConfig(text))])}
        assert consistency_warnings(topology, facts) == [
            "r1 reports BGP peer 10.0.12.2 (r2) Established in AS 65002 but r2 is in AS 65007"]
