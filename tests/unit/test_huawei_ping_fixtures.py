"""Recorded Huawei VRP ping outputs (``tests/fixtures/huawei_vrp/ping/<case>.txt`` + ``.yml``).

Ping output is read by the platform's ping normaliser, not by a TextFSM template. Each ``.yml`` names the
output's public origin and the figures a reader must get from it: packets sent and received, the loss
percentage, the round-trip times (``null`` when every request timed out) and the ``Error:`` lines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from grader.model.facts import FactRequest
from grader.platforms import get_platform

PING_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "huawei_vrp" / "ping"
CASES = sorted(PING_DIR.glob("*.txt"))


def _platform_cases() -> list[object]:
    return [
        pytest.param(p, id=p.stem) for p in CASES
    ]


def _load(path: Path) -> tuple[str, dict]:
    expected = yaml.safe_load(path.with_suffix(".yml").read_text())
    assert expected.get("origin"), "every fixture names its origin"
    return path.read_text(), expected


def test_there_are_ping_fixtures() -> None:
    assert len(CASES) >= 4


@pytest.mark.parametrize("path", _platform_cases())
def test_platform_reads_sent_and_received(path: Path) -> None:
    text, expected = _load(path)
    args = {k: expected[k] for k in ("target", "source") if k in expected}
    request = FactRequest.make("node", "ping", **args)
    value = get_platform("huawei_vrp").interpret(request, text)
    assert (value.sent, value.received) == (expected["figures"]["sent"], expected["figures"]["received"])
    assert value.success == (expected["figures"]["received"] > 0)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_recorded_figures_agree_with_the_text(path: Path) -> None:
    text, expected = _load(path)
    figures = expected["figures"]
    sent, received = figures["sent"], figures["received"]
    assert figures["loss_percent"] == pytest.approx(100 * (sent - received) / sent, abs=0.01)
    assert f"{figures['loss_percent']:.2f}% packet loss" in text
    replies = len(re.findall(r"^\s*Reply from ", text, re.MULTILINE))
    assert replies == received
    errors = [line.strip() for line in text.splitlines() if line.strip().startswith("Error")]
    assert errors == figures["error_lines"]
    rtt = re.search(r"round-trip min/avg/max = (\d+)/(\d+)/(\d+) ms", text)
    if figures["rtt_ms"] is None:
        assert rtt is None
    else:
        assert rtt is not None
        assert [int(g) for g in rtt.groups()] == [figures["rtt_ms"][k] for k in ("min", "avg", "max")]
