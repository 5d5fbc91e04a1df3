"""Normalised facts: what platforms turn parsed rows into, and what checks judge.

Every platform produces the same shapes, so a check never knows which vendor it looks at. Interface names
are canonical long names (``GigabitEthernet0/0/1``, never ``GE0/0/1``); addresses are ``ipaddress`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Any, Literal

# The kinds of fact a platform can be asked for. A check names the kinds it needs; the platform maps each
# kind (with its arguments, e.g. the ping target) to one command.
FactKind = Literal["interfaces", "routes", "ospf_neighbors", "bgp_neighbors", "ping", "running_config", "hostname",
                   "command"]

RouteProtocol = Literal["connected", "local", "static", "ospf", "bgp", "isis", "rip", "kernel", "other"]


@dataclass(frozen=True)
class FactRequest:
    """One fact a check needs from one node. ``args`` is sorted key/value pairs so the request is hashable."""

    node: str
    kind: FactKind
    args: tuple[tuple[str, str], ...] = ()

    @classmethod
    def make(cls, node: str, kind: FactKind, **args: object) -> FactRequest:
        return cls(node, kind, tuple(sorted((k, str(v)) for k, v in args.items() if v is not None)))

    def arg(self, name: str, default: str | None = None) -> str | None:
        return dict(self.args).get(name, default)


@dataclass(frozen=True)
class Interface:
    name: str
    admin_up: bool | None = None
    oper_up: bool | None = None
    addresses: tuple[IPv4Interface, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class NextHop:
    address: IPv4Address | None = None
    interface: str | None = None


@dataclass(frozen=True)
class Route:
    prefix: IPv4Network
    protocol: RouteProtocol
    next_hops: tuple[NextHop, ...] = ()
    selected: bool = True
    distance: int | None = None
    metric: int | None = None


@dataclass(frozen=True)
class OspfNeighbor:
    router_id: IPv4Address
    address: IPv4Address | None
    state: str  # normalised: Full, 2-Way, Init, Down, ExStart, Exchange, Loading, Attempt
    interface: str | None = None
    area: str | None = None  # dotted form 0.0.0.0 when known


@dataclass(frozen=True)
class BgpNeighbor:
    address: IPv4Address
    remote_as: int | None
    state: str  # Established, Idle, Active, Connect, OpenSent, OpenConfirm
    prefixes_received: int | None = None


@dataclass(frozen=True)
class PingResult:
    target: str
    sent: int
    received: int

    @property
    def success(self) -> bool:
        return self.received > 0


@dataclass(frozen=True)
class RunningConfig:
    text: str
    hostname: str | None = None
    dialect: str = "cisco_ios"  # how to read its hierarchy: a hier_config platform name (cisco_ios, huawei_vrp)


@dataclass(frozen=True)
class CommandRows:
    """The output of an arbitrary command: raw text and, when a template or regex was given, its rows."""

    command: str
    text: str
    rows: tuple[dict[str, Any], ...] = ()


@dataclass
class FactValue:
    """A fact as collected: the value (or why it is missing), and the evidence behind it."""

    request: FactRequest
    command: str
    value: Any = None
    error: str | None = None
    raw: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None
