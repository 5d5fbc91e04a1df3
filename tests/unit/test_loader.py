"""Lab files: valid labs load; each broken lab is rejected with the file:line message its first line names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.errors import LabFileError
from grader.loader import load_lab

ROOT = Path(__file__).resolve().parents[2]
BROKEN = sorted((ROOT / "tests" / "data" / "broken_labs").glob("*.yaml"))
LABS = sorted(p.parent for p in (ROOT / "labs").glob("*/lab.yaml"))


def _expectation(path: Path) -> tuple[int, str]:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name}: first line must be '# expect: LINE: MESSAGE'"
    line, _, message = first.removeprefix("# expect: ").partition(": ")
    return int(line), message


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_lab_is_rejected_with_file_and_line(path: Path) -> None:
    line, message = _expectation(path)
    with pytest.raises(LabFileError) as caught:
        load_lab(path)
    first = caught.value.problems[0]
    assert first.startswith(f"{path}:{line}: "), first
    assert message in first, first
    assert "\n" not in first


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.name)
def test_bundled_labs_load(lab: Path) -> None:
    loaded = load_lab(lab)
    assert loaded.lab.max_score == 100
    assert loaded.resolve(), "every lab has checks"


def test_variables_override_and_unknown_variable() -> None:
    loaded = load_lab(ROOT / "labs" / "hcia-static-routing")
    checks = loaded.resolve({"lan_b": 42})
    prefixes = {str(c.params.prefix) for c in checks if c.check.name == "route"}
    assert "192.168.42.0/24" in prefixes
    assert "192.168.3.0/24" not in prefixes
    with pytest.raises(LabFileError, match=r"unknown variable 'lan_bb'.*did you mean 'lan_b'"):
        loaded.resolve({"lan_bb": 4})


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "topo.clab.yml").write_text((ROOT / "tests" / "data" / "topo.clab.yml").read_text())
    (tmp_path / "lab.yaml").write_text(
        "id: two\ntitle: Two\ntopology: topo.clab.yml\nobjectives:\n"
        "  - id: a\n    title: A\n    points: 5\n    checks:\n"
        "      - {type: hostname, node: r9, name: X}\n"
        "      - {type: route, node: r1, prefx: 10.0.0.0/8}\n")
    with pytest.raises(LabFileError) as caught:
        load_lab(tmp_path)
    problems = caught.value.problems
    assert len(problems) == 2, problems  # unknown node; misspelt prefix (not also "prefix is missing")
    assert any(":9: " in p and "no node 'r9'" in p for p in problems)
    assert any(":10: " in p and "unknown key 'prefx' (did you mean 'prefix'?)" in p for p in problems)


def test_jinja_is_sandboxed(tmp_path: Path) -> None:
    (tmp_path / "topo.clab.yml").write_text((ROOT / "tests" / "data" / "topo.clab.yml").read_text())
    (tmp_path / "lab.yaml").write_text(
        "id: evil\ntitle: Evil\ntopology: topo.clab.yml\nobjectives:\n"
        "  - id: a\n    title: A\n    points: 5\n    checks:\n"
        "      - {type: hostname, node: r1, name: \"{{ ''.__class__.__mro__[1].__subclasses__() }}\"}\n")
    with pytest.raises(LabFileError, match="variable error"):
        load_lab(tmp_path)


@pytest.mark.parametrize(("value", "fragment"), [
    ("1.1.1.1; rm -rf /", "holds ';'"),
    ("$(reboot)", "holds '$'"),
    ("a\nb", "holds '\\n'"),
    ({"a": 1}, "a dict"),
    ([[1]], "a list of lists"),
    (float("inf"), "not a finite number"),
    ("x" * 201, "longer than 200"),
])
def test_variables_from_outside_are_plain_values(value: object, fragment: str) -> None:
    loaded = load_lab(ROOT / "labs" / "hcia-static-routing")
    with pytest.raises(LabFileError, match=re.escape(fragment)):
        loaded.variables({"lan_b": value})
    assert loaded.variables({"lan_b": 42})["lan_b"] == 42
    assert loaded.variables({"lan_b": "10.0.0.0/24"})["lan_b"] == "10.0.0.0/24"
