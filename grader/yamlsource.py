"""YAML with line numbers: every key path of a document mapped to the line it starts on.

Used to turn a pydantic error location (``objectives.2.checks.0.type``) into ``lab.yaml:14``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from grader.errors import LabFileError

PathKey = tuple[str | int, ...]


@dataclass
class YamlSource:
    path: Path
    data: Any
    lines: dict[PathKey, int]

    def line_of(self, key_path: PathKey) -> int:
        """Line of the deepest known prefix of ``key_path`` (1-based)."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return 1

    def where(self, key_path: PathKey) -> str:
        return f"{self.path}:{self.line_of(key_path)}"


def _walk(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


# libyaml's parser when PyYAML was built with it (several times faster: captures are read by the hundred).
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> tuple[yaml.Node | None, Any]:
    """One pass: the node tree (for line numbers) and the data built from it, as ``yaml.safe_load`` would."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def load_yaml(path: Path) -> YamlSource:
    """Read a YAML file; a missing file or bad syntax is a one-line ``LabFileError`` with file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LabFileError([f"{path}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LabFileError([f"{path}: cannot read: {exc}"]) from None
    try:
        node, data = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise LabFileError([f"{path}:{line}: invalid YAML: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise LabFileError([f"{path}: invalid YAML: {' '.join(str(exc).split())}"]) from None
    lines: dict[PathKey, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return YamlSource(path=path, data=data, lines=lines)


def parse_yaml(text: str, origin: str) -> YamlSource:
    """One YAML document from ``text`` that is not a file; ``origin`` starts error lines."""
    try:
        node, data = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise LabFileError([f"{origin}:{mark.line + 1 if mark else 1}: invalid YAML: {exc.problem}"]) from None
    except yaml.YAMLError as exc:
        raise LabFileError([f"{origin}: invalid YAML: {' '.join(str(exc).split())}"]) from None
    lines: dict[PathKey, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return YamlSource(path=Path(origin), data=data, lines=lines)


def dotted(path: PathKey) -> str:
    """``("objectives", 2, "id")`` → ``objectives[2].id``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
