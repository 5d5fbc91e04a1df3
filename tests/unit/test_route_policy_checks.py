"""``prefix_list`` and ``route_policy``: entries and nodes; the platforms' normalisers on recorded output."""

from __future__ import annotations

from ipaddress import IPv4Network
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from grader.checks import CHECK_TYPES
from grader.checks.route_policy import PrefixListEntry, RoutePolicyNode
from grader.model.facts import FactRequest, FactValue
from grader.model.report import Outcome
from grader.parsing import parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

ENTRIES = [
    PrefixListEntry("PL1", 5, "deny", IPv4Network("10.0.0.0/24")),
    PrefixListEntry("PL1", 10, "permit", IPv4Network("10.1.0.0/16"), ge=24, le=32),
    PrefixListEntry("OTHER", 5, "permit", IPv4Network("0.0.0.0/0"), le=32),
]

NODES = [
    RoutePolicyNode("RP1", 10, "permit", ("if-match ip-prefix p1",), ("apply local-preference 200",
                                                                      "apply cost 100")),
    RoutePolicyNode("RP1", 20, "deny", ("if-match ip-prefix p10",), ()),
    RoutePolicyNode("RM", 10, "permit", ("ip address prefix-lists: PL1",), ("as-path prepend 65001 65001",)),
]


def run(check_type: str, value: Any, **params: Any) -> tuple[Outcome, str]:
    check = CHECK_TYPES[check_type]
    parsed = check.Params.model_validate({"node": "r1", **params})
    facts = {r: FactValue(request=r, command="x", value=value) for r in check.requests(parsed)}
    result = check.evaluate(parsed, facts)
    return result.outcome, result.message


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"name": "PL1", "prefix": "10.1.0.0/16", "ge": 24, "le": 32, "action": "permit"}, Outcome.PASS,
     "has 10 permit 10.1.0.0/16 ge 24 le 32"),
    ({"name": "PL1", "sequence": 5, "action": "deny"}, Outcome.PASS, "5 deny 10.0.0.0/24"),
    ({"name": "PL1", "prefix": "10.1.0.0/16", "le": 24}, Outcome.FAIL,
     "has no entry 10.1.0.0/16 le 24 (entries: 5 deny 10.0.0.0/24; 10 permit 10.1.0.0/16 ge 24 le 32)"),
    ({"name": "PL2"}, Outcome.FAIL, "prefix list PL2 does not exist (lists: OTHER, PL1)"),
    ({"name": "PL1", "prefix": "10.2.0.0/16", "present": False}, Outcome.PASS, "as expected"),
    ({"name": "PL1", "sequence": 10, "present": False}, Outcome.FAIL, "expected no entry 10"),
])
def test_prefix_list(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("prefix_list", ENTRIES, **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"name": "RP1", "sequence": 10, "action": "permit", "match": ["ip-prefix p1"],
      "set": ["apply local-preference 200"]}, Outcome.PASS, "node permit 10"),
    ({"name": "RP1", "match": ["IF-MATCH  ip-prefix P1"]}, Outcome.PASS, "node permit 10"),
    ({"name": "RP1", "sequence": 20, "match": ["ip-prefix p1"]}, Outcome.FAIL,
     "node deny 20 lacks match 'ip-prefix p1' (has: if-match ip-prefix p10)"),
    ({"name": "RP1", "sequence": 10, "set": ["local-preference 300"]}, Outcome.FAIL, "lacks set"),
    ({"name": "RP1", "sequence": 30}, Outcome.FAIL, "has no node 30 (nodes: permit 10, deny 20)"),
    ({"name": "RM", "match": ["prefix-lists:PL1"], "set": ["as-path prepend 65001 65001"]}, Outcome.PASS, "RM"),
    ({"name": "NOPE"}, Outcome.FAIL, "does not exist (policies: RM, RP1)"),
    ({"name": "RP1", "sequence": 30, "present": False}, Outcome.PASS, "as expected"),
    ({"name": "RP1", "action": "deny", "present": False}, Outcome.FAIL, "expected none deny"),
])
def test_route_policy(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("route_policy", NODES, **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


@pytest.mark.parametrize(("check_type", "params"), [
    ("prefix_list", {"name": "bad name"}),
    ("prefix_list", {"name": "PL1", "ge": 129}),
    ("prefix_list", {"name": "PL1", "action": "allow"}),
    ("route_policy", {"name": "RP1", "match": ["two\nlines"]}),
    ("route_policy", {"name": "RP1", "match": [" "]}),
    ("route_policy", {"name": "RP1", "present": False, "set": ["cost 1"]}),
    ("route_policy", {"name": "RP1", "sequence": 70000}),
])
def test_bad_parameters_are_refused(check_type: str, params: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CHECK_TYPES[check_type].Params.model_validate({"node": "r1", **params})


def _normalise(platform: str, folder: str, function: str, case: str = "*") -> list[Any]:
    raw = next((FIXTURES / platform / folder).glob(f"{case}.raw"))
    rows = parse(platform, folder.replace("_", " "), raw.read_text())
    module = __import__(f"grader.platforms.{platform}.route_control", fromlist=[function])
    return getattr(module, function)(rows, raw.read_text(), FactRequest.make("n", "x"))


def test_huawei_prefix_lists_recorded_with_a_name() -> None:
    entries = _normalise("huawei_vrp", "display_ip_ip-prefix_p1", "prefix_lists")
    assert entries == [PrefixListEntry("p1", 10, "permit", IPv4Network("10.1.1.1/32")),
                       PrefixListEntry("b", 10, "permit", IPv4Network("10.2.2.0/24"), ge=24, le=32)]


def test_huawei_route_policy_recorded_with_a_name() -> None:
    (node,) = _normalise("huawei_vrp", "display_route-policy_policy1", "route_policies")
    assert node == RoutePolicyNode("policy1", 10, "permit", ("if-match acl 2000",),
                                   ("apply cost 100", "apply tag 100"))


def test_frr_merges_the_daemons_copies_of_a_route_map() -> None:
    nodes = _normalise("frr", "show_route-map", "route_policies", "bgp_policies_per_daemon")
    first = next(n for n in nodes if (n.name, n.sequence) == ("RM-FROM-R2", 10))
    assert "local-preference 200" in first.set and "community CL-R2" in first.match
    assert len({(n.name, n.sequence) for n in nodes}) == len(nodes)


def test_frr_keeps_each_prefix_list_entry_once() -> None:
    entries = _normalise("frr", "show_ip_prefix-list", "prefix_lists", "several_lists_per_daemon")
    assert len({(e.name, e.sequence) for e in entries}) == len(entries) == 6


VRP_CONFIG = """#
sysname R1
#
bgp 100
 peer 10.0.12.2 as-number 200
 #
 ipv4-family unicast
  undo synchronization
  peer 10.0.12.2 enable
  peer 10.0.12.2 route-policy RP-IN import
#
route-policy RP-IN permit node 10
 if-match ip-prefix p1
 apply local-preference 200
#
return
"""

IOS_CONFIG = """hostname R2
!
router bgp 65001
 bgp log-neighbor-changes
 neighbor 10.0.12.1 remote-as 100
 neighbor 10.0.12.1 route-map RM-OUT out
!
end
"""


@pytest.mark.parametrize(("dialect", "text", "params", "outcome"), [
    ("huawei_vrp", VRP_CONFIG, {"section": ["bgp 100", "ipv4-family unicast"],
                                "contains": [r"peer 10\.0\.12\.2 route-policy RP-IN import"]}, Outcome.PASS),
    ("huawei_vrp", VRP_CONFIG, {"section": ["bgp 100", "ipv4-family unicast"],
                                "contains": [r"peer 10\.0\.12\.2 route-policy RP-IN export"]}, Outcome.FAIL),
    ("cisco_ios", IOS_CONFIG, {"section": ["router bgp 65001"],
                               "contains": [r"neighbor 10\.0\.12\.1 route-map RM-OUT out"]}, Outcome.PASS),
])
def test_policy_applied_to_a_peer_is_graded_with_config(dialect: str, text: str, params: dict[str, Any],
                                                       outcome: Outcome) -> None:
    """The examples of docs/lab-format.md."""
    from grader.model.facts import RunningConfig

    assert run("config", RunningConfig(text=text, dialect=dialect), **params)[0] is outcome
