"""Class deployments without Docker: roster, names, the password store, access sheets, and ``class_up``'s
bookkeeping (failures isolated, reruns completing, ports and passwords kept) over a fake deploy."""

from __future__ import annotations

import csv
import io
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from grader.cli.classroom import read_roster
from grader.errors import DeployError, LabFileError
from grader.loader import load_lab
from grader.runtime import classroom
from grader.runtime import deploy as deploy_module
from grader.runtime.access_sheet import MASK, sheet_csv, sheet_html, sheet_text, write_sheets
from grader.runtime.classroom import AccessEntry, Student, deployment_id, student_slug
from grader.runtime.classstore import ClassStore, new_password
from grader.runtime.state import check_listen, connect_host

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "labs" / "hcia-static-routing"


# roster and names


def test_roster_reads_ids_and_names(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("\ufeffStudent_ID,Name,email\ns1,Ada Lovelace,a@x\n\ns2,,b@x\n")
    assert read_roster(roster) == [Student("s1", "Ada Lovelace"), Student("s2", "")]


@pytest.mark.parametrize(("text", "message"), [
    ("name\nAda\n", ":1: the roster needs a column 'id'"),
    ("id,name\ns1,A\ns1,B\n", ":3: student 's1' is listed twice"),
    ("id,name\n,A\n", ":2: no student id"),
    ("", ":1: the roster is empty"),
])
def test_roster_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(text)
    with pytest.raises(LabFileError, match=re.escape(message)):
        read_roster(roster)


def test_student_ids_that_cannot_name_a_container_get_a_stable_distinct_slug() -> None:
    assert student_slug("s-042") == "s-042"
    odd = [student_slug(s) for s in ("ada@uni.example", "Ada@uni.example", "ada uni", "élève 7")]
    assert len(set(odd)) == 4
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*-[0-9a-f]{6}", slug) for slug in odd)
    assert student_slug("ada@uni.example") == odd[0]
    assert deployment_id("lab1", "s-042") == "lab1-s-042"
    with pytest.raises(DeployError, match="shorten the lab id"):
        deployment_id("l" * 60, "s-042")


def test_listen_addresses() -> None:
    assert check_listen("0.0.0.0") == "0.0.0.0"
    assert check_listen("::1") == "::1"
    with pytest.raises(DeployError, match="not an IP address"):
        check_listen("localhost")
    assert connect_host("0.0.0.0") == "127.0.0.1"
    assert connect_host("::") == "::1"
    assert connect_host("192.0.2.7") == "192.0.2.7"


# the password store


def test_passwords_are_random_and_readable() -> None:
    made = {new_password() for _ in range(50)}
    assert len(made) == 50
    assert all(re.fullmatch(r"[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}", p) for p in made)


def test_store_keeps_passwords_private_and_stable(tmp_path: Path) -> None:
    store = ClassStore(tmp_path, "lab1")
    first = store.ensure_passwords(["a", "b"])
    assert stat.S_IMODE(store.credentials_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700
    again = store.ensure_passwords(["b", "c"])
    assert again["b"] == first["b"] and again["c"] not in first.values()
    assert store.passwords() == {**first, "c": again["c"]}
    store.credentials_path.chmod(0o644)
    store.passwords()
    assert stat.S_IMODE(store.credentials_path.stat().st_mode) == 0o600
    store.forget(["a"])
    assert set(store.passwords()) == {"b", "c"}
    store.forget(None)
    assert not store.directory.exists()


def test_only_one_command_works_on_a_class_at_a_time(tmp_path: Path) -> None:
    store = ClassStore(tmp_path, "lab1")
    with store.exclusive(), pytest.raises(DeployError, match="another labgrader command"), \
            ClassStore(tmp_path, "lab1").exclusive():
        pass
    with store.exclusive():
        pass


# access sheets


ENTRIES = [
    AccessEntry("s1", "=HYPERLINK(\"http://x\")", "lab.example", "student", {"r1": 40001, "pc": 40002}, "ready",
                password="aaaa-bbbb-cccc"),
    AccessEntry("s2", "<b>Bo</b>", "lab.example", "student", {}, "absent", password="dddd-eeee-ffff"),
]


def test_csv_sheet_has_a_row_per_student_and_a_port_column_per_node() -> None:
    rows = list(csv.DictReader(io.StringIO(sheet_csv(ENTRIES))))
    assert [r["student"] for r in rows] == ["s1", "s2"]
    assert (rows[0]["r1"], rows[0]["pc"], rows[0]["password"]) == ("40001", "40002", "aaaa-bbbb-cccc")
    assert rows[0]["name"].startswith("'=")  # a spreadsheet shows it as text, never runs it
    assert rows[1]["r1"] == "" and rows[1]["state"] == "absent"


def test_text_sheet_masks_passwords_unless_asked() -> None:
    masked = sheet_text("lab1", ENTRIES)
    assert "aaaa-bbbb-cccc" not in masked and MASK in masked
    assert "ssh -p 40001 student@lab.example" in masked and "[absent]" in masked
    assert "aaaa-bbbb-cccc" in sheet_text("lab1", ENTRIES, show_passwords=True)


def test_html_sheet_escapes_names(tmp_path: Path) -> None:
    page = sheet_html("lab1", "Lab <1>", ENTRIES)
    assert "<b>Bo</b>" not in page and "&lt;b&gt;Bo&lt;/b&gt;" in page and "Lab &lt;1&gt;" in page
    paths = write_sheets(tmp_path / "out", "lab1", "Lab", ENTRIES)
    assert {p.name for p in paths} == {"access.csv", "access.txt", "access.html"}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)


# class_up's bookkeeping over a fake Docker


@dataclass
class FakeContainer:
    name: str
    labels: dict[str, str]
    port: int
    status: str = "running"
    attrs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.attrs = {"NetworkSettings": {"Ports": {"22/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(self.port)}]}},
                      "Config": {"Image": "labgrader/frr:x"}}


class FakeDocker:
    def __init__(self) -> None:
        self.containers: list[FakeContainer] = []
        self.calls: list[dict[str, Any]] = []
        self.fail: set[str] = set()
        self.next_port = 40000

    def deploy(self, lab_id: str, topology: Any, configs: dict[str, str], **options: Any) -> deploy_module.Deployment:
        self.calls.append({"lab_id": lab_id, **options})
        student = options["labels"]["labgrader.student"]
        if student in self.fail:
            raise DeployError(f"node pc: configuration failed for {student}")
        nodes = {}
        for node in sorted(topology.nodes):
            port = options["host_ports"].get(node) or self._port()
            self.containers.append(FakeContainer(f"lg-{lab_id}-{node}", {
                **options["labels"], "labgrader.lab": lab_id, "labgrader.node": node}, port))
            nodes[node] = deploy_module.DeployedNode(node, "frr", f"lg-{lab_id}-{node}", port)
        return deploy_module.Deployment(lab_id=lab_id, nodes=nodes)

    def _port(self) -> int:
        self.next_port += 1
        return self.next_port

    def of_class(self, lab_id: str) -> list[FakeContainer]:
        return [c for c in self.containers if c.labels.get("labgrader.class") == lab_id]

    def remove(self, containers: list[FakeContainer]) -> list[str]:
        for container in containers:
            if container in self.containers:
                self.containers.remove(container)
        return []


@pytest.fixture
def docker(monkeypatch: pytest.MonkeyPatch) -> FakeDocker:
    fake = FakeDocker()
    monkeypatch.setattr(deploy_module, "deploy", fake.deploy)
    monkeypatch.setattr(deploy_module, "destroy", lambda lab_id: 0)
    monkeypatch.setattr(classroom, "class_containers", fake.of_class)
    monkeypatch.setattr(classroom, "remove_containers", fake.remove)
    return fake


def test_class_up_isolates_failures_and_a_rerun_completes_the_class(docker: FakeDocker, tmp_path: Path) -> None:
    loaded = load_lab(STATIC)
    students = [Student("a"), Student("b"), Student("c")]
    docker.fail = {"b"}
    first = classroom.class_up(loaded, students, root=tmp_path)
    assert [(o.student, o.status) for o in first.outcomes] == [("a", "deployed"), ("b", "failed"),
                                                                ("c", "deployed")]
    assert "configuration failed for b" in (first.outcomes[1].error or "")
    passwords = ClassStore(tmp_path, loaded.lab.id).passwords()
    assert set(passwords) == {"a", "b", "c"}
    for call in docker.calls:
        assert call["isolated_management"] is True and call["listen"] == "127.0.0.1"
        student = call["labels"]["labgrader.student"]
        assert call["ssh_password"] == passwords[student]
        assert passwords[student] not in repr(call["labels"])
    docker.fail = set()
    docker.calls.clear()
    second = classroom.class_up(loaded, students, root=tmp_path)
    assert [o.status for o in second.outcomes] == ["kept", "deployed", "kept"]
    assert [c["lab_id"] for c in docker.calls] == [f"{loaded.lab.id}-b"]
    assert ClassStore(tmp_path, loaded.lab.id).passwords() == passwords
    view = classroom.class_status(loaded.lab.id, tmp_path)
    assert [(lab.student, lab.state) for lab in view.labs] == [("a", "ready"), ("b", "ready"), ("c", "ready")]


def test_an_incomplete_lab_is_redeployed_on_its_old_ports(docker: FakeDocker, tmp_path: Path) -> None:
    loaded = load_lab(STATIC)
    classroom.class_up(loaded, [Student("a"), Student("b")], root=tmp_path)
    before = classroom.class_status(loaded.lab.id, tmp_path).labs[1].ports
    next(c for c in docker.containers if c.labels["labgrader.student"] == "b").status = "exited"
    assert classroom.class_status(loaded.lab.id, tmp_path).labs[1].state == "incomplete"
    docker.calls.clear()
    again = classroom.class_up(loaded, [Student("a"), Student("b")], root=tmp_path)
    assert [o.status for o in again.outcomes] == ["kept", "redeployed"]
    assert docker.calls[0]["host_ports"] == before
    assert classroom.class_status(loaded.lab.id, tmp_path).labs[1].ports == before


def test_class_keeps_its_address_until_taken_down(docker: FakeDocker, tmp_path: Path) -> None:
    loaded = load_lab(STATIC)
    classroom.class_up(loaded, [Student("a")], root=tmp_path, listen="127.0.0.3")
    with pytest.raises(DeployError, match=re.escape("is deployed on 127.0.0.3")):
        classroom.class_up(loaded, [Student("a")], root=tmp_path, listen="0.0.0.0")
    classroom.class_up(loaded, [Student("a"), Student("b")], root=tmp_path)  # no --listen: as before
    assert {c["listen"] for c in docker.calls} == {"127.0.0.3"}
    classroom.class_down(loaded.lab.id, root=tmp_path)
    assert docker.containers == [] and not ClassStore(tmp_path, loaded.lab.id).directory.exists()


def test_inventories_carry_each_students_password(docker: FakeDocker, tmp_path: Path) -> None:
    loaded = load_lab(STATIC)
    docker.fail = {"b"}
    classroom.class_up(loaded, [Student("a"), Student("b")], root=tmp_path)
    inventories, problems = classroom.class_inventories(loaded.lab.id, tmp_path)
    assert set(inventories) == {"a"} and "absent" in problems["b"]
    resolved = inventories["a"].resolve("r1", environ={})
    password = ClassStore(tmp_path, loaded.lab.id).passwords()["a"]
    assert resolved.password is not None and resolved.password.get_secret_value() == password
    assert (resolved.host, resolved.username) == ("127.0.0.1", "student")
    assert password not in repr(inventories["a"])
