"""``config``: the running configuration contains / lacks lines, optionally inside a section.

The configuration is read as a hierarchy by hier_config, so ``section: [ospf 1, area 0.0.0.0]`` looks only
at lines under that area, and a line elsewhere never satisfies the check by accident.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated

from hier_config import Platform as HierPlatform
from hier_config import get_hconfig
from hier_config.base import HConfigBase
from pydantic import Field, WithJsonSchema, field_validator

from grader.checks.base import CheckParams, CheckType, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactValue, RunningConfig
from grader.model.report import CheckResult, Evidence
from grader.naming import same_interface

RUNNING_CONFIG = fact_kind("running_config", "the running configuration text and how to read its hierarchy")

_DIALECTS = {"cisco_ios": HierPlatform.CISCO_IOS, "huawei_vrp": HierPlatform.HUAWEI_VRP,
             "generic": HierPlatform.GENERIC}


# A single pattern may be written as a string.
Patterns = Annotated[list[str], WithJsonSchema({"anyOf": [
    {"type": "string"}, {"type": "array", "items": {"type": "string"}}]})]


class ConfigParams(CheckParams):
    section: Patterns = Field(default_factory=list, description=(
        "path of parent lines, outermost first; each matches the start of a line at a word boundary "
        "(regex, case-insensitive), interface names in any spelling"))
    contains: Patterns = Field(default_factory=list, description="regexes each matching a whole line in scope")
    lacks: Patterns = Field(default_factory=list, description="regexes no line in scope may match")

    @field_validator("section", "contains", "lacks", mode="before")
    @classmethod
    def _as_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("section", "contains", "lacks")
    @classmethod
    def _compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regex {pattern!r}: {exc}") from None
        return value


@lru_cache(maxsize=16)
def parse_config(config: RunningConfig) -> HConfigBase:
    """The configuration as a hier_config tree (FRR's ``exit`` lines dropped: indentation is the structure).
    Kept for the next check of the same configuration: callers only read the tree."""
    lines = [ln for ln in config.text.splitlines() if ln.strip() not in {"exit", "exit-vrf"}]
    if config.dialect == "huawei_vrp":
        lines = vrp_top_level(lines)
    return get_hconfig(_DIALECTS.get(config.dialect, HierPlatform.GENERIC), "\n".join(lines))


def vrp_top_level(lines: list[str]) -> list[str]:
    """VRP prints some top-level commands one space in, in a section of their own after a ``#`` line
    (`` sysname R1``, `` nat address-group 1 A B``, `` stelnet server enable``): each section is moved left by
    the indentation of its first line, so these stay top-level instead of joining the section above. Only a
    ``#`` in the first column ends a section (BGP's `` #`` lines separate address families inside it)."""
    result: list[str] = []
    shift: int | None = None
    for line in lines:
        if line.rstrip() == "#":
            shift = None
        elif shift is None and line.strip():
            shift = len(line) - len(line.lstrip(" "))
        if shift and line[:shift].isspace():
            line = line[shift:]
        result.append(line)
    return result


def _line_matches_parent(pattern: str, text: str) -> bool:
    words = pattern.split(maxsplit=1)
    if len(words) == 2 and words[0].casefold() == "interface" and text.casefold().startswith("interface "):
        return same_interface(words[1], text.split(maxsplit=1)[1])
    return re.match(rf"(?:{pattern})(?:\s|$)", text, re.IGNORECASE) is not None


def find_section(tree: HConfigBase, path: list[str]) -> HConfigBase | None:
    node = tree
    for pattern in path:
        child = next((c for c in node.children if _line_matches_parent(pattern, c.text)), None)
        if child is None:
            return None
        node = child
    return node


def _normalise(text: str) -> str:
    return " ".join(text.split())


@check_type
class ConfigCheck(CheckType[ConfigParams]):
    name = "config"
    summary = "the running configuration contains / lacks lines, optionally inside a section"
    passes_when = ("the running configuration, read as a hierarchy, has/lacks the lines in that section "
                   "(`section` matches the start of a line at a word boundary)")
    Params = ConfigParams
    fact_kinds = (RUNNING_CONFIG,)

    def judge(self, params: ConfigParams, fact: FactValue) -> CheckResult:
        tree = parse_config(fact.value)
        where = f" under '{' / '.join(params.section)}'" if params.section else ""
        expected = params.model_dump(mode="json", exclude={"node"}, exclude_defaults=True)
        scope = find_section(tree, params.section)
        if scope is None:
            return self.result(params, verdict(False), f"{params.node}: configuration has no section "
                               f"'{' / '.join(params.section)}'", expected=expected, observed=None,
                               evidence=[evidence_of(fact)])
        lines = [_normalise(c.text) for c in scope.all_children()]
        missing = [p for p in params.contains if not any(re.fullmatch(p, ln, re.IGNORECASE) for ln in lines)]
        unwanted = [ln for p in params.lacks for ln in lines if re.fullmatch(p, ln, re.IGNORECASE)]
        problems = [f"missing '{p}'" for p in missing] + [f"has '{ln}'" for ln in unwanted]
        excerpt = "\n".join(c.cisco_style_text() for c in scope.all_children())[:2000] if params.section \
            else None
        evidence = [Evidence(node=params.node, command=fact.command, excerpt=excerpt)]
        message = (f"{params.node}: configuration{where} " + "; ".join(problems) if problems
                   else f"{params.node}: configuration{where} is as expected")
        return self.result(params, verdict(not problems), message, expected=expected,
                           observed={"missing": missing, "unwanted": unwanted}, evidence=evidence)
