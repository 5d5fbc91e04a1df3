"""Lab files → typed models, with file:line errors, did-you-mean hints and sandboxed Jinja variables.

``load_lab(path)`` reads ``lab.yaml`` (or a lab folder) and its topology; ``LoadedLab.resolve(variables)``
renders check parameters with the variables and validates them by their check type.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from grader.checks import CHECK_TYPES, CheckParams, CheckType
from grader.errors import LabFileError
from grader.model.lab import Lab, Objective
from grader.model.topology import PLATFORM_LABEL, Topology
from grader.templating import render_text, render_value
from grader.yamlsource import PathKey, YamlSource, dotted, load_yaml

LAB_FILE = "lab.yaml"


@dataclass(frozen=True)
class ResolvedCheck:
    objective: Objective
    index: int
    check: CheckType
    params: CheckParams


@dataclass
class LoadedLab:
    lab: Lab
    topology: Topology
    directory: Path
    source: YamlSource
    topology_path: Path

    def variables(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """The lab's defaults with ``overrides`` applied; an unknown name is an error."""
        overrides = overrides or {}
        unknown = sorted(set(overrides) - set(self.lab.variables))
        if unknown:
            hint = {name: _did_you_mean(name, self.lab.variables) for name in unknown}
            raise LabFileError([f"{self.source.path}: unknown variable {name!r}{hint[name]}" for name in unknown])
        problems = [f"{self.source.path}: variable {name!r}: {why}" for name, value in overrides.items()
                    if (why := outside_value_problem(value)) is not None]
        if problems:
            raise LabFileError(problems)
        values = self.lab.defaults()
        values.update(overrides)
        return values

    def resolve(self, variables: dict[str, Any] | None = None) -> list[ResolvedCheck]:
        """Every check with its parameters rendered and validated; all problems reported at once."""
        values = self.variables(variables)
        resolved: list[ResolvedCheck] = []
        problems: list[str] = []
        for o_index, objective in enumerate(self.lab.objectives):
            for c_index, spec in enumerate(objective.checks):
                where: PathKey = ("objectives", o_index, "checks", c_index)
                check = CHECK_TYPES.get(spec.type)
                if check is None:
                    problems.append(f"{self.source.where((*where, 'type'))}: {_dotted((*where, 'type'))}: "
                                    f"unknown check type {spec.type!r}{_did_you_mean(spec.type, CHECK_TYPES)}")
                    continue
                try:
                    raw = render_value(spec.params, values, lambda sub, at=where: self.origin((*at, *sub)))
                except LabFileError as exc:
                    problems.extend(exc.problems)
                    continue
                try:
                    params = check.Params.model_validate(raw)
                except ValidationError as exc:
                    problems.extend(_pydantic_problems(exc, self.source, where, check.Params))
                    continue
                if params.node not in self.topology.nodes:
                    problems.append(f"{self.source.where((*where, 'node'))}: {_dotted((*where, 'node'))}: "
                                    f"no node {params.node!r} in the topology"
                                    f"{_did_you_mean(params.node, self.topology.nodes)}")
                    continue
                resolved.append(ResolvedCheck(objective, c_index, check, params))
        if problems:
            raise LabFileError(problems)
        return resolved

    def render_instructions(self, variables: dict[str, Any] | None = None) -> str:
        return render_text(self.lab.instructions, self.variables(variables), self.source.name,
                           self.source.text_line(("instructions",)), key="instructions")

    def render(self, value: Any, variables: dict[str, Any], path: PathKey) -> Any:
        """``value`` (a string, or lists/mappings of them) of the lab file at ``path``, rendered."""
        return render_value(value, variables, lambda sub: self.origin((*path, *sub)))

    def origin(self, path: PathKey) -> str:
        """``lab.yaml:14: objectives[2].checks[0].prefix``: the start of an error line about ``path``."""
        return f"{self.source.where(path)}: {dotted(path)}"


# Values given from outside the lab file (--var, --vars, a roster) end up in device commands and file names:
# plain scalars only, and text without control characters or anything a shell or a CLI would read as syntax.
_UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f;&|$`<>(){}\[\]\\'\"!*?#~]")
MAX_VALUE_LENGTH = 200


def outside_value_problem(value: Any) -> str | None:
    """Why ``value`` cannot be a variable given from outside the lab file, or None."""
    if isinstance(value, list):
        if len(value) > 100:
            return "a list of more than 100 values"
        if any(isinstance(item, list | dict) for item in value):
            return "a list of lists or mappings"
        return next((why for item in value if (why := outside_value_problem(item)) is not None), None)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if abs(value) < 2**63 else "a number out of range"
    if isinstance(value, float):
        return None if math.isfinite(value) else "not a finite number"
    if isinstance(value, str):
        if len(value) > MAX_VALUE_LENGTH:
            return f"longer than {MAX_VALUE_LENGTH} characters"
        bad = _UNSAFE_TEXT.search(value)
        return None if bad is None else f"holds {bad.group()!r}, which a device command could read as syntax"
    return f"a {type(value).__name__}: give a number, a word or a list of them"


def lab_file(path: Path) -> Path:
    """``labs/x`` or ``labs/x/lab.yaml`` → the lab file."""
    return path / LAB_FILE if path.is_dir() else path


def load_lab(path: Path | str) -> LoadedLab:
    """Read and validate a lab and its topology. Raises ``LabFileError`` listing every problem found."""
    file = lab_file(Path(path))
    source = load_yaml(file)
    if not isinstance(source.data, dict):
        raise LabFileError([f"{file}:1: a lab file is a mapping (id, title, topology, objectives, ...)"])
    try:
        lab = Lab.model_validate(source.data)
    except ValidationError as exc:
        raise LabFileError(_pydantic_problems(exc, source, (), Lab)) from None
    references = lab.reference_problems()
    if references:
        raise LabFileError([f"{source.where(path)}: {_dotted(path)}: {message}" for path, message in references])
    topology_path = (file.parent / lab.topology).resolve()
    topology = load_topology(topology_path, origin=source.where(("topology",)))
    loaded = LoadedLab(lab=lab, topology=topology, directory=file.parent, source=source, topology_path=topology_path)
    loaded.resolve()
    return loaded


def load_topology(path: Path, origin: str | None = None) -> Topology:
    if not path.exists():
        prefix = f"{origin}: topology" if origin else str(path)
        raise LabFileError([f"{prefix}: file not found: {path}"])
    source = load_yaml(path)
    try:
        topology = Topology.model_validate(source.data)
    except ValidationError as exc:
        raise LabFileError(_pydantic_problems(exc, source, (), Topology)) from None
    _bind_platforms(topology, source)
    return topology


def _bind_platforms(topology: Topology, source: YamlSource) -> None:
    """Check each node's platform label against the registry; give unlabelled nodes their kind's platform."""
    from grader.platforms import DEFAULT_PLATFORM, PLATFORM_NAMES, platform_for_kind

    problems: list[str] = []
    defaults = (topology.topology.model_extra or {}).get("defaults")
    default_kind = defaults.get("kind") if isinstance(defaults, dict) else None
    for name, node in topology.nodes.items():
        if node.kind is None and isinstance(default_kind, str):
            node.kind = default_kind  # containerlab's topology.defaults.kind
        label = node.labels.get(PLATFORM_LABEL)
        if label is None:
            node.bind_kind_platform(platform_for_kind(node.kind) or DEFAULT_PLATFORM)
        elif label not in PLATFORM_NAMES:
            where: PathKey = ("topology", "nodes", name, "labels", PLATFORM_LABEL)
            problems.append(f"{source.where(where)}: {_dotted(where)}: node {name!r}: unknown platform {label!r}"
                            f"{_did_you_mean(label, PLATFORM_NAMES)}; known: {', '.join(PLATFORM_NAMES)}")
    if problems:
        raise LabFileError(problems)


def _dotted(path: PathKey) -> str:
    return dotted(path)


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The pydantic model that holds the last element of ``loc`` (for did-you-mean on unknown keys)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
            continue
        current = _unwrap(current)
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """list[X] / dict[str, X] / X | None → X."""
    while get_origin(annotation) is not None:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if not args:
            break
        annotation = args[-1]
    return annotation


def _pydantic_problems(exc: ValidationError, source: YamlSource, prefix: PathKey,
                       model: type[BaseModel]) -> list[str]:
    """One ``file:line: key.path: message`` per error, in file order. A missing key that a misspelt key
    nearby explains (``point`` for ``points``) is reported once, as the misspelling."""
    errors = exc.errors()
    explained: set[tuple[str | int, ...]] = set()
    messages: dict[tuple[str | int, ...], str] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] != "extra_forbidden":
            continue
        holder = _model_at(model, loc)
        names = list(holder.model_fields) if holder else []
        if holder:
            names += [f.alias for f in holder.model_fields.values() if f.alias]
        close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        if close:
            explained.add((*loc[:-1], close[0]))
        messages[loc] = f"unknown key {loc[-1]!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
    problems: list[tuple[int, str]] = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            message = messages[loc]
        elif error["type"] == "missing":
            if loc in explained:
                continue
            message = "required key is missing"
        else:
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] not in {"value_error", "assertion_error"} and "input" in error \
                    and not isinstance(error["input"], dict | list):
                message += f" (got {error['input']!r})"
        path = (*prefix, *loc)
        problems.append((source.line_of(path), f"{source.where(path)}: {_dotted(path) or '(top)'}: {message}"))
    return [text for _, text in sorted(problems, key=lambda item: item[0])]
