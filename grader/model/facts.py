"""Normalised facts: what platforms turn parsed rows into, and what checks judge.

Every platform produces the same shapes, so a check never knows which vendor it looks at. Interface names
are canonical long names (``GigabitEthernet0/0/1``, never ``GE0/0/1``); addresses, prefixes and next hops are
``ipaddress`` objects of either family (IPv4 or IPv6): a check compares whatever family it is given.

The shapes here are shared by several check families; a family's own shapes live in its check module
(``grader.checks.<family>``), next to the ``fact_kind`` that declares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, IPv6Address, IPv6Interface, IPv6Network
from typing import Any, Literal

# A fact kind's name, e.g. "routes"; the kinds are declared by the check modules (grader.checks.registry).
FactKind = str

IPAddress = IPv4Address | IPv6Address
IPInterface = IPv4Interface | IPv6Interface  # an address with its prefix length
IPNetwork = IPv4Network | IPv6Network

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
    addresses: tuple[IPInterface, ...] = ()  # IPv4 and IPv6 (global and link-local), primary first
    description: str | None = None


@dataclass(frozen=True)
class NextHop:
    address: IPAddress | None = None
    interface: str | None = None


@dataclass(frozen=True)
class Route:
    prefix: IPNetwork
    protocol: RouteProtocol
    next_hops: tuple[NextHop, ...] = ()
    selected: bool = True
    distance: int | None = None
    metric: int | None = None


@dataclass(frozen=True)
class OspfNeighbor:
    router_id: IPv4Address  # OSPFv2 and OSPFv3 router ids are both 32-bit dotted quads
    address: IPAddress | None
    state: str  # normalised: Full, 2-Way, Init, Down, ExStart, Exchange, Loading, Attempt
    interface: str | None = None
    area: str | None = None  # dotted form 0.0.0.0 when known


@dataclass(frozen=True)
class BgpNeighbor:
    address: IPAddress
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

    @property
    def success_rate(self) -> float:
        """Percent of probes answered (0 when none was sent)."""
        return 100.0 * self.received / self.sent if self.sent else 0.0


@dataclass(frozen=True)
class RunningConfig:
    text: str
    hostname: str | None = None
    dialect: str = "cisco_ios"  # how to read its hierarchy: a hier_config platform name (cisco_ios, huawei_vrp)


@dataclass(frozen=True)
class CommandRows:
    """The output of an arbitrary command, as raw text (the ``command`` check parses it as it is told)."""

    command: str
    text: str


@dataclass
class FactValue:
    """A fact as collected: the value (or why it is missing), and the raw output behind it."""

    request: FactRequest
    command: str
    value: Any = None
    error: str | None = None
    raw: str = ""
