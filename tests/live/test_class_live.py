"""A class on one machine, live: three students' labs side by side (a router and a PC each, same addresses in
every lab), one student's deployment failing and completed by a rerun, per-student passwords, SSH on the
address the instructor chose, and no way from one lab into another. Needs Docker."""

from __future__ import annotations

import json
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest
from classlab import R1_INITIAL, write_lab
from click.testing import CliRunner
from docker.models.containers import Container

from grader.cli import main
from grader.configs import lab_configs
from grader.loader import LoadedLab, load_lab
from grader.runtime import classroom
from grader.runtime.classroom import Student
from grader.runtime.classstore import ClassStore
from grader.runtime.deploy import apply_configs
from grader.runtime.dockerapi import client

pytestmark = pytest.mark.docker

LISTEN = "127.0.0.2"  # not the default: the ports must not answer on 127.0.0.1
STUDENTS = [Student("clsA", "Ada"), Student("clsB", "Bo"), Student("clsC", "Cy")]


class ClassLab:
    def __init__(self, loaded: LoadedLab, root: Path, roster: Path, first: classroom.ClassUpResult,
                 rerun_output: str) -> None:
        self.loaded, self.root, self.roster, self.first, self.rerun_output = loaded, root, roster, first, rerun_output

    @property
    def lab_id(self) -> str:
        return self.loaded.lab.id

    def passwords(self) -> dict[str, str]:
        return ClassStore(self.root, self.lab_id).passwords()

    def lab(self, student: str) -> classroom.StudentLab:
        return next(lab for lab in classroom.class_status(self.lab_id, self.root).labs if lab.student == student)

    def container(self, student: str, node: str) -> Container:
        return client().containers.get(self.lab(student).nodes[node].container)


@pytest.fixture(scope="module")
def klass(device_images: dict, run_id: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClassLab]:
    base = tmp_path_factory.mktemp("class")
    root = base / "state"
    lab_dir = base / "lab"
    lab_dir.mkdir()
    loaded = load_lab(write_lab(lab_dir, f"cls-{run_id}"))
    roster = base / "roster.csv"
    roster.write_text("student,name\n" + "".join(f"{s.id},{s.name}\n" for s in STUDENTS))

    def broken_for_c(student: Student) -> dict:
        return {"pc_dev": "nosuchdev"} if student.id == "clsC" else {}

    mp = pytest.MonkeyPatch()
    mp.setenv("LABGRADER_STATE_DIR", str(root))
    try:
        first = classroom.class_up(loaded, STUDENTS, config="solution", variables_for=broken_for_c, listen=LISTEN,
                                   root=root, ready_seconds=30)
        rerun = CliRunner().invoke(main, ["class", "up", str(lab_dir), "--roster", str(roster), "--config",
                                          "solution"])
        assert rerun.exit_code == 0, rerun.output
        yield ClassLab(loaded, root, roster, first, rerun.output)
    finally:
        classroom.class_down(loaded.lab.id, root=root)
        mp.undo()


def ssh(port: int, password: str, command: str | None = None) -> str:
    session = paramiko.SSHClient()
    session.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    session.connect(LISTEN, port=port, username="student", password=password, look_for_keys=False,
                    allow_agent=False, timeout=10)
    try:
        if command is None:
            return ""
        _, stdout, stderr = session.exec_command(command, timeout=20)
        return stdout.read().decode() + stderr.read().decode()
    finally:
        session.close()


def test_one_failure_is_reported_and_a_rerun_completes_the_class(klass: ClassLab) -> None:
    first = {o.student: o for o in klass.first.outcomes}
    assert first["clsA"].status == first["clsB"].status == "deployed"
    assert first["clsC"].status == "failed" and "node pc: configuration failed" in (first["clsC"].error or "")
    # the rerun (CLI, the lab's defaults) deployed only the missing lab
    assert "1 deployed, 0 redeployed, 2 kept, 0 failed" in klass.rerun_output
    view = classroom.class_status(klass.lab_id, klass.root)
    assert [(lab.student, lab.state) for lab in view.labs] == [(s.id, "ready") for s in STUDENTS]


def test_containers_are_named_and_labelled_per_student(klass: ClassLab) -> None:
    for student in STUDENTS:
        for node in ("r1", "pc"):
            container = klass.container(student.id, node)
            assert container.name == f"lg-{klass.lab_id}-{student.id}-{node}"
            labels = container.labels
            assert (labels["labgrader.class"], labels["labgrader.student"], labels["labgrader.node"]) == (
                klass.lab_id, student.id, node)
            assert labels["labgrader.lab"] == f"{klass.lab_id}-{student.id}"


def test_ssh_listens_only_on_the_chosen_address(klass: ClassLab) -> None:
    port = klass.lab("clsA").ports["r1"]
    assert klass.container("clsA", "r1").attrs["NetworkSettings"]["Ports"]["22/tcp"][0]["HostIp"] == LISTEN
    with socket.create_connection((LISTEN, port), timeout=5) as sock:
        assert sock.recv(4) == b"SSH-"
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=5):
        pass


def test_a_students_password_opens_only_their_own_devices(klass: ClassLab) -> None:
    passwords = klass.passwords()
    assert len(set(passwords.values())) == len(STUDENTS)
    a, b = klass.lab("clsA").ports, klass.lab("clsB").ports
    assert "FRRouting" in ssh(a["r1"], passwords["clsA"], "show version")
    for port in (b["r1"], b["pc"]):
        with pytest.raises(paramiko.AuthenticationException):
            ssh(port, passwords["clsA"])
    with pytest.raises(paramiko.AuthenticationException):
        ssh(a["pc"], passwords["clsB"])


def test_no_packet_crosses_from_one_lab_into_another(klass: ClassLab) -> None:
    passwords = klass.passwords()
    a, b = klass.lab("clsA"), klass.lab("clsB")
    ping = "ping -c 2 -W 1 192.168.1.1 >/dev/null 2>&1 && echo REACHED || echo UNREACHED"
    assert "REACHED" in ssh(a.ports["pc"], passwords["clsA"], ping).split()
    # 192.168.1.1 now answers in B's lab only (A's router lost it): a bridge between the labs would reach it
    apply_configs(a.deployment, {"r1": R1_INITIAL})
    try:
        assert "UNREACHED" in ssh(a.ports["pc"], passwords["clsA"], ping).split()
        assert "REACHED" in ssh(b.ports["pc"], passwords["clsB"], ping).split()
    finally:
        apply_configs(a.deployment, {"r1": lab_configs(klass.loaded, "solution")["r1"]})


def test_no_login_reaches_another_labs_management_address(klass: ClassLab) -> None:
    passwords = klass.passwords()
    target = klass.container("clsB", "r1").attrs["NetworkSettings"]["IPAddress"]
    with socket.create_connection((target, 22), timeout=5) as sock:  # the address is live, from the host
        assert sock.recv(4) == b"SSH-"
    probe = (f"ping -c 1 -W 1 {target} >/dev/null 2>&1 && echo PING-OK; "
             f"timeout 3 bash -c 'echo > /dev/tcp/{target}/22' 2>/dev/null && echo TCP-OK; echo DONE")
    out = ssh(klass.lab("clsA").ports["pc"], passwords["clsA"], probe)
    assert "DONE" in out and "PING-OK" not in out and "TCP-OK" not in out
    # a router's login is vtysh, whose ping runs the system ping beside the lab's interfaces
    assert "Network is unreachable" in ssh(klass.lab("clsA").ports["r1"], passwords["clsA"], f"ping {target}")


def test_passwords_appear_in_no_output_label_log_or_inspect(klass: ClassLab) -> None:
    passwords = list(klass.passwords().values())
    cli = CliRunner()
    status = cli.invoke(main, ["class", "status", klass.lab_id, "--json"], env={
        "LABGRADER_STATE_DIR": str(klass.root)})
    sheet = cli.invoke(main, ["class", "sheet", klass.lab_id], env={"LABGRADER_STATE_DIR": str(klass.root)})
    assert status.exit_code == 0 and sheet.exit_code == 0
    assert json.loads(status.output)["students"][0]["state"] == "ready"
    seen = [klass.rerun_output, status.output, sheet.output,
            (klass.root / "class" / klass.lab_id / "class.json").read_text()]
    for lab in classroom.class_status(klass.lab_id, klass.root).labs:
        for node in lab.nodes.values():
            container = client().containers.get(node.container)
            seen.append(json.dumps(container.attrs))
            seen.append(container.logs().decode(errors="replace"))
    blob = "\n".join(seen)
    assert passwords and not [p for p in passwords if p in blob]
    # they are kept in one place, readable by its owner only, and the sheet holds them
    store = ClassStore(klass.root, klass.lab_id)
    assert stat.S_IMODE(store.credentials_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700
    csv_sheet = store.directory / "access.csv"
    assert stat.S_IMODE(csv_sheet.stat().st_mode) == 0o600
    assert all(p in csv_sheet.read_text() for p in passwords)
    shown = cli.invoke(main, ["class", "sheet", klass.lab_id, "--show-passwords"],
                       env={"LABGRADER_STATE_DIR": str(klass.root)})
    assert all(p in shown.output for p in passwords)


def test_a_stopped_node_is_redeployed_with_the_same_ports_and_password(klass: ClassLab) -> None:
    kept_ids = {n: c.container for n, c in klass.lab("clsA").nodes.items()}
    before = klass.lab("clsB").ports
    password = klass.passwords()["clsB"]
    klass.container("clsB", "pc").stop(timeout=1)
    assert klass.lab("clsB").state == "incomplete"
    again = CliRunner().invoke(main, ["class", "up", str(klass.loaded.directory), "--roster", str(klass.roster),
                                      "--config", "solution"], env={"LABGRADER_STATE_DIR": str(klass.root)})
    assert again.exit_code == 0, again.output
    assert "0 deployed, 1 redeployed, 2 kept" in again.output
    assert klass.lab("clsB").state == "ready" and klass.lab("clsB").ports == before
    assert klass.passwords()["clsB"] == password
    assert "FRRouting" in ssh(before["r1"], password, "show version")
    assert {n: c.container for n, c in klass.lab("clsA").nodes.items()} == kept_ids


def test_batch_class_grades_every_lab_live_and_reports_a_dead_one(klass: ClassLab, tmp_path: Path) -> None:
    import zipfile

    klass.container("clsC", "pc").stop(timeout=1)
    env = {"LABGRADER_STATE_DIR": str(klass.root)}
    out, bundles = tmp_path / "out", tmp_path / "bundles"
    cli = CliRunner()
    try:
        graded = cli.invoke(main, ["batch", str(klass.loaded.directory), "--class", "--out", str(out),
                                   "--save-bundles", str(bundles)], env=env)
        assert graded.exit_code == 1, graded.output  # one lab could not be graded
        assert "3 students: 2 graded, 0 refused, 1 errors" in graded.output
        journal = {e["student"]: e for e in map(json.loads, (out / "journal.jsonl").read_text().splitlines())}
        assert journal["clsA"]["status"] == journal["clsB"]["status"] == "graded"
        assert journal["clsA"]["score"] == journal["clsA"]["max_score"] == 100
        assert journal["clsB"]["submission"] == f"class:{klass.lab_id}-clsB"
        assert journal["clsC"]["status"] == "error" and "incomplete" in journal["clsC"]["reason"]
        assert sorted(p.name for p in bundles.iterdir()) == ["clsA.zip", "clsB.zip"]
        again = cli.invoke(main, ["batch", str(klass.loaded.directory), "--class", "--out", str(out)], env=env)
        assert "3 already done" in again.output
        # the folder is a batch folder like any other: exports and the class report read it
        exported = cli.invoke(main, ["export", str(out), "--format", "moodle-csv", "--out", str(tmp_path / "g.csv")])
        assert exported.exit_code == 0, exported.output
        assert "clsA" in (tmp_path / "g.csv").read_text()
        assert cli.invoke(main, ["report", str(out)]).exit_code == 0
        # no password in the batch folder, the bundles (unpacked) or what the commands printed
        seen = [graded.output, again.output] + [p.read_text() for p in out.rglob("*") if p.is_file()]
        for bundle in bundles.iterdir():
            with zipfile.ZipFile(bundle) as archive:
                seen += [archive.read(name).decode(errors="replace") for name in archive.namelist()]
        blob = "\n".join(seen)
        assert not [p for p in klass.passwords().values() if p in blob]
    finally:
        restored = cli.invoke(main, ["class", "up", str(klass.loaded.directory), "--roster", str(klass.roster),
                                     "--config", "solution"], env=env)
        assert restored.exit_code == 0, restored.output


def test_down_one_student_then_the_class(device_images: dict, run_id: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "state"
    monkeypatch.setenv("LABGRADER_STATE_DIR", str(root))
    lab_dir = tmp_path / "lab"
    lab_dir.mkdir()
    loaded = load_lab(write_lab(lab_dir, f"cls-{run_id}-d"))
    students = STUDENTS[:2]
    result = classroom.class_up(loaded, students, root=root, workers=2)
    assert [o.status for o in result.outcomes] == ["deployed", "deployed"]
    cli = CliRunner()
    one = cli.invoke(main, ["class", "down", loaded.lab.id, "--student", "clsA"])
    assert one.exit_code == 0 and "removed 2 containers" in one.output
    assert set(ClassStore(root, loaded.lab.id).passwords()) == {"clsB"}
    assert [lab.student for lab in classroom.class_status(loaded.lab.id, root).labs] == ["clsB"]
    everything = cli.invoke(main, ["class", "down", loaded.lab.id])
    assert everything.exit_code == 0 and "removed 2 containers" in everything.output
    assert classroom.class_containers(loaded.lab.id) == []
    assert not (root / "class" / loaded.lab.id).exists()


def test_a_node_without_management_isolation_fails_its_students_lab(device_images: dict, run_id: str,
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from grader.runtime import nodeio

    real = nodeio.wait_ready

    def pc_not_isolated(node: str, *args: object) -> bool:
        return real(node, *args) and node != "pc"  # type: ignore[arg-type]

    monkeypatch.setattr(nodeio, "wait_ready", pc_not_isolated)
    lab_dir = tmp_path / "lab"
    lab_dir.mkdir()
    loaded = load_lab(write_lab(lab_dir, f"cls-{run_id}-i"))
    result = classroom.class_up(loaded, [Student("clsA")], root=tmp_path / "state")
    assert result.outcomes[0].status == "failed"
    assert "node pc: its management interface could not be moved" in (result.outcomes[0].error or "")
    assert classroom.class_containers(loaded.lab.id) == []
    classroom.class_down(loaded.lab.id, root=tmp_path / "state")
