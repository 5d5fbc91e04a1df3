"""Recorded Cisco IOS ping outputs: ``tests/fixtures/cisco_ios/ping/<case>.txt`` (ping has no template).

Beside each ``.txt`` a ``.yml`` names its ``origin``, the ``target`` (and ``source``) pinged, and either the
``sent``/``received`` counts the ping fact must report or the ``error`` its interpretation must raise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.errors import ParseError
from grader.model.facts import FactRequest, PingResult
from grader.platforms import get_platform

PING_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "cisco_ios" / "ping"
CASES = sorted(PING_DIR.glob("*.txt"))


def test_there_are_ping_cases() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_ping_fixture(path: Path) -> None:
    expected = yaml.safe_load(path.with_suffix(".yml").read_text())
    assert expected.get("origin"), "every fixture names its origin"
    args = {key: expected[key] for key in ("target", "source") if key in expected}
    request = FactRequest.make("r1", "ping", **args)
    platform = get_platform("cisco_ios")
    text = path.read_text()
    if "error" in expected:
        with pytest.raises(ParseError, match=expected["error"]):
            platform.interpret(request, text)
        return
    value = platform.interpret(request, text)
    assert value == PingResult(target=expected["target"], sent=expected["sent"], received=expected["received"])
