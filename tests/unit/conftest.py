"""Hypothesis profiles for the fuzz tests: ``labgrader`` (default, quick) and ``long`` (HYPOTHESIS_PROFILE=long)."""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

# Each example must finish well inside the deadline: the reader and the renderer bound their own work to a
# couple of seconds of CPU time, so a slower example is a hang the bounds missed.
settings.register_profile("labgrader", max_examples=250, deadline=timedelta(seconds=5), database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=timedelta(seconds=5), database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "labgrader"))
