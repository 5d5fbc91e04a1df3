"""A recorded capture re-rendered for another variant: for demo classes, benchmarks and tests.

Real device output recorded with one set of variables (a lab's defaults) is turned into the output the same
devices would print with another set, by replacing each variable's value where the lab's own templates put it.
The places come from the lab: every ``{{ name }}`` in ``lab.yaml`` and in its configuration templates, with the
text just before it (``192.168.{{ lan_a }}.`` gives ``192.168.<old>.`` → ``192.168.<new>.``). A value with no
text before it (``remote-as {{ as_r2 }}``) is replaced as a whole word, and only when it is long enough (four
characters or more) not to hit other numbers. Replacements are simultaneous, so swapped values stay right.

This is a faithful stand-in only where a variable changes nothing but the text of addresses, numbers and
names; it is not a way to grade anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.classwork.bundle import write_bundle
from grader.errors import LabFileError
from grader.loader import LoadedLab
from grader.model.evidence import Evidence
from grader.transport.capture import read_capture

_PLACEHOLDER = re.compile(r"(\S*?)\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
MIN_BARE = 4


def _lab_texts(loaded: LoadedLab) -> list[str]:
    texts = [loaded.source.path.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(loaded.directory.glob("configs/*/*.cfg"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(loaded.directory.glob("variants/*/*.cfg"))]
    return texts


def contexts(loaded: LoadedLab) -> dict[str, set[str]]:
    """Variable → the literal prefixes it follows in the lab's templates (``""``: none)."""
    found: dict[str, set[str]] = {}
    for text in _lab_texts(loaded):
        for match in _PLACEHOLDER.finditer(text):
            prefix = match.group(1).split("}}")[-1].lstrip("\"'([{")
            found.setdefault(match.group(2), set()).add(prefix)
    return found


class Rerenderer:
    """Rewrites text recorded with ``old`` variables as if made with ``new``."""

    def __init__(self, loaded: LoadedLab, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        rules: list[tuple[re.Pattern[str], str]] = []
        places = contexts(loaded)
        for name, value in new.items():
            before = old.get(name)
            if before == value:
                continue
            for prefix in sorted(places.get(name, set()), key=len, reverse=True):
                text = str(before)
                if not prefix and len(text) < MIN_BARE:
                    raise LabFileError([f"variable {name!r}: value {text!r} appears with no text before it in the "
                                        "lab's templates; too short to re-render safely"])
                pattern = (re.escape(prefix) + re.escape(text) if prefix
                           else r"(?<![\w.])" + re.escape(text)) + r"(?![\w])"
                rules.append((re.compile(pattern), prefix + str(value)))
        self.rules = rules

    def text(self, text: str) -> str:
        marks: list[str] = []
        for pattern, target in self.rules:
            def mark(_: re.Match[str], target: str = target) -> str:
                marks.append(target)
                return f"\x00{len(marks) - 1}\x00"
            text = pattern.sub(mark, text)
        return re.sub("\x00(\\d+)\x00", lambda m: marks[int(m.group(1))], text)

    def evidence(self, evidence: Evidence) -> Evidence:
        rendered: Evidence = {}
        for node, node_evidence in evidence.items():
            outputs = {}
            for command, output in node_evidence.outputs.items():
                new_command = self.text(command)
                outputs[new_command] = replace(output, command=new_command, text=self.text(output.text))
            rendered[node] = replace(node_evidence, outputs=outputs)
        return rendered


def bundle_from_capture(loaded: LoadedLab, capture: Path, out: Path, *, student: str,
                        variables: Mapping[str, Any]) -> Path:
    """A bundle for ``student`` made from a recorded capture folder, re-rendered for ``variables``."""
    recorded = read_capture(capture)
    old = loaded.variables(recorded.manifest.variables)
    new = loaded.variables(dict(variables))
    evidence = Rerenderer(loaded, old, new).evidence(recorded.evidence)
    when = recorded.manifest.created or datetime(2026, 1, 1, tzinfo=UTC)
    return write_bundle(out, loaded=loaded, student=student, variables=new, evidence=evidence, started=when,
                        finished=when, source=recorded.manifest.source or "capture")
