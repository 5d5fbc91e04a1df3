"""Talking to one node's container: copy files in, apply its configuration, wait until it is ready."""

from __future__ import annotations

import io
import socket
import tarfile
import threading
import time

from docker.errors import APIError, NotFound
from docker.models.containers import Container

from grader.errors import DeployError

CONFIG_PATH = "etc/labgrader/config"
CREDENTIALS_PATH = "etc/labgrader/credentials"
APPLY = "/usr/local/sbin/lg-apply"
_POLL = 0.05  # first pause between two polls of a node that is not ready yet
_POLL_MAX = 0.5  # the pause grows to this: a class deploying dozens of nodes must not flood Docker with polls
_ENV_MAX = 100_000  # the kernel limits one environment string to 128 KiB
# The entrypoint records the outcome of the first configuration in /run/labgrader, and the pid holding the
# management namespace when it could move eth0 there (first line: isolated or shared).
_STATUS = ("[ -s /run/labgrader/mgmt.pid ] && echo isolated || echo shared; "
           "cat /run/labgrader/apply.rc 2>/dev/null || echo pending; cat /run/labgrader/apply.log 2>/dev/null; "
           "[ \"$(cat /etc/labgrader/recipe)\" != frr ] || vtysh -c 'show version' >/dev/null 2>&1 "
           "|| echo 'vtysh does not answer'")


def put_files(container: Container, files: dict[str, str]) -> None:
    """Write text files (path relative to / → content) into the container, mode 0600, owned by root."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(path)
            info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
            tar.addfile(info, io.BytesIO(data))
    try:
        container.put_archive("/", buffer.getvalue())
    except APIError as exc:
        raise DeployError(f"{container.name}: cannot copy files in: {exc.explanation or exc}") from None


def _problem(node: str, code: int, output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    detail = "; ".join(lines[:3]) if lines else f"exit status {code}"
    return f"node {node}: configuration failed: {detail}"


def apply(node: str, container: Container, config: str | None) -> str | None:
    """Replace the node's configuration (None: re-apply the current one) and bring the node to that state.

    The text travels in the environment of the exec (one Docker call instead of a copy and an exec); a text
    too long for an environment variable is copied in first. Returns a problem line or None.
    """
    environment = None
    if config is not None and len(config.encode()) <= _ENV_MAX:
        environment = {"LABGRADER_CONFIG": config}
    elif config is not None:
        put_files(container, {CONFIG_PATH: config})
    try:
        code, output = container.exec_run([APPLY], stdout=True, stderr=True, environment=environment)
    except APIError as exc:
        return f"node {node}: cannot run {APPLY}: {exc.explanation or exc}"
    if code != 0:
        return _problem(node, code, output.decode(errors="replace"))
    return None


def _banner(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.settimeout(0.5)
            return sock.recv(4).startswith(b"SSH-")
    except OSError:
        return False


def _logs_tail(container: Container) -> str:
    try:
        lines = container.logs(tail=3).decode(errors="replace").strip().splitlines()
    except APIError:
        return ""
    return f": {lines[-1]}" if lines else ""


def wait_ready(node: str, container: Container, port: int, deadline: float,
               cancel: threading.Event | None = None, host: str = "127.0.0.1") -> bool:
    """Poll until sshd answers on ``host``:``port`` and the first configuration is applied (FRR: vtysh answers).
    Returns whether the node's management interface sits in a namespace of its own (see the recipes).

    ``DeployError`` when the container stops, the configuration failed, ``deadline`` (monotonic) passes or
    ``cancel`` is set (another node failed).
    """
    cancel = cancel or threading.Event()
    pause = _POLL
    while not _banner(host, port):
        if cancel.is_set():
            raise DeployError(f"node {node}: cancelled")
        if time.monotonic() > deadline:
            raise DeployError(f"node {node}: sshd did not answer on {host}:{port} in time")
        try:
            container.reload()
        except NotFound:
            raise DeployError(f"node {node}: its container disappeared") from None
        if container.status not in ("running", "created"):
            raise DeployError(f"node {node}: container {container.status}{_logs_tail(container)}")
        time.sleep(pause)
        pause = min(pause * 1.5, _POLL_MAX)
    while True:
        code, output = container.exec_run(["sh", "-c", _STATUS])
        management, _, text = output.decode(errors="replace").partition("\n")
        first, _, rest = text.partition("\n")
        status = first.strip()
        if status == "0" and "vtysh does not answer" not in rest:
            return management.strip() == "isolated"
        if status.isdigit() and status != "0":
            raise DeployError(_problem(node, int(status), rest))
        if status not in ("0", "pending", "") or management.strip() not in ("isolated", "shared"):
            # not what the status script prints: say what came back rather than guess
            shown = "; ".join(line.strip() for line in output.decode(errors="replace").splitlines()[:3])
            raise DeployError(f"node {node}: unexpected readiness answer (exit status {code}): {shown!r}")
        if cancel.is_set():
            raise DeployError(f"node {node}: cancelled")
        if time.monotonic() > deadline:
            raise DeployError(f"node {node}: not ready in time ({rest.strip() or 'configuration pending'})")
        time.sleep(pause)
        pause = min(pause * 1.5, _POLL_MAX)

