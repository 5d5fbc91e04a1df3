"""TextFSM parsing: the project's anchored index first, ntc-templates second.

ntc-templates' own index matches commands by prefix, which sends e.g. ``display ip routing-table`` to a wrong
Huawei template. So we never use that index. Instead:

1. ``templates/textfsm/index`` (shipped as ``grader.templates``) lists ``Template, Platform, Command`` rows
   whose Command is a full-match regex (``[[...]]`` completions allowed as in CliTable). Its Template is
   looked up in our folder first, then in ntc-templates' folder, so a correct ntc template can be routed to
   without copying it.
2. Failing that, the ntc-templates file named exactly ``<platform>_<command words joined by _>.textfsm``.

A command with no template is a ``TemplateError`` naming platform and command.
"""

from __future__ import annotations

import csv
import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from io import StringIO
from pathlib import Path
from typing import Any

import textfsm

from grader.errors import ParseError, TemplateError


def project_template_dir() -> Path:
    """Folder of the project's templates and index (works from a source tree and an installed wheel)."""
    try:
        return Path(str(resources.files("grader.templates").joinpath("textfsm")))
    except ModuleNotFoundError:  # running from a source tree: the top-level templates/ folder
        return Path(__file__).resolve().parent.parent / "templates" / "textfsm"


def ntc_template_dir() -> Path:
    import ntc_templates

    return Path(ntc_templates.__file__).parent / "templates"


def _expand_completion(pattern: str) -> str:
    """CliTable's ``sh[[ow]]`` → ``sh(o(w)?)?``."""
    def repl(match: re.Match[str]) -> str:
        word = match.group(1)
        return "".join(f"({c}" for c in word) + ")?" * len(word)
    return re.sub(r"\[\[(.+?)\]\]", repl, pattern)


@dataclass(frozen=True)
class IndexRow:
    template: str
    platform: re.Pattern[str]
    command: re.Pattern[str]


@cache
def _project_index() -> tuple[IndexRow, ...]:
    index = project_template_dir() / "index"
    if not index.exists():
        return ()
    lines = [ln for ln in index.read_text().splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    rows: list[IndexRow] = []
    for rec in csv.DictReader(StringIO("\n".join(lines)), skipinitialspace=True):
        rows.append(IndexRow(
            template=rec["Template"].strip(),
            platform=re.compile(rec["Platform"].strip()),
            command=re.compile(_expand_completion(rec["Command"].strip())),
        ))
    return tuple(rows)


def _normalise_command(command: str) -> str:
    return " ".join(command.split())


@lru_cache(maxsize=4096)
def find_template(platform: str, command: str) -> Path:
    """The template file for ``command`` on ``platform``; ``TemplateError`` when there is none."""
    command = _normalise_command(command)
    for row in _project_index():
        if row.platform.fullmatch(platform) and row.command.fullmatch(command):
            return resolve_template_name(row.template)
    ntc_name = f"{platform}_{command.replace(' ', '_')}.textfsm"
    candidate = ntc_template_dir() / ntc_name
    if candidate.exists():
        return candidate
    raise TemplateError(f"no TextFSM template for platform {platform!r} command {command!r}")


def resolve_template_name(name: str) -> Path:
    """A template by file name (with or without ``.textfsm``): the project's folder, then ntc-templates'."""
    file_name = name if name.endswith(".textfsm") else f"{name}.textfsm"
    for folder in (project_template_dir(), ntc_template_dir()):
        path = folder / file_name
        if path.exists():
            return path
    raise TemplateError(f"TextFSM template {file_name!r} not found in the project's or ntc-templates' folder")


@cache
def _template_text(path: Path) -> str:
    return path.read_text()


def compile_template(path: Path) -> textfsm.TextFSM:
    try:
        return textfsm.TextFSM(StringIO(_template_text(path)))
    except (textfsm.TextFSMTemplateError, OSError) as exc:
        raise TemplateError(f"{path.name}: does not compile: {exc}") from exc


_COMPILED = threading.local()  # per thread: a TextFSM object holds the state of the parse it is doing


def _reusable(path: Path) -> textfsm.TextFSM:
    """The template at ``path`` compiled once per thread, reset for a new parse."""
    fsms: dict[Path, textfsm.TextFSM] = _COMPILED.__dict__.setdefault("fsms", {})
    fsm = fsms.get(path)
    if fsm is None:
        fsm = fsms[path] = compile_template(path)
    fsm.Reset()
    return fsm


def parse_with_template(path: Path, text: str) -> list[dict[str, Any]]:
    """Rows of ``text`` parsed by the template at ``path``; keys are lower-case value names."""
    fsm = _reusable(path)
    try:
        rows = fsm.ParseTextToDicts(text)
    except textfsm.TextFSMError as exc:
        raise ParseError(f"{path.name}: {exc}") from exc
    return [{k.lower(): v for k, v in row.items()} for row in rows]


def parse(platform: str, command: str, text: str) -> list[dict[str, Any]]:
    """Parse ``text`` (the output of ``command`` on ``platform``) into rows."""
    return parse_with_template(find_template(platform, command), text)
