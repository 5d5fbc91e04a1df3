"""Live transport over SSH or telnet with netmiko: one session per node, all its commands in it.

Device problems never raise: an unreachable host, a refused connection, a wrong password or a timeout comes
back as ``NodeEvidence.error``; a session that drops mid-way marks the commands it could not run. Messages
name host and port, never credentials.

Speed (measured by ``benchmarks/collection.py``): the device's prompt is found once per session and every
command reads up to it (``expect_string``) -- netmiko's default searches the prompt again before each command,
~45 ms of sleeps each. Over SSH, the platforms whose login shell we know (FRR: vtysh; Linux: bash) skip
netmiko's generic session preparation (a fixed 0.1 s sleep, ``terminal width 511`` which vtysh rejects, a
sleep-timed prompt search): one RETURN, read until the prompt shows twice, then the platform's
``session_setup`` commands. Every other platform or transport is prepared by netmiko as before.
"""

from __future__ import annotations

import contextlib
import re
import socket
import time
from datetime import UTC, datetime
from typing import Any

from grader.model.evidence import CommandOutput, NodeEvidence
from grader.model.inventory import Inventory, ResolvedConnection
from grader.platforms import Platform

READ_TIMEOUT_S = 20.0
# Platform → whether its output carries ANSI escapes to strip (bash's bracketed paste; netmiko's linux driver
# strips them too). These platforms get the light session preparation over SSH (see the module docstring).
LIGHT_SESSION: dict[str, bool] = {"frr": False, "linux": True}
# The last two lines are the same prompt (the login prompt, then the one the RETURN we sent brought).
_PROMPT_TWICE = re.compile(r"(?:\A|\n)([^\n]*[#>$%\]])[ \t]*\n(?:[ \t]*\n)*\1[ \t]*\Z")
_POLL_S = 0.005


class NoPromptError(Exception):
    """The device printed no prompt after login."""


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


def _found_prompt(session: Any) -> str:
    """The prompt of a session netmiko prepared, found as ``send_command`` would (its base prompt when none
    shows); the session is closed if this fails."""
    try:
        try:
            return str(session.find_prompt()).strip()
        except ValueError:
            return str(session.base_prompt).strip()
    except BaseException:
        with contextlib.suppress(Exception):
            session.disconnect()
        raise


def light_preparation(session: Any, platform: Platform, strip_ansi: bool, timeout: float) -> str:
    """Open ``session`` (made with ``auto_connect=False``) and prepare it for a known login shell: one RETURN,
    read until the prompt shows twice, run ``platform.session_setup``. Returns the prompt.

    Raises what ``establish_connection`` raises (login failed, timeout) or ``NoPromptError``; the session is
    closed on any failure."""
    session.establish_connection()
    try:
        session.ansi_escape_codes = strip_ansi
        seen = ""
        with contextlib.suppress(OSError):  # the shell may have exited already: said below, with its words
            session.write_channel(session.RETURN)
        deadline = time.monotonic() + timeout
        while True:
            closed = bool(getattr(session.remote_conn, "closed", False))
            seen += session.read_channel()  # line ends normalised to \n by netmiko
            if (match := _PROMPT_TWICE.search(seen)) is not None:
                break
            if closed:
                said = " ".join([line.strip() for line in seen.splitlines() if line.strip()][-2:])[:200]
                raise NoPromptError("the login shell exited" + (f": {said}" if said else ""))
            if time.monotonic() > deadline:
                raise NoPromptError(f"no prompt within {timeout:g} s after login")
            time.sleep(_POLL_S)
        prompt = match.group(1).strip()
        session.base_prompt = prompt[:-1]  # netmiko's base prompt: without its terminator
        for command in platform.session_setup:
            session.send_command(command, expect_string=re.escape(prompt), read_timeout=READ_TIMEOUT_S)
        return prompt
    except BaseException:
        with contextlib.suppress(Exception):
            session.disconnect()
        raise


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
            light = conn.transport == "ssh" and platform.name in LIGHT_SESSION
            session = ConnectHandler(**params, auto_connect=not light)
            prompt = (light_preparation(session, platform, LIGHT_SESSION[platform.name], conn.timeout) if light
                      else _found_prompt(session))
        except Exception as exc:
            evidence.error = describe_connect_error(exc, conn)
            return evidence
        try:
            self._run_all(session, evidence, commands, conn, re.escape(prompt))
        finally:
            with contextlib.suppress(Exception):  # the session may already be gone; nothing left to save
                session.disconnect()
        return evidence

    @staticmethod
    def _run_all(session: Any, evidence: NodeEvidence, commands: list[str], conn: ResolvedConnection,
                 expect: str) -> None:
        """Every command, each read until ``expect`` (the escaped prompt, what netmiko would search by default)."""
        dropped: str | None = None
        for command in commands:
            if dropped is not None:
                evidence.outputs[command] = CommandOutput(command=command, error=dropped)
                continue
            started = time.monotonic()
            try:
                text = session.send_command(command, expect_string=expect, read_timeout=READ_TIMEOUT_S)
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
