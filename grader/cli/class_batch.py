"""``labgrader batch LAB --class``: the labs of a class deployed here as the batch's source of submissions.

The class's students (those ``class up`` deployed, in its order) are written as the batch's roster into the
class's state directory (``roster.csv``: student, name, no submission), and each student's devices are a live
transport to their lab with their password (``grader.runtime.classaccess``), graded with the variables the lab
was deployed with. A lab that is not running is an ``error`` entry naming why; the others are graded.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

from grader.classwork.batch import BatchOptions, LiveDevices, LiveSource, run_batch
from grader.errors import DeployError
from grader.loader import LoadedLab


def class_source(loaded: LoadedLab, *, root: Path | None = None,
                 bundles: Path | None = None) -> tuple[Path, LiveSource]:
    """The roster file and the live devices of the class of ``loaded``'s lab."""
    from grader.runtime.access_sheet import write_private
    from grader.runtime.classaccess import class_transports
    from grader.runtime.classroom import ClassStore, class_status, default_root

    lab_id = loaded.lab.id
    view = class_status(lab_id, root)
    if view.settings is None:
        raise DeployError(f"no class {lab_id!r} was deployed here: `labgrader class up {loaded.directory} "
                          "--roster FILE` first")
    transports, problems = class_transports(lab_id, root)
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["student", "name", "submission"])
    devices: dict[str, LiveDevices] = {}
    for lab in view.labs:
        writer.writerow([lab.student, lab.name, ""])
        devices[lab.student] = LiveDevices(label=f"class:{lab.deployment}", transport=transports.get(lab.student),
                                           problem=problems.get(lab.student))
    roster = ClassStore(root or default_root(), lab_id).directory / "roster.csv"
    write_private(roster, rows.getvalue())
    variables = {student: dict(record.variables) for student, record in view.settings.students.items()}
    return roster, LiveSource(devices=devices, variables=variables, bundles=str(bundles) if bundles else None)


def grade_class(loaded: LoadedLab, out: Path, *, root: Path | None = None, workers: int = 8,
                bundles: Path | None = None) -> str:
    """``labgrader batch LAB --class --out OUT`` without the command line (benchmarks); a one-line summary."""
    roster, live = class_source(loaded, root=root, bundles=bundles)
    started = time.monotonic()
    summary = run_batch(loaded.directory, roster, out, options=BatchOptions(workers=workers, executor="threads"),
                        live=live)
    counts = summary.counts
    return (f"{summary.total} students: {counts['graded']} graded, {counts['error']} errors, "
            f"{counts['refused']} refused ({time.monotonic() - started:.1f} s)")
