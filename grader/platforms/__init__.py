"""Platforms: per-platform fact tables and session profiles, and the one registry of platform names.

``PLATFORM_MODULES`` is the only list of platform names in labgrader: a platform is the module of that name in
this package, holding ``PLATFORM`` (its fact table and typed ``SessionProfile``). Everything else -- topology
validation, ``labgrader checks``, the transport, the container runtime -- asks this registry.
"""

from __future__ import annotations

import importlib
from functools import cache

from grader.errors import UnsupportedError
from grader.platforms.base import Dialog, FactSpec, Platform, SessionProfile

__all__ = ["PLATFORM_NAMES", "Dialog", "FactSpec", "Platform", "SessionProfile", "all_platforms", "get_platform",
           "platform_for_kind"]

PLATFORM_MODULES: tuple[str, ...] = ("frr", "cisco_ios", "huawei_vrp", "huawei_vrpv8", "linux")
PLATFORM_NAMES = PLATFORM_MODULES
DEFAULT_PLATFORM = "linux"  # a containerlab node of an unknown kind, without a platform label


@cache
def get_platform(name: str) -> Platform:
    if name not in PLATFORM_MODULES:
        raise UnsupportedError(f"unknown platform {name!r}; known: {', '.join(PLATFORM_MODULES)}")
    platform: Platform = importlib.import_module(f"{__name__}.{name}").PLATFORM
    if platform.name != name:
        raise UnsupportedError(f"module grader.platforms.{name} defines platform {platform.name!r}")
    return platform


def all_platforms() -> list[Platform]:
    return [get_platform(name) for name in PLATFORM_MODULES]


def platform_for_kind(kind: str) -> str | None:
    """The platform of a containerlab node kind (e.g. ``cisco_iol`` → ``cisco_ios``), or None."""
    return next((p.name for p in all_platforms() if kind in p.containerlab_kinds), None)
