"""Property-based fuzzing of what students and instructors hand in, beyond the YAML reader itself (see
test_yamlsource.py): lab files, capture manifests and ``--var`` values. Whatever the input, the tool answers
with its own one-line error or a result -- never another exception, never a hang (hypothesis' deadline).

A long run: ``HYPOTHESIS_PROFILE=long pytest tests/unit/test_fuzz_inputs.py`` (20 000 examples per test).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from grader.cli.common import parse_variables
from grader.engine.session import grade_capture
from grader.errors import CaptureError, GraderError, LabFileError
from grader.loader import load_lab

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-static-routing"
SOLUTION = LAB / "submissions" / "solution"

scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                    st.text(max_size=30), st.sampled_from(["10.0.12.1/24", "{{ lan_b }}", "{{ 1/0 }}", "eth1",
                                                           "../../etc/passwd", "\x1b]0;x\x07", "Full"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                      max_leaves=12)


def one_line(error: GraderError) -> None:
    lines = error.problems if isinstance(error, LabFileError) else [str(error)]
    assert lines and all(line and "\n" not in line for line in lines)


def mutate(data: Any, path: list[int], value: Any) -> Any:
    """Replace one node of ``data`` (chosen by ``path`` indices) by ``value``."""
    if not path or not isinstance(data, dict | list) or not data:
        return value
    if isinstance(data, dict):
        key = list(data)[path[0] % len(data)]
        return {**data, key: mutate(data[key], path[1:], value)}
    index = path[0] % len(data)
    return [*data[:index], mutate(data[index], path[1:], value), *data[index + 1:]]


LAB_DATA = yaml.safe_load((LAB / "lab.yaml").read_text())
MANIFEST = yaml.safe_load((SOLUTION / "manifest.yaml").read_text())


@given(path=st.lists(st.integers(0, 50), max_size=6), value=values)
def test_a_mutated_lab_file_loads_or_says_why_in_one_line(tmp_path_factory: pytest.TempPathFactory,
                                                          path: list[int], value: Any) -> None:
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "topologies" / "hcia-three-routers.clab.yml", folder / "topology.clab.yml")
    data = mutate({**LAB_DATA, "topology": "topology.clab.yml"}, path, value)
    (folder / "lab.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    try:
        loaded = load_lab(folder)
        loaded.render_instructions()
    except GraderError as error:
        one_line(error)


@given(path=st.lists(st.integers(0, 50), max_size=6), value=values)
def test_a_mutated_capture_manifest_grades_or_is_refused_in_one_line(tmp_path_factory: pytest.TempPathFactory,
                                                                     path: list[int], value: Any) -> None:
    folder = tmp_path_factory.mktemp("capture")
    shutil.copytree(SOLUTION, folder, dirs_exist_ok=True)
    (folder / "manifest.yaml").write_text(yaml.safe_dump(mutate(MANIFEST, path, value), allow_unicode=True))
    try:
        report = grade_capture(LOADED, folder).report
    except (CaptureError, LabFileError) as error:
        one_line(error)
        return
    assert 0 <= report.score <= report.max_score
    assert report.variables == LOADED.variables()  # never the capture's own


LOADED = load_lab(LAB)


@given(name=st.text(max_size=20), text=st.text(max_size=60))
def test_any_var_is_a_value_or_a_one_line_error(name: str, text: str) -> None:
    try:
        variables = parse_variables((f"{name}={text}",), None)
        LOADED.variables(variables)
    except LabFileError as error:
        one_line(error)
