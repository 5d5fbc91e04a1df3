"""Scripted devices for tests (httpx's habit of shipping its fake transport): no network, no Docker.

A ``FakeDevice`` is a small CLI state machine: prompts by view in one of four styles (Huawei VRP, Cisco IOS,
FRR's vtysh, a bash shell), answers ``display``/``show`` commands from a table (abbreviations allowed, as
``dis ip int br``), pages long output until paging is turned off, rejects what it does not know with the
vendor's error text, asks the questions devices ask (VRP's first-login password change, ``save``'s [Y/N]), and
misbehaves on demand: refuse the TCP connection, accept it and stay silent, close before the SSH banner,
refuse the login, stall a command, drop the session.

``FakeNetwork`` is a ``netmiko_cli.Connector``: ``NetmikoTransport(inventory, connector=FakeNetwork(...))``
runs netmiko's own SSH connection code and labgrader's whole session logic against these devices. The same
``FakeDevice`` also speaks through real SSH and telnet servers in the test suite.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal

Style = Literal["vrp", "ios", "vtysh", "bash"]
Tcp = Literal["open", "refused", "silent"]

MORE = {"vrp": "  ---- More ----", "ios": " --More-- "}
ERASE = {"vrp": "\x1b[42D" + " " * 42 + "\x1b[42D", "ios": "\b" * 9 + " " * 9 + "\b" * 9}
UNKNOWN = {
    "vrp": "              ^\nError: Unrecognized command found at '^' position.\n",
    "ios": "                   ^\n% Invalid input detected at '^' marker.\n",
    "vtysh": "% Unknown command: {command}\n",
    "bash": "-bash: {word}: command not found\n",
}
QUESTIONS = {
    "enable": "Password: ",
    "password": "The password needs to be changed. Change now? [Y/N]: ",
    "save": "The current configuration will be written to the device. Continue? [Y/N]:",
}
PAGING_OFF = {"vrp": "screen-length 0 temporary", "ios": "terminal length 0", "vtysh": "terminal length 0"}


@dataclass(frozen=True)
class FakeStream:
    """Output that keeps coming until interrupted, as a router's ping with no count: ``lines`` one every
    ``interval`` seconds (then nothing), and on Ctrl-C ``^C`` plus ``summary`` formatted with ``sent`` (the
    lines shown so far) and ``received``."""

    lines: tuple[str, ...]
    interval: float = 0.2
    summary: str = "--- statistics ---\n{sent} packets transmitted, {received} received"
    received: int | None = None  # default: every line shown is a reply


@dataclass
class FakeDevice:
    """A scripted CLI device. ``outputs`` maps a full command to what it prints (a trailing newline is added)."""

    hostname: str
    style: Style = "ios"
    outputs: dict[str, str | FakeStream] = field(default_factory=dict)
    username: str | None = "student"
    password: str | None = "secret"
    console_login: bool = False  # telnet: ask for user name and password (eNSP consoles do not)
    press_return: bool = False  # a console that shows a banner and waits for RETURN
    banner: str = ""
    first_login_dialog: bool = False  # VRP: "The password needs to be changed. Change now? [Y/N]:"
    start_view: Literal["user", "system", "interface"] = "user"
    privileged: bool = True  # IOS: start at R1# (else R1>, and `enable` asks for ``enable_secret``)
    enable_secret: str | None = None
    page_lines: int | None = None  # page output longer than this, until paging is turned off
    refuse_paging_off: bool = False
    stall: dict[str, float] = field(default_factory=dict)  # command → seconds before it answers
    drop_on: set[str] = field(default_factory=set)  # commands that close the session
    tcp: Tcp = "open"
    close_before_banner: bool = False  # SSH: accepts TCP, closes before the protocol banner
    exit_shell: str | None = None  # a login shell that exits at once, saying this (vtysh without daemons)
    # what happened, for tests to assert on
    received: list[str] = field(default_factory=list)  # every command line, in order
    sessions: int = 0
    login_attempts: int = 0
    probes: int = 0
    saved: bool = False  # whether anything asked the device to save its configuration

    def open_session(self) -> FakeCli:
        self.sessions += 1
        return FakeCli(self)


class FakeCli:
    """One session's state: view, paging, and the output queue (text, time it becomes readable)."""

    def __init__(self, device: FakeDevice) -> None:
        self.device = device
        self.view = device.start_view
        self.privileged = device.privileged
        self.paging = device.page_lines is not None
        self.queue: deque[tuple[float, str]] = deque()
        self.closed = False
        self.pending_lines: list[str] = []  # output waiting behind a paging prompt
        self.line = ""
        self.question: str | None = None  # a [Y/N] question waiting for its answer
        self.stream: tuple[FakeStream, float] | None = None  # a running stream and when it started
        self.lock = threading.Lock()
        self._greet()

    # -- what the device prints ---------------------------------------------------------------------------
    def emit(self, text: str, delay: float = 0.0) -> None:
        ready = time.monotonic() + delay
        if self.queue and self.queue[-1][0] > ready:
            ready = self.queue[-1][0]
        self.queue.append((ready, text))

    def prompt(self) -> str:
        name, style, view = self.device.hostname, self.device.style, self.view
        if style == "vrp":
            return {"user": f"<{name}>", "system": f"[{name}]",
                    "interface": f"[{name}-GigabitEthernet0/0/1]"}[view]
        if style == "ios":
            if view == "user" and not self.privileged:
                return f"{name}>"
            return {"user": f"{name}#", "system": f"{name}(config)#", "interface": f"{name}(config-if)#"}[view]
        if style == "vtysh":
            return {"user": f"{name}# ", "system": f"{name}(config)# ", "interface": f"{name}(config-if)# "}[view]
        return f"student@{name}:~$ "

    def _greet(self) -> None:
        device = self.device
        if device.exit_shell is not None:
            self.emit(device.exit_shell + "\n")
            self.closed = True
            return
        if device.banner:
            self.emit(device.banner.rstrip("\n") + "\n")
        if device.first_login_dialog and device.style == "vrp":
            self.question = "password"
            self.emit(QUESTIONS["password"])
            return
        self.emit(self.prompt())

    def available(self) -> str:
        """The output readable now (and forget it)."""
        now = time.monotonic()
        out = []
        with self.lock:
            while self.queue and self.queue[0][0] <= now:
                out.append(self.queue.popleft()[1])
        return "".join(out)

    @property
    def drained(self) -> bool:
        return not self.queue

    # -- what the device receives -------------------------------------------------------------------------
    def feed(self, data: str) -> None:
        """Keystrokes from the client."""
        for char in data:
            if self.closed:
                return
            if self.pending_lines:
                self._page_key(char)
            elif self.stream is not None:
                if char == "\x03":
                    self._interrupt()
            elif char in "\r\n":
                if char == "\n" and self.line == "" and getattr(self, "_last_cr", False):
                    self._last_cr = False
                    continue
                self._last_cr = char == "\r"
                line, self.line = self.line, ""
                self.emit(("" if self.question == "enable" else line) + "\n")  # echo (never a password)
                self._enter(line)
            else:
                self._last_cr = False
                self.line += char

    def _start_stream(self, stream: FakeStream) -> None:
        self.stream = (stream, time.monotonic())
        for n, line in enumerate(stream.lines, start=1):
            self.emit(line + "\n", n * stream.interval)

    def _interrupt(self) -> None:
        assert self.stream is not None
        stream, started = self.stream
        self.stream = None
        shown = min(len(stream.lines), int((time.monotonic() - started) / stream.interval))
        with self.lock:  # what was not shown yet never will be
            now = time.monotonic()
            self.queue = deque(item for item in self.queue if item[0] <= now)
        received = shown if stream.received is None else min(stream.received, shown)
        self.emit("^C\n" + stream.summary.format(sent=shown + 1, received=received) + "\n")
        self.emit(self.prompt())

    def _page_key(self, char: str) -> None:
        style = self.device.style
        self.emit(ERASE.get(style, "\n"))
        if char == "q":
            self.pending_lines = []
            self.emit(self.prompt())
            return
        self._send_page()

    def _send_page(self) -> None:
        size = self.device.page_lines or 10**9
        page, self.pending_lines = self.pending_lines[:size], self.pending_lines[size:]
        self.emit("".join(line + "\n" for line in page))
        if self.pending_lines:
            self.emit(MORE.get(self.device.style, "--More--"))
        else:
            self.emit(self.prompt())

    def _output(self, text: str, delay: float = 0.0) -> None:
        lines = text.rstrip("\n").split("\n") if text else []
        size = self.device.page_lines
        if self.paging and size is not None and len(lines) > size and self.device.style in MORE:
            self.pending_lines = lines  # (a stalled command is not paged)
            self._send_page()
            return
        self.emit("".join(line + "\n" for line in lines), delay)
        self.emit(self.prompt(), delay)

    def _enter(self, line: str) -> None:
        device = self.device
        command = " ".join(line.split())
        if self.question is not None:
            self._answer(command)
            return
        if not command:
            self.emit(self.prompt())
            return
        device.received.append(command)
        if command in device.drop_on:
            self.closed = True
            return
        answer = self._builtin(command)
        if answer is not None:
            return
        text = self._lookup(command)
        if isinstance(text, FakeStream):
            self._start_stream(text)
            return
        if text is None:
            word = command.split()[0]
            self._output(UNKNOWN[device.style].format(command=command, word=word))
            return
        self._output(text, device.stall.get(text_key(device, command), 0.0))

    def _answer(self, text: str) -> None:
        if self.question == "enable":
            self.question = None
            if text == self.device.enable_secret:
                self.privileged = True
            else:
                self.emit("% Bad secrets\n\n")
            self.emit(self.prompt())
            return
        if text.upper() not in ("Y", "N", "YES", "NO"):  # VRP asks again until it gets Y or N
            self.emit(QUESTIONS[self.question or ""])
            return
        question, self.question = self.question, None
        if question == "save" and text.upper().startswith("Y"):
            self.device.saved = True
            self.emit("Info: The current configuration was saved successfully.\n")
        self.emit(self.prompt())

    def _lookup(self, command: str) -> str | FakeStream | None:
        for known, text in self.device.outputs.items():
            if command == known or abbreviates(command, known):
                return text
        return None

    def _builtin(self, command: str) -> str | None:
        device, style = self.device, self.device.style
        if command == PAGING_OFF.get(style) or (command == "terminal width 511" and style == "ios"):
            if device.refuse_paging_off and command == PAGING_OFF.get(style):
                self._output(UNKNOWN[style].format(command=command, word=command.split()[0]))
            else:
                self.paging = self.paging and command != PAGING_OFF.get(style)
                if style == "vrp":
                    self._output("Info: The configuration takes effect on the current user terminal interface "
                                 "only.")
                else:
                    self._output("")
            return ""
        if style == "vrp":
            if command in ("system-view", "sys"):
                self.view = "system"
                self._output("Enter system view, return user view with Ctrl+Z.")
                return ""
            if command == "return":
                self.view = "user"
                self._output("")
                return ""
            if command == "quit":
                self.view = {"interface": "system", "system": "user"}.get(self.view, "user")
                self._output("")
                return ""
            if command.startswith("interface ") and self.view != "user":
                self.view = "interface"
                self._output("")
                return ""
            if command == "save":
                self.question = "save"
                self.emit(QUESTIONS["save"])
                return ""
        if style == "ios" and command in ("enable", "en") and not self.privileged:
            if self.device.enable_secret is None:
                self.privileged = True
                self._output("")
            else:
                self.question = "enable"
                self.emit(QUESTIONS["enable"])
            return ""
        if style in ("ios", "vtysh"):
            if command in ("configure terminal", "conf t"):
                self.view = "system"
                self._output("Enter configuration commands, one per line.  End with CNTL/Z." if style == "ios"
                             else "")
                return ""
            if command == "end":
                self.view = "user"
                self._output("")
                return ""
            if command == "exit" and self.view != "user":
                self.view = {"interface": "system", "system": "user"}[self.view]
                self._output("")
                return ""
            if command in ("write memory", "copy running-config startup-config"):
                device.saved = True
                self._output("Building configuration...\n[OK]")
                return ""
        if style != "bash" and self.view != "user" and command.split()[0] in ("display", "show"):
            if style == "vrp":
                return None  # VRP runs display commands in every view
            self._output(UNKNOWN[style].format(command=command, word=command.split()[0]))
            return ""
        return None

    def close(self) -> None:
        self.closed = True


def text_key(device: FakeDevice, command: str) -> str:
    """The ``stall`` key of ``command`` (its full form in ``outputs`` when abbreviated)."""
    return next((known for known in device.outputs if command == known or abbreviates(command, known)), command)


def abbreviates(typed: str, full: str) -> bool:
    """Whether ``typed`` abbreviates ``full`` word by word, as CLIs accept (``dis ip int br``)."""
    words, full_words = typed.split(), full.split()
    return len(words) == len(full_words) and all(f.startswith(w) for w, f in zip(words, full_words, strict=True))


# -- netmiko-facing adapters ---------------------------------------------------------------------------------

class FakeShellChannel:
    """What paramiko's ``invoke_shell`` returns, over a ``FakeCli``."""

    def __init__(self, cli: FakeCli) -> None:
        self.cli = cli
        self._buffer = b""

    @property
    def closed(self) -> bool:
        return self.cli.closed and self.cli.drained and not self._buffer

    def settimeout(self, timeout: float | None) -> None:
        """paramiko API; reads here never block."""

    def sendall(self, data: bytes) -> None:
        if self.cli.closed:
            raise OSError("Socket is closed")
        self.cli.feed(data.decode("utf-8", errors="replace"))

    send = sendall

    def recv_ready(self) -> bool:
        if not self._buffer:
            self._buffer = self.cli.available().encode()
        return bool(self._buffer) or self.cli.closed

    def recv(self, size: int) -> bytes:
        if not self._buffer:
            self._buffer = self.cli.available().encode()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data  # b"" after close: netmiko reads that as "channel stream closed"

    def close(self) -> None:
        self.cli.close()


class FakeSSHClient:
    """paramiko.SSHClient's surface that netmiko uses, answering from a ``FakeDevice``."""

    def __init__(self, device: FakeDevice) -> None:
        self.device = device
        self.channel: FakeShellChannel | None = None

    def set_missing_host_key_policy(self, policy: Any) -> None:
        """paramiko API."""

    def load_system_host_keys(self) -> None:
        """paramiko API."""

    def load_host_keys(self, filename: str) -> None:
        """paramiko API."""

    def connect(self, **kwargs: Any) -> None:
        import paramiko

        self.device.login_attempts += 1
        if self.device.close_before_banner:
            raise paramiko.SSHException("Error reading SSH protocol banner")
        if (kwargs.get("username"), kwargs.get("password")) != (self.device.username, self.device.password):
            raise paramiko.AuthenticationException("Authentication failed.")

    def invoke_shell(self, **kwargs: Any) -> FakeShellChannel:
        self.channel = FakeShellChannel(self.device.open_session())
        return self.channel

    def get_transport(self) -> None:
        return None

    def close(self) -> None:
        if self.channel is not None:
            self.channel.close()


class FakeTelnet:
    """netmiko's telnetlib surface (``read_eager``, ``write``, ``close``), as a console on a ``FakeDevice``."""

    def __init__(self, device: FakeDevice) -> None:
        self.device = device
        self.cli: FakeCli | None = None
        self.eof = False
        self.stage = "login" if device.console_login else ("return" if device.press_return else "cli")
        self._early: list[str] = []
        if device.banner:
            self._early.append(device.banner.rstrip("\n") + "\n")
        if self.stage == "login":
            self._early.append("\nUsername:")
        elif self.stage == "return":
            self._early.append("\nPress RETURN to get started.\n")
        else:
            self.cli = device.open_session()

    def read_eager(self) -> bytes:
        if self._early:
            text, self._early = "".join(self._early), []
            return text.encode()
        if self.cli is None:
            return b""
        text = self.cli.available()
        if not text and self.cli.closed and self.cli.drained:
            self.eof = True
            raise EOFError("telnet connection closed")
        return text.encode()

    def write(self, data: bytes) -> None:
        text = data.decode("utf-8", errors="replace")
        if self.stage == "cli" and self.cli is not None:
            self.cli.feed(text)
            return
        self._login_keys(text)

    def _login_keys(self, text: str) -> None:
        self._typed = getattr(self, "_typed", "") + text
        if "\n" not in self._typed and "\r" not in self._typed:
            return
        line, self._typed = re.split(r"\r\n?|\n", self._typed, maxsplit=1)[0], ""
        if self.stage == "return":
            self.stage = "cli"
            self.cli = self.device.open_session()
            return
        if not hasattr(self, "_user"):
            if not line:
                self._early.append("\nUsername:")
                return
            self._user = line
            self._early.append(line + "\nPassword:")
            return
        if (self._user, line) == (self.device.username, self.device.password):
            self.stage = "cli"
            self._early.append("\n")
            self.cli = self.device.open_session()
        else:
            self._early.append("\nError: Authentication fail\n")
            self.eof = True

    def close(self) -> None:
        if self.cli is not None:
            self.cli.close()


class FakeNetwork:
    """A ``Connector`` whose hosts are ``FakeDevice``s, found by ``"host:port"``."""

    def __init__(self, devices: dict[str, FakeDevice]) -> None:
        self.devices = devices

    def device(self, host: str, port: int) -> FakeDevice:
        return self.devices[f"{host}:{port}"]

    def probe(self, conn: Any) -> str | None:
        where = f"{conn.transport} {conn.host}:{conn.port}"
        device = self.devices.get(f"{conn.host}:{conn.port}")
        if device is not None:
            device.probes += 1
        if device is None or device.tcp == "refused":
            return f"connection refused by {where} (is the device running?)"
        if device.tcp == "silent":
            return f"timed out connecting to {where}"
        return None

    def ssh(self, params: dict[str, Any]) -> Any:
        from grader.transport.netmiko_cli import netmiko_class

        device = self.device(params["host"], params["port"])
        session = netmiko_class(params["device_type"], lambda: FakeSSHClient(device))(**params, auto_connect=False)
        session.establish_connection()
        return session

    def telnet(self, params: dict[str, Any]) -> Any:
        from grader.transport.netmiko_cli import attach_telnet, netmiko_class

        device = self.device(params["host"], params["port"])
        return attach_telnet(netmiko_class(params["device_type"])(**params, auto_connect=False), FakeTelnet(device))


def devices_from_evidence(evidence: dict[str, Any], dialects: dict[str, Style], **behaviour: Any
                          ) -> dict[str, FakeDevice]:
    """One scripted device per node of recorded evidence (a capture's ``Evidence``), answering each recorded
    command with what it printed then: a recorded scenario replayed through a real session. ``dialects`` gives
    each node's CLI dialect (its platform profile's); ``behaviour`` applies to every device (paging, ...)."""
    devices: dict[str, FakeDevice] = {}
    for node, node_evidence in evidence.items():
        outputs: dict[str, str | FakeStream] = {command: output.text for command, output in
                                                node_evidence.outputs.items() if output.error is None}
        devices[node] = FakeDevice(node, style=dialects[node], outputs=outputs, **behaviour)
    return devices
