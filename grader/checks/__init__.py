"""Vendor-neutral check types. A check names the facts it needs and judges them; it never talks to devices.

``CHECK_TYPES`` maps each type name (as written in lab files) to its implementation.
"""

from __future__ import annotations

from grader.checks.base import CheckParams, CheckType, Facts
from grader.checks.bgp import BgpNeighborCheck
from grader.checks.command import CommandCheck
from grader.checks.config import ConfigCheck
from grader.checks.interfaces import InterfaceCheck
from grader.checks.ospf import OspfNeighborCheck
from grader.checks.reachability import PingCheck
from grader.checks.routing import RouteCheck
from grader.checks.system import HostnameCheck

__all__ = ["CHECK_TYPES", "CheckParams", "CheckType", "Facts"]

CHECK_TYPES: dict[str, CheckType] = {
    check.name: check
    for check in (InterfaceCheck(), RouteCheck(), OspfNeighborCheck(), BgpNeighborCheck(), PingCheck(),
                  ConfigCheck(), HostnameCheck(), CommandCheck())
}
