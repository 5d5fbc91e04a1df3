"""Huawei VRP V8 (CE/NE series): the same commands and templates as VRP5, another netmiko driver.

netmiko's ``huawei_vrpv8`` driver knows the two-stage configuration (``commit``); show commands are the same.
"""

from __future__ import annotations

from dataclasses import replace

from grader.platforms.huawei_vrp import PLATFORM as _VRP

PLATFORM = replace(_VRP, name="huawei_vrpv8", session=replace(_VRP.session, ssh_device_type="huawei_vrpv8"),
                   containerlab_kinds=("huawei_vrpv8",))
