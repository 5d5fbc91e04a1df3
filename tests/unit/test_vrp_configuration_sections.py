"""VRP configurations read as a hierarchy: the top-level commands VRP prints one space in stay top-level.

``display current-configuration`` on VRP separates sections with ``#`` lines and prints some top-level
commands with a leading space (`` sysname R1``, `` stelnet server enable``, `` nat address-group 1 A B``).
Read naively by indentation they become children of the section above (``stelnet server enable`` under
``ospf 1``), which hides them from ``config`` checks and from the NAT, DHCP and VTY normalisers.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from grader.checks.config import vrp_top_level
from grader.model.facts import FactRequest, RunningConfig
from grader.platforms import get_platform
from grader.platforms.services_common import config_blocks

TEXT = Path(__file__).resolve().parent.parent / "fixtures" / "huawei_vrp" / "text"


def _exported() -> str:
    spec = yaml.safe_load((TEXT / "ensp_ar_exported_pe.yml").read_text())
    assert spec["origin"] and spec["command"] == "display current-configuration"
    return (TEXT / "ensp_ar_exported_pe.txt").read_text()


def test_indented_top_level_commands_of_a_real_ensp_configuration_stay_top_level() -> None:
    blocks = dict(config_blocks(_exported(), "huawei_vrp"))
    for line in ("sysname Spoke-PE11", "ftp server enable", "drop illegal-mac alarm", "sftp server enable",
                 "stelnet server enable", "set cpu-usage threshold 80 restore 75"):
        assert line in blocks, line
    assert blocks["ospf 1 router-id 11.11.11.11"] == ["area 0.0.0.0", "network 10.0.115.11 0.0.0.0",
                                                      "network 11.11.11.11 0.0.0.0"]
    assert "sftp server enable" not in blocks["ospf 1 router-id 11.11.11.11"]


def test_sections_inside_bgp_keep_their_place() -> None:
    blocks = dict(config_blocks(_exported(), "huawei_vrp"))
    bgp = blocks["bgp 321"]
    assert "ipv4-family vpnv4" in bgp and "peer 1.1.1.1 substitute-as" in bgp
    assert "ipv4-family vpnv4" not in blocks


def test_the_vty_protocols_and_the_hostname_of_a_real_configuration() -> None:
    platform = get_platform("huawei_vrp")
    text = _exported()
    transports = platform.interpret(FactRequest.make("r1", "vty_transport"), text)
    assert {t.protocols for t in transports if t.number <= 4} == {("ssh", "telnet")}
    config: RunningConfig = platform.interpret(FactRequest.make("r1", "running_config"), text)
    assert config.hostname == "Spoke-PE11"


def test_an_indented_nat_address_group_is_a_pool() -> None:
    # eNSP AR prints " nat address-group 1 100.0.0.1 100.0.0.1" after "#", right below "firewall zone Local"
    text = ("#\nfirewall zone Local\n priority 15\n#\n nat address-group 1 100.0.0.1 100.0.0.1\n#\n"
            "interface GigabitEthernet0/0/2\n ip address 100.0.0.1 255.255.255.0 \n"
            " nat outbound 2000 address-group 1\n#\nreturn\n")
    nat = get_platform("huawei_vrp").interpret(FactRequest.make("r1", "nat"), text)
    assert [(str(r.pool_start), str(r.pool_end)) for r in nat.source] == [("100.0.0.1", "100.0.0.1")]


def test_only_a_first_column_hash_ends_a_section() -> None:
    lines = ["#", " sysname R1", " ftp server enable", "#", "bgp 1", " #", " ipv4-family unicast",
             "  peer 1.1.1.1 enable"]
    assert vrp_top_level(lines) == ["#", "sysname R1", "ftp server enable", "#", "bgp 1", " #",
                                    " ipv4-family unicast", "  peer 1.1.1.1 enable"]
