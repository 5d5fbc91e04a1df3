"""Recorded FRR outputs kept in ``tests/fixtures/frr/text`` with a ``.yml`` beside them.

Two kinds, each ``.yml`` naming its ``origin`` and ``command``:

- outputs whose command cannot name a fixture folder (an IPv6 prefix has ``:``), with ``parsed_sample``;
- interactive vtysh pings (no template: vtysh runs the system ping, stopped with Ctrl-C), with ``expect``:
  ``sent``/``received`` as the Linux ping reader must count them, ``rejected`` (vtysh refused the command) or
  ``error`` (a word of the error the reader raises). An empty ``expect`` records an output with no assertion.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.parsing import parse
from grader.platforms import get_platform
from grader.platforms.linux import routing as linux_platform

TEXT = Path(__file__).resolve().parent.parent / "fixtures" / "frr" / "text"


def _cases(key: str) -> list[Path]:
    return sorted(p for p in TEXT.glob("*.yml") if key in yaml.safe_load(p.read_text()))


def _load(path: Path) -> tuple[dict[str, Any], str]:
    spec = yaml.safe_load(path.read_text())
    assert spec.get("origin") and spec.get("command"), "every text fixture names its origin and command"
    return spec, path.with_suffix(".txt").read_text()


@pytest.mark.parametrize("path", _cases("parsed_sample"), ids=lambda p: p.stem)
def test_parsed_text_fixture(path: Path) -> None:
    spec, text = _load(path)
    assert parse("frr", spec["command"], text) == spec["parsed_sample"]


@pytest.mark.parametrize("path", _cases("expect"), ids=lambda p: p.stem)
def test_interactive_vtysh_ping(path: Path) -> None:
    spec, text = _load(path)
    assert spec["command"].startswith("ping ")
    expect = spec["expect"] or {}
    rejected = get_platform("frr").rejected(text)
    if expect.get("rejected"):
        assert rejected is not None and rejected.startswith("% Unknown command")
        return
    assert rejected is None
    request = FactRequest.make("r1", "ping", target=spec["command"].split()[-1])
    if "error" in expect:
        with pytest.raises(ParseError, match=expect["error"]):
            linux_platform.ping([], text, request)
    elif "sent" in expect:
        result = linux_platform.ping([], text, request)
        assert (result.sent, result.received) == (expect["sent"], expect["received"])


def test_there_are_ping_recordings_of_each_outcome() -> None:
    """Success, loss, unreachable and rejection are all represented (the glob above is not vacuous)."""
    expects = [yaml.safe_load(p.read_text())["expect"] for p in _cases("expect")]
    assert any(e.get("received") == e.get("sent") == 3 for e in expects)
    assert any(e.get("sent", 0) > e.get("received", 0) > 0 for e in expects)
    assert any(e.get("sent") == 0 for e in expects)
    assert any(e.get("rejected") for e in expects)
