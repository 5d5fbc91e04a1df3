"""Device configurations of a lab: initial, solution, broken variants, or any folder, rendered with variables.

``configs/<set>/<node>.cfg`` are Jinja templates (sandboxed, undefined variables are errors). A variant
``variants/<name>/`` lists only the nodes it breaks; the other nodes take the solution.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import LabFileError
from grader.loader import LoadedLab
from grader.templating import render_text
from grader.yamlsource import load_yaml, read_text_file

CONFIG_SETS = ("initial", "solution")


@dataclass(frozen=True)
class Variant:
    name: str
    directory: Path
    fail: tuple[str, ...]
    description: str = ""


def _read_folder(folder: Path, nodes: set[str], variables: dict[str, Any]) -> dict[str, str]:
    configs: dict[str, str] = {}
    for file in sorted(folder.glob("*.cfg")):
        if file.stem not in nodes:
            raise LabFileError([f"{file}: no node {file.stem!r} in the topology"])
        configs[file.stem] = render_text(read_text_file(file), variables, str(file))
    return configs


def lab_configs(loaded: LoadedLab, source: str | Path, variables: dict[str, Any] | None = None) -> dict[str, str]:
    """Configs for every node: ``initial``, ``solution``, a variant name, or a folder of ``<node>.cfg``.

    Nodes without a file get an empty configuration."""
    values = loaded.variables(variables)
    nodes = set(loaded.topology.nodes)
    text = str(source)
    if text in CONFIG_SETS:
        folder = loaded.directory / "configs" / text
        if not folder.is_dir():
            raise LabFileError([f"{folder}: no {text} configs for lab {loaded.lab.id!r}"])
        configs = _read_folder(folder, nodes, values)
    elif (loaded.directory / "variants" / text).is_dir():
        configs = lab_configs(loaded, "solution", variables)
        configs.update(_read_folder(loaded.directory / "variants" / text, nodes, values))
    elif Path(source).is_dir():
        configs = _read_folder(Path(source), nodes, values)
    else:
        raise LabFileError([f"config {text!r}: not 'initial', 'solution', a variant of {loaded.lab.id!r} "
                            f"({', '.join(v.name for v in variants(loaded)) or 'none'}) or a folder"])
    return {node: configs.get(node, "") for node in sorted(nodes)}


def variants(loaded: LoadedLab) -> list[Variant]:
    """The lab's broken variants with the objective ids each must fail."""
    found: list[Variant] = []
    ids = {o.id for o in loaded.lab.objectives}
    for folder in sorted(p for p in (loaded.directory / "variants").glob("*") if p.is_dir()):
        expected_file = folder / "expected.yaml"
        if not expected_file.exists():
            raise LabFileError([f"{folder}: a variant needs an expected.yaml with `fail: [objective ids]`"])
        data = read_expected(expected_file, ids)
        fail = tuple(data.get("fail") or ())
        if not fail:
            raise LabFileError([f"{expected_file}: fail: lists no objective"])
        found.append(Variant(folder.name, folder, fail, str(data.get("description", ""))))
    return found


def read_expected(path: Path, ids: set[str]) -> dict[str, Any]:
    """An ``expected.yaml``: ``fail`` lists objective ids of the lab, ``score`` (optional) is a number,
    ``variables`` (optional) the values a recorded submission was taken with."""
    source = load_yaml(path)
    data = {} if source.data is None else source.data
    if not isinstance(data, dict):
        raise LabFileError([f"{source.where(())}: expected.yaml is a mapping (fail: [objective ids], score: N)"])
    fail = data.get("fail") or []
    if not isinstance(fail, list) or not all(isinstance(item, str) for item in fail):
        raise LabFileError([f"{source.where(('fail',))}: fail: not a list of objective ids"])
    unknown = sorted(set(fail) - ids)
    if unknown:
        raise LabFileError([f"{source.where(('fail',))}: fail: unknown objective ids {', '.join(unknown)}"])
    if "score" in data and (isinstance(data["score"], bool) or not isinstance(data["score"], int | float)):
        raise LabFileError([f"{source.where(('score',))}: score: not a number"])
    if not isinstance(data.get("variables") or {}, dict):
        raise LabFileError([f"{source.where(('variables',))}: variables: not a mapping"])
    return data
