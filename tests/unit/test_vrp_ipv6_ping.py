"""Huawei VRP pings an IPv6 address with ``ping ipv6``: plain ``ping`` takes IPv4 addresses and host names only.

The recorded IPv6 pings (``tests/fixtures/huawei_vrp/ping/ipv6_*``) name the command that printed them; the
platform must send that same command for the same target and source, and read the reply counts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.model.facts import FactRequest
from grader.platforms import get_platform

PING = Path(__file__).resolve().parent.parent / "fixtures" / "huawei_vrp" / "ping"


@pytest.mark.parametrize(("args", "command"), [
    ({"target": "2001:db8::2"}, "ping ipv6 2001:db8::2"),
    ({"target": "2001:DB8:10:3::1", "source": "2001:DB8:10:4::1"}, "ping ipv6 -a 2001:DB8:10:4::1 2001:DB8:10:3::1"),
    ({"target": "2001:db8:3::1", "count": 3}, "ping ipv6 -c 3 2001:db8:3::1"),
    ({"target": "2001:db8:1::1", "vrf": "vpna"}, "ping ipv6 vpn-instance vpna 2001:db8:1::1"),
    ({"target": "10.1.1.1", "vrf": "vpna"}, "ping -vpn-instance vpna 10.1.1.1"),
    ({"target": "10.1.1.1", "source": "LoopBack0"}, "ping -i LoopBack0 10.1.1.1"),
])
@pytest.mark.parametrize("platform", ["huawei_vrp", "huawei_vrpv8"])
def test_ping_command(platform: str, args: dict[str, object], command: str) -> None:
    assert get_platform(platform).command_for(FactRequest.make("r1", "ping", **args)) == command


@pytest.mark.parametrize("path", sorted(PING.glob("ipv6_*.txt")), ids=lambda p: p.stem)
def test_recorded_ipv6_ping_is_asked_and_read(path: Path) -> None:
    spec = yaml.safe_load(path.with_suffix(".yml").read_text())
    args = {k: spec[k] for k in ("target", "source") if k in spec}
    request = FactRequest.make("r1", "ping", **args)
    platform = get_platform("huawei_vrp")
    assert platform.command_for(request) == spec["command"]
    value = platform.interpret(request, path.read_text())
    assert (value.sent, value.received) == (spec["figures"]["sent"], spec["figures"]["received"])
