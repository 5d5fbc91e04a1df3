"""A class on one machine: one lab per student, deployed side by side, each student with their own password.

Each student's lab is an ordinary deployment (``grader.runtime.deploy``) whose id is ``<lab>-<slug>``, the slug
being the student id when it can name a container (else a cleaned-up id plus a short hash). So its containers
are ``lg-<lab>-<slug>-<node>``, labelled ``labgrader.lab=<lab>-<slug>``, ``labgrader.class=<lab>``,
``labgrader.student=<student id>`` and ``labgrader.node=<node>``, and ``labgrader status``/``down`` see every
student's lab as a lab of its own.

Students are kept apart three ways:

* data plane: a lab's links are veth pairs between its own containers only, so no packet leaves a lab;
* management: every node's ``eth0`` (Docker's bridge, which carries SSH) sits in a namespace of its own (see
  the recipes' README), so a login -- and so a student -- cannot reach another container's management address;
  a node where that isolation failed fails its student's deployment;
* access: each student's devices accept only that student's random password (``classstore``), on SSH ports
  published on the address the instructor chooses (``listen``, 127.0.0.1 by default).

``class_up`` is resumable: a student whose lab completed is left alone, a lab that is missing or incomplete (a
crash, a stopped container, a failure) is removed and deployed again with the same password. One student's
failure is reported in their ``StudentOutcome`` and never stops the others.
"""

from __future__ import annotations

import hashlib
import re
import socket
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from grader.errors import DeployError, GraderError
from grader.loader import LoadedLab
from grader.runtime.classstore import ClassSettings, ClassStore, StudentRecord
from grader.runtime.state import (
    CLASS_LABEL,
    NODE_LABEL,
    STUDENT_LABEL,
    NodeStatus,
    check_lab_id,
    check_listen,
    node_status,
    remove_containers,
)
from grader.text import printable

if TYPE_CHECKING:  # the Docker SDK (labgrader[lab]) is imported only when Docker is talked to
    from docker.models.containers import Container

DEFAULT_LISTEN = "127.0.0.1"
DEFAULT_WORKERS = 4
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,23}$")
_PORT_TAKEN = re.compile(r"already allocated|address already in use", re.IGNORECASE)


@dataclass(frozen=True)
class Student:
    """A student of the roster: an id (unique in the class) and a name for people."""

    id: str
    name: str = ""


VariablesFor = Callable[[Student], dict[str, Any]]


def lab_defaults(student: Student) -> dict[str, Any]:
    """``variables_for`` when students share one variant: no overrides, the lab's defaults apply."""
    return {}


def student_slug(student_id: str) -> str:
    """The part of container names that stands for the student: the id itself when it can be one."""
    if _SLUG.match(student_id):
        return student_id
    cleaned = re.sub(r"[^a-z0-9]+", "-", student_id.lower()).strip("-")[:16] or "s"
    return f"{cleaned}-{hashlib.sha256(student_id.encode()).hexdigest()[:6]}"


def deployment_id(lab_id: str, student_id: str) -> str:
    """The id of one student's lab: ``<lab>-<slug>`` (``DeployError`` when it would be too long)."""
    candidate = f"{lab_id}-{student_slug(student_id)}"
    try:
        return check_lab_id(candidate)
    except DeployError:
        raise DeployError(f"lab id {lab_id!r} with student {printable(student_id, one_line=True)!r} makes "
                          f"{candidate!r}, longer than 63 characters: shorten the lab id") from None


@dataclass(frozen=True)
class StudentOutcome:
    """What ``class_up`` did for one student."""

    student: str
    status: Literal["deployed", "redeployed", "kept", "failed"]
    seconds: float = 0.0
    error: str | None = None


class ClassObserver:
    """Told about a class deployment as it goes (from worker threads); the runtime never prints."""

    def class_started(self, students: int, to_deploy: int) -> None:
        pass

    def student_started(self, student: str) -> None:
        pass

    def student_finished(self, outcome: StudentOutcome) -> None:
        pass


@dataclass(frozen=True)
class StudentLab:
    """One student's lab as Docker shows it, with what the class remembers of it."""

    student: str
    name: str
    deployment: str
    state: Literal["ready", "incomplete", "absent"]
    nodes: dict[str, NodeStatus] = field(default_factory=dict)

    @property
    def ports(self) -> dict[str, int]:
        return {name: n.ssh_port for name, n in sorted(self.nodes.items()) if n.ssh_port is not None}


@dataclass(frozen=True)
class ClassView:
    """A class: its settings and every student's lab (roster order, then students only Docker knows)."""

    settings: ClassSettings | None
    labs: list[StudentLab]

    @property
    def lab_id(self) -> str:
        return self.settings.lab if self.settings else ""

    def ready(self) -> list[StudentLab]:
        return [lab for lab in self.labs if lab.state == "ready"]


@dataclass(frozen=True)
class AccessEntry:
    """What one student needs to reach their lab. The password is left out of ``repr``."""

    student: str
    name: str
    host: str
    username: str
    ports: dict[str, int]
    state: str
    password: str = field(repr=False, default="")
    node_hosts: dict[str, str] = field(default_factory=dict)  # a node reached at another host than ``host``

    def host_of(self, node: str) -> str:
        return self.node_hosts.get(node, self.host)


@dataclass(frozen=True)
class ClassUpResult:
    settings: ClassSettings
    outcomes: list[StudentOutcome]

    @property
    def failed(self) -> list[StudentOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def default_root() -> Path:
    from grader.live import state_dir

    return state_dir()


def class_containers(lab_id: str) -> list[Container]:
    """Every container of the class of ``lab_id``, whatever its state."""
    from docker.errors import APIError

    from grader.runtime.dockerapi import client

    try:
        return client().containers.list(all=True, filters={"label": f"{CLASS_LABEL}={check_lab_id(lab_id)}"})
    except APIError as exc:
        raise DeployError(f"cannot list containers: {exc.explanation or exc}") from None


def _by_student(containers: Iterable[Container]) -> dict[str, list[Container]]:
    found: dict[str, list[Container]] = {}
    for container in containers:
        found.setdefault(container.labels.get(STUDENT_LABEL, ""), []).append(container)
    return found


def _lab_of(student: str, name: str, deployment: str, containers: list[Container], nodes: list[str],
            complete: bool) -> StudentLab:
    statuses = {c.labels.get(NODE_LABEL, c.name): node_status(c) for c in containers}
    ready = (complete and set(statuses) == set(nodes)
             and all(s.state == "running" and s.ssh_port is not None for s in statuses.values()))
    state: Literal["ready", "incomplete", "absent"] = "ready" if ready else "incomplete" if statuses else "absent"
    return StudentLab(student, name, deployment, state, dict(sorted(statuses.items())))


def class_status(lab_id: str, root: Path | None = None) -> ClassView:
    """The class of ``lab_id``: what its state directory remembers and what Docker runs."""
    store = ClassStore(root or default_root(), check_lab_id(lab_id))
    settings = store.load()
    running = _by_student(class_containers(lab_id))
    labs: list[StudentLab] = []
    nodes = settings.nodes if settings else []
    for student, record in (settings.students.items() if settings else []):
        labs.append(_lab_of(student, record.name, record.deployment, running.pop(student, []), nodes,
                            record.complete))
    for student, containers in sorted(running.items()):  # labs the state directory does not know
        labs.append(_lab_of(student, "", deployment_id(lab_id, student) if student else "?", containers, nodes,
                            False))
    return ClassView(settings, labs)


def _check_students(students: list[Student], lab_id: str) -> None:
    seen: dict[str, str] = {}
    for student in students:
        if not student.id or student.id != student.id.strip() or not student.id.isprintable():
            raise DeployError(f"student id {printable(student.id, one_line=True)!r}: empty, padded or with "
                              "control characters")
        slug = deployment_id(lab_id, student.id)
        if slug in seen:
            raise DeployError(f"students {seen[slug]!r} and {student.id!r} would share the lab {slug!r}")
        seen[slug] = student.id


def _check_bindable(listen: str) -> str:
    """``listen`` if this machine has that address (else every student's deployment would fail alike)."""
    family = socket.AF_INET6 if ":" in listen else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((listen, 0))
    except OSError as exc:
        raise DeployError(f"cannot listen on {listen}: {exc.strerror or exc} (is it an address of this machine?)"
                          ) from None
    return listen


def _default_host(listen: str) -> str:
    return socket.getfqdn() if listen in ("0.0.0.0", "::") else listen


def class_up(loaded: LoadedLab, students: list[Student], *, config: str = "initial",
             variables_for: VariablesFor = lab_defaults, listen: str | None = None, host: str | None = None,
             username: str = "student", workers: int = DEFAULT_WORKERS, observer: ClassObserver | None = None,
             root: Path | None = None, ready_seconds: float | None = None) -> ClassUpResult:
    """Deploy the lab once per student in ``students`` (in parallel, ``workers`` at a time); see the module.

    ``listen``: where the SSH ports are published (default: as before for this class, else 127.0.0.1); a class
    already deployed on another address must be taken down first. ``host``: the name students connect to,
    printed on the access sheet (default: the listen address, or this machine's name for a wildcard).
    """
    from grader.configs import lab_configs
    from grader.runtime.deploy import READY_SECONDS, Deployment, deploy, destroy

    observer = observer or ClassObserver()
    lab_id = check_lab_id(loaded.lab.id)
    _check_students(students, lab_id)
    store = ClassStore(root or default_root(), lab_id)
    with store.exclusive():
        previous = store.load()
        deployed = class_containers(lab_id)
        if previous is not None and deployed and listen is not None and listen != previous.listen:
            raise DeployError(f"class {lab_id} is deployed on {previous.listen}; take it down "
                              f"(`labgrader class down {lab_id}`) before deploying it on {listen}")
        chosen = _check_bindable(check_listen(listen or (previous.listen if previous else DEFAULT_LISTEN)))
        if previous is not None and deployed and username != previous.username:
            raise DeployError(f"class {lab_id} logs in as {previous.username!r}; take it down before changing "
                              "the user name")
        settings = ClassSettings(
            lab=lab_id, listen=chosen, host=host or (previous.host if previous else _default_host(chosen)),
            username=username, nodes=sorted(loaded.topology.nodes), config=config,
            students=dict(previous.students) if previous else {})
        store.save(settings)
        passwords = store.ensure_passwords([s.id for s in students])
        running = _by_student(deployed)
        todo: list[Student] = []
        outcomes: dict[str, StudentOutcome] = {}
        for student in students:
            record = settings.students.get(student.id)
            lab = _lab_of(student.id, student.name, deployment_id(lab_id, student.id),
                          running.get(student.id, []), settings.nodes, bool(record and record.complete))
            if lab.state == "ready":
                outcomes[student.id] = StudentOutcome(student.id, "kept")
            else:
                todo.append(student)
        observer.class_started(len(students), len(todo))
        for outcome in outcomes.values():
            observer.student_finished(outcome)

        def one(student: Student) -> StudentOutcome:
            observer.student_started(student.id)
            started = time.monotonic()
            dep_id = deployment_id(lab_id, student.id)
            again = bool(running.get(student.id))
            try:
                if again:
                    remove_containers(running[student.id])
                    destroy(dep_id)
                variables = variables_for(student)
                configs = lab_configs(loaded, config, variables)
                record = settings.students.get(student.id)
                ports = dict(record.ports) if record and record.deployment == dep_id else {}
                store.update_student(settings, student.id, StudentRecord(dep_id, student.name, variables,
                                                                         ports=ports))

                def start(host_ports: dict[str, int]) -> Deployment:
                    return deploy(dep_id, loaded.topology, configs, ssh_user=username,
                                  ssh_password=passwords[student.id], listen=chosen,
                                  labels={CLASS_LABEL: lab_id, STUDENT_LABEL: student.id},
                                  isolated_management=True, ready_seconds=ready_seconds or READY_SECONDS,
                                  host_ports=host_ports)

                try:  # the ports of the access sheet, when the lab had some
                    deployment = start(ports)
                except DeployError as exc:
                    if not ports or not _PORT_TAKEN.search(str(exc)):
                        raise
                    deployment = start({})
                store.update_student(settings, student.id, StudentRecord(
                    dep_id, student.name, variables, True, {n: d.ssh_port for n, d in deployment.nodes.items()}))
            except GraderError as exc:
                outcome = StudentOutcome(student.id, "failed", time.monotonic() - started, str(exc))
            except Exception as exc:  # one student's defect never stops the class
                outcome = StudentOutcome(student.id, "failed", time.monotonic() - started,
                                         f"{type(exc).__name__}: {exc}")
            else:
                outcome = StudentOutcome(student.id, "redeployed" if again else "deployed",
                                         time.monotonic() - started)
            observer.student_finished(outcome)
            return outcome

        outcomes.update(_run_all(one, todo, workers))
    return ClassUpResult(settings, [outcomes[s.id] for s in students])


def _run_all(work: Callable[[Student], StudentOutcome], students: list[Student],
             workers: int) -> dict[str, StudentOutcome]:
    """``work`` for every student, ``workers`` at a time. Ctrl-C starts no new deployment, lets the running
    ones finish (a rerun completes the class), then raises ``DeployError``."""
    if not students:
        return {}
    results: dict[str, StudentOutcome] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(students))))
    futures: dict[Future[StudentOutcome], str] = {pool.submit(work, s): s.id for s in students}
    try:
        for future in as_completed(futures):
            results[futures[future]] = future.result()
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)
        raise DeployError("interrupted: the labs being deployed were finished, the others not started; "
                          "run `labgrader class up` again to complete the class") from None
    pool.shutdown(wait=True)
    return results


def class_down(lab_id: str, students: list[str] | None = None, root: Path | None = None) -> int:
    """Remove the labs of ``students`` (default: the whole class) and forget their passwords; the class's
    state directory goes with its last lab. Returns how many containers were removed."""
    store = ClassStore(root or default_root(), check_lab_id(lab_id))
    with store.exclusive():
        containers = class_containers(lab_id)
        if students is not None:
            wanted = set(students)
            containers = [c for c in containers if c.labels.get(STUDENT_LABEL) in wanted]
        problems = remove_containers(containers)
        if problems:
            raise DeployError(f"class {lab_id}: could not remove {'; '.join(problems)}")
        if students is not None:
            store.forget(students)
            settings = store.load()
            if settings is not None and settings.students:
                return len(containers)
            if class_containers(lab_id):
                return len(containers)
        store.forget(None)
    return len(containers)
