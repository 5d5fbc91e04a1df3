"""Per-device collection cost: labgrader's netmiko transport against plain netmiko and the SSH floor.

Deploys a lab (its solution config by default) under a throw-away lab id, takes the commands the lab needs
on one FRR router and on one Linux host (``build_plan`` on the lab's resolved checks), and times, in the
same run and interleaved (the order rotates every repetition), one whole session per sample:

* ``transport``  ``NetmikoTransport.collect``: connect, the node's commands, disconnect (what grading does);
* ``netmiko``    plain netmiko as the transport used it at first: ``ConnectHandler(fast_cli=True)`` with the
                 platform's device type, ``send_command`` with its defaults, ``disconnect``;
* ``floor``      paramiko: connect, one exec request per command, close. An FRR user's login shell is
                 vtysh, so an exec runs ``vtysh -c <command>``; a host's runs it in ``bash -c``.

Prints median / p90 per method and node, the ratio to the floor, and whether the outputs agree with plain
netmiko's of the same repetition: the transport's character for character, the floor's once line ends and
blank edges are normalised; and both with numbers masked (OSPF dead timers, route uptimes and ping times
tick between two sessions).

    python benchmarks/collection.py [--lab DIR] [--config solution] [--repeat 15]

Times are printed, never asserted. The deployment is always removed (also on Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import platform as pyplatform
import re
import secrets
import signal
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from grader.configs import lab_configs
from grader.engine.plan import build_plan
from grader.errors import DeployError
from grader.loader import load_lab
from grader.platforms import Platform, get_platform
from grader.runtime.deploy import Deployment, deploy, destroy
from grader.transport.netmiko_cli import NetmikoTransport

ROOT = Path(__file__).resolve().parents[1]

HOST = "127.0.0.1"
USER = "student"
METHODS = ("transport", "netmiko", "floor")
HOST_FACT_COMMANDS = ("ip addr show", "ip -4 route show", "hostname")
Outputs = dict[str, str]


@dataclass
class Target:
    """A node and the commands one session runs on it."""

    label: str
    node: str
    platform: Platform
    commands: list[str]
    port: int = 0
    samples: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in METHODS})
    outputs: dict[str, list[Outputs]] = field(default_factory=lambda: {m: [] for m in METHODS})


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def remove(lab_id: str) -> None:
    """Remove the benchmark's deployment; retried, as Docker may race with another removal of the same lab."""
    for attempt in range(3):
        try:
            print(f"removed {lab_id} ({destroy(lab_id)} containers)")
            return
        except DeployError as exc:
            print(f"removing {lab_id}: {exc}", file=sys.stderr)
            time.sleep(0.5 * (attempt + 1))
    print(f"could not remove {lab_id}: run `labgrader down {lab_id}`", file=sys.stderr)


def run_transport(target: Target, transport: NetmikoTransport) -> Outputs:
    """labgrader's transport; a node or command error is a failure of the benchmark."""
    evidence = transport.collect(target.node, target.platform, target.commands)
    if evidence.error:
        raise RuntimeError(f"{target.node}: {evidence.error}")
    bad = {c: o.error for c, o in evidence.outputs.items() if o.error}
    if bad:
        raise RuntimeError(f"{target.node}: {bad}")
    return {c: o.text or "" for c, o in evidence.outputs.items()}


def run_netmiko(target: Target, password: str) -> Outputs:
    """Plain netmiko: ConnectHandler with fast_cli and send_command's defaults (a prompt search per command)."""
    from netmiko import ConnectHandler

    session = ConnectHandler(device_type=target.platform.session.ssh_device_type, host=HOST, port=target.port,
                             username=USER, password=password, fast_cli=True, allow_agent=False, use_keys=False,
                             ssh_strict=False, system_host_keys=False)
    try:
        return {c: str(session.send_command(c, read_timeout=20)) for c in target.commands}
    finally:
        session.disconnect()


def run_floor(target: Target, password: str) -> Outputs:
    """The SSH floor: paramiko connect, one exec request per command (run by the login shell), close."""
    import paramiko

    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    outputs: Outputs = {}
    try:
        client.connect(HOST, port=target.port, username=USER, password=password, allow_agent=False,
                       look_for_keys=False, timeout=10)
        transport = client.get_transport()
        assert transport is not None
        for command in target.commands:
            channel = transport.open_session()
            channel.exec_command(command)
            chunks = []
            while data := channel.recv(65536):
                chunks.append(data)
            channel.recv_exit_status()
            channel.close()
            outputs[command] = b"".join(chunks).decode(errors="replace")
    finally:
        client.close()
    return outputs


def _canonical(text: str) -> str:
    """An exec request's output as netmiko shows a session's: line ends, blank edges, trailing blanks aside."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip("\n").split("\n"))


def _masked(text: str) -> str:
    return re.sub(r"\d+", "#", _canonical(text))


def agreement(reference: list[Outputs], other: list[Outputs], *, raw: bool) -> str:
    """How many command outputs of ``other`` equal ``reference``'s of the same repetition: identical (``raw``)
    or canonical (exec output), and with numbers masked; naming the commands that differed, how often."""
    same_count = masked = total = 0
    differed: dict[str, int] = {}
    for ref, out in zip(reference, other, strict=False):
        for command, text in ref.items():
            mine = out.get(command, "")
            total += 1
            same = text == mine if raw else _canonical(text) == _canonical(mine)
            same_count += same
            masked += _masked(text) == _masked(mine)
            if not same:
                differed[command] = differed.get(command, 0) + 1
    detail = f" (differed: {', '.join(f'{c} {n}x' for c, n in differed.items())})" if differed else ""
    return (f"{same_count}/{total} {'identical' if raw else 'canonical'}, {masked}/{total} numbers masked"
            f"{detail}")


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[8] if len(values) > 1 else values[0]


def wait_until_stable(target: Target, password: str, timeout: float) -> float:
    """Poll (floor sessions) until two consecutive outputs agree with numbers masked: the lab has converged."""
    started = time.monotonic()
    previous = None
    while time.monotonic() - started < timeout:
        current = {c: _masked(t) for c, t in run_floor(target, password).items()}
        if current == previous:
            break
        previous = current
        time.sleep(1.0)
    return time.monotonic() - started


def machine_facts(deployment: Deployment, password: str, router: Target | None) -> list[str]:
    import netmiko
    import paramiko

    facts = [f"nproc {os.cpu_count()}", f"Python {pyplatform.python_version()}",
             f"netmiko {netmiko.__version__}", f"paramiko {paramiko.__version__}"]
    if router is not None:
        probe = Target("version", router.node, router.platform, ["show version"], router.port)
        first = next((ln for ln in run_floor(probe, password)["show version"].splitlines() if ln.strip()), "")
        facts.append(first.strip())
    return facts


def measure(targets: list[Target], transport: NetmikoTransport, password: str, repeat: int,
            progress: Callable[[str], None]) -> None:
    runners: dict[str, Callable[[Target], Outputs]] = {
        "transport": lambda t: run_transport(t, transport),
        "netmiko": lambda t: run_netmiko(t, password),
        "floor": lambda t: run_floor(t, password),
    }
    for rep in range(repeat):
        order = METHODS[rep % 3:] + METHODS[:rep % 3]
        for target in targets:
            for method in order:
                started = time.perf_counter()
                outputs = runners[method](target)
                target.samples[method].append(time.perf_counter() - started)
                target.outputs[method].append(outputs)
        progress(f"\rrepetition {rep + 1}/{repeat}")
    progress("\n")


def report(targets: list[Target]) -> None:
    print(f"\n{'node':<22} {'commands':>8} {'method':<10} {'median s':>9} {'p90 s':>7} {'min s':>7} "
          f"{'x floor':>8}  outputs vs netmiko")
    for target in targets:
        floor = statistics.median(target.samples["floor"])
        for method in METHODS:
            values = target.samples[method]
            median = statistics.median(values)
            same = "" if method == "netmiko" else agreement(target.outputs["netmiko"], target.outputs[method],
                                                            raw=method == "transport")
            print(f"{target.label:<22} {len(target.commands):>8} {method:<10} {median:>9.3f} {p90(values):>7.3f} "
                  f"{min(values):>7.3f} {median / floor:>7.2f}x  {same}")
        print(f"{'':<22} commands: {', '.join(target.commands)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lab", type=Path, default=ROOT / "labs" / "hcia-ospf-single-area")
    parser.add_argument("--config", default="solution", help="config set or variant to deploy")
    parser.add_argument("--repeat", type=int, default=15, help="sessions per method and node")
    parser.add_argument("--router", help="FRR node to measure (default: the first one the plan uses)")
    parser.add_argument("--host", help="Linux node to measure (default: the first one the plan uses)")
    parser.add_argument("--settle", type=float, default=60.0, help="at most this long to wait for convergence")
    args = parser.parse_args(argv)

    loaded = load_lab(args.lab)
    plan = build_plan(loaded.resolve(), loaded.topology)

    def pick(platform: str, wanted: str | None) -> str | None:
        nodes = [n for n in plan.commands if loaded.topology.nodes[n].platform == platform]
        if wanted is not None and wanted not in nodes:
            parser.error(f"{wanted}: not a {platform} node with commands in {loaded.lab.id}: {nodes}")
        return wanted or (nodes[0] if nodes else None)

    targets: list[Target] = []
    router, host = pick("frr", args.router), pick("linux", args.host)
    if router:
        frr = get_platform("frr")
        # vtysh's ping never ends by itself (labgrader's session stops it): no floor or plain netmiko can time
        # it, so it is left out of the comparison
        bounded = [c for c in plan.commands[router]
                   if not any(re.fullmatch(i.command, c) for i in frr.session.interrupts)]
        targets.append(Target(f"{router} (frr)", router, frr, bounded))
    if host:
        linux = get_platform("linux")
        targets.append(Target(f"{host} (linux, lab)", host, linux, plan.commands[host]))
        targets.append(Target(f"{host} (linux, facts)", host, linux, list(HOST_FACT_COMMANDS)))
    if not targets:
        parser.error(f"{loaded.lab.id} needs no command on an frr or linux node")

    signal.signal(signal.SIGTERM, _interrupt)
    lab_id = f"bench-{os.getpid()}"
    password = secrets.token_urlsafe(12)
    started = time.monotonic()
    deployment = deploy(lab_id, loaded.topology, lab_configs(loaded, args.config), ssh_password=password)
    try:
        print(f"{loaded.lab.id} ({args.config}) deployed as {lab_id} in {time.monotonic() - started:.1f} s")
        for target in targets:
            target.port = deployment.nodes[target.node].ssh_port
        print(f"converged after {wait_until_stable(targets[0], password, args.settle):.1f} s "
              f"(two equal outputs of {targets[0].node})")
        print("machine: " + "; ".join(machine_facts(deployment, password, targets[0] if router else None)))
        measure(targets, NetmikoTransport(deployment.inventory()), password, args.repeat,
                lambda text: print(text, end="", file=sys.stderr, flush=True))
        report(targets)
    finally:
        remove(lab_id)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("\ninterrupted (deployment removed)", file=sys.stderr)
        raise SystemExit(130) from None
