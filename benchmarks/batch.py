"""Offline batch grading of a class: bundles per second, and peak memory at 100 and at 500 students.

Builds a class of ``--students`` (default 500) in a temporary folder: a course (secret, roster), and one
bundle per student made from the lab's real recorded captures (``labs/<lab>/submissions/*``, taken in turn)
re-rendered for that student's own variant (``grader.classwork.rerender``). Then it runs the real command,
``labgrader batch``, as a child process on the first ``--small`` students and on all of them, and prints side
by side: wall time, bundles per second, and peak memory, both of the batch's main process and of its whole
process tree (the main process and its grading workers, sampled from /proc every 20 ms; Linux only, elsewhere
only the main process is measured), and the CPU time of that tree per bundle. Each configuration runs
``--repeat`` times; the best time and the largest memory are shown. The steady rate,
(500 - 100) / (t500 - t100), is the grading rate with the fixed start-up cost cancelled out.

    python benchmarks/batch.py [--lab labs/hcia-ospf-single-area] [--students 500] [--small 100]
                               [--workers 2] [--repeat 3] [--executors processes,threads]

Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform as pyplatform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET_ENV = "LABGRADER_BENCH_SECRET"
SECRET = "benchmark-secret-not-for-real-use"


def build_class(lab: Path, folder: Path, students: int) -> list[str]:
    """A course and one re-rendered bundle per student; returns the student ids."""
    from grader.classwork.course import load_course
    from grader.classwork.rerender import bundle_from_capture
    from grader.loader import load_lab

    loaded = load_lab(lab)
    captures = sorted(p.parent for p in (lab / "submissions").glob("*/manifest.yaml"))
    ids = [f"b{n:04d}" for n in range(1, students + 1)]
    write_roster(folder / "students.csv", ids)
    (folder / "course.yaml").write_text(f"name: benchmark\nsecret_env: {SECRET_ENV}\nroster: students.csv\n")
    assignment = load_course(folder / "course.yaml").assignment(loaded)
    for n, student in enumerate(ids):
        bundle_from_capture(loaded, captures[n % len(captures)], folder / "bundles" / f"{student}.zip",
                            student=student, variables=assignment.of(student))
    return ids


def write_roster(path: Path, ids: list[str]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "name", "submission"])
        for student in ids:
            writer.writerow([student, f"Student {student}", f"bundles/{student}.zip"])


def _tree(root: int) -> tuple[int, dict[int, int]]:
    """Resident bytes of ``root`` and all its descendants, and each one's CPU ticks so far (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    ticks: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/statm", "rb") as handle:
                rss[int(entry)] = int(handle.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime + stime
    total, todo, mine = 0, [root], {}
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        mine[pid] = ticks.get(pid, 0)
        todo += children.get(pid, [])
    return total, mine


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the batch's processes (sampled; Linux only)
    main_peak: int  # bytes, the batch's main process (ru_maxrss)
    tree_peak: int  # bytes, main process + workers, sampled


def run_batch(lab: Path, folder: Path, roster: Path, out: Path, workers: int, executor: str) -> Run:
    env = {**os.environ, SECRET_ENV: SECRET}
    command = [sys.executable, "-m", "grader", "batch", str(lab), "--roster", str(roster), "--out", str(out),
               "--course", str(folder / "course.yaml"), "--workers", str(workers), "--executor", executor]
    peak = 0
    ticks: dict[int, int] = {}
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set() and os.path.isdir("/proc"):
            rss, seen = _tree(child.pid)
            peak = max(peak, rss)
            for pid, value in seen.items():
                ticks[pid] = max(ticks.get(pid, 0), value)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    out_text, err_text = child.communicate()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"batch failed ({code}): {err_text.decode(errors='replace')[-500:]}")
    lines = [line for line in (out.parent / out.name / "journal.jsonl").read_text().splitlines() if line]
    if len(lines) != sum(1 for _ in roster.open()) - 1:
        sys.exit(f"batch graded {len(lines)} students, not all of the roster: {out_text.decode()[-300:]}")
    maxrss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    cpu = sum(ticks.values()) / os.sysconf("SC_CLK_TCK") if ticks else usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, maxrss, max(peak, maxrss))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lab", type=Path, default=ROOT / "labs" / "hcia-ospf-single-area")
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--executors", default="processes,threads")
    args = parser.parse_args()
    os.environ[SECRET_ENV] = SECRET
    with tempfile.TemporaryDirectory(prefix="lg-bench-batch-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        ids = build_class(args.lab.resolve(), folder, args.students)
        print(f"built {len(ids)} bundles from {args.lab.name}'s recorded submissions in "
              f"{time.perf_counter() - started:.1f} s")
        write_roster(folder / "small.csv", ids[: args.small])
        print(f"machine: {pyplatform.python_implementation()} {pyplatform.python_version()}, "
              f"{os.cpu_count()} CPUs, {args.workers} workers\n")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'executor':<10} {'students':>8} {'wall s':>8} {'bundles/s':>10} {'CPU ms/b':>9} "
              f"{'main MB':>8} {'tree MB':>8}")
        for executor in args.executors.split(","):
            peaks: dict[int, int] = {}
            walls: dict[int, float] = {}
            for roster, count in ((folder / "small.csv", args.small), (folder / "students.csv", args.students)):
                runs = []
                for attempt in range(args.repeat):
                    out = folder / f"out-{executor}-{count}-{attempt}"
                    runs.append(run_batch(args.lab.resolve(), folder, roster, out, args.workers, executor))
                best = min(r.seconds for r in runs)
                cpu = min(r.cpu for r in runs)
                main_peak = max(r.main_peak for r in runs)
                tree_peak = max(r.tree_peak for r in runs)
                peaks[count] = tree_peak
                walls[count] = best
                print(f"{executor:<10} {count:>8} {best:>8.2f} {count / best:>10.1f} {1000 * cpu / count:>9.1f} "
                      f"{main_peak / 2**20:>8.1f} {tree_peak / 2**20:>8.1f}")
            small, large = peaks[args.small], peaks[args.students]
            steady = (args.students - args.small) / max(walls[args.students] - walls[args.small], 1e-9)
            print(f"{'':<10} peak memory at {args.students} / at {args.small}: {large / small:.3f}; "
                  f"steady rate (start-up cancelled out): {steady:.1f} bundles/s\n")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("CPU ms/b: CPU time (all processes, start-up included) per bundle; on an idle machine the wall rate "
              "approaches cores * 1000 / (CPU ms/b).")


if __name__ == "__main__":
    main()
