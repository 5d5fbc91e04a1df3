"""The one YAML reader: bounded, strict, and with line numbers for every key path.

Every YAML file labgrader reads (labs, topologies, inventories, capture manifests, ``expected.yaml``,
variables) goes through :func:`load_yaml` or :func:`parse_yaml`. Some of those files come from students, so
the reader refuses, each time with one ``LabFileError`` line (``file:line: key.path: message``):

- anything but a regular file (a directory, a device such as ``/dev/zero``, a FIFO, a socket), a file over
  ``max_bytes``, text that is not UTF-8;
- duplicate keys at any level (YAML itself would keep the last one silently), keys that are not scalars;
- documents that grow past ``MAX_NODES`` nodes once aliases are expanded ("billion laughs"), aliases to a
  collection that contains them, nesting deeper than ``MAX_DEPTH`` (checked while composing, so a document
  nested 10 000 deep is refused at level ``MAX_DEPTH + 1`` instead of exhausting Python's stack);
- lone surrogates (``"\\udc80"``): not valid Unicode, they would fail later when text is written out;
- any tag outside YAML's safe types, and any other YAML error (``file:line: invalid YAML: ...``).

``YamlSource.lines`` maps every key path to its line, to turn a pydantic error location
(``objectives.2.checks.0.type``) into ``lab.yaml:14``.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent

from grader.errors import LabFileError

PathKey = tuple[str | int, ...]

MAX_BYTES = 4 * 1024 * 1024  # a lab file is a few kB; a capture manifest of a big lab a few hundred kB
MAX_NODES = 100_000  # nodes of a document once its aliases are expanded
MAX_DEPTH = 64  # nested collections (counting through aliases)
MESSAGE_LIMIT = 200  # characters of a quoted problem in an error line

_SURROGATE = re.compile("[\ud800-\udfff]")
_YAML_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # what PyYAML counts as a line break
_MERGE_TAG = "tag:yaml.org,2002:merge"
_FILE_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
               (stat.S_ISSOCK, "a socket"))


@dataclass
class YamlSource:
    """A parsed YAML document: its data and the line of every key path. ``origin`` names text that is not
    a file (``--var lan_b``); error lines then start with it instead of the path."""

    path: Path
    data: Any
    lines: dict[PathKey, int]
    origin: str = ""
    text_lines: dict[PathKey, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """What error lines start with: the origin or the path (unprintable characters escaped)."""
        return printable(self.origin or str(self.path))

    def line_of(self, key_path: PathKey) -> int:
        """Line of the deepest known prefix of ``key_path`` (1-based)."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return 1

    def where(self, key_path: PathKey) -> str:
        return f"{self.name}:{self.line_of(key_path)}"

    def text_line(self, key_path: PathKey) -> int:
        """Line of the first character of the string at ``key_path`` (the line after ``|`` or ``>`` for a
        block scalar), for numbering lines inside a multi-line string; else as :meth:`line_of`."""
        return self.text_lines.get(tuple(key_path)) or self.line_of(key_path)


def printable(text: str) -> str:
    """``text`` with every unprintable character (line breaks, controls, lone surrogates) escaped."""
    return text if text.isprintable() else "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` made safe for one error line: whitespace runs become one space, other unprintable characters
    are escaped, and it is cut at ``limit`` characters."""
    text = printable(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def dotted(path: PathKey) -> str:
    """``("objectives", 2, "id")`` → ``objectives[2].id`` (unprintable characters escaped)."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return printable(text)


def read_text_file(path: Path | str, *, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``max_bytes`` bytes (a leading BOM is dropped).

    Checks the file type before opening and opens without blocking, so a FIFO or a device cannot hang the
    reader; reads at most ``max_bytes + 1`` bytes, so a file that grows cannot either."""
    path = Path(path)
    name = printable(str(path))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise LabFileError([f"{name}: file not found"]) from None
    except (OSError, ValueError) as exc:
        raise LabFileError([f"{name}: cannot read: {_os_reason(exc)}"]) from None
    _check_regular(name, info.st_mode)
    if info.st_size > max_bytes:
        raise LabFileError([f"{name}: larger than {max_bytes} bytes ({info.st_size})"])
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise LabFileError([f"{name}: cannot read: {_os_reason(exc)}"]) from None
    try:
        _check_regular(name, os.fstat(fd).st_mode)  # replaced between stat and open
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise LabFileError([f"{name}: cannot read: {_os_reason(exc)}"]) from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise LabFileError([f"{name}: larger than {max_bytes} bytes"])
    return _decode(b"".join(chunks), name)


def load_yaml(path: Path | str, *, max_bytes: int = MAX_BYTES) -> YamlSource:
    """Read one YAML document from a file; every problem is a one-line ``LabFileError``."""
    path = Path(path)
    source = parse_yaml(read_text_file(path, max_bytes=max_bytes), str(path), max_bytes=max_bytes)
    source.path, source.origin = path, ""
    return source


def parse_yaml(text: str, origin: str, *, max_bytes: int = MAX_BYTES) -> YamlSource:
    """One YAML document from ``text`` that is not a file (a ``--var`` value); ``origin`` starts error lines."""
    name = printable(origin)
    if len(text) > max_bytes:
        raise LabFileError([f"{name}: longer than {max_bytes} characters"])
    lines: dict[PathKey, int] = {}
    text_lines: dict[PathKey, int] = {}
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = None
            if node is not None:
                _Checker(loader, lines, text_lines).visit(node, ())
                data = loader.construct_document(node)
        finally:
            loader.dispose()
    except _Refused as exc:
        raise LabFileError([f"{name}:{exc.mark.line + 1}: {exc.message}"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise LabFileError([f"{name}:{mark.line + 1 if mark else 1}: invalid YAML: {_problem(exc)}"]) from None
    except yaml.reader.ReaderError as exc:
        line = len(_YAML_BREAK.findall(text, 0, max(exc.position, 0))) + 1
        what = f"character {ascii(chr(exc.character))[1:-1]}" if isinstance(exc.character, int) else "character"
        raise LabFileError([f"{name}:{line}: invalid YAML: unacceptable {what} ({exc.reason})"]) from None
    except yaml.YAMLError as exc:
        raise LabFileError([f"{name}: invalid YAML: {one_line(str(exc))}"]) from None
    except RecursionError:
        raise LabFileError([f"{name}: invalid YAML: nested too deeply"]) from None
    except MemoryError:
        raise LabFileError([f"{name}: invalid YAML: too large to hold in memory"]) from None
    return YamlSource(path=Path(origin), data=data, lines=lines, origin=origin, text_lines=text_lines)


def _problem(exc: yaml.MarkedYAMLError) -> str:
    """``while parsing a flow sequence at line 3, expected ',' or ']', but got ':'``."""
    context = exc.context or ""
    if context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        context += f" at line {exc.context_mark.line + 1}"
    return one_line(", ".join(part for part in (context, exc.problem or "") if part) or "malformed")


def _os_reason(exc: BaseException) -> str:
    return one_line(exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc))


def not_a_file(name: str, mode: int) -> str | None:
    """``X: is a named pipe (FIFO), not a file`` for anything but a regular file, else None."""
    if stat.S_ISREG(mode):
        return None
    kind = next((kind for test, kind in _FILE_KINDS if test(mode)), "something else")
    return f"{name}: is {kind}, not a file"


def _check_regular(name: str, mode: int) -> None:
    problem = not_a_file(name, mode)
    if problem is not None:
        raise LabFileError([problem])


def _decode(data: bytes, name: str) -> str:
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data[3:].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LabFileError([f"{name}: not UTF-8 (byte {exc.start + 3 * bom})"]) from None


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark, self.message = mark, message


class _Loader(yaml.SafeLoader):
    """SafeLoader that measures the document while composing it.

    ``_total`` counts nodes as if aliases were expanded: an alias adds the expanded size of the node it
    names, remembered per node (``_sizes``), so nothing is expanded to count it. ``_depth`` is the number of
    collections open; an alias reaches ``_depth`` plus the height of its node."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._total = 0
        self._depth = 0
        self._reach = 0
        self._sizes: dict[int, tuple[int, int]] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            node = self.anchors.get(event.anchor)
            if node is not None:
                known = self._sizes.get(id(node))
                if known is None:
                    raise _Refused(event.start_mark, f"alias *{one_line(event.anchor)} refers to a collection "
                                                     "that contains it (endless once expanded)")
                self._grow(known[0], event.start_mark)
                self._descend(self._depth + known[1], event.start_mark)
            return super().compose_node(parent, index)
        self._grow(1, event.start_mark)
        before, base, outer = self._total - 1, self._depth, self._reach
        self._reach = base
        if isinstance(event, SequenceStartEvent | MappingStartEvent):
            self._depth += 1
            self._descend(self._depth, event.start_mark)
        node = super().compose_node(parent, index)
        self._sizes[id(node)] = (self._total - before, self._reach - base)
        self._depth = base
        self._reach = max(outer, self._reach)
        return node

    def _grow(self, count: int, mark: yaml.Mark) -> None:
        self._total += count
        if self._total > MAX_NODES:
            raise _Refused(mark, f"too many nodes once aliases are expanded (> {MAX_NODES})")

    def _descend(self, depth: int, mark: yaml.Mark) -> None:
        self._reach = max(self._reach, depth)
        if depth > MAX_DEPTH:
            raise _Refused(mark, f"nested deeper than {MAX_DEPTH} levels (counting through aliases)")

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (yaml.YAMLError, _Refused, RecursionError, MemoryError):
            raise
        except Exception as exc:  # e.g. ValueError from the date 2024-13-45 or a 5000-digit integer
            raise _Refused(node.start_mark, f"invalid YAML: cannot read value: {one_line(str(exc))}") from None


@dataclass
class _Checker:
    """One walk over the composed graph (each node once, along its first path): records lines and refuses
    duplicate or non-scalar keys and lone surrogates."""

    loader: _Loader
    lines: dict[PathKey, int]
    text_lines: dict[PathKey, int]
    seen: set[int] = field(default_factory=set)

    def visit(self, node: yaml.Node, path: PathKey) -> None:
        if id(node) in self.seen:
            return
        self.seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            self._scalar(node, path)
            self.text_lines[path] = node.start_mark.line + (2 if node.style in ("|", ">") else 1)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.visit(item, (*path, index))
        elif isinstance(node, yaml.MappingNode):
            self._mapping(node, path)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> None:
        first: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "mapping" if isinstance(key_node, yaml.MappingNode) else "sequence"
                raise _Refused(key_node.start_mark, f"{dotted(path) or '(top)'}: a key must be a scalar (text or "
                                                    f"a number), not a {kind}")
            self._scalar(key_node, path)
            key = "<<" if key_node.tag == _MERGE_TAG else self.loader.construct_object(key_node)
            key_path = (*path, key_node.value)
            try:
                hash(key)
            except TypeError:
                raise _Refused(key_node.start_mark, f"{dotted(key_path)}: a key must be hashable") from None
            if key in first:
                raise _Refused(key_node.start_mark, f"{dotted(key_path)}: duplicate key {one_line(repr(key))} "
                                                    f"(first at line {first[key]})")
            first[key] = line
            self.lines[key_path] = line
            self.visit(value_node, key_path)
            self.lines[key_path] = line

    def _scalar(self, node: yaml.ScalarNode, path: PathKey) -> None:
        found = _SURROGATE.search(node.value)
        if found:
            raise _Refused(node.start_mark, f"{dotted(path) or '(top)'}: lone surrogate "
                                            f"{ascii(found.group())[1:-1]} in a string (not valid Unicode)")
