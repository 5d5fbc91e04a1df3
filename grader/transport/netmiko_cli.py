"""Live transport over SSH or console telnet: one session per node, all its commands in it.

netmiko opens the connection (SSH through paramiko, with its authentication errors; telnet through its telnetlib)
and moves the bytes; everything after that -- console login, prompt, configuration views, paging, dialogs,
commands -- is ``transport.cli.CliSession`` driven by the node's platform ``SessionProfile``. This module names
no platform.

Device problems never raise: an unreachable host, a refused connection, a wrong password or a timeout comes
back as ``NodeEvidence.error`` (one line naming host and port, never credentials); a command that hangs is an
error for that command, and the node's remaining commands run in a fresh session (once); a session that drops
marks the commands it could not run.

Connections are opened through a ``Connector`` (``NetmikoConnector`` here, ``transport.fake.FakeNetwork`` in
tests), so every line of this logic runs offline against scripted devices.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import re
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from grader.model.evidence import CommandOutput, NodeEvidence
from grader.model.inventory import Inventory, ResolvedConnection
from grader.platforms.base import Platform, SessionProfile
from grader.transport.cli import (
    CliSession,
    CommandTimeout,
    NoPrompt,
    NotPrivileged,
    SessionClosed,
    SessionError,
    last_line,
)

READ_TIMEOUT_S = 20.0
RETRY_AFTER_S = 1.0  # a node that cannot be reached is tried once more after this pause, then settled
# paramiko logs a traceback for every failed transport thread (a peer closing before its banner, ...): the
# reason is reported once, in the evidence, instead.
logging.getLogger("paramiko").setLevel(logging.CRITICAL)


class LoginFailed(SessionError):
    """The device refused the credentials (console login)."""


class Connector(Protocol):
    """Opens connections: ``probe`` says why TCP fails (or None), ``ssh`` returns a connected netmiko
    connection, ``telnet`` a connected telnetlib-like object."""

    def probe(self, conn: ResolvedConnection) -> str | None:
        ...

    def ssh(self, params: dict[str, Any]) -> Any:
        ...

    def telnet(self, params: dict[str, Any]) -> Any:
        ...


class NetmikoConnector:
    """The real network: TCP probe with a socket, SSH and telnet with netmiko."""

    def probe(self, conn: ResolvedConnection) -> str | None:
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

    def ssh(self, params: dict[str, Any]) -> Any:
        session = netmiko_class(params["device_type"])(**params, auto_connect=False)
        session.establish_connection()
        return session

    def telnet(self, params: dict[str, Any]) -> Any:
        from netmiko._telnetlib import telnetlib

        remote = telnetlib.Telnet(params["host"], port=params["port"], timeout=params["conn_timeout"])
        return attach_telnet(netmiko_class(params["device_type"])(**params, auto_connect=False), remote)


def netmiko_class(device_type: str, ssh_client: Callable[[], Any] | None = None) -> type:
    """netmiko's connection class for ``device_type``, without its login handler: some drivers answer login
    questions themselves, and netmiko's Huawei driver answers "security risks in the configuration file" by
    SAVING the configuration. ``CliSession`` answers every question from the profile (and never saves).
    ``ssh_client`` replaces paramiko's SSHClient (scripted devices)."""
    from netmiko.ssh_dispatcher import ssh_dispatcher

    base = ssh_dispatcher(device_type)
    members: dict[str, Any] = {"special_login_handler": lambda self, *args, **kwargs: None}
    if ssh_client is not None:
        members["_get_ssh_client_instance"] = lambda self: ssh_client()
    return type(f"Graded{base.__name__}", (base,), members)


def attach_telnet(session: Any, remote: Any) -> Any:
    """Give a netmiko connection made with ``auto_connect=False`` an open telnet connection (the console login
    is ``console_login``'s: netmiko's would wait for a user-name prompt that eNSP consoles never show)."""
    from netmiko.channel import TelnetChannel

    session.remote_conn = remote
    session.channel = TelnetChannel(conn=remote, encoding=session.encoding)
    return session


class NetmikoChannel:
    """A netmiko connection as a ``cli.Channel``: reads drain the socket directly (netmiko's own read loop
    drops what arrived just before the peer closed, which is what a device says when it refuses a session),
    decode UTF-8 incrementally and normalise line ends as netmiko does."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._held = ""  # a trailing "\r" whose "\n" may come with the next read
        self._eof = False

    def _drain(self) -> bytes:
        remote = self.session.remote_conn
        chunks: list[bytes] = []
        if remote is None:
            self._eof = True
            return b""
        try:
            if hasattr(remote, "recv_ready"):  # a paramiko channel (SSH)
                while remote.recv_ready():
                    data = remote.recv(65535)
                    if not data:
                        self._eof = True
                        break
                    chunks.append(data)
            else:  # telnetlib
                while data := remote.read_eager():
                    chunks.append(data)
        except (EOFError, OSError):
            self._eof = True
        return b"".join(chunks)

    def read(self) -> str:
        text = self._held + self._decoder.decode(self._drain())
        self._held = ""
        if text.endswith("\r") and not self._eof:
            text, self._held = text[:-1], "\r"
        return str(self.session.normalize_linefeeds(text)) if text else ""

    def write(self, text: str) -> None:
        self.session.write_channel(text)

    @property
    def closed(self) -> bool:
        remote = getattr(self.session, "remote_conn", None)
        return self._eof or remote is None or bool(getattr(remote, "closed", False))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if getattr(self.session, "protocol", "ssh") == "ssh":
                self.session.paramiko_cleanup()
            else:
                self.session.remote_conn.close()


def describe_connect_error(exc: BaseException, conn: ResolvedConnection) -> str:
    """One line saying why a session could not be opened."""
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

    where = f"{conn.transport} {conn.host}:{conn.port}"
    text = " ".join(str(exc).split())
    if isinstance(exc, NetmikoAuthenticationException | LoginFailed):
        return f"login failed on {where} (wrong username or password?)"
    if isinstance(exc, SessionError):
        return f"{where}: {exc}"
    if isinstance(exc, ConnectionRefusedError) or "refused" in text.lower():
        return f"connection refused by {where} (is the device running?)"
    if "Error reading SSH protocol banner" in text or isinstance(exc, EOFError | ConnectionResetError):
        return f"{where} closed the connection before the SSH banner (not an SSH server, or overloaded?)"
    if isinstance(exc, NetmikoTimeoutException | TimeoutError):
        return f"timed out connecting to {where}"
    first = text[:200] if text else type(exc).__name__
    return f"cannot open a session on {where}: {first}"


def console_login(session: CliSession, conn: ResolvedConnection, profile: SessionProfile,
                  deadline: float) -> None:
    """Log in on a console: answer a user-name and a password prompt when asked (eNSP consoles ask nothing),
    press RETURN when the console is silent ("Press RETURN to get started"), stop at the first prompt."""
    user_re, password_re = (re.compile(p) for p in profile.login_prompts)
    prompt_re = re.compile(profile.prompt)
    buffer, sent_user, sent_password, quiet_since = "", False, False, session.clock()
    session.write("\n")
    while session.clock() < deadline:
        chunk = session._read()
        now = session.clock()
        if not chunk:
            if now - quiet_since > 1.0:
                session.write("\n")
                quiet_since = now
            session.sleep(0.01)
            continue
        buffer, quiet_since = buffer + chunk, now
        line = last_line(buffer)
        if re.search(r"(?i)(authentication fail|login invalid|password error|access denied|bad password)",
                     buffer[-300:]):
            raise LoginFailed("the console refused the login")
        if user_re.search(line):
            if sent_user:
                raise LoginFailed("the console asked for the user name again")
            if not conn.username:
                raise LoginFailed("the console asks for a user name: give `username` in the inventory")
            session.write(conn.username + "\n")
            sent_user, buffer = True, ""
        elif password_re.search(line):
            if sent_password:
                raise LoginFailed("the console asked for the password again")
            session.write((conn.password.get_secret_value() if conn.password else "") + "\n")
            sent_password, buffer = True, ""
        elif prompt_re.fullmatch(line) and not buffer.rstrip(" \t").endswith("\n"):
            return
        else:
            session._answer_dialogs(buffer, 0)
            if session.answered:
                buffer = ""
    raise NoPrompt("no login prompt or device prompt on the console in time")


class NetmikoTransport:
    name = "netmiko"

    def __init__(self, inventory: Inventory, environ: dict[str, str] | None = None, *,
                 connector: Connector | None = None, read_timeout: float = READ_TIMEOUT_S,
                 retry_after: float = RETRY_AFTER_S, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.inventory = inventory
        self.environ = environ
        self.connector: Connector = connector or NetmikoConnector()
        self.read_timeout = read_timeout
        self.retry_after = retry_after
        self.clock, self.sleep = clock, sleep

    def device_params(self, conn: ResolvedConnection, platform: Platform) -> dict[str, Any]:
        profile = platform.session
        device_type = conn.device_type or (profile.ssh_device_type if conn.transport == "ssh"
                                           else profile.telnet_device_type)
        if device_type is None:
            raise ValueError(f"platform {platform.name!r} has no {conn.transport} session")
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

    def open(self, conn: ResolvedConnection, platform: Platform) -> CliSession:
        """A prepared session (logged in, at the user view, paging off when the device allows)."""
        params = self.device_params(conn, platform)
        raw = self.connector.ssh(params) if conn.transport == "ssh" else self.connector.telnet(params)
        session = CliSession(NetmikoChannel(raw), platform.session, read_timeout=self.read_timeout, clock=self.clock,
                             sleep=self.sleep, secret=conn.secret.get_secret_value() if conn.secret else None)
        try:
            if conn.transport == "telnet":
                console_login(session, conn, platform.session, self.clock() + conn.timeout)
            session.prepare()
        except BaseException:
            _close(session)
            raise
        return session

    def collect(self, node: str, platform: Platform, commands: list[str]) -> NodeEvidence:
        evidence = NodeEvidence(node=node, platform=platform.name)
        try:
            conn = self.inventory.resolve(node, self.environ)
        except Exception as exc:
            evidence.error = str(exc)
            return evidence
        session, problem, final = self._connect(conn, platform)
        if session is None and not final:
            self.sleep(self.retry_after)  # one retry, after a pause: a device may be restarting its sshd
            session, problem, _ = self._connect(conn, platform)
        if session is None:
            evidence.error = problem
            return evidence
        session = self._run_all(session, evidence, commands, conn, platform)
        _close(session)
        return evidence

    def _connect(self, conn: ResolvedConnection, platform: Platform) -> tuple[CliSession | None, str, bool]:
        """(a prepared session, "", True), or (None, why not, whether that is final). A refused login is
        final: trying again would only add a failed attempt to the device's log."""
        problem = self.connector.probe(conn)
        if problem is not None:
            return None, problem, False
        try:
            return self.open(conn, platform), "", True
        except Exception as exc:
            from netmiko.exceptions import NetmikoAuthenticationException

            final = isinstance(exc, LoginFailed | NotPrivileged | NetmikoAuthenticationException)
            return None, describe_connect_error(exc, conn), final

    def _run_all(self, session: CliSession, evidence: NodeEvidence, commands: list[str],
                 conn: ResolvedConnection, platform: Platform) -> CliSession:
        """Every command in ``session``. After a command times out the session is in an unknown state (the
        late output would answer the next command): it is closed and the rest run in a fresh one, once.
        Returns the session in use at the end (for the caller to close)."""
        fresh_sessions = 1
        dropped: str | None = None
        try:
            for command in commands:
                if dropped is not None:
                    evidence.outputs[command] = CommandOutput(command=command, error=dropped)
                    continue
                started = self.clock()
                try:
                    text = session.run(command)
                    evidence.outputs[command] = CommandOutput(
                        command=command, text=text, collected_at=datetime.now(UTC),
                        duration_s=round(self.clock() - started, 3))
                    continue
                except CommandTimeout as exc:
                    evidence.outputs[command] = CommandOutput(
                        command=command, error=f"{exc} (the command hung or its output never ended)")
                    reason = f"not run: the session was unusable after {command!r} timed out"
                except SessionClosed as exc:
                    evidence.outputs[command] = CommandOutput(
                        command=command, error=f"session to {conn.host}:{conn.port} dropped: {exc}")
                    reason = f"not run: the session to {conn.host}:{conn.port} dropped"
                _close(session)
                if fresh_sessions == 0:
                    dropped = reason
                    continue
                fresh_sessions -= 1
                try:
                    session = self.open(conn, platform)
                except Exception as exc:
                    dropped = f"{reason}; a new session failed: {describe_connect_error(exc, conn)}"
        except BaseException:
            _close(session)
            raise
        return session


def _close(session: CliSession) -> None:
    close = getattr(session.channel, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):
            close()
