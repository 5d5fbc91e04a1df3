"""``bgp_route``: paths and attributes in the BGP table; the platforms' table and per-prefix normalisers."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Network
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from grader.checks import CHECK_TYPES
from grader.checks.bgp_table import BgpPath, as_path_length, canonical_as_path, community_value
from grader.errors import UnsupportedError
from grader.model.facts import FactRequest, FactValue
from grader.model.report import Outcome
from grader.parsing import parse
from grader.platforms import get_platform

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NET = IPv4Network("10.1.0.0/16")

PATHS = [
    BgpPath(NET, IPv4Address("10.0.12.2"), "65002", "igp", med=50, local_pref=200, weight=0, best=True,
            internal=False, communities=("65001:100", "no-export"), peer=IPv4Address("10.0.12.2"),
            peer_router_id=IPv4Address("2.2.2.2")),
    BgpPath(NET, IPv4Address("10.0.13.3"), "65003 65003 65003", "incomplete", med=10, local_pref=100,
            weight=0, best=False, internal=False, communities=(), peer=IPv4Address("10.0.13.3"),
            peer_router_id=IPv4Address("3.3.3.3")),
    BgpPath(IPv4Network("10.9.0.0/16"), IPv4Address("0.0.0.0"), "", "igp", weight=32768, best=True),
]


def run(value: Any, **params: Any) -> tuple[Outcome, str]:
    check = CHECK_TYPES["bgp_route"]
    parsed = check.Params.model_validate({"node": "r1", **params})
    facts = {r: FactValue(request=r, command="show ip bgp", value=value) for r in check.requests(parsed)}
    result = check.evaluate(parsed, facts)
    return result.outcome, result.message


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"prefix": "10.1.0.0/16", "best": True, "local_pref": 200}, Outcome.PASS, "best path via 10.0.12.2"),
    ({"prefix": "10.1.0.0/16", "as_path_contains": 65003, "as_path_length": 3}, Outcome.PASS, "65003 65003 65003"),
    ({"prefix": "10.1.0.0/16", "as_path": [65003, 65003, 65003], "best": False}, Outcome.PASS, "path via 10.0.13.3"),
    ({"prefix": "10.1.0.0/16", "as_path": "65003  65003 65003", "origin": "incomplete"}, Outcome.PASS, "origin"),
    ({"prefix": "10.1.0.0/16", "med": 10, "peer": "3.3.3.3"}, Outcome.PASS, "from 10.0.13.3"),
    ({"prefix": "10.1.0.0/16", "communities": ["65001:100", "NO-EXPORT"]}, Outcome.PASS, "communities"),
    ({"prefix": "10.9.0.0/16", "as_path": "", "weight": 32768}, Outcome.PASS, "AS path (empty)"),
    ({"prefix": "10.1.0.0/16", "best": True, "as_path_length": 3}, Outcome.FAIL,
     "expected a path best, AS-path length 3; the closest best path has AS-path length 1"),
    ({"prefix": "10.1.0.0/16", "best": True, "local_pref": 300}, Outcome.FAIL, "local-pref 200"),
    ({"prefix": "10.1.0.0/16", "communities": ["65001:200"]}, Outcome.FAIL, "communities 65001:100 no-export"),
    ({"prefix": "10.1.0.0/16", "next_hop": "10.0.99.9"}, Outcome.FAIL, "1 other path neither"),
    ({"prefix": "10.2.0.0/16"}, Outcome.FAIL, "r1: BGP route 10.2.0.0/16 is not in the BGP table"),
    ({"prefix": "10.2.0.0/16", "present": False}, Outcome.PASS, "not in the BGP table, as expected"),
    ({"prefix": "10.9.0.0/16", "present": False}, Outcome.FAIL, "expected absent"),
    ({"prefix": "10.1.0.0/16", "as_path_length": 3, "med": 10, "best": True}, Outcome.FAIL, "is not best"),
])
def test_bgp_route(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run(PATHS, **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


def test_a_local_pref_the_table_does_not_show_fails_saying_so() -> None:
    ebgp = [BgpPath(NET, IPv4Address("10.0.12.2"), "65002", "igp", local_pref=None, best=True)]
    got, message = run(ebgp, prefix="10.1.0.0/16", local_pref=100)
    assert got is Outcome.FAIL and "local-pref not shown" in message


@pytest.mark.parametrize("params", [
    {"prefix": "10.1.0.0/16", "as_path": "65001 x"},
    {"prefix": "10.1.0.0/16", "as_path": [0]},
    {"prefix": "10.1.0.0/16", "communities": ["65536:1"]},
    {"prefix": "10.1.0.0/16", "communities": ["gold"]},
    {"prefix": "10.1.0.0/16", "origin": "bgp"},
    {"prefix": "10.1.0.0/16", "present": False, "local_pref": 100},
    {"prefix": "10.1.0.0/16", "weight": 70000},
    {"prefix": "10.1.0.0/33"},
])
def test_bad_parameters_are_refused(params: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CHECK_TYPES["bgp_route"].Params.model_validate({"node": "r1", **params})


def test_detail_is_asked_only_for_communities_or_the_peer() -> None:
    check = CHECK_TYPES["bgp_route"]
    plain = check.requests(check.Params.model_validate({"node": "r1", "prefix": "10.1.0.0/16", "med": 5}))
    detail = check.requests(check.Params.model_validate({"node": "r1", "prefix": "10.1.0.0/16", "peer": "1.1.1.1"}))
    assert plain == [FactRequest.make("r1", "bgp_routes")]
    assert detail == [FactRequest.make("r1", "bgp_routes", prefix="10.1.0.0/16")]


@pytest.mark.parametrize(("text", "canonical", "length"), [
    ("65001  65002", "65001 65002", 2),
    ("65001 {65003, 65004}", "65001 {65003,65004}", 2),
    ("(65010 65011) 65002", "(65010 65011) 65002", 1),
    ("1.10 65002", "65546 65002", 2),
    ("", "", 0),
])
def test_as_path_forms(text: str, canonical: str, length: int) -> None:
    assert canonical_as_path(text) == canonical
    assert as_path_length(canonical) == length


@pytest.mark.parametrize(("text", "value"), [
    ("65001:100", "65001:100"), ("<100:1>", "100:1"), ("local-AS", "no-export-subconfed"),
    ("No-Export", "no-export"), ("4294967041", "no-export"), ("6553700", "100:100"), ("65536:1", None),
])
def test_community_spellings(text: str, value: str | None) -> None:
    assert community_value(text) == value


@pytest.mark.parametrize(("platform", "args", "command"), [
    ("huawei_vrp", {}, "display bgp routing-table"),
    ("huawei_vrp", {"prefix": "10.1.0.0/16"}, "display bgp routing-table 10.1.0.0 16"),
    ("huawei_vrpv8", {"prefix": "10.7.7.7/32"}, "display bgp routing-table 10.7.7.7 32"),
    ("cisco_ios", {}, "show ip bgp"),
    ("cisco_ios", {"prefix": "10.1.0.0/16"}, "show ip bgp 10.1.0.0/16"),
    ("frr", {"prefix": "10.1.0.0/16"}, "show ip bgp 10.1.0.0/16"),
    ("frr", {"family": "ipv6"}, "show bgp ipv6 unicast"),
])
def test_commands(platform: str, args: dict[str, str], command: str) -> None:
    assert get_platform(platform).command_for(FactRequest.make("r1", "bgp_routes", **args)) == command


@pytest.mark.parametrize("platform", ["huawei_vrp", "cisco_ios", "linux"])
def test_ipv6_bgp_table_is_unsupported_with_a_reason(platform: str) -> None:
    with pytest.raises(UnsupportedError, match=r"IPv6|routing daemon"):
        get_platform(platform).command_for(FactRequest.make("r1", "bgp_routes", family="ipv6"))


def _detail(platform: str, folder: str, prefix: str) -> list[BgpPath]:
    """The per-prefix normaliser on a recorded output (recorded without the mask the grader sends)."""
    (raw,) = (FIXTURES / platform / folder).glob("*.raw")
    rows = parse(platform, folder.replace("_", " "), raw.read_text())
    normalise = get_platform(platform).spec("bgp_routes").normalise
    return normalise(rows, raw.read_text(), FactRequest.make("n", "bgp_routes", prefix=prefix))


def test_huawei_detail_two_paths() -> None:
    paths = _detail("huawei_vrp", "display_bgp_routing-table_10.7.7.7", "10.7.7.7/32")
    best, other = paths
    assert (best.best, best.as_path, best.med, best.peer, best.peer_router_id, best.internal) == (
        True, "", 1, IPv4Address("10.1.4.1"), IPv4Address("4.4.4.4"), True)
    assert (other.best, other.as_path, as_path_length(other.as_path)) == (False, "700 8000", 2)
    assert other.communities == ()


def test_huawei_reflected_path_is_neither_valid_nor_best() -> None:
    (path,) = _detail("huawei_vrp", "display_bgp_routing-table_172.16.1.0", "172.16.1.0/24")
    assert not path.best and not path.valid and path.next_hop == IPv4Address("10.1.1.2")


def test_cisco_detail_best_is_the_second_path() -> None:
    paths = _detail("cisco_ios", "show_ip_bgp_10.2.2.0", "10.2.2.0/24")
    assert [p.best for p in paths] == [False, True]
    assert paths[1].peer == IPv4Address("10.0.1.1") and paths[1].local_pref == 100


def test_frr_detail_communities_and_weight() -> None:
    paths = _detail("frr", "show_ip_bgp_172.16.0.0", "172.16.0.0/24")
    best = next(p for p in paths if p.best)
    assert best.communities == ("65001:333", "no-export") and best.weight == 100
    assert best.as_path == "65003 65003 65003" and best.peer_router_id == IPv4Address("3.3.3.3")
    ibgp = next(p for p in paths if p.internal)
    assert ibgp.as_path == "" and ibgp.weight == 0 and ibgp.communities == ()


def test_cisco_detail_with_communities_from_the_template() -> None:
    # the shape of "show ip bgp <prefix>" with a Community line (built for this test from IOS's layout)
    text = ("BGP routing table entry for 11.11.11.11/32, version 3\n"
            "Paths: (1 available, best #1, table default, not advertised to EBGP peer)\n"
            "  Not advertised to any peer\n"
            "  Refresh Epoch 1\n"
            "  Local\n"
            "    1.1.1.1 (metric 11) from 1.1.1.1 (11.11.11.11)\n"
            "      Origin IGP, metric 0, localpref 100, valid, internal, best\n"
            "      Community: 65001:100 no-export\n"
            "      rx pathid: 0, tx pathid: 0x0\n")
    bgp_routes = get_platform("cisco_ios").spec("bgp_routes").normalise
    rows = parse("cisco_ios", "show ip bgp 11.11.11.11/32", text)
    (path,) = bgp_routes(rows, text, FactRequest.make("n", "bgp_routes", prefix="11.11.11.11/32"))
    assert path.communities == ("65001:100", "no-export") and path.best and path.as_path == ""


def test_huawei_network_without_mask_ends_at_its_last_non_zero_octet() -> None:
    from grader.platforms.huawei_vrp.route_control import _network

    assert _network("10.1.2.0", "") == IPv4Network("10.1.2.0/24")
    assert _network("10.0.0.0", "") == IPv4Network("10.0.0.0/8")
    assert _network("172.16.0.0", "") == IPv4Network("172.16.0.0/16")
    assert _network("10.1.2.0", "30") == IPv4Network("10.1.2.0/30")


def test_cisco_network_without_mask_is_classful() -> None:
    from grader.platforms.vendor_common import classful_network

    assert classful_network("192.168.1.0") == IPv4Network("192.168.1.0/24")
    assert classful_network("172.16.0.0") == IPv4Network("172.16.0.0/16")
    assert classful_network("10.0.0.0") == IPv4Network("10.0.0.0/8")
    assert classful_network("10.1.1.1/32") == IPv4Network("10.1.1.1/32")


def test_ipv6_prefix_asks_the_ipv6_table() -> None:
    check = CHECK_TYPES["bgp_route"]
    params = check.Params.model_validate({"node": "r1", "prefix": "2001:db8:a2::/48", "as_path": "65002"})
    assert check.requests(params) == [FactRequest.make("r1", "bgp_routes", family="ipv6")]
    v6 = [BgpPath(IPv6Network("2001:db8:a2::/48"), None, "65002", "igp", best=True)]
    assert run(v6, prefix="2001:db8:a2::/48", as_path="65002")[0] is Outcome.PASS


def test_cisco_prefix_not_in_the_table_is_a_fail_not_an_error() -> None:
    bgp_routes = get_platform("cisco_ios").spec("bgp_routes").normalise
    text = "% Network not in table\n"
    request = FactRequest.make("n", "bgp_routes", prefix="10.1.0.0/16")
    assert get_platform("cisco_ios").rejected(text) is None
    paths = bgp_routes(parse("cisco_ios", "show ip bgp 10.1.0.0/16", text), text, request)
    assert paths == []
    got, message = run(paths, prefix="10.1.0.0/16", communities=["no-export"])
    assert got is Outcome.FAIL and "not in the BGP table" in message
