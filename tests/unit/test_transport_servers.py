"""The live transport against real SSH and telnet servers on 127.0.0.1 (scripted devices behind them): the
same path as a student's simulator, minus the simulator."""

from __future__ import annotations

import socket

import pytest
from pydantic import SecretStr

from grader.model.inventory import Connection, Inventory
from grader.platforms import get_platform
from grader.transport.fake import FakeDevice
from grader.transport.fake_servers import FakeServer, serve_ssh, serve_telnet
from grader.transport.netmiko_cli import NetmikoConnector, NetmikoTransport

OUTPUTS = {"display version": "VRP (R) software, Version 5.160",
           "display ip interface brief": "\n".join(f"Vlanif{i}   10.{i}.0.1/24   up   up" for i in range(40))}


def collect(server: FakeServer, transport: str, commands: list[str], **settings: object) -> object:
    defaults = {"username": "student", "password": SecretStr("secret"), "timeout": 3.0, **settings}
    inventory = Inventory(defaults=Connection(**defaults),
                          nodes={"r1": Connection(host=server.host, port=server.port, transport=transport)})
    return NetmikoTransport(inventory, retry_after=0.01).collect("r1", get_platform("huawei_vrp"), commands)


def test_ssh_with_paging_refused_and_a_first_login_question() -> None:
    device = FakeDevice("R1", style="vrp", outputs=OUTPUTS, page_lines=10, refuse_paging_off=True,
                        first_login_dialog=True)
    with serve_ssh(device) as server:
        evidence = collect(server, "ssh", ["display ip interface brief", "dis ver"])
    assert evidence.error is None
    assert evidence.outputs["display ip interface brief"].text == OUTPUTS["display ip interface brief"]
    assert evidence.outputs["dis ver"].text == OUTPUTS["display version"]
    assert not device.saved


def test_telnet_console_without_login() -> None:
    device = FakeDevice("R1", style="vrp", outputs=OUTPUTS, start_view="system")
    with serve_telnet(device) as server:
        evidence = collect(server, "telnet", ["display version"], username=None, password=None)
    assert evidence.error is None, evidence.error
    assert evidence.outputs["display version"].text == OUTPUTS["display version"]
    assert device.received[0] == "return"


def test_telnet_console_with_login_and_wrong_password() -> None:
    device = FakeDevice("R1", style="vrp", outputs=OUTPUTS, console_login=True)
    with serve_telnet(device) as server:
        good = collect(server, "telnet", ["display version"])
        bad = collect(server, "telnet", ["display version"], password=SecretStr("nope"))
    assert good.error is None and good.outputs["display version"].text.startswith("VRP")
    assert bad.error == f"login failed on telnet 127.0.0.1:{server.port} (wrong username or password?)"


def test_ssh_wrong_password() -> None:
    device = FakeDevice("R1", style="vrp", outputs=OUTPUTS)
    with serve_ssh(device) as server:
        evidence = collect(server, "ssh", ["display version"], password=SecretStr("nope"))
    assert evidence.error == f"login failed on ssh 127.0.0.1:{server.port} (wrong username or password?)"


def test_peer_that_closes_before_the_banner() -> None:
    device = FakeDevice("R1", style="vrp", close_before_banner=True)
    with serve_ssh(device) as server:
        evidence = collect(server, "ssh", ["display version"])
    assert evidence.error is not None and "closed the connection before the SSH banner" in evidence.error


def test_probe_says_refused_or_open() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free_port = sock.getsockname()[1]
    connector = NetmikoConnector()
    refused = Connection(host="127.0.0.1", port=free_port)
    inventory = Inventory(nodes={"r1": refused})
    assert connector.probe(inventory.resolve("r1")) == (
        f"connection refused by ssh 127.0.0.1:{free_port} (is the device running?)")
    with serve_ssh(FakeDevice("R1", style="vrp")) as server:
        inventory = Inventory(nodes={"r1": Connection(host=server.host, port=server.port)})
        assert connector.probe(inventory.resolve("r1")) is None


@pytest.mark.parametrize("transport", ["ssh", "telnet"])
def test_silent_peer_times_out(transport: str) -> None:
    device = FakeDevice("R1", style="vrp", tcp="silent")
    serve = serve_ssh if transport == "ssh" else serve_telnet
    with serve(device) as server:
        evidence = collect(server, transport, ["display version"], timeout=1.0)
    assert evidence.error is not None and "\n" not in evidence.error


def test_cli_names_the_reason_once_and_prints_no_traceback(tmp_path) -> None:
    """A peer that accepts TCP and closes before the SSH banner: one reason on the node, nothing from paramiko."""
    import subprocess
    import sys
    from pathlib import Path

    import yaml

    lab = Path(__file__).resolve().parents[2] / "tests" / "data" / "capture_only"
    with serve_ssh(FakeDevice("SW1", style="vrp", close_before_banner=True)) as closing:
        inventory = tmp_path / "inventory.yaml"
        inventory.write_text(yaml.safe_dump({
            "defaults": {"username": "student", "password": "secret", "timeout": 3},
            "nodes": {"sw1": {"host": "127.0.0.1", "port": closing.port}}}))
        done = subprocess.run([sys.executable, "-m", "grader", "grade", str(lab), "--inventory", str(inventory),
                               "--no-wait", "--format", "json"], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr and "paramiko" not in done.stderr.lower(), done.stderr
    nodes = {n["node"]: n["error"] for n in __import__("json").loads(done.stdout)["nodes"]}
    assert "closed the connection before the SSH banner" in nodes["sw1"]
