"""How big a class one machine holds: N copies of a 5-node lab deployed side by side, their memory, and the time
to grade them all live, beside a plain Nornir + netmiko script collecting the same commands.

For each N of ``--sizes`` (default 10, 20, 40) it deploys the lab (default ``labs/hcia-static-routing``, its
solution config) once per student with ``labgrader class up``'s code (``class_up``) under a throw-away lab id
``bench<pid>`` and state directory, then measures:

* deploy: the wall time of ``class_up`` (``--workers`` labs at a time);
* memory: per container, its cgroup's usage less inactive file pages (what ``docker stats`` shows), by
  platform; the ``docker-proxy`` processes that publish the SSH ports (RSS); and the drop of the host's
  ``MemAvailable`` from before the deployment, which also counts the kernel's share (namespaces, veths);
* grade: the wall time of grading every student's lab live (``labgrader batch LAB --class``'s code);
* at N = ``--compare-at`` (default 20): a straightforward Nornir script doing the same collection -- the
  threaded runner (its default 20 workers, or ``--nornir-workers``), ``netmiko_send_command`` for each command
  the lab's plan puts on each node, the same hosts, ports and per-student passwords.

Then it removes the class (also on Ctrl-C or SIGTERM). Figures are printed side by side, never asserted.
Nornir is not a labgrader dependency: ``pip install nornir nornir-netmiko`` into the same environment.

    python benchmarks/class_capacity.py [--sizes 10,20,40] [--compare-at 20] [--lab DIR] [--workers 4]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.engine.plan import build_plan  # noqa: E402
from grader.loader import LoadedLab, load_lab  # noqa: E402
from grader.runtime import classaccess, classroom  # noqa: E402
from grader.runtime.classroom import Student  # noqa: E402
from grader.runtime.classstore import ClassStore  # noqa: E402
from grader.runtime.dockerapi import client  # noqa: E402

MIB = 1024 * 1024
NORNIR_MISSING = ("the comparison needs Nornir: `pip install nornir nornir-netmiko` into this environment "
                  "(they are not labgrader dependencies), or give --compare-at 0")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def mem_available() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 0


def cgroup_memory(container_id: str) -> int | None:
    """A container's memory as ``docker stats`` counts it: usage less inactive file pages (cgroup v1 or v2)."""
    for base in (Path("/sys/fs/cgroup/memory/docker") / container_id,
                 Path("/sys/fs/cgroup/system.slice") / f"docker-{container_id}.scope",
                 Path("/sys/fs/cgroup/docker") / container_id):
        usage_file = base / ("memory.usage_in_bytes" if (base / "memory.usage_in_bytes").exists() else
                             "memory.current")
        if not usage_file.exists():
            continue
        usage = int(usage_file.read_text())
        stat = dict(line.split() for line in (base / "memory.stat").read_text().splitlines())
        inactive = int(stat.get("total_inactive_file", stat.get("inactive_file", 0)))
        return usage - inactive
    return None


def cgroup_cpu(container_id: str) -> float:
    """CPU seconds a container has used so far (cgroup v1 cpuacct, or v2 cpu.stat)."""
    v1 = Path("/sys/fs/cgroup/cpuacct/docker") / container_id / "cpuacct.usage"
    if v1.exists():
        return int(v1.read_text()) / 1e9
    for base in (Path("/sys/fs/cgroup/system.slice") / f"docker-{container_id}.scope",
                 Path("/sys/fs/cgroup/docker") / container_id):
        if (base / "cpu.stat").exists():
            stat = dict(line.split() for line in (base / "cpu.stat").read_text().splitlines())
            return int(stat["usage_usec"]) / 1e6
    return 0.0


class CpuMeter:
    """CPU seconds used by the class's containers and by this process between ``start`` and ``stop``."""

    def __init__(self, container_ids: list[str]) -> None:
        self.ids = container_ids
        self.devices = self.grader = 0.0

    def __enter__(self) -> CpuMeter:
        self._devices = sum(cgroup_cpu(i) for i in self.ids)
        self._grader = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.devices = sum(cgroup_cpu(i) for i in self.ids) - self._devices
        self.grader = time.process_time() - self._grader


def load() -> str:
    return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def proxy_rss(ports: set[int]) -> tuple[int, int]:
    """RSS of the docker-proxy processes publishing ``ports`` (count, bytes); 0 when Docker uses none."""
    count = total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (proc / "comm").read_text().strip() != "docker-proxy":
                continue
            args = (proc / "cmdline").read_bytes().split(b"\0")
            port = int(args[args.index(b"-host-port") + 1])
            if port not in ports:
                continue
            rss = next(int(ln.split()[1]) for ln in (proc / "status").read_text().splitlines()
                       if ln.startswith("VmRSS:"))
        except (OSError, ValueError, StopIteration, IndexError):
            continue
        count += 1
        total += rss * 1024
    return count, total


@dataclass
class Figures:
    n: int
    nodes: int = 0
    deploy_s: float = 0.0
    failed: int = 0
    per_platform: dict[str, list[int]] = field(default_factory=dict)  # platform → bytes per container
    proxies: tuple[int, int] = (0, 0)
    host_drop: int = 0
    grade_s: float | None = None
    graded: str = ""
    grade_cpu: tuple[float, float] = (0.0, 0.0)  # devices, grader
    nornir_note: str = ""
    compared: list[tuple[str, float, float, float, str]] = field(default_factory=list)  # tool, s, dev, grader, load
    teardown_s: float = 0.0
    loads: dict[str, str] = field(default_factory=dict)

    @property
    def containers_total(self) -> int:
        return sum(sum(v) for v in self.per_platform.values())


def bench_lab(path: Path, lab_id: str, scratch: Path) -> LoadedLab:
    """A copy of the lab under a throw-away id, so its containers never clash with a class deployed by hand
    (the copy, not an id changed in memory: batch grading loads the lab from its folder)."""
    loaded = load_lab(path)
    copy = scratch / "labs" / lab_id
    if not copy.exists():
        shutil.copytree(loaded.directory, copy)
        topology = Path(os.path.normpath(copy / os.path.relpath(loaded.topology_path, loaded.directory)))
        topology.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(loaded.topology_path, topology)
        text = (copy / "lab.yaml").read_text(encoding="utf-8")
        (copy / "lab.yaml").write_text(re.sub(r"(?m)^id: .*$", f"id: {lab_id}", text, count=1), encoding="utf-8")
    return load_lab(copy)


def container_ids(lab_id: str, root: Path) -> list[str]:
    return [client().containers.get(node.container).id for lab in classroom.class_status(lab_id, root).labs
            for node in lab.nodes.values()]


def measure_memory(lab_id: str, root: Path, figures: Figures) -> None:
    view = classroom.class_status(lab_id, root)
    ports: set[int] = set()
    for lab in view.labs:
        for node in lab.nodes.values():
            container = client().containers.get(node.container)
            used = cgroup_memory(container.id)
            if used is not None:
                figures.per_platform.setdefault(node.platform, []).append(used)
            if node.ssh_port:
                ports.add(node.ssh_port)
    figures.nodes = sum(len(v) for v in figures.per_platform.values())
    figures.proxies = proxy_rss(ports)


def grade_with_labgrader(loaded: LoadedLab, root: Path, out: Path, workers: int) -> tuple[float, str]:
    """Grade every student's lab live, as ``labgrader batch LAB --class`` does; (seconds, summary).

    Without the batch module (``grader.classwork.batch``) in this installation, the students are graded by
    the session API's ``grade_live`` in ``workers`` threads and each report is written as JSON: the same
    collection, parsing and judging, without the batch's journal."""
    try:
        from grader.classwork.batch import run_batch  # noqa: F401
    except ImportError:
        return _grade_with_session_api(loaded, root, out, workers)
    from grader.cli.class_batch import grade_class

    started = time.monotonic()
    summary = grade_class(loaded, out, root=root, workers=workers)
    return time.monotonic() - started, f"batch --class: {summary}"


def _grade_with_session_api(loaded: LoadedLab, root: Path, out: Path, workers: int) -> tuple[float, str]:
    from concurrent.futures import ThreadPoolExecutor

    from grader.engine.session import grade_live
    from grader.reporters import render

    started = time.monotonic()
    transports, problems = classaccess.class_transports(loaded.lab.id, root)
    settings = classroom.class_status(loaded.lab.id, root).settings
    assert settings is not None
    out.mkdir(parents=True, exist_ok=True)

    def one(student: str) -> float:
        report = grade_live(loaded, transports[student], settings.students[student].variables).report
        (out / f"{student}.json").write_text(render(report, "json"))
        return report.score

    with ThreadPoolExecutor(max_workers=workers) as pool:
        scores = list(pool.map(one, sorted(transports)))
    seconds = time.monotonic() - started
    full = sum(score == loaded.lab.max_score for score in scores)
    return seconds, (f"grade_live per student in {workers} threads (no batch module here): {len(scores)} graded, "
                     f"{full} with full marks, {len(problems)} not gradable")


def nornir_collect(loaded: LoadedLab, root: Path, workers: int, scratch: Path) -> tuple[float, str]:
    """The same collection with Nornir's threaded runner and netmiko_send_command; (seconds, summary)."""
    try:
        from nornir import InitNornir
        from nornir.core.task import Result, Task
        from nornir_netmiko.tasks import netmiko_send_command
    except ImportError:
        raise SystemExit(NORNIR_MISSING) from None
    import yaml

    from grader.platforms import get_platform

    lab_id = loaded.lab.id
    view = classroom.class_status(lab_id, root)
    passwords = ClassStore(root, lab_id).passwords()
    settings = view.settings
    assert settings is not None
    hosts: dict[str, dict] = {}
    commands: dict[str, list[str]] = {}
    for lab in view.labs:
        if lab.state != "ready":
            continue
        variables = settings.students[lab.student].variables
        plan = build_plan(loaded.resolve(variables), loaded.topology)
        for node, status in lab.nodes.items():
            name = f"{lab.student}-{node}"
            platform = get_platform(loaded.topology.nodes[node].platform)
            hosts[name] = {"hostname": "127.0.0.1", "port": status.ssh_port, "username": settings.username,
                           "password": passwords[lab.student], "platform": platform.session.ssh_device_type}
            commands[name] = plan.commands.get(node, [])
    scratch.mkdir(mode=0o700, exist_ok=True)
    host_file = scratch / "hosts.yaml"
    fd = os.open(host_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        yaml.safe_dump(hosts, handle)

    def collect(task: Task) -> Result:
        outputs = {}
        for command in commands[task.host.name]:
            outputs[command] = task.run(task=netmiko_send_command, command_string=command).result
        return Result(host=task.host, result=outputs)

    started = time.monotonic()
    nr = InitNornir(runner={"plugin": "threaded", "options": {"num_workers": workers}},
                    inventory={"plugin": "SimpleInventory", "options": {"host_file": str(host_file)}},
                    logging={"enabled": False})
    try:
        results = nr.run(task=collect)
    finally:
        nr.close_connections()
    seconds = time.monotonic() - started
    host_file.unlink()
    failed = sorted(results.failed_hosts)
    count = sum(len(c) for c in commands.values())
    return seconds, f"{len(hosts)} hosts, {count} commands, {len(failed)} failed hosts" + (
        f" ({', '.join(failed[:3])}...)" if failed else "")


def run_size(n: int, args: argparse.Namespace, base: Path, say: Callable[[str], None]) -> Figures:
    lab_id = f"bench{os.getpid()}"
    loaded = bench_lab(args.lab, lab_id, base)
    root = base / f"state{n}"
    students = [Student(f"s{i:03d}") for i in range(1, n + 1)]
    figures = Figures(n)
    before = mem_available()
    try:
        say(f"N={n}: deploying {n} labs of {len(loaded.topology.nodes)} nodes ({args.workers} at a time)")
        started = time.monotonic()
        result = classroom.class_up(loaded, students, config=args.config, workers=args.workers, root=root)
        figures.deploy_s = time.monotonic() - started
        figures.failed = len(result.failed)
        for outcome in result.failed[:3]:
            say(f"  failed: {outcome.student}: {outcome.error}")
        time.sleep(2.0)  # let the daemons settle before sampling memory
        measure_memory(lab_id, root, figures)
        figures.host_drop = before - mem_available()
        ids = container_ids(lab_id, root)
        figures.loads["before grading"] = load()
        say(f"N={n}: grading every lab live ({args.grade_workers} students at a time)")
        with CpuMeter(ids) as cpu:
            figures.grade_s, figures.graded = grade_with_labgrader(loaded, root, base / f"batch{n}",
                                                                   args.grade_workers)
        figures.grade_cpu = (cpu.devices, cpu.grader)
        if n == args.compare_at:
            # interleaved, so that both see the same machine (other work may be running)
            for round_ in range(args.rounds):
                say(f"N={n}: round {round_ + 1}: Nornir ({args.nornir_workers} workers), then labgrader")
                with CpuMeter(ids) as cpu:
                    seconds, figures.nornir_note = nornir_collect(loaded, root, args.nornir_workers,
                                                                  base / f"nornir{n}")
                figures.compared.append(("nornir", seconds, cpu.devices, cpu.grader, load()))
                with CpuMeter(ids) as cpu:
                    seconds, _ = grade_with_labgrader(loaded, root, base / f"batch{n}-{round_}",
                                                      args.grade_workers)
                figures.compared.append(("labgrader", seconds, cpu.devices, cpu.grader, load()))
    finally:
        say(f"N={n}: removing the class")
        started = time.monotonic()
        try:
            classroom.class_down(lab_id, root=root)
        except Exception as exc:  # report and go on: the next size needs the machine
            say(f"could not remove class {lab_id}: {exc}; run `labgrader class down {lab_id}`")
        figures.teardown_s = time.monotonic() - started
    return figures


def _mib(value: float) -> str:
    return f"{value / MIB:.1f}"


def report(all_figures: list[Figures], args: argparse.Namespace) -> None:
    print()
    print(f"lab {args.lab.name} ({args.config}), deploy workers {args.workers}, grading workers "
          f"{args.grade_workers}; nproc {os.cpu_count()}; memory {mem_total() / 2**30:.1f} GiB")
    print()
    header = (f"{'N':>3} {'nodes':>5} {'deploy s':>8} {'failed':>6} {'frr MiB/node':>12} {'host MiB/node':>13} "
              f"{'proxy MiB/port':>14} {'containers MiB':>14} {'host drop MiB':>13} {'grade s':>8} "
              f"{'teardown s':>10}")
    print(header)
    for f in all_figures:
        frr = statistics.median(f.per_platform.get("frr", [0]))
        host = statistics.median(f.per_platform.get("linux", [0]))
        count, rss = f.proxies
        print(f"{f.n:>3} {f.nodes:>5} {f.deploy_s:>8.1f} {f.failed:>6} {_mib(frr):>12} {_mib(host):>13} "
              f"{_mib(rss / count) if count else '-':>14} {_mib(f.containers_total):>14} {_mib(f.host_drop):>13} "
              f"{f.grade_s if f.grade_s is not None else float('nan'):>8.1f} {f.teardown_s:>10.1f}")
    print()
    for f in all_figures:
        if f.nodes:
            labs = f.n - f.failed
            per_lab = (f.containers_total + f.proxies[1]) / max(1, labs)
            print(f"N={f.n}: {_mib(per_lab)} MiB per lab (its containers and SSH proxies); 40 labs: "
                  f"{per_lab * 40 / 2**30:.2f} GiB (target: within 24 GB). The host's MemAvailable fell by "
                  f"{_mib(f.host_drop / max(1, labs))} MiB per lab (other work on the machine moves this one)")
    for f in all_figures:
        if f.grade_s is not None:
            print(f"N={f.n}: graded in {f.grade_s:.1f} s ({f.graded}); CPU: devices {f.grade_cpu[0]:.1f} s, "
                  f"grader {f.grade_cpu[1]:.1f} s; {f.loads.get('before grading', '')}")
    for f in all_figures:
        if not f.compared:
            continue
        print()
        print(f"N={f.n}, live grading of every lab (labgrader: collect, parse, judge, write reports) against a plain "
              f"Nornir + netmiko collection of the same commands ({f.nornir_note}), interleaved:")
        print(f"  {'tool':<10} {'wall s':>7} {'device CPU s':>12} {'grader CPU s':>12}  machine")
        for tool, seconds, devices, grader, when in f.compared:
            print(f"  {tool:<10} {seconds:>7.1f} {devices:>12.1f} {grader:>12.1f}  {when}")
        ours = statistics.median(c[1] for c in f.compared if c[0] == "labgrader")
        theirs = statistics.median(c[1] for c in f.compared if c[0] == "nornir")
        print(f"  medians: labgrader {ours:.1f} s, Nornir {theirs:.1f} s; ratio {ours / theirs:.2f} "
              "(target: at most 0.5)")


def mem_total() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,20,40", help="class sizes, comma-separated (default 10,20,40)")
    parser.add_argument("--lab", type=Path, default=ROOT / "labs" / "hcia-static-routing")
    parser.add_argument("--config", default="solution")
    parser.add_argument("--workers", type=int, default=classroom.DEFAULT_WORKERS, help="labs deployed at once")
    parser.add_argument("--grade-workers", type=int, default=8, help="students graded at once")
    parser.add_argument("--compare-at", type=int, default=20, help="N at which to run Nornir (0: never)")
    parser.add_argument("--nornir-workers", type=int, default=20, help="Nornir's threaded runner (its default: 20)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the comparison")
    args = parser.parse_args()
    sizes = [int(s) for s in re.split(r"[,\s]+", args.sizes.strip()) if s]
    if args.compare_at and args.compare_at in sizes:
        try:
            import nornir  # noqa: F401
            import nornir_netmiko  # noqa: F401
        except ImportError:
            raise SystemExit(NORNIR_MISSING) from None
    signal.signal(signal.SIGTERM, _interrupt)

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    results: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="lg-class-bench-") as scratch:
        try:
            for n in sizes:
                results.append(run_size(n, args, Path(scratch), say))
        except KeyboardInterrupt:
            say("interrupted")
    report(results, args)


if __name__ == "__main__":
    main()
