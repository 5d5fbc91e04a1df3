"""Live transport over SSH or telnet with netmiko: one session per node, all its commands in it.

Device problems never raise: an unreachable host, a refused connection, a wrong password or a timeout comes
back as ``NodeEvidence.error``; a session that drops mid-way marks the commands it could not run. Messages
name host and port, never credentials.
"""

from __future__ import annotations

import contextlib
import socket
import time
from datetime import UTC, datetime
from typing import Any

from grader.model.evidence import CommandOutput, NodeEvidence
from grader.model.inventory import Inventory, ResolvedConnection
from grader.platforms import Platform

READ_TIMEOUT_S = 20.0


def describe_connect_error(exc: BaseException, conn: ResolvedConnection) -> str:
    """One line saying why a session could not be opened."""
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

    where = f"{conn.transport} {conn.host}:{conn.port}"
    if isinstance(exc, NetmikoAuthenticationException):
        return f"login failed on {where} (wrong username or password?)"
    if isinstance(exc, ConnectionRefusedError) or "refused" in str(exc).lower():
        return f"connection refused by {where} (is the device running?)"
    if isinstance(exc, NetmikoTimeoutException | TimeoutError):
        return f"timed out connecting to {where}"
    if isinstance(exc, EOFError | ConnectionResetError):
        return f"{where} closed the connection during login"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"cannot open a session on {where}: {text}"


def tcp_problem(conn: ResolvedConnection) -> str | None:
    """Why a TCP connection to the device fails (refused, timeout, no route), or None when it opens.

    netmiko reports all of these as one generic timeout; a student needs to know which it is."""
    where = f"{conn.transport} {conn.host}:{conn.port}"
    try:
        with socket.create_connection((conn.host, conn.port), timeout=min(conn.timeout, 5.0)):
            return None
    except ConnectionRefusedError:
        return f"connection refused by {where} (is the device running?)"
    except TimeoutError:
        return f"timed out connecting to {where}"
    except OSError as exc:
        return f"cannot reach {where}: {exc.strerror or exc}"


class NetmikoTransport:
    name = "netmiko"

    def __init__(self, inventory: Inventory, environ: dict[str, str] | None = None) -> None:
        self.inventory = inventory
        self.environ = environ

    def device_params(self, conn: ResolvedConnection, platform: Platform) -> dict[str, Any]:
        device_type = conn.device_type or (platform.netmiko_device_type if conn.transport == "ssh"
                                           else platform.netmiko_telnet_device_type)
        if device_type is None:
            raise ValueError(f"platform {platform.name!r} has no {conn.transport} device type")
        params: dict[str, Any] = {
            "device_type": device_type, "host": conn.host, "port": conn.port,
            "username": conn.username or "", "password": conn.password.get_secret_value() if conn.password else "",
            "conn_timeout": conn.timeout, "auth_timeout": conn.timeout, "banner_timeout": conn.timeout,
            "timeout": conn.timeout, "fast_cli": True, "allow_agent": False, "use_keys": False,
            "ssh_strict": False, "system_host_keys": False,
        }
        if conn.secret is not None:
            params["secret"] = conn.secret.get_secret_value()
        return params

    def collect(self, node: str, platform: Platform, commands: list[str]) -> NodeEvidence:
        from netmiko import ConnectHandler

        evidence = NodeEvidence(node=node, platform=platform.name)
        try:
            conn = self.inventory.resolve(node, self.environ)
        except Exception as exc:
            evidence.error = str(exc)
            return evidence
        problem = tcp_problem(conn)
        if problem is not None:
            evidence.error = problem
            return evidence
        try:
            params = self.device_params(conn, platform)
            session = ConnectHandler(**params)
        except Exception as exc:
            evidence.error = describe_connect_error(exc, conn)
            return evidence
        try:
            self._run_all(session, evidence, commands, conn)
        finally:
            with contextlib.suppress(Exception):  # the session may already be gone; nothing left to save
                session.disconnect()
        return evidence

    @staticmethod
    def _run_all(session: Any, evidence: NodeEvidence, commands: list[str], conn: ResolvedConnection) -> None:
        dropped: str | None = None
        for command in commands:
            if dropped is not None:
                evidence.outputs[command] = CommandOutput(command=command, error=dropped)
                continue
            started = time.monotonic()
            try:
                text = session.send_command(command, read_timeout=READ_TIMEOUT_S)
                evidence.outputs[command] = CommandOutput(
                    command=command, text=str(text), collected_at=datetime.now(UTC),
                    duration_s=round(time.monotonic() - started, 3))
            except Exception as exc:
                from netmiko.exceptions import ReadTimeout

                if isinstance(exc, ReadTimeout):
                    message = f"no prompt after {READ_TIMEOUT_S:g} s (command hung or output too long)"
                    evidence.outputs[command] = CommandOutput(command=command, error=message)
                    dropped = f"not run: the session was unusable after {command!r} timed out"
                else:
                    message = f"session to {conn.host}:{conn.port} dropped ({type(exc).__name__})"
                    evidence.outputs[command] = CommandOutput(command=command, error=message)
                    dropped = message
