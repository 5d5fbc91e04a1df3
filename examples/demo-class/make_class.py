"""Make the demo class: 48 students of lab hcia-ospf-single-area, each with their own variant.

Every bundle is made from the lab's real recorded captures (``labs/hcia-ospf-single-area/submissions``),
re-rendered for the student's own variables (their two LANs, from the course secret in ``demo.secret``):

  s001-s016  correct work (the solution capture)
  s017-s033  broken work: area, hello-timer and passive-interface mistakes, a missing network, nothing done
  s034-s036  tampered: an output edited after the bundle was made (refused: sha256 mismatch)
  s037-s039  wrong variant: configured with a classmate's variables, or a classmate's bundle handed in
  s040-s043  fabricated: outputs edited by hand and the bundle re-made (graded, flagged by the
             cross-device consistency checks)
  s044       a bundle of another lab (refused)
  s045       a zip bomb (refused)
  s046       a zip whose entry climbs out of the bundle (refused)
  s047       dead devices: an inventory of devices that do not answer (error)
  s048       nothing submitted (refused)

Run it again after changing the lab or the bundle format; the output is deterministic:

    .venv/bin/python examples/demo-class/make_class.py
"""

from __future__ import annotations

import csv
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from grader.classwork.bundle import write_bundle  # noqa: E402
from grader.classwork.course import load_course  # noqa: E402
from grader.classwork.rerender import Rerenderer, bundle_from_capture  # noqa: E402
from grader.loader import LoadedLab, load_lab  # noqa: E402
from grader.model.evidence import Evidence  # noqa: E402
from grader.transport.capture import read_capture  # noqa: E402

LAB = ROOT / "labs" / "hcia-ospf-single-area"
OTHER_LAB = ROOT / "labs" / "hcia-static-routing"
SUBMISSIONS = LAB / "submissions"
BROKEN = ["area-mismatch"] * 3 + ["hello-mismatch"] * 3 + ["lan-not-passive"] * 3 + ["missing-network"] * 3 \
    + ["passive-transit"] * 3 + ["initial"] * 2
NAMES = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Vint", "Hedy",
         "Ken", "Margaret", "Dennis", "Sophie", "Tim"]


@dataclass
class Student:
    id: str
    name: str
    kind: str
    submission: str = ""


def _edit(evidence: Evidence, node: str, command: str, old: str, new: str) -> None:
    output = evidence[node].outputs[command]
    if old not in output.text:
        raise SystemExit(f"{node} {command}: {old!r} not found; the recorded capture changed?")
    output.text = output.text.replace(old, new, 1)


def _variant(loaded: LoadedLab, name: str, variables: dict[str, Any]) -> Evidence:
    capture = read_capture(SUBMISSIONS / name)
    old = loaded.variables(capture.manifest.variables)
    return Rerenderer(loaded, old, loaded.variables(variables)).evidence(capture.evidence)


def _write(loaded: LoadedLab, out: Path, student: str, variables: dict[str, Any], evidence: Evidence) -> None:
    when = read_capture(SUBMISSIONS / "solution").manifest.created
    assert when is not None
    write_bundle(out, loaded=loaded, student=student, variables=loaded.variables(variables), evidence=evidence,
                 started=when, finished=when, source="live")


def _fabricate(loaded: LoadedLab, number: int, out: Path, student: str, variables: dict[str, Any]) -> None:
    neighbours = "show ip ospf neighbor detail"
    if number == 0:  # r2-r3 never came up; r3's view copied from a working lab, r2's left as it was
        evidence = _variant(loaded, "area-mismatch", variables)
        evidence["r3"].outputs[neighbours] = _variant(loaded, "solution", variables)["r3"].outputs[neighbours]
    elif number == 1:  # a typo in a hand-written neighbour address
        evidence = _variant(loaded, "solution", variables)
        _edit(evidence, "r2", neighbours, "interface address 10.0.12.1", "interface address 10.0.12.10")
    elif number == 2:  # a router id typed by hand
        evidence = _variant(loaded, "solution", variables)
        _edit(evidence, "r2", neighbours, "Neighbor 1.1.1.1,", "Neighbor 1.1.1.11,")
    else:  # one end of the r1-r2 link re-addressed by hand
        evidence = _variant(loaded, "solution", variables)
        _edit(evidence, "r1", "show interface", "inet 10.0.12.1/24", "inet 10.0.21.1/24")
    _write(loaded, out, student, variables, evidence)


def _tamper(bundle: Path) -> None:
    """Change one output inside a finished bundle, leaving its manifest (and hashes) as they were."""
    with zipfile.ZipFile(bundle) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            if info.filename == "capture/r1/show_ip_route.txt":
                data += b"O>* 10.99.0.0/24 [110/20] via 10.0.12.2, eth1, weight 1, 00:00:42\n"
            archive.writestr(info, data)


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bundle.json", "{}")
        archive.writestr("capture/r1/show_ip_route.txt", b"\0" * (4 * 1024 * 1024))


def _escaping(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bundle.json", "{}")
        archive.writestr("capture/../../../home/student/.bashrc", "echo pwned\n")


def students() -> list[Student]:
    kinds = ["correct"] * 16 + [f"broken:{name}" for name in BROKEN] + ["tampered"] * 3 \
        + ["borrowed-variables"] * 2 + ["copied-bundle"] + [f"fabricated:{n}" for n in range(4)] \
        + ["other-lab", "zip-bomb", "escaping", "dead-devices", "nothing"]
    return [Student(f"s{n:03d}", f"{NAMES[(n - 1) % len(NAMES)]} {chr(64 + (n - 1) // len(NAMES) + 1)}.", kind)
            for n, kind in enumerate(kinds, start=1)]


DEAD_DEVICES = """\
# Devices that do not answer (nothing listens on port 9 of this machine): the batch records an error.
defaults: {username: student, password: not-a-secret, transport: ssh, timeout: 2}
nodes:
  r1: {host: 127.0.0.1, port: 9}
  r2: {host: 127.0.0.1, port: 9}
  r3: {host: 127.0.0.1, port: 9}
  pc1: {host: 127.0.0.1, port: 9}
  pc3: {host: 127.0.0.1, port: 9}
"""


def write_roster(roster: list[Student]) -> None:
    """``roster.csv``: the course roster (ids, names) and the batch roster (submissions) in one file."""
    with (HERE / "roster.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["student", "name", "submission"])
        writer.writerows([s.id, s.name, s.submission] for s in roster)


def main() -> None:
    loaded = load_lab(LAB)
    roster = students()
    for student in roster:
        student.submission = {"dead-devices": f"devices/{student.id}.yaml", "nothing": ""}.get(
            student.kind, f"bundles/{student.id}.zip")
    write_roster(roster)
    assignment = load_course(HERE / "course.yaml").assignment(loaded)
    bundles = HERE / "bundles"
    shutil.rmtree(bundles, ignore_errors=True)
    bundles.mkdir()
    (HERE / "devices").mkdir(exist_ok=True)
    borrowed = iter(["s001", "s002"])
    for student in roster:
        mine = assignment.of(student.id)
        out = HERE / student.submission if student.submission else None
        kind, _, detail = student.kind.partition(":")
        if kind == "correct":
            bundle_from_capture(loaded, SUBMISSIONS / "solution", out, student=student.id, variables=mine)
        elif kind == "broken":
            bundle_from_capture(loaded, SUBMISSIONS / detail, out, student=student.id, variables=mine)
        elif kind == "tampered":
            bundle_from_capture(loaded, SUBMISSIONS / "solution", out, student=student.id, variables=mine)
            _tamper(out)
        elif kind == "borrowed-variables":  # configured with a classmate's variables, then submitted
            friend = assignment.of(next(borrowed))
            _write(loaded, out, student.id, friend, _variant(loaded, "solution", friend))
        elif kind == "copied-bundle":  # a classmate's bundle handed in as it is
            shutil.copyfile(bundles / "s003.zip", out)
        elif kind == "fabricated":
            _fabricate(loaded, int(detail), out, student.id, mine)
        elif kind == "other-lab":
            bundle_from_capture(load_lab(OTHER_LAB), OTHER_LAB / "submissions" / "solution", out,
                                student=student.id, variables={})
        elif kind == "zip-bomb":
            _zip_bomb(out)
        elif kind == "escaping":
            _escaping(out)
        elif kind == "dead-devices":
            (HERE / student.submission).write_text(DEAD_DEVICES)
    print(f"{len(roster)} students: {HERE / 'roster.csv'}")


if __name__ == "__main__":
    main()
