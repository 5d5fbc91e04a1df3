"""Real SSH and telnet servers on 127.0.0.1 in front of ``FakeDevice``s: the whole path a grader meets with a
student's simulator (TCP, the SSH handshake or a telnet console, login, prompts, paging, dialogs), with no
simulator. Used by the test suite; each server runs in a daemon thread until ``stop()``.

    with serve_ssh(device) as server:          # server.port, server.host
        ...
    with serve_telnet(device) as server:
        ...

On the wire, line ends are CRLF as a terminal sends them. ``device.tcp == "silent"`` accepts connections and
never answers; ``device.close_before_banner`` closes each connection at once.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from grader.transport.fake import FakeCli, FakeDevice, FakeTelnet

HOST = "127.0.0.1"
_POLL_S = 0.005


@dataclass
class FakeServer:
    """A listening server; ``stop()`` closes it and every connection it accepted."""

    host: str
    port: int
    _listener: socket.socket
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _sockets: list[socket.socket] = field(default_factory=list)

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        for sock in list(self._sockets):
            with contextlib.suppress(OSError):
                sock.close()
        for thread in self._threads:
            thread.join(timeout=2)

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _serve(device: FakeDevice, handle: Callable[[socket.socket, FakeDevice, threading.Event], None]) -> FakeServer:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, 0))
    listener.listen(16)
    listener.settimeout(0.1)
    server = FakeServer(HOST, listener.getsockname()[1], listener)

    def accept_loop() -> None:
        while not server._stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            server._sockets.append(conn)
            if device.close_before_banner:
                conn.close()
                continue
            if device.tcp == "silent":
                continue  # accepted, never a word
            worker = threading.Thread(target=_guarded, args=(handle, conn, device, server._stop), daemon=True)
            server._threads.append(worker)
            worker.start()

    thread = threading.Thread(target=accept_loop, daemon=True)
    server._threads.append(thread)
    thread.start()
    return server


def _guarded(handle: Callable[..., None], conn: socket.socket, device: FakeDevice, stop: threading.Event) -> None:
    try:
        handle(conn, device, stop)
    except (OSError, EOFError):
        pass  # the client went away
    finally:
        with contextlib.suppress(OSError):
            conn.close()


def _wire(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


# -- SSH --------------------------------------------------------------------------------------------------------

@cache
def _host_key() -> Any:
    import paramiko

    return paramiko.ECDSAKey.generate()


def _ssh_interface(device: FakeDevice, shell: threading.Event) -> Any:
    import paramiko

    class Interface(paramiko.ServerInterface):
        def get_allowed_auths(self, username: str) -> str:
            return "password"

        def check_auth_password(self, username: str, password: str) -> int:
            ok = (username, password) == (device.username, device.password)
            return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

        def check_channel_request(self, kind: str, chanid: int) -> int:
            return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

        def check_channel_pty_request(self, *args: Any) -> bool:
            return True

        def check_channel_shell_request(self, channel: Any) -> bool:
            shell.set()
            return True

    return Interface()


def _handle_ssh(conn: socket.socket, device: FakeDevice, stop: threading.Event) -> None:
    import paramiko

    transport = paramiko.Transport(conn)
    transport.add_server_key(_host_key())
    shell = threading.Event()
    try:
        transport.start_server(server=_ssh_interface(device, shell))
        channel = transport.accept(timeout=10)
        if channel is None or not shell.wait(10):
            return
        _pump_ssh(channel, device.open_session(), stop)
    except (paramiko.SSHException, EOFError, OSError):
        return
    finally:
        transport.close()


def _pump_ssh(channel: Any, cli: FakeCli, stop: threading.Event) -> None:
    while not stop.is_set() and not channel.closed:
        if channel.recv_ready():
            data = channel.recv(4096)
            if not data:
                break
            cli.feed(data.decode("utf-8", errors="replace"))
        out = cli.available()
        if out:
            channel.sendall(_wire(out))
        if cli.closed and cli.drained:
            break
        time.sleep(_POLL_S)
    channel.close()


def serve_ssh(device: FakeDevice) -> FakeServer:
    """An SSH server (password login, an interactive shell) answering as ``device``."""
    return _serve(device, _handle_ssh)


# -- telnet -----------------------------------------------------------------------------------------------------

_IAC = 255


def _strip_telnet_commands(data: bytes) -> bytes:
    """Drop telnet negotiation (IAC sequences) a client may send; NUL after CR too."""
    out, i = bytearray(), 0
    while i < len(data):
        byte = data[i]
        if byte == _IAC and i + 1 < len(data):
            command = data[i + 1]
            i += 3 if command in (251, 252, 253, 254) else 2  # WILL/WONT/DO/DONT take an option byte
            continue
        if byte != 0:
            out.append(byte)
        i += 1
    return bytes(out)


def _handle_telnet(conn: socket.socket, device: FakeDevice, stop: threading.Event) -> None:
    console = FakeTelnet(device)
    conn.setblocking(False)
    while not stop.is_set():
        readable, _, _ = select.select([conn], [], [], _POLL_S)
        if readable:
            data = conn.recv(4096)
            if not data:
                break
            console.write(_strip_telnet_commands(data))
        try:
            out = console.read_eager()
        except EOFError:
            break
        if out:
            conn.sendall(_wire(out.decode()))
        elif console.eof:
            break


def serve_telnet(device: FakeDevice) -> FakeServer:
    """A telnet console (as eNSP, GNS3 and EVE-NG give) answering as ``device``."""
    return _serve(device, _handle_telnet)


@contextlib.contextmanager
def serving(devices: dict[str, tuple[FakeDevice, str]]) -> Iterator[dict[str, FakeServer]]:
    """Serve several devices at once: name → (device, "ssh" | "telnet"); every server stops on exit."""
    servers: dict[str, FakeServer] = {}
    try:
        for name, (device, kind) in devices.items():
            servers[name] = serve_ssh(device) if kind == "ssh" else serve_telnet(device)
        yield servers
    finally:
        for server in servers.values():
            server.stop()
