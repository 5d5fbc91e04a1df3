"""Pools of per-student values for lab variables (the lab file's ``variables.<name>.pool``).

A pool is a finite, ordered set of values; ``size`` says how many and ``value(i)`` gives the i-th (0-based),
so a pool of 65 536 subnets is never listed in memory. Which student gets which value is decided elsewhere
(``grader.classwork.variants``: keyed by the course secret, distinct across a roster where the pool allows).

::

    variables:
      lan_a:
        default: 1
        pool: {type: integer, min: 1, max: 254, exclude: [12, 23], group: lans}
      lan_net:  {default: 10.1.0.0/24, pool: {type: subnet, within: 10.0.0.0/16, prefix: 24}}
      as_r1:    {default: 65001, pool: {type: asn, group: ases}}        # private 16-bit ASNs
      vlan:     {default: 10, pool: {type: vlan, min: 10, max: 999}}
      area:     {default: 0.0.0.0, pool: {type: ospf_area, min: 1, max: 255}}   # 0.0.0.1 .. 0.0.0.255
      process:  {default: 1, pool: {type: ospf_process}}
      colour:   {default: red, pool: {type: choice, values: [red, green, blue]}}
      r1_name:  {default: R1, pool: {type: hostname, pattern: "R1-{n}", min: 100, max: 999}}

Variables naming the same ``group`` draw distinct values from one pool (lan_a never equals lan_b); they must
declare the same pool.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

GROUP_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
_HOSTNAME = re.compile(r"^[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


class _Pool(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    group: str | None = Field(default=None, pattern=GROUP_PATTERN, description=(
        "variables of one group draw distinct values from the same pool (default: the variable alone)"))

    @property
    def size(self) -> int:
        raise NotImplementedError

    def value(self, index: int) -> Any:
        raise NotImplementedError

    def definition(self) -> dict[str, Any]:
        """The pool without its group: variables of a group must have equal definitions."""
        return self.model_dump(exclude={"group"})


def _skip(index: int, low: int, holes: list[tuple[int, int]]) -> int:
    """The ``index``-th integer from ``low`` up, stepping over the sorted, disjoint ``holes`` (inclusive)."""
    value = low + index
    for start, end in holes:
        if start <= value:
            value += end - start + 1
        else:
            break
    return value


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class _Range(_Pool):
    """Integers ``min``..``max`` (inclusive) without ``exclude``."""

    min: int
    max: int
    exclude: list[int] = Field(default_factory=list, description="values never handed out")

    LOW: ClassVar[int] = 0
    HIGH: ClassVar[int] = 2**32 - 1

    @model_validator(mode="after")
    def _bounds(self) -> _Range:
        if not self.LOW <= self.min <= self.max <= self.HIGH:
            raise ValueError(f"need {self.LOW} <= min <= max <= {self.HIGH} (got min {self.min}, max {self.max})")
        if self.size <= 0:
            raise ValueError("the pool is empty once its exclusions are removed")
        return self

    def _holes(self) -> list[tuple[int, int]]:
        return _merged([(v, v) for v in self.exclude if self.min <= v <= self.max])

    @property
    def size(self) -> int:
        return self.max - self.min + 1 - sum(end - start + 1 for start, end in self._holes())

    def number(self, index: int) -> int:
        if not 0 <= index < self.size:
            raise IndexError(index)
        return _skip(index, self.min, self._holes())

    def value(self, index: int) -> Any:
        return self.number(index)


class IntegerPool(_Range):
    type: Literal["integer"]
    min: int = Field(ge=0, description="smallest value")
    max: int = Field(ge=0, description="largest value")


class VlanPool(_Range):
    type: Literal["vlan"]
    min: int = Field(default=2, description="smallest VLAN id (1-4094)")
    max: int = Field(default=4094, description="largest VLAN id (1-4094)")
    LOW: ClassVar[int] = 1
    HIGH: ClassVar[int] = 4094


class AsnPool(_Range):
    type: Literal["asn"]
    min: int = Field(default=64512, description="smallest AS number (default: the private 16-bit range)")
    max: int = Field(default=65534, description="largest AS number")
    LOW: ClassVar[int] = 1
    HIGH: ClassVar[int] = 4294967294


class OspfProcessPool(_Range):
    type: Literal["ospf_process"]
    min: int = Field(default=1, description="smallest process id")
    max: int = Field(default=65535, description="largest process id")
    LOW: ClassVar[int] = 1
    HIGH: ClassVar[int] = 65535


class OspfAreaPool(_Range):
    type: Literal["ospf_area"]
    min: int = Field(default=1, description="smallest area id, as an integer")
    max: int = Field(default=255, description="largest area id, as an integer")
    format: Literal["dotted", "integer"] = Field(default="dotted", description="0.0.0.5 (dotted) or 5")

    def value(self, index: int) -> Any:
        number = self.number(index)
        return str(ipaddress.IPv4Address(number)) if self.format == "dotted" else number


class HostnamePool(_Range):
    type: Literal["hostname"]
    pattern: str = Field(description="a host name with {n} where the number goes, e.g. R1-{n}")
    min: int = Field(default=1, ge=0, description="smallest number")
    max: int = Field(default=999, ge=0, description="largest number")

    @model_validator(mode="after")
    def _pattern(self) -> HostnamePool:
        if self.pattern.count("{n}") != 1:
            raise ValueError(f"pattern {self.pattern!r} must contain {{n}} exactly once")
        for number in (self.min, self.max):
            name = self.pattern.replace("{n}", str(number))
            if not _HOSTNAME.match(name):
                raise ValueError(f"pattern {self.pattern!r} makes {name!r}, not a valid host name "
                                 "(letters, digits and hyphens, starting with a letter, at most 63)")
        return self

    def value(self, index: int) -> Any:
        return self.pattern.replace("{n}", str(self.number(index)))


class ChoicePool(_Pool):
    type: Literal["choice"]
    values: list[str | int | float | bool] = Field(min_length=1, description="the values to choose from")

    @model_validator(mode="after")
    def _distinct(self) -> ChoicePool:
        if len({repr(v) for v in self.values}) != len(self.values):
            raise ValueError("values must be distinct")
        return self

    @property
    def size(self) -> int:
        return len(self.values)

    def value(self, index: int) -> Any:
        return self.values[index]


class SubnetPool(_Pool):
    type: Literal["subnet"]
    within: str = Field(description="the block subnets are carved from, e.g. 10.0.0.0/16")
    prefix: int = Field(ge=1, le=128, description="the length of each subnet, e.g. 24")
    exclude: list[str] = Field(default_factory=list, description="blocks never handed out (overlapping subnets)")

    MAX_SIZE: ClassVar[int] = 2**24

    @model_validator(mode="after")
    def _carve(self) -> SubnetPool:
        block = self.block
        if self.prefix < block.prefixlen or self.prefix > block.max_prefixlen:
            raise ValueError(f"prefix /{self.prefix} must be between /{block.prefixlen} and /{block.max_prefixlen}")
        if 2 ** (self.prefix - block.prefixlen) > self.MAX_SIZE:
            raise ValueError(f"{block} holds more than {self.MAX_SIZE} /{self.prefix} subnets; use a smaller block")
        for text in self.exclude:
            net = _network(text)
            if net.version != block.version:
                raise ValueError(f"exclude {text}: not IPv{block.version}")
        if self.size <= 0:
            raise ValueError("the pool is empty once its exclusions are removed")
        return self

    @property
    def block(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        return _network(self.within)

    def _holes(self) -> list[tuple[int, int]]:
        block, step = self.block, self.prefix
        holes: list[tuple[int, int]] = []
        for text in self.exclude:
            net = _network(text)
            if not net.overlaps(block):
                continue
            shift = block.max_prefixlen - step
            first = (max(int(net.network_address), int(block.network_address)) - int(block.network_address)) >> shift
            last = (min(int(net.broadcast_address), int(block.broadcast_address))
                    - int(block.network_address)) >> shift
            holes.append((first, last))
        return _merged(holes)

    @property
    def size(self) -> int:
        total = 2 ** (self.prefix - self.block.prefixlen)
        return total - sum(end - start + 1 for start, end in self._holes())

    def value(self, index: int) -> Any:
        if not 0 <= index < self.size:
            raise IndexError(index)
        block = self.block
        number = _skip(index, 0, self._holes())
        address = int(block.network_address) + (number << (block.max_prefixlen - self.prefix))
        return str(ipaddress.ip_network((address, self.prefix)))


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a network address with a prefix length ({exc})") from None


Pool = Annotated[IntegerPool | VlanPool | AsnPool | OspfProcessPool | OspfAreaPool | HostnamePool | ChoicePool
                 | SubnetPool, Field(discriminator="type")]
