"""The live transport's own logic, offline: netmiko's connection code and labgrader's session logic run against
scripted devices (``grader.transport.fake``) -- prompts, configuration views, paging, dialogs, error markers,
timeouts, dropped sessions and failed logins, each an ERROR for its node or command only."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from grader.engine.collect import collect
from grader.errors import CaptureError, LabFileError
from grader.loader import load_topology
from grader.model.evidence import CommandOutput, NodeEvidence
from grader.model.facts import FactRequest
from grader.model.inventory import Connection, Inventory
from grader.platforms import get_platform
from grader.transport.capture import write_capture
from grader.transport.cli import Cleaner, clean, strip_echo_and_prompt
from grader.transport.fake import FakeDevice, FakeNetwork
from grader.transport.netmiko_cli import NetmikoTransport

LONG = "\n".join(f"GigabitEthernet0/0/{i}   10.0.{i}.1/24   up   up" for i in range(25))
VRP_OUTPUTS = {"display ip interface brief": LONG, "display version": "VRP (R) software, Version 5.160"}
IOS_OUTPUTS = {"show ip interface brief": LONG, "show version": "Cisco IOS Software, Version 15.2(4)M"}


def transport(devices: dict[str, FakeDevice], *, telnet: set[str] = frozenset(), read_timeout: float = 2.0,
              **defaults: object) -> NetmikoTransport:
    """A transport whose nodes are the fake devices, node name = device key, each at 10.0.0.<n>."""
    nodes = {}
    network = {}
    for n, (name, device) in enumerate(sorted(devices.items()), start=1):
        port = 23 if name in telnet else 22
        nodes[name] = Connection(host=f"10.0.0.{n}", port=port, transport="telnet" if name in telnet else "ssh")
        network[f"10.0.0.{n}:{port}"] = device
    settings = {"username": "student", "password": SecretStr("secret"), "timeout": 2.0, **defaults}
    inventory = Inventory(defaults=Connection(**settings), nodes=nodes)
    return NetmikoTransport(inventory, connector=FakeNetwork(network), read_timeout=read_timeout, retry_after=0.01)


def run(devices: dict[str, FakeDevice], node: str, platform: str, commands: list[str], **kwargs: object
        ) -> NodeEvidence:
    return transport(devices, **kwargs).collect(node, get_platform(platform), commands)


def text(evidence: NodeEvidence, command: str) -> str:
    output = evidence.outputs[command]
    assert output.error is None, output.error
    return output.text


# --- prompts, views, paging ---------------------------------------------------------------------------------

def test_vrp_left_in_an_interface_view_is_brought_back_to_the_user_view() -> None:
    device = FakeDevice("R1", style="vrp", outputs=VRP_OUTPUTS, start_view="interface")
    evidence = run({"r1": device}, "r1", "huawei_vrp", ["display version"])
    assert evidence.error is None
    assert text(evidence, "display version") == "VRP (R) software, Version 5.160"
    assert device.received[:2] == ["return", "screen-length 0 temporary"]
    assert not device.saved


@pytest.mark.parametrize(("style", "platform", "outputs", "command"), [
    ("vrp", "huawei_vrp", VRP_OUTPUTS, "display ip interface brief"),
    ("ios", "cisco_ios", IOS_OUTPUTS, "show ip interface brief"),
])
def test_paging_is_answered_when_the_device_refuses_to_turn_it_off(style: str, platform: str,
                                                                     outputs: dict[str, str], command: str) -> None:
    device = FakeDevice("R1", style=style, outputs=outputs, page_lines=7, refuse_paging_off=True)  # type: ignore[arg-type]
    evidence = run({"r1": device}, "r1", platform, [command])
    assert text(evidence, command) == LONG  # no paging prompt, no erase sequence, no line glued to another


def test_paging_turned_off_means_one_read() -> None:
    device = FakeDevice("R1", style="ios", outputs=IOS_OUTPUTS, page_lines=5)
    evidence = run({"r1": device}, "r1", "cisco_ios", ["show ip interface brief", "sh ver"])
    assert text(evidence, "show ip interface brief") == LONG
    assert text(evidence, "sh ver") == "Cisco IOS Software, Version 15.2(4)M"  # abbreviations reach the device
    assert "terminal length 0" in device.received


def test_rejected_command_is_kept_as_output_and_the_platform_names_the_error_line() -> None:
    device = FakeDevice("R1", style="vrp", outputs=VRP_OUTPUTS)
    evidence = run({"r1": device}, "r1", "huawei_vrp", ["display nonsense"])
    output = text(evidence, "display nonsense")
    assert get_platform("huawei_vrp").rejected(output) == "Error: Unrecognized command found at '^' position."


def test_ios_configuration_mode_is_left_with_end() -> None:
    device = FakeDevice("R1", style="ios", outputs=IOS_OUTPUTS, start_view="interface")
    evidence = run({"r1": device}, "r1", "cisco_ios", ["show version"])
    assert text(evidence, "show version").startswith("Cisco IOS Software")
    assert device.received[0] == "end"


def test_vtysh_and_bash_sessions() -> None:
    router = FakeDevice("r1", style="vtysh", outputs={"show ip route": "C>* 10.0.12.0/24 is directly connected"})
    host = FakeDevice("pc1", style="bash", outputs={"hostname": "pc1"})
    devices = {"r1": router, "pc1": host}
    assert text(run(devices, "r1", "frr", ["show ip route"]), "show ip route").startswith("C>* 10.0.12.0/24")
    assert text(run(devices, "pc1", "linux", ["hostname"]), "hostname") == "pc1"


# --- dialogs and consoles -----------------------------------------------------------------------------------

def test_vrp_first_login_password_change_is_declined() -> None:
    device = FakeDevice("R1", style="vrp", outputs=VRP_OUTPUTS, first_login_dialog=True)
    evidence = run({"r1": device}, "r1", "huawei_vrp", ["display version"])
    assert text(evidence, "display version").startswith("VRP")
    assert not device.saved and "Y" not in device.received


def test_console_without_login_like_ensp() -> None:
    device = FakeDevice("R1", style="vrp", outputs=VRP_OUTPUTS)
    evidence = run({"r1": device}, "r1", "huawei_vrp", ["display version"], telnet={"r1"}, username=None,
                   password=None)
    assert text(evidence, "display version").startswith("VRP")


def test_console_press_return_then_prompt() -> None:
    device = FakeDevice("R1", style="ios", outputs=IOS_OUTPUTS, press_return=True, banner="User Access Verification")
    evidence = run({"r1": device}, "r1", "cisco_ios", ["show version"], telnet={"r1"})
    assert text(evidence, "show version").startswith("Cisco IOS")


def test_console_login_with_credentials() -> None:
    device = FakeDevice("S1", style="vrp", outputs=VRP_OUTPUTS, console_login=True)
    evidence = run({"s1": device}, "s1", "huawei_vrp", ["display version"], telnet={"s1"})
    assert text(evidence, "display version").startswith("VRP")


def test_console_wrong_password_is_a_login_error() -> None:
    device = FakeDevice("S1", style="vrp", outputs=VRP_OUTPUTS, console_login=True)
    evidence = run({"s1": device}, "s1", "huawei_vrp", ["display version"], telnet={"s1"},
                   password=SecretStr("wrong"))
    assert evidence.error == "login failed on telnet 10.0.0.1:23 (wrong username or password?)"


def test_console_asking_a_user_name_without_one_in_the_inventory() -> None:
    device = FakeDevice("S1", style="vrp", outputs=VRP_OUTPUTS, console_login=True)
    evidence = run({"s1": device}, "s1", "huawei_vrp", ["display version"], telnet={"s1"}, username=None)
    assert evidence.error is not None and "login failed" in evidence.error


# --- failures: each an error for its node or command only ---------------------------------------------------

def test_wrong_ssh_password_is_a_login_error_and_not_retried() -> None:
    device = FakeDevice("R1", style="vrp", outputs=VRP_OUTPUTS, password="other")
    evidence = run({"r1": device}, "r1", "huawei_vrp", ["display version"])
    assert evidence.error == "login failed on ssh 10.0.0.1:22 (wrong username or password?)"
    assert "secret" not in evidence.error
    assert device.login_attempts == 1


def test_an_unreachable_node_is_tried_once_more_then_settled() -> None:
    device = FakeDevice("R1", style="vrp", outputs=VRP_OUTPUTS, tcp="refused")
    run({"r1": device}, "r1", "huawei_vrp", ["display version"])
    assert device.probes == 2


@pytest.mark.parametrize(("tcp", "message"), [
    ("refused", "connection refused by ssh 10.0.0.1:22 (is the device running?)"),
    ("silent", "timed out connecting to ssh 10.0.0.1:22"),
])
def test_tcp_failures_are_named(tcp: str, message: str) -> None:
    device = FakeDevice("R1", style="vrp", outputs=VRP_OUTPUTS, tcp=tcp)  # type: ignore[arg-type]
    assert run({"r1": device}, "r1", "huawei_vrp", ["display version"]).error == message


def test_peer_closing_before_the_ssh_banner_is_named() -> None:
    device = FakeDevice("R1", style="vrp", outputs=VRP_OUTPUTS, close_before_banner=True)
    error = run({"r1": device}, "r1", "huawei_vrp", ["display version"]).error
    assert error == ("ssh 10.0.0.1:22 closed the connection before the SSH banner "
                     "(not an SSH server, or overloaded?)")


def test_login_shell_that_exits_says_what_it_said() -> None:
    device = FakeDevice("r1", style="vtysh", exit_shell="Exiting: failed to connect to any daemons.")
    error = run({"r1": device}, "r1", "frr", ["show ip route"]).error
    assert error is not None and "failed to connect to any daemons" in error


def test_missing_password_variable_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LG_TEST_PASSWORD", raising=False)
    device = FakeDevice("R1", style="vrp", outputs=VRP_OUTPUTS)
    evidence = run({"r1": device}, "r1", "huawei_vrp", ["display version"], password=None,
                   password_env="LG_TEST_PASSWORD")
    assert evidence.error == "inventory: node 'r1': environment variable LG_TEST_PASSWORD is not set"
    assert device.sessions == 0


def test_a_hung_command_errors_and_the_rest_run_in_a_fresh_session() -> None:
    """The stalled command's late output must not be read as the next command's: the session is replaced."""
    outputs = {"display slow": "SLOW OUTPUT", **VRP_OUTPUTS}
    device = FakeDevice("R1", style="vrp", outputs=outputs, stall={"display slow": 0.8})
    evidence = run({"r1": device}, "r1", "huawei_vrp", ["display slow", "display version"], read_timeout=0.4)
    slow = evidence.outputs["display slow"]
    assert slow.error is not None and slow.error.startswith("no prompt after 0.4 s")
    assert text(evidence, "display version") == "VRP (R) software, Version 5.160"
    assert device.sessions == 2


def test_a_dropped_session_errors_that_command_and_retries_once() -> None:
    outputs = {"display crash": "", **VRP_OUTPUTS}
    device = FakeDevice("R1", style="vrp", outputs=outputs, drop_on={"display crash"})
    evidence = run({"r1": device}, "r1", "huawei_vrp", ["display crash", "display version", "display crash",
                                                       "display ip interface brief"])
    first = evidence.outputs["display crash"]
    assert first.error is not None and "dropped" in first.error
    assert evidence.outputs["display ip interface brief"].error == (
        "not run: the session to 10.0.0.1:22 dropped")
    assert device.sessions == 2


def test_one_dead_node_never_stops_the_others() -> None:
    topology = load_topology(Path(__file__).resolve().parents[1] / "data" / "topo.clab.yml")
    names = sorted(topology.nodes)
    devices = {name: FakeDevice(name, style="vtysh", outputs={"show ip route": f"route of {name}"})
               for name in names}
    devices[names[0]].tcp = "refused"
    fake = transport(devices)
    for name in names:
        topology.nodes[name].bind_kind_platform("frr")
        topology.nodes[name].labels.pop("labgrader.platform", None)
    evidence = collect({name: ["show ip route"] for name in names}, topology, fake)
    assert evidence[names[0]].error is not None
    for name in names[1:]:
        assert text(evidence[name], "show ip route") == f"route of {name}"


# --- the session's text handling -------------------------------------------------------------------------

def test_erased_paging_prompts_and_escapes_are_removed_even_when_split_across_reads() -> None:
    raw = "line 1\n  ---- More ----\x1b[42D" + " " * 42 + "\x1b[42Dline 2\n\b\b\b   \b\b\bline 3\x1b[0m\n"
    whole = clean(raw)
    cleaner = Cleaner()
    pieces = "".join(cleaner.feed(raw[i:i + 5]) for i in range(0, len(raw), 5)) + cleaner.feed("")
    assert pieces == whole
    assert "line 2\nline 3\n" in whole and "\x1b" not in whole and "\b" not in whole


def test_echo_and_prompt_are_stripped() -> None:
    assert strip_echo_and_prompt("display version\nVRP 5\n<R1>", "display version", "<R1>") == "VRP 5"
    assert strip_echo_and_prompt("r1# show x\nout\nr1# ", "show x", "r1#") == "out"


# --- captures -----------------------------------------------------------------------------------------------

def test_capture_never_overwrites_a_folder_that_is_not_a_capture(tmp_path: Path) -> None:
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("years of work")
    evidence = {"r1": NodeEvidence("r1", "frr", {"show x": CommandOutput("show x", "out")})}
    with pytest.raises(CaptureError, match="is not a capture; refusing to overwrite it"):
        write_capture(evidence, precious, lab_id="lab", source="test")
    assert (precious / "chapter1.tex").read_text() == "years of work"


def test_inventory_without_the_node_is_an_error() -> None:
    with pytest.raises(LabFileError, match="no entry for node 'r9'"):
        Inventory(nodes={}).resolve("r9")


# --- commands that never end by themselves ------------------------------------------------------------------

PING_LINES = tuple(f"64 bytes from 10.0.12.2: icmp_seq={n} ttl=64 time=0.05 ms" for n in range(1, 30))


def test_vtysh_ping_is_stopped_after_three_replies_and_its_statistics_read() -> None:
    from grader.transport.fake import FakeStream

    device = FakeDevice("r1", style="vtysh", outputs={"ping 10.0.12.2": FakeStream(PING_LINES, interval=0.05)})
    evidence = run({"r1": device}, "r1", "frr", ["ping 10.0.12.2", "show version"], read_timeout=2.0)
    output = text(evidence, "ping 10.0.12.2")
    assert output.count("bytes from") >= 3 and "^C" in output
    value = get_platform("frr").interpret(FactRequest.make("r1", "ping", target="10.0.12.2"), output)
    assert value.received >= 3 and value.sent >= value.received
    assert text(evidence, "show version") == "% Unknown command: show version"  # the session answers after it


def test_vtysh_ping_without_replies_is_stopped_by_time() -> None:
    from grader.transport.fake import FakeStream

    silent = FakeStream((), interval=0.05)
    device = FakeDevice("r1", style="vtysh", outputs={"ping 10.9.9.9": silent})
    output = text(run({"r1": device}, "r1", "frr", ["ping 10.9.9.9"]), "ping 10.9.9.9")
    value = get_platform("frr").interpret(FactRequest.make("r1", "ping", target="10.9.9.9"), output)
    assert value.received == 0 and value.sent >= 1


def test_vtysh_ipv6_ping_answered_by_errors_is_stopped_after_three_of_them() -> None:
    """An IPv6 address on a router's LAN that nobody holds: the router answers each probe with an error."""
    from grader.transport.fake import FakeStream

    errors = tuple(f"From 2001:db8:23::3 icmp_seq={n} Destination unreachable: Address unreachable"
                   for n in range(1, 30))
    device = FakeDevice("r1", style="vtysh",
                        outputs={"ping 2001:db8:3::1": FakeStream(errors, interval=0.05, received=0)})
    output = text(run({"r1": device}, "r1", "frr", ["ping 2001:db8:3::1"], read_timeout=2.0), "ping 2001:db8:3::1")
    assert 3 <= output.count("Address unreachable") < 29 and "^C" in output
    value = get_platform("frr").interpret(FactRequest.make("r1", "ping", target="2001:db8:3::1"), output)
    assert value.received == 0 and value.sent >= 3


# --- privilege levels -----------------------------------------------------------------------------------------

def test_ios_user_level_is_raised_with_the_enable_secret() -> None:
    device = FakeDevice("R1", style="ios", outputs=IOS_OUTPUTS, privileged=False, enable_secret="cisco123")
    evidence = run({"r1": device}, "r1", "cisco_ios", ["show version"], secret=SecretStr("cisco123"))
    assert text(evidence, "show version").startswith("Cisco IOS")
    assert device.received[0] == "enable" and "cisco123" not in device.received


@pytest.mark.parametrize(("secret", "fragment"), [
    (None, "asks for the enable secret: give `secret` in the inventory"),
    (SecretStr("Xq-nope-7"), "refused the enable secret"),
])
def test_ios_enable_without_the_right_secret_is_a_node_error(secret: SecretStr | None, fragment: str) -> None:
    device = FakeDevice("R1", style="ios", outputs=IOS_OUTPUTS, privileged=False, enable_secret="cisco123")
    evidence = run({"r1": device}, "r1", "cisco_ios", ["show version"], secret=secret)
    assert evidence.error is not None and fragment in evidence.error, evidence.error
    assert "cisco123" not in evidence.error and "Xq-nope-7" not in evidence.error


def test_ios_enable_without_a_password() -> None:
    device = FakeDevice("R1", style="ios", outputs=IOS_OUTPUTS, privileged=False)
    assert text(run({"r1": device}, "r1", "cisco_ios", ["show version"]), "show version").startswith("Cisco")
