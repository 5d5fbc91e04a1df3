"""Jinja filters for addresses, so a lab can use a subnet variable (a student's ``10.0.37.0/24``) in its checks,
instructions and configurations::

    {{ lan | host(1) }}        10.0.37.1          the n-th address (negative: from the end, -1 the broadcast)
    {{ lan | address(1) }}     10.0.37.1/24       the same with the prefix length (an interface address)
    {{ lan | network }}        10.0.37.0
    {{ lan | prefixlen }}      24
    {{ lan | netmask }}        255.255.255.0      (Cisco, Huawei masks)
    {{ lan | wildcard }}       0.0.0.255          (OSPF network statements, ACLs)

Each takes a network (``10.0.37.0/24``) or an interface address (``10.0.37.5/24``); bad input is a template
error (a ``file:line`` error of the lab), never a crash.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from jinja2 import TemplateRuntimeError


def _network(value: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_interface(str(value)).network
    except ValueError:
        raise TemplateRuntimeError(f"{value!r} is not a network like 10.0.37.0/24") from None


def host(value: Any, index: int) -> str:
    network = _network(value)
    if not -network.num_addresses <= int(index) < network.num_addresses:
        raise TemplateRuntimeError(f"{network} has no address number {index}")
    return str(network[int(index)])


def address(value: Any, index: int) -> str:
    return f"{host(value, index)}/{_network(value).prefixlen}"


FILTERS: dict[str, Callable[..., Any]] = {
    "host": host,
    "address": address,
    "network": lambda value: str(_network(value).network_address),
    "prefixlen": lambda value: _network(value).prefixlen,
    "netmask": lambda value: str(_network(value).netmask),
    "wildcard": lambda value: str(_network(value).hostmask),
}
