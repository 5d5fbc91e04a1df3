"""Per-platform data: commands, templates and normalisers for each fact kind.

``get_platform(name)`` returns the table for one platform; ``PLATFORM_NAMES`` lists them.
"""

from __future__ import annotations

from functools import cache

from grader.errors import UnsupportedError
from grader.platforms.base import FactSpec, Platform

__all__ = ["PLATFORM_NAMES", "FactSpec", "Platform", "all_platforms", "get_platform"]

PLATFORM_NAMES: tuple[str, ...] = ("frr", "cisco_ios", "huawei_vrp", "huawei_vrpv8", "linux")


@cache
def get_platform(name: str) -> Platform:
    import importlib

    if name not in PLATFORM_NAMES:
        raise UnsupportedError(f"unknown platform {name!r}; known: {', '.join(PLATFORM_NAMES)}")
    module = importlib.import_module(f"grader.platforms.{name}")
    return module.PLATFORM


def all_platforms() -> list[Platform]:
    return [get_platform(name) for name in PLATFORM_NAMES]
