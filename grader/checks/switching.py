"""Switching: VLANs and their member ports (``vlan``), a port's switchport mode and VLANs (``switchport``), the
spanning tree (``stp``) and link aggregation (``link_aggregation``).

Membership of a port in a VLAN, on every platform: the port is an untagged member when the VLAN table lists it
untagged (an access port; Huawei ``UT``), a tagged member when it lists it tagged (Huawei ``TG``), and -- for
trunks the VLAN table does not list (Cisco) -- when the port is a trunk carrying the VLAN: the VLAN is among its
VLANs "allowed and active" (allowed on the trunk and existing on the switch), untagged if it is the trunk's
native VLAN (Huawei: PVID), tagged otherwise. Inter-VLAN routing needs no check of its own: the ``interface``
check reads ``Vlanif10`` / ``Vlan10`` like any other interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactRequest, FactValue
from grader.model.report import CheckResult, Outcome
from grader.naming import interface_key, same_interface

VLANS = fact_kind("vlans", "VLANs: id, name or description, status, ports listed untagged (access) and tagged")
TRUNKS = fact_kind("trunks", "trunk ports: native VLAN, VLANs allowed, VLANs allowed and active where shown")
SWITCHPORTS = fact_kind("switchports", "layer 2 ports: mode, access VLAN, native VLAN / PVID, VLANs allowed")
STP = fact_kind("stp", "spanning tree: mode and, per instance or VLAN, bridge, root and each port's role/state")
LINK_AGGREGATIONS = fact_kind("link_aggregations", "Eth-Trunk / Port-channel bundles: mode, state, member ports")

VlanId = Annotated[int, Field(ge=1, le=4094)]


def _port_name(value: str) -> str:
    name = re.sub(r"\s+", "", value)  # "GigabitEthernet 0/0/1", as VRP commands take it
    if not re.fullmatch(r"(?=.{1,64}$)\d*[A-Za-z][A-Za-z0-9./:-]*", name):  # 100GE1/0/1 starts with digits
        raise ValueError(f"{value!r} is not an interface name (GE0/0/1, 100GE1/0/1, Gi0/1, Eth-Trunk1)")
    return name


PortName = Annotated[str, AfterValidator(_port_name)]

MAX_VLAN = 4094


# --------------------------------------------------------------------------------------------- VLAN sets


@dataclass(frozen=True)
class VlanSet:
    """A set of VLAN ids as sorted, disjoint, non-adjacent ``(first, last)`` ranges."""

    ranges: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, ids: Iterable[int]) -> VlanSet:
        ranges: list[list[int]] = []
        for vlan in sorted(set(ids)):
            if ranges and vlan == ranges[-1][1] + 1:
                ranges[-1][1] = vlan
            else:
                ranges.append([vlan, vlan])
        return cls(tuple((first, last) for first, last in ranges))

    @classmethod
    def parse(cls, text: str) -> VlanSet:
        """A VLAN list as devices print it: ``1,10-20``, ``1 10 to 20``, ``200-211, 300-302``, ``1-4094``,
        ``ALL``; ``none``, ``NONE``, ``-`` and blank are empty. ``ValueError`` on anything else."""
        words = [w for w in re.split(r"[\s,]+", text.strip()) if w]
        if not words or (len(words) == 1 and words[0].casefold() in ("none", "-")):
            return cls()
        if len(words) == 1 and words[0].casefold() == "all":
            return cls(((1, MAX_VLAN),))
        spans: list[tuple[int, int]] = []
        index = 0
        while index < len(words):
            word = words[index]
            if index + 2 < len(words) and words[index + 1].casefold() == "to":
                spans.append((_vlan_number(word, text), _vlan_number(words[index + 2], text)))
                index += 3
                continue
            first, dash, last = word.partition("-")
            spans.append((_vlan_number(first, text), _vlan_number(last, text) if dash else _vlan_number(first, text)))
            index += 1
        if any(first > last for first, last in spans):
            raise ValueError(f"VLAN list {text!r} has a range that runs backwards")
        return cls.of(vlan for first, last in spans for vlan in range(first, last + 1))

    def __contains__(self, vlan: object) -> bool:
        return isinstance(vlan, int) and any(first <= vlan <= last for first, last in self.ranges)

    def __iter__(self) -> Iterator[int]:
        for first, last in self.ranges:
            yield from range(first, last + 1)

    def __len__(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)

    def __sub__(self, other: VlanSet) -> VlanSet:
        return VlanSet.of(vlan for vlan in self if vlan not in other)

    def __and__(self, other: VlanSet) -> VlanSet:
        return VlanSet.of(vlan for vlan in self if vlan in other)

    def __str__(self) -> str:
        return ",".join(str(f) if f == last else f"{f}-{last}" for f, last in self.ranges) or "none"


def _vlan_number(word: str, text: str) -> int:
    if not word.isdigit() or not 1 <= int(word) <= MAX_VLAN:
        raise ValueError(f"VLAN list {text!r}: {word!r} is not a VLAN id 1-{MAX_VLAN}")
    return int(word)


def vlan_list_param(value: object) -> str | None:
    """A VLAN list a lab writes (``"10,20,30-40"``, ``[10, 20, "30-40"]``, ``10``) in canonical form."""
    if value is None:
        return None
    items = value if isinstance(value, list | tuple) else [value]
    if not items or not all(isinstance(i, int | str) and not isinstance(i, bool) for i in items):
        raise ValueError("give VLANs as a list of ids and ranges, e.g. [10, 20, \"30-40\"], or \"10,20,30-40\"")
    vlans = VlanSet.parse(",".join(str(i) for i in items))
    if not vlans.ranges:
        raise ValueError("the VLAN list is empty")
    return str(vlans)


# --------------------------------------------------------------------------------------------- fact shapes

PortMode = Literal["access", "trunk", "hybrid", "dynamic", "routed", "other"]
StpMode = Literal["stp", "rstp", "mstp"]
StpRole = Literal["root", "designated", "alternate", "backup", "master", "disabled"]
StpState = Literal["forwarding", "learning", "discarding", "broken", "disabled"]
LagMode = Literal["lacp", "manual", "pagp"]


@dataclass(frozen=True)
class Vlan:
    """A row of the VLAN table. Huawei's ``display vlan`` shows the description (``description``), not the name
    (``name``); Cisco shows the name. Ports are canonical interface names."""

    vlan_id: int
    name: str | None = None
    description: str | None = None
    active: bool | None = None
    untagged: tuple[str, ...] = ()
    tagged: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trunk:
    """A trunk port. ``active``: allowed and existing ("allowed and active"), None where the device does not
    print it (then allowed ∩ the VLANs that exist)."""

    interface: str
    native_vlan: int | None
    allowed: VlanSet
    active: VlanSet | None = None


@dataclass(frozen=True)
class SwitchPort:
    """A layer 2 port. ``mode`` is the operational mode where the device shows one (Cisco, a port that is up),
    else the configured one; ``mode_text`` as printed. ``native_vlan`` is a trunk's native VLAN / Huawei PVID;
    ``allowed`` the VLANs a trunk or hybrid port allows (None for an access port)."""

    interface: str
    mode: PortMode | None
    access_vlan: int | None = None
    native_vlan: int | None = None
    allowed: VlanSet | None = None
    mode_text: str | None = None


@dataclass(frozen=True)
class StpPort:
    interface: str
    role: StpRole | None
    state: StpState | None
    edge: bool | None = None
    cost: int | None = None
    priority: int | None = None


@dataclass(frozen=True)
class StpInstance:
    """One spanning tree: a VLAN's (Cisco PVST+ / Rapid PVST+: ``vlan``) or an MST instance (``instance``; 0 is
    the CIST, the only tree of Huawei STP/RSTP). ``bridge_priority`` is the configured priority (without
    Cisco's sys-id-ext); addresses are MAC addresses as printed."""

    vlan: int | None
    instance: int | None
    bridge_priority: int | None
    bridge_address: str | None
    root_priority: int | None
    root_address: str | None
    is_root: bool | None
    root_cost: int | None = None
    ports: tuple[StpPort, ...] = ()

    @property
    def label(self) -> str:
        return f"VLAN {self.vlan}" if self.vlan is not None else f"instance {self.instance}"


@dataclass(frozen=True)
class SpanningTree:
    enabled: bool
    mode: StpMode | None
    instances: tuple[StpInstance, ...] = ()


@dataclass(frozen=True)
class LagMember:
    """A member port; ``active``: forwarding in the bundle (LACP Selected, Cisco P/bndl, manual mode Up);
    ``status`` as printed."""

    interface: str
    active: bool
    status: str


@dataclass(frozen=True)
class LinkAggregation:
    interface: str
    mode: LagMode | None
    up: bool | None
    members: tuple[LagMember, ...] = ()

    @property
    def active_count(self) -> int:
        return sum(m.active for m in self.members)


# --------------------------------------------------------------------------------------------- vlan


class VlanParams(CheckParams):
    vlan: VlanId = Field(description="the VLAN id, 1-4094")
    present: bool = Field(default=True, description="false: the VLAN must NOT exist (then give nothing else)")
    name: str | None = Field(default=None, min_length=1, max_length=80,
                             description="expected name (Huawei VRP: the VLAN's description, which display vlan "
                                         "shows); compared exactly")
    untagged: list[PortName] = Field(default_factory=list,
                                     description="ports that carry the VLAN untagged (access ports, a trunk's "
                                                 "native VLAN / PVID, Huawei hybrid untagged)")
    tagged: list[PortName] = Field(default_factory=list, description="ports that carry the VLAN tagged (trunks)")
    not_members: list[PortName] = Field(default_factory=list, description="ports that must not carry the VLAN")

    @model_validator(mode="after")
    def _absent_means_nothing_else(self) -> VlanParams:
        if not self.present and (self.name or self.untagged or self.tagged or self.not_members):
            raise ValueError("a VLAN that must not exist has no name or ports to check: drop them or present")
        return self

    def ports(self) -> list[str]:
        return [*self.untagged, *self.tagged, *self.not_members]


Membership = dict[str, tuple[str, bool]]  # interface key -> (interface, tagged)


def vlan_members(vlans: Sequence[Vlan], trunks: Sequence[Trunk], vlan_id: int) -> Membership:
    """The ports carrying ``vlan_id`` (see the module docstring): the VLAN table's lists, then trunks."""
    members: Membership = {}
    vlan = next((v for v in vlans if v.vlan_id == vlan_id), None)
    if vlan is None:
        return members
    for name in vlan.untagged:
        members[interface_key(name)] = (name, False)
    for name in vlan.tagged:
        members.setdefault(interface_key(name), (name, True))
    existing = VlanSet.of(v.vlan_id for v in vlans)
    for trunk in trunks:
        carried = trunk.active if trunk.active is not None else trunk.allowed & existing
        if vlan_id in carried:
            members.setdefault(interface_key(trunk.interface), (trunk.interface, vlan_id != trunk.native_vlan))
    return members


def _how(tagged: bool) -> str:
    return "tagged" if tagged else "untagged"


@check_type
class VlanCheck(CheckType[VlanParams]):
    name = "vlan"
    summary = "a VLAN exists (with a name), and ports carry it untagged or tagged, or do not carry it"
    passes_when = ("the VLAN exists (or not, with `present: false`) with that name, and every listed port carries "
                   "it as listed: untagged (access, native VLAN/PVID) or tagged (trunk allowing an existing VLAN)")
    Params = VlanParams
    fact_kinds = (VLANS, TRUNKS)

    def requests(self, params: VlanParams) -> list[FactRequest]:
        kinds = (VLANS, TRUNKS) if params.ports() else (VLANS,)
        return [FactRequest.make(params.node, kind) for kind in kinds]

    def judge_all(self, params: VlanParams, facts: list[FactValue]) -> CheckResult:
        vlans: list[Vlan] = list(facts[0].value)
        trunks: list[Trunk] = list(facts[1].value) if len(facts) > 1 else []
        vlan = next((v for v in vlans if v.vlan_id == params.vlan), None)
        expected = self.expected(params)
        evidence = [evidence_of(fact, [as_row(v) for v in vlans if v.vlan_id == params.vlan]) for fact in facts]
        where = f"{params.node}: VLAN {params.vlan}"
        if vlan is None:
            seen = ", ".join(str(v.vlan_id) for v in vlans) or "none"
            message = (f"{where} does not exist (VLANs: {seen})" if params.present
                       else f"{where} does not exist, as expected")
            return self.result(params, verdict(not params.present), message, expected=expected, observed=None,
                               evidence=evidence)
        if not params.present:
            return self.result(params, verdict(False), f"{where} exists, expected absent", expected=expected,
                               observed=as_row(vlan), evidence=evidence)
        members = vlan_members(vlans, trunks, params.vlan)
        problems: list[str] = []
        label = vlan.name if vlan.name is not None else vlan.description
        if params.name is not None and (label or "").strip() != params.name.strip():
            problems.append(f"is named {label!r}, expected {params.name!r}" if label else
                            f"has no name, expected {params.name!r}")
        for port, tagged in [*((p, False) for p in params.untagged), *((p, True) for p in params.tagged)]:
            found = members.get(interface_key(port))
            if found is None:
                problems.append(f"{port} does not carry it, expected {_how(tagged)}")
            elif found[1] != tagged:
                problems.append(f"{found[0]} carries it {_how(found[1])}, expected {_how(tagged)}")
        for port in params.not_members:
            found = members.get(interface_key(port))
            if found is not None:
                problems.append(f"{found[0]} carries it {_how(found[1])}, expected not")
        observed = {**as_row(vlan), "members": ", ".join(f"{n} ({_how(t)})" for n, t in members.values())}
        message = f"{where} " + ("; ".join(problems) if problems else "is as expected")
        return self.result(params, verdict(not problems), message, expected=expected, observed=observed,
                           evidence=evidence)


# --------------------------------------------------------------------------------------------- switchport


class SwitchportParams(CheckParams):
    interface: PortName = Field(description="the port, any usual spelling (GE0/0/1, Gi0/1, Eth-Trunk1, Po1)")
    mode: Literal["access", "trunk", "hybrid"] | None = Field(default=None, description="expected port mode")
    access_vlan: VlanId | None = Field(default=None, description="an access port's VLAN (implies mode access)")
    native_vlan: VlanId | None = Field(default=None,
                                       description="a trunk or hybrid port's native VLAN (Huawei: its PVID)")
    allowed_vlans: str | list[int | str] | None = Field(
        default=None, description="VLANs the trunk or hybrid port must allow: a list of ids and ranges, "
                                  "[10, 20, \"30-40\"] or \"10,20,30-40\"")
    allowed_exactly: bool = Field(default=False,
                                  description="true: the port allows exactly allowed_vlans, nothing more")

    @field_validator("allowed_vlans", mode="before")
    @classmethod
    def _vlan_list(cls, value: object) -> str | None:
        return vlan_list_param(value)

    @model_validator(mode="after")
    def _consistent(self) -> SwitchportParams:
        if self.access_vlan is not None and self.mode not in (None, "access"):
            raise ValueError(f"access_vlan is for access ports, but mode is {self.mode}")
        if self.allowed_exactly and self.allowed_vlans is None:
            raise ValueError("allowed_exactly needs allowed_vlans")
        return self


def describe_port(port: SwitchPort) -> str:
    """``access in VLAN 10``, ``trunk (native VLAN 1) allowing 10,20``, ``routed``, ``link type -``."""
    mode = port.mode or (f"link type {port.mode_text}" if port.mode_text else "of unknown mode")
    if port.mode == "access":
        return f"access in VLAN {port.access_vlan}" if port.access_vlan is not None else "access"
    parts = [mode]
    if port.native_vlan is not None and port.mode in ("trunk", "hybrid", "dynamic"):
        parts.append(f"(native VLAN {port.native_vlan})")
    if port.allowed is not None:
        parts.append(f"allowing {port.allowed}")
    return " ".join(parts)


def _describe_expected(params: SwitchportParams) -> str:
    mode = params.mode or ("access" if params.access_vlan is not None else None)
    parts = [mode] if mode else []
    if params.access_vlan is not None:
        parts.append(f"in VLAN {params.access_vlan}")
    if params.native_vlan is not None:
        parts.append(f"with native VLAN {params.native_vlan}")
    if params.allowed_vlans is not None:
        parts.append(f"allowing {'exactly ' if params.allowed_exactly else ''}{params.allowed_vlans}")
    return " ".join(parts)


@check_type
class SwitchportCheck(CheckType[SwitchportParams]):
    name = "switchport"
    summary = "a port's mode (access/trunk/hybrid), access VLAN, native VLAN/PVID and allowed VLANs"
    passes_when = ("the port matches every given field; `allowed_vlans` must all be allowed (and nothing else, "
                   "with `allowed_exactly`)")
    Params = SwitchportParams
    fact_kinds = (SWITCHPORTS,)

    def judge(self, params: SwitchportParams, fact: FactValue) -> CheckResult:
        ports: list[SwitchPort] = list(fact.value)
        port = next((p for p in ports if same_interface(p.interface, params.interface)), None)
        expected = self.expected(params)
        if port is None:
            seen = ", ".join(p.interface for p in ports) or "none"
            return self.result(params, Outcome.FAIL, f"{params.node}: port {params.interface} is not a layer 2 "
                               f"port (ports: {seen})", expected=expected, observed=None,
                               evidence=[evidence_of(fact)])
        wrong = self._mismatches(params, port)
        row = as_row(port)
        where = f"{params.node}: port {port.interface}"
        message = (f"{where} is {describe_port(port)}, expected {_describe_expected(params)}" if wrong
                   else f"{where} is {describe_port(port)}, as expected")
        return self.result(params, verdict(not wrong), message, expected=expected, observed=row,
                           evidence=[evidence_of(fact, [row])])

    @staticmethod
    def _mismatches(params: SwitchportParams, port: SwitchPort) -> list[str]:
        wrong = []
        mode = params.mode or ("access" if params.access_vlan is not None else None)
        if mode is not None and port.mode != mode:
            wrong.append("mode")
        if params.access_vlan is not None and port.access_vlan != params.access_vlan:
            wrong.append("access_vlan")
        if params.native_vlan is not None and port.native_vlan != params.native_vlan:
            wrong.append("native_vlan")
        if params.allowed_vlans is not None:
            wanted = VlanSet.parse(str(params.allowed_vlans))
            allowed = port.allowed if port.allowed is not None else VlanSet()
            if wanted - allowed or (params.allowed_exactly and allowed - wanted):
                wrong.append("allowed_vlans")
        return wrong


# --------------------------------------------------------------------------------------------- stp

_MODE_WORDS: dict[str, StpMode] = {"stp": "stp", "pvst": "stp", "ieee": "stp", "rstp": "rstp",
                                   "rapid-pvst": "rstp", "mstp": "mstp", "mst": "mstp"}
_STATE_WORDS: dict[str, StpState] = {"forwarding": "forwarding", "learning": "learning", "discarding": "discarding",
                                     "blocking": "discarding", "listening": "discarding", "broken": "broken",
                                     "disabled": "disabled"}


class StpParams(CheckParams):
    mode: StpMode | None = Field(default=None, description="stp, rstp or mstp (Cisco pvst = stp, rapid-pvst = rstp, "
                                                           "mst = mstp)")
    vlan: VlanId | None = Field(default=None, description="the VLAN's spanning tree (Cisco PVST+ / Rapid PVST+)")
    instance: int | None = Field(default=None, ge=0, le=4094,
                                 description="the MST instance (0 = the CIST, Huawei's only tree in stp/rstp mode); "
                                             "default: instance 0, or VLAN 1 on a per-VLAN spanning tree")
    root: bool | None = Field(default=None, description="true: this switch is the root bridge of that tree; false: "
                                                        "it is not")
    priority: int | None = Field(default=None, ge=0, le=61440, multiple_of=4096,
                                 description="this switch's bridge priority in that tree (0-61440, steps of 4096)")
    interface: PortName | None = Field(default=None, description="a port of that tree whose role, state or edge "
                                                                 "status is checked")
    role: StpRole | None = Field(default=None, description="the port's role: root, designated, alternate, backup, "
                                                           "master, disabled")
    state: StpState | None = Field(default=None, description="the port's state: forwarding, learning, discarding "
                                                             "(blocking and listening are discarding), broken, "
                                                             "disabled")
    edge: bool | None = Field(default=None, description="the port is an edge port (Cisco portfast, Huawei stp "
                                                        "edged-port)")

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: object) -> object:
        if isinstance(value, str):
            word = _MODE_WORDS.get(value.strip().casefold())
            if word is None:
                raise ValueError(f"unknown spanning tree mode {value!r}; one of stp, rstp, mstp")
            return word
        return value

    @field_validator("state", mode="before")
    @classmethod
    def _state(cls, value: object) -> object:
        if isinstance(value, str):
            word = _STATE_WORDS.get(value.strip().casefold())
            if word is None:
                raise ValueError(f"unknown port state {value!r}; one of forwarding, learning, discarding, "
                                 "blocking, listening, broken, disabled")
            return word
        return value

    @model_validator(mode="after")
    def _consistent(self) -> StpParams:
        if self.vlan is not None and self.instance is not None:
            raise ValueError("give vlan or instance, not both")
        if self.interface is None and (self.role or self.state or self.edge is not None):
            raise ValueError("role, state and edge are a port's: give interface")
        if (self.vlan is not None or self.instance is not None) and not (
                self.root is not None or self.priority is not None or self.interface):
            raise ValueError("a vlan or instance needs something to check in it: root, priority or interface")
        return self


def find_instance(tree: SpanningTree, vlan: int | None, instance: int | None) -> StpInstance | None:
    """The tree asked for; with neither, instance 0 (CIST / MST0) or else VLAN 1."""
    if vlan is not None:
        return next((i for i in tree.instances if i.vlan == vlan), None)
    if instance is not None:
        return next((i for i in tree.instances if i.instance == instance), None)
    return next((i for i in tree.instances if i.instance == 0), None) or next(
        (i for i in tree.instances if i.vlan == 1), None)


def _bridge(priority: int | None, address: str | None) -> str:
    return f"{priority if priority is not None else '?'}.{address or '?'}"


@check_type
class StpCheck(CheckType[StpParams]):
    name = "stp"
    summary = "spanning tree mode, root bridge and bridge priority of a VLAN/instance, a port's role, state, edge"
    passes_when = ("every given field matches: the mode, whether this switch is root of that tree, its priority "
                   "there, and the port's role, state and edge status in it")
    Params = StpParams
    fact_kinds = (STP,)

    def judge(self, params: StpParams, fact: FactValue) -> CheckResult:
        tree: SpanningTree = fact.value
        expected = self.expected(params)
        where = f"{params.node}: spanning tree"
        if not tree.enabled:
            return self.result(params, Outcome.FAIL, f"{where} is disabled", expected=expected,
                               observed={"enabled": False}, evidence=[evidence_of(fact, excerpt_lines=3)])
        problems: list[str] = []
        if params.mode is not None and tree.mode != params.mode:
            problems.append(f"runs {tree.mode or 'an unknown mode'}, expected {params.mode}")
        observed: dict[str, object] = {"mode": tree.mode}
        rows: list[dict[str, object]] = []
        if params.root is not None or params.priority is not None or params.interface:
            found = find_instance(tree, params.vlan, params.instance)
            if found is None:
                wanted = (f"VLAN {params.vlan}" if params.vlan is not None else f"instance {params.instance}"
                          if params.instance is not None else "instance 0 or VLAN 1")
                seen = ", ".join(i.label for i in tree.instances) or "none"
                problems.append(f"has no tree for {wanted} (trees: {seen})")
            else:
                problems.extend(self._instance_problems(params, found))
                observed.update({k: v for k, v in as_row(found).items() if k != "ports"})
                rows.append({k: v for k, v in as_row(found).items() if k != "ports"})
                port = next((p for p in found.ports if same_interface(p.interface, params.interface)), None)
                if port is not None:
                    observed["port"] = as_row(port)
                    rows.append(as_row(port))
        message = f"{where} " + ("; ".join(problems) if problems else "is as expected")
        return self.result(params, verdict(not problems), message, expected=expected, observed=observed,
                           evidence=[evidence_of(fact, rows)])

    @staticmethod
    def _instance_problems(params: StpParams, tree: StpInstance) -> list[str]:
        problems = []
        if params.root is not None and tree.is_root is not params.root:
            root = _bridge(tree.root_priority, tree.root_address)
            problems.append(f"{tree.label}: this switch is not the root (root {root}), expected root"
                            if params.root else f"{tree.label}: this switch is the root, expected not")
        if params.priority is not None and tree.bridge_priority != params.priority:
            problems.append(f"{tree.label}: bridge priority is {tree.bridge_priority}, expected {params.priority}")
        if params.interface:
            port = next((p for p in tree.ports if same_interface(p.interface, params.interface)), None)
            if port is None:
                seen = ", ".join(p.interface for p in tree.ports) or "none"
                problems.append(f"{tree.label}: port {params.interface} takes no part (ports: {seen})")
                return problems
            wrong = []
            if params.role is not None and port.role != params.role:
                wrong.append(f"is {port.role or 'without a role'}, expected {params.role}")
            if params.state is not None and port.state != params.state:
                wrong.append(f"is {port.state or 'in an unknown state'}, expected {params.state}")
            if params.edge is not None and port.edge is not params.edge:
                wrong.append("is not an edge port, expected edge" if params.edge else "is an edge port, expected not")
            problems.extend(f"{tree.label}: port {port.interface} {w}" for w in wrong)
        return problems


# --------------------------------------------------------------------------------------------- link aggregation

_LAG_MODE_WORDS: dict[str, LagMode] = {"lacp": "lacp", "lacp-static": "lacp", "lacp-dynamic": "lacp",
                                       "active": "lacp", "passive": "lacp", "manual": "manual", "on": "manual",
                                       "normal": "manual", "pagp": "pagp", "desirable": "pagp", "auto": "pagp"}


class LinkAggregationParams(CheckParams):
    interface: PortName = Field(description="the bundle: Eth-Trunk1, Port-channel1 (Po1)")
    mode: LagMode | None = Field(default=None, description="lacp (Huawei lacp-static/lacp-dynamic, Cisco active/"
                                                           "passive), manual (Huawei manual load-balance, Cisco "
                                                           "mode on) or pagp")
    members: list[PortName] = Field(default_factory=list, description="ports that must be members of the bundle")
    active_members: list[PortName] = Field(default_factory=list,
                                           description="ports that must be active members (LACP Selected, Cisco "
                                                       "bundled P, manual mode Up)")
    min_active: int | None = Field(default=None, ge=1, le=64, description="at least this many active members")
    state: Literal["up", "down"] | None = Field(default=None, description="the bundle's state")

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip().casefold()
            if text == "static":
                raise ValueError("'static' is ambiguous: write manual (Cisco mode on, Huawei manual load-balance) "
                                 "or lacp (Huawei lacp-static)")
            word = _LAG_MODE_WORDS.get(text)
            if word is None:
                raise ValueError(f"unknown link aggregation mode {value!r}; one of lacp, manual, pagp")
            return word
        return value


@check_type
class LinkAggregationCheck(CheckType[LinkAggregationParams]):
    name = "link_aggregation"
    summary = "an Eth-Trunk / Port-channel exists with its mode, members, active members and state"
    passes_when = "the bundle exists and matches every given field"
    Params = LinkAggregationParams
    fact_kinds = (LINK_AGGREGATIONS,)

    def judge(self, params: LinkAggregationParams, fact: FactValue) -> CheckResult:
        bundles: list[LinkAggregation] = list(fact.value)
        bundle = next((b for b in bundles if same_interface(b.interface, params.interface)), None)
        expected = self.expected(params)
        if bundle is None:
            seen = ", ".join(b.interface for b in bundles) or "none"
            return self.result(params, Outcome.FAIL, f"{params.node}: {params.interface} does not exist "
                               f"(bundles: {seen})", expected=expected, observed=None, evidence=[evidence_of(fact)])
        problems: list[str] = []
        if params.mode is not None and bundle.mode != params.mode:
            problems.append(f"is {bundle.mode or 'in an unknown mode'}, expected {params.mode}")
        if params.state is not None and bundle.up is not (params.state == "up"):
            problems.append(f"is {'up' if bundle.up else 'down'}, expected {params.state}")
        members = {interface_key(m.interface): m for m in bundle.members}
        for port in params.members:
            if interface_key(port) not in members:
                problems.append(f"{port} is not a member")
        for port in params.active_members:
            member = members.get(interface_key(port))
            if member is None:
                problems.append(f"{port} is not a member, expected active")
            elif not member.active:
                problems.append(f"{member.interface} is {member.status}, expected active")
        if params.min_active is not None and bundle.active_count < params.min_active:
            problems.append(f"has {bundle.active_count} active members, expected at least {params.min_active}")
        row = as_row(bundle)
        row["members"] = ", ".join(f"{m.interface} ({m.status})" for m in bundle.members) or "none"
        where = f"{params.node}: {bundle.interface}"
        message = f"{where} " + ("; ".join(problems) if problems else
                                 f"is as expected ({bundle.active_count} active members)")
        return self.result(params, verdict(not problems), message, expected=expected, observed=row,
                           evidence=[evidence_of(fact, [row])])
