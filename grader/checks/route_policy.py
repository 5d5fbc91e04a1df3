"""``prefix_list`` and ``route_policy``: an entry of an IP prefix list, a node of a route-policy (route-map).

Whether a policy is applied to a BGP peer is configuration, graded with the ``config`` check (see the lab
format documentation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, IPvAnyNetwork, field_validator, model_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.checks.values import PlainName
from grader.model.facts import FactValue, IPNetwork
from grader.model.report import CheckResult

PREFIX_LISTS = fact_kind("prefix_lists", "IP prefix lists: name, sequence (index), action, prefix, ge/le")
ROUTE_POLICIES = fact_kind("route_policies", "route-policies / route-maps: name, node (sequence), action, "
                                             "match and set (apply) clauses")

Action = Literal["permit", "deny"]


@dataclass(frozen=True)
class PrefixListEntry:
    name: str
    sequence: int  # Cisco "seq", Huawei "index"
    action: Action
    prefix: IPNetwork
    ge: int | None = None
    le: int | None = None


@dataclass(frozen=True)
class RoutePolicyNode:
    """A route-map entry / route-policy node. Clauses are as the device prints them, blanks collapsed:
    Huawei ``if-match ip-prefix p1`` / ``apply local-preference 200``, Cisco ``ip address prefix-lists: P1`` /
    ``local-preference 200``."""

    name: str
    sequence: int  # Cisco "sequence", Huawei node number
    action: Action
    match: tuple[str, ...] = ()
    set: tuple[str, ...] = ()


def clause_key(text: str) -> str:
    """Comparison form of a clause: case-folded, blanks collapsed, no blank after a colon."""
    return re.sub(r"\s+", " ", re.sub(r":\s*", ": ", text.strip())).casefold()


class PrefixListParams(CheckParams):
    name: PlainName = Field(description="the prefix list's name")
    present: bool = Field(default=True, description="false: no entry of the list may match")
    sequence: int | None = Field(default=None, ge=0, le=4294967295,
                                 description="the entry's sequence number (Huawei: index)")
    action: Action | None = Field(default=None, description="permit or deny")
    prefix: IPvAnyNetwork | None = Field(default=None, description="the entry's prefix, e.g. 10.1.0.0/16")
    ge: int | None = Field(default=None, ge=0, le=128, description="the entry's greater-equal bound")
    le: int | None = Field(default=None, ge=0, le=128, description="the entry's less-equal bound")


def _describe_entry(entry: PrefixListEntry) -> str:
    bounds = "".join(f" {k} {v}" for k, v in (("ge", entry.ge), ("le", entry.le)) if v is not None)
    return f"{entry.sequence} {entry.action} {entry.prefix}{bounds}"


@check_type
class PrefixListCheck(CheckType[PrefixListParams]):
    name = "prefix_list"
    summary = "an IP prefix list has an entry (sequence, action, prefix, ge/le)"
    passes_when = "an entry of list `name` has every given field (or, with `present: false`, none does)"
    Params = PrefixListParams
    fact_kinds = (PREFIX_LISTS,)

    def judge(self, params: PrefixListParams, fact: FactValue) -> CheckResult:
        entries: list[PrefixListEntry] = [e for e in fact.value if e.name == params.name]
        matching = [e for e in entries if self._matches(e, params)]
        expected = self.expected(params)
        rows = [as_row(e) for e in entries]
        evidence = [evidence_of(fact, rows)]
        wanted = " ".join(str(v) for v in (
            params.sequence, params.action, params.prefix,
            f"ge {params.ge}" if params.ge is not None else None,
            f"le {params.le}" if params.le is not None else None) if v is not None) or "any entry"
        where = f"{params.node}: prefix list {params.name}"
        seen = "; ".join(_describe_entry(e) for e in entries)
        if not params.present:
            message = (f"{where} has {_describe_entry(matching[0])}, expected no entry {wanted}" if matching
                       else f"{where} has no entry {wanted}, as expected")
            return self.result(params, verdict(not matching), message, expected=expected, observed=rows,
                               evidence=evidence)
        if matching:
            return self.result(params, verdict(True), f"{where} has {_describe_entry(matching[0])}",
                               expected=expected, observed=rows, evidence=evidence)
        if not entries:
            names = ", ".join(sorted({e.name for e in fact.value})) or "none"
            return self.result(params, verdict(False), f"{where} does not exist (lists: {names})",
                               expected=expected, observed=[], evidence=evidence)
        return self.result(params, verdict(False), f"{where} has no entry {wanted} (entries: {seen})",
                           expected=expected, observed=rows, evidence=evidence)

    @staticmethod
    def _matches(entry: PrefixListEntry, params: PrefixListParams) -> bool:
        return all(want is None or have == want for want, have in (
            (params.sequence, entry.sequence), (params.action, entry.action), (params.prefix, entry.prefix),
            (params.ge, entry.ge), (params.le, entry.le)))


Clause = str


class RoutePolicyParams(CheckParams):
    name: PlainName = Field(description="the route-policy (route-map) name")
    present: bool = Field(default=True, description="false: no node of the policy may match")
    sequence: int | None = Field(default=None, ge=0, le=65535,
                                 description="the node (Huawei) or sequence number (Cisco)")
    action: Action | None = Field(default=None, description="permit or deny")
    match: list[Clause] = Field(default_factory=list, description="match clauses the node must have, as the "
                                "device prints them, e.g. 'if-match ip-prefix p1' (Huawei), 'ip address "
                                "prefix-lists: P1' (Cisco); compared ignoring case and blanks, a clause may be "
                                "given in part ('ip-prefix p1')")
    set: list[Clause] = Field(default_factory=list, description="set (Huawei: apply) clauses the node must "
                              "have, e.g. 'apply local-preference 200', 'local-preference 200'; compared as "
                              "match clauses are")

    @field_validator("match", "set")
    @classmethod
    def _clauses(cls, value: list[str]) -> list[str]:
        for clause in value:
            if not clause.strip() or len(clause) > 200 or "\n" in clause:
                raise ValueError(f"{clause!r} is not one clause (one line of at most 200 characters)")
        return value

    @model_validator(mode="after")
    def _absent_alone(self) -> RoutePolicyParams:
        if not self.present and (self.match or self.set):
            raise ValueError("present: false takes no match or set clause (name the node by sequence/action)")
        return self


def _has_clause(clauses: tuple[str, ...], wanted: str) -> bool:
    """The clause, or a part of it made of whole words (``ip-prefix p1`` is in ``if-match ip-prefix p1``, not
    in ``if-match ip-prefix p10``)."""
    pattern = re.compile(rf"(?:^|\s){re.escape(clause_key(wanted))}(?:$|\s)")
    return any(pattern.search(clause_key(c)) for c in clauses)


def _describe_node(node: RoutePolicyNode) -> str:
    clauses = "; ".join((*node.match, *node.set)) or "no clauses"
    return f"{node.action} {node.sequence} ({clauses})"


@check_type
class RoutePolicyCheck(CheckType[RoutePolicyParams]):
    name = "route_policy"
    summary = "a route-policy (route-map) has a node with the action and the match/set (apply) clauses"
    passes_when = ("a node of policy `name` has the given sequence and action and every given clause (or, with "
                   "`present: false`, no node has that sequence/action)")
    Params = RoutePolicyParams
    fact_kinds = (ROUTE_POLICIES,)

    def judge(self, params: RoutePolicyParams, fact: FactValue) -> CheckResult:
        nodes: list[RoutePolicyNode] = [n for n in fact.value if n.name == params.name]
        candidates = [n for n in nodes if (params.sequence is None or n.sequence == params.sequence)
                      and (params.action is None or n.action == params.action)]
        expected = self.expected(params)
        rows = [as_row(n) for n in nodes]
        evidence = [evidence_of(fact, rows)]
        where = f"{params.node}: route-policy {params.name}"
        node_wanted = " ".join(str(v) for v in (params.action, params.sequence) if v is not None) or "any"
        if not params.present:
            message = (f"{where} has node {_describe_node(candidates[0])}, expected none {node_wanted}"
                       if candidates else f"{where} has no node {node_wanted}, as expected")
            return self.result(params, verdict(not candidates), message, expected=expected, observed=rows,
                               evidence=evidence)
        if not nodes:
            names = ", ".join(sorted({n.name for n in fact.value})) or "none"
            return self.result(params, verdict(False), f"{where} does not exist (policies: {names})",
                               expected=expected, observed=[], evidence=evidence)
        if not candidates:
            seen = ", ".join(f"{n.action} {n.sequence}" for n in nodes)
            return self.result(params, verdict(False), f"{where} has no node {node_wanted} (nodes: {seen})",
                               expected=expected, observed=rows, evidence=evidence)
        best_missing: list[str] | None = None
        for node in candidates:
            missing = [f"match {c!r}" for c in params.match if not _has_clause(node.match, c)]
            missing += [f"set {c!r}" for c in params.set if not _has_clause(node.set, c)]
            if not missing:
                return self.result(params, verdict(True), f"{where} node {_describe_node(node)}",
                                   expected=expected, observed=rows, evidence=evidence)
            if best_missing is None or len(missing) < len(best_missing):
                best_missing, closest = missing, node
        has = "; ".join((*closest.match, *closest.set)) or "none"
        return self.result(params, verdict(False), f"{where} node {closest.action} {closest.sequence} lacks "
                           f"{', '.join(best_missing or [])} (has: {has})",
                           expected=expected, observed=rows, evidence=evidence)
