"""Huawei VRP templates parse exactly: an unexpected line anywhere is an error, not a silent drop."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.errors import ParseError
from grader.parsing import parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "huawei_vrp"
CASES = sorted(FIXTURES.glob("*/*.raw"))
JUNK = "%% this line is not part of any VRP output %%"
# The board inventory after the display version header is deliberately not read.
UNREAD_TAIL = {"display version"}


def _command(path: Path) -> str:
    return path.parent.name.replace("_", " ")


def test_there_are_cases() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("raw_path", CASES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_unexpected_first_line_raises(raw_path: Path) -> None:
    text = raw_path.read_text()
    with pytest.raises(ParseError):
        parse("huawei_vrp", _command(raw_path), f"{JUNK}\n{text}")


@pytest.mark.parametrize("raw_path", [p for p in CASES if _command(p) not in UNREAD_TAIL],
                         ids=lambda p: str(p.relative_to(FIXTURES)))
def test_unexpected_middle_line_raises(raw_path: Path) -> None:
    lines = raw_path.read_text().splitlines()
    middle = len(lines) // 2
    text = "\n".join([*lines[:middle], JUNK, *lines[middle:]]) + "\n"
    with pytest.raises(ParseError):
        parse("huawei_vrp", _command(raw_path), text)


def test_ipv6_next_hop_with_interface_on_its_own_line() -> None:
    """Derived from the recorded SRv6 table: the interface of an IPv6 next hop moved to the next line."""
    raw = (FIXTURES / "display_ip_routing-table" / "srv6_ipv6_next_hop.raw").read_text()
    row = next(line for line in raw.splitlines() if "2001:DB8:3::3" in line)
    wrapped = raw.replace(row, row.replace("policy1", "").rstrip() + "\n" + " " * 40 + "policy1")
    rows = parse("huawei_vrp", "display ip routing-table", wrapped)
    assert rows == parse("huawei_vrp", "display ip routing-table", raw)
    assert rows[-1]["nexthop"] == "2001:DB8:3::3"
    assert rows[-1]["interface"] == "policy1"


def test_no_fixture_hides_below_its_command_folder() -> None:
    """A "/" in a command would nest its folder and the fixture glob would silently skip it."""
    assert sorted(FIXTURES.glob("*/*/**/*.raw")) == []
