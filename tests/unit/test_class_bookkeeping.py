"""``class_up``'s bookkeeping over a fake deploy (no engine needed, the Docker SDK is): failures isolated,
reruns completing, ports and passwords kept, inventories carrying each student's password."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("docker")

from grader.errors import DeployError, LabFileError
from grader.loader import load_lab
from grader.runtime import classaccess, classroom
from grader.runtime import deploy as deploy_module
from grader.runtime.classroom import Student
from grader.runtime.classstore import ClassStore

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "labs" / "hcia-static-routing"


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
        self.calls.append({"lab_id": lab_id, "configs": configs, **options})
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
    inventories, problems = classaccess.class_inventories(loaded.lab.id, tmp_path)
    assert set(inventories) == {"a"} and "absent" in problems["b"]
    resolved = inventories["a"].resolve("r1", environ={})
    password = ClassStore(tmp_path, loaded.lab.id).passwords()["a"]
    assert resolved.password is not None and resolved.password.get_secret_value() == password
    assert (resolved.host, resolved.username) == ("127.0.0.1", "student")
    assert password not in repr(inventories["a"])


def test_an_address_this_machine_does_not_have_is_refused_once(docker: FakeDocker, tmp_path: Path) -> None:
    with pytest.raises(DeployError, match=r"cannot listen on 192\.0\.2\.1"):
        classroom.class_up(load_lab(STATIC), [Student("a")], root=tmp_path, listen="192.0.2.1")
    assert docker.calls == []


def test_student_variants_come_from_the_course(docker: FakeDocker, tmp_path: Path) -> None:
    from grader.classwork.course import load_course
    from grader.cli.classroom import _variables_for

    (tmp_path / "course.secret").write_text("a course secret of enough length\n")
    (tmp_path / "roster.csv").write_text("student,name\ns1,Ada\ns2,Bo\n")
    (tmp_path / "course.yaml").write_text("name: test\nsecret_file: course.secret\nroster: roster.csv\n")
    loaded = load_lab(STATIC)
    variables_for = _variables_for(True, loaded, tmp_path / "course.yaml")
    result = classroom.class_up(loaded, [Student("s1"), Student("s2")], variables_for=variables_for,
                                root=tmp_path / "state")
    assert [o.status for o in result.outcomes] == ["deployed", "deployed"]
    course = load_course(tmp_path / "course.yaml")
    deployed = {call["labels"]["labgrader.student"]: call["configs"] for call in docker.calls}
    for student in ("s1", "s2"):
        mine = course.variables_of(loaded, student)
        assert mine and classroom.class_status(loaded.lab.id, tmp_path / "state").settings.students[
            student].variables == mine
        assert f"192.168.{mine['lan_a']}.10/24" in deployed[student]["pc1"]
    assert course.variables_of(loaded, "s1") != course.variables_of(loaded, "s2")
    with pytest.raises(LabFileError, match="needs the course"):
        _variables_for(True, loaded, None)
