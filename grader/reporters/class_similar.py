"""Identical work where variants should differ, from the journal's output digests and the reports' checks.

Each journal entry carries a digest of every output graded (``'node: command'`` → sha256); each report, for
every check, the value it expected (resolved with the student's variables) and the commands it read. When two
students' checks expect different results from a command (their variables reach it) and yet their outputs of
that command are identical, at least one of them did not produce their own: both are flagged, with the
commands. Students whose every output is identical to another's are flagged as well, whatever the variables.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from grader.model.classwork import JournalEntry
from grader.model.report import GradeReport, Outcome

SHOWN = 5  # other students named in one flag
SHOWN_COMMANDS = 3


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def expectations(report: GradeReport) -> dict[str, str]:
    """For each command the report's checks read (``'node: command'``), a fingerprint of what they expected.
    Checks in ERROR are left out (they expected nothing they could judge)."""
    expected: defaultdict[str, list[str]] = defaultdict(list)
    for obj in report.objectives:
        for check in obj.checks:
            if check.outcome is Outcome.ERROR:
                continue
            for evidence in check.evidence:
                expected[f"{evidence.node}: {evidence.command}"].append(canonical(check.expected))
    return {command: hashlib.sha256("\n".join(sorted(values)).encode()).hexdigest()[:16]
            for command, values in expected.items()}


@dataclass
class Similarity:
    identical: list[tuple[str, ...]] = field(default_factory=list)  # groups: every output the same
    shared: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # student → other → commands
    variables: dict[str, str] = field(default_factory=dict)  # student → its variables (canonical)

    def pairs(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """Each flagged pair once (the two students and their shared commands), most commands first."""
        found = {(a, b): tuple(sorted(commands)) for a, others in self.shared.items()
                 for b, commands in others.items() if a < b}
        return sorted(((a, b, c) for (a, b), c in found.items()), key=lambda p: (-len(p[2]), p[0], p[1]))

    def flags(self, student: str) -> list[str]:
        flags: list[str] = []
        for group in self.identical:
            if student in group:
                others = [s for s in group if s != student]
                other_variables = any(self.variables.get(s) != self.variables.get(student) for s in others)
                flags.append(f"every output identical to {_names(others)}"
                             + (" (graded with other variables)" if other_variables else ""))
        others = self.shared.get(student, {})
        if others:
            commands = sorted(set().union(*others.values()))
            shown = ", ".join(commands[:SHOWN_COMMANDS]) + (" ..." if len(commands) > SHOWN_COMMANDS else "")
            flags.append(f"same output as {_names(sorted(others))} although the expected results differ (other "
                         f"variables), for {len(commands)} command{'s' if len(commands) > 1 else ''}: {shown}")
        return flags


def _names(students: list[str]) -> str:
    more = len(students) - SHOWN
    return ", ".join(students[:SHOWN]) + (f" and {more} more" if more > 0 else "")


def similarity(entries: Iterable[JournalEntry], expected: dict[str, dict[str, str]]) -> Similarity:
    """The similarity of ``entries`` given each student's ``expectations`` (students without are skipped
    for shared commands)."""
    entries = [e for e in entries if e.evidence_digest]
    found = Similarity(variables={e.student: canonical(e.variables) for e in entries})
    whole: defaultdict[frozenset[tuple[str, str]], list[str]] = defaultdict(list)
    same_output: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in entries:
        whole[frozenset(entry.evidence_digest.items())].append(entry.student)
        for command, digest in entry.evidence_digest.items():
            same_output[(command, digest)].append(entry.student)
    found.identical = sorted((tuple(sorted(group)) for group in whole.values() if len(group) > 1),
                             key=lambda g: (-len(g), g))
    for (command, _digest), students in same_output.items():
        fingerprints = {s: expected.get(s, {}).get(command) for s in students}
        if len({f for f in fingerprints.values() if f is not None}) < 2:
            continue
        for a in students:
            for b in students:
                if None not in (fingerprints[a], fingerprints[b]) and fingerprints[a] != fingerprints[b]:
                    found.shared.setdefault(a, {}).setdefault(b, set()).add(command)
    return found
