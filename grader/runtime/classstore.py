"""What a class deployment keeps on disk: its settings, and the students' passwords.

Everything lives in ``<state dir>/class/<lab>/`` (``grader.live.state_dir``: ``$LABGRADER_STATE_DIR`` or
``~/.local/state/labgrader``), a directory of mode 0700:

* ``class.json`` (0600): the listen address, the host name printed on the access sheet, the login name, the
  lab's nodes, and per student: deployment id, variables, whether the deployment completed. No secret.
* ``credentials.json`` (0600): student id → password. The only place the passwords are kept: the containers
  receive them in a file their entrypoint deletes (see ``grader.runtime.deploy``); the access sheet is printed
  from here, and live batch grading logs in with them. Nothing else (labels, reports, journals, logs, Docker)
  ever holds a password. ``labgrader class down`` deletes the file with the last lab of the class.
* ``.lock``: held by the ``class up``/``class down`` that is running, so two of them never interleave.

Writes are atomic (a temporary file renamed over the old one) and the file is created with its final mode,
so a password is never readable by others, even for a moment.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grader.errors import DeployError

CLASS_FORMAT = "labgrader-class/1"
CREDENTIALS_FORMAT = "labgrader-class-credentials/1"
# no look-alike characters (0/o, 1/l/i): a student copies the password from paper
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_password(groups: int = 3, size: int = 4) -> str:
    """A random password such as ``k7vm-qx2p-9tcz`` (three groups of 4 characters out of 31: about 59 bits)."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(size)) for _ in range(groups))


@dataclass
class StudentRecord:
    """One student's lab as the class remembers it (no secret)."""

    deployment: str  # the deployment id, ``<lab>-<slug>``
    name: str = ""
    variables: dict[str, Any] = field(default_factory=dict)
    complete: bool = False  # set once ``deploy`` returned; a lab missing it is redeployed by ``class up``
    ports: dict[str, int] = field(default_factory=dict)  # node → SSH port: a redeployed lab asks for them again


@dataclass
class ClassSettings:
    lab: str
    listen: str
    host: str  # the host name students connect to (printed on the access sheet)
    username: str
    nodes: list[str]
    config: str = "initial"
    students: dict[str, StudentRecord] = field(default_factory=dict)


def _write_private(path: Path, data: dict[str, Any]) -> None:
    staging = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, sort_keys=True)
            out.write("\n")
        os.chmod(staging, 0o600)
        os.replace(staging, path)
    except BaseException:
        with contextlib.suppress(OSError):
            staging.unlink()
        raise


def _read(path: Path, expected_format: str) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise DeployError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != expected_format:
        raise DeployError(f"{path}: not a {expected_format} file")
    return data


class ClassStore:
    """The state directory of one class. Methods are safe to call from several threads."""

    def __init__(self, root: Path, lab_id: str) -> None:
        self.directory = root / "class" / lab_id
        self.lab_id = lab_id
        self._lock = threading.Lock()

    @property
    def settings_path(self) -> Path:
        return self.directory / "class.json"

    @property
    def credentials_path(self) -> Path:
        return self.directory / "credentials.json"

    def exists(self) -> bool:
        return self.settings_path.exists()

    def _ensure_directory(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.directory, 0o700)

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the class's lock file; ``DeployError`` at once when another command holds it."""
        self._ensure_directory()
        fd = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise DeployError(f"another labgrader command is working on class {self.lab_id}; "
                                  "wait for it to finish") from None
            yield
        finally:
            os.close(fd)

    # settings

    def load(self) -> ClassSettings | None:
        data = _read(self.settings_path, CLASS_FORMAT)
        if data is None:
            return None
        try:
            students = {sid: StudentRecord(**record) for sid, record in data.pop("students", {}).items()}
            data.pop("format")
            return ClassSettings(**data, students=students)
        except TypeError as exc:
            raise DeployError(f"{self.settings_path}: unexpected content: {exc}") from None

    def save(self, settings: ClassSettings) -> None:
        with self._lock:
            self._ensure_directory()
            _write_private(self.settings_path, {"format": CLASS_FORMAT, **asdict(settings)})

    def update_student(self, settings: ClassSettings, student: str, record: StudentRecord) -> None:
        """Record one student's lab in ``settings`` and on disk (threads may call this together)."""
        with self._lock:
            settings.students[student] = record
            self._ensure_directory()
            _write_private(self.settings_path, {"format": CLASS_FORMAT, **asdict(settings)})

    # passwords

    def passwords(self) -> dict[str, str]:
        """student id → password (empty when none was ever made)."""
        data = _read(self.credentials_path, CREDENTIALS_FORMAT)
        if data is None:
            return {}
        mode = self.credentials_path.stat().st_mode & 0o777
        if mode & 0o077:
            os.chmod(self.credentials_path, 0o600)
        students = data.get("passwords")
        if not isinstance(students, dict) or not all(isinstance(v, str) for v in students.values()):
            raise DeployError(f"{self.credentials_path}: unexpected content")
        return dict(students)

    def ensure_passwords(self, students: list[str]) -> dict[str, str]:
        """The passwords of ``students``, making (and saving) one for each student who has none."""
        with self._lock:
            known = self.passwords()
            missing = [s for s in students if s not in known]
            if missing:
                known.update({s: new_password() for s in missing})
                self._ensure_directory()
                _write_private(self.credentials_path, {"format": CREDENTIALS_FORMAT, "lab": self.lab_id,
                                                       "passwords": known})
            return {s: known[s] for s in students}

    def forget(self, students: list[str] | None = None) -> None:
        """Drop the passwords and records of ``students`` (all: the whole directory goes)."""
        with self._lock:
            if students is None:
                for path in (self.credentials_path, self.settings_path, self.directory / ".lock"):
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                for path in self.directory.glob("access.*"):
                    path.unlink()
                with contextlib.suppress(OSError):
                    self.directory.rmdir()
                return
            known = self.passwords()
            for student in students:
                known.pop(student, None)
            if self.credentials_path.exists():
                _write_private(self.credentials_path, {"format": CREDENTIALS_FORMAT, "lab": self.lab_id,
                                                       "passwords": known})
        settings = self.load()
        if settings is not None:
            for student in students:
                settings.students.pop(student, None)
            self.save(settings)
