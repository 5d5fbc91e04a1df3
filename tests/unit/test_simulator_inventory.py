"""`labgrader inventory`: reading real eNSP, GNS3 and EVE-NG project files, matching their devices to a lab's
nodes, refusing hostile files in one line, and writing an inventory that loads back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from grader.cli import main
from grader.discovery import SimDevice, match, name_key, parse_maps, read_project
from grader.discovery.eve import eve_console_port
from grader.errors import LabFileError
from grader.live import load_inventory
from grader.loader import load_lab

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "simulators"
ENSP_LAB = ROOT / "tests" / "data" / "ensp_lab"


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def by_name(devices: list[SimDevice]) -> dict[str, SimDevice]:
    return {d.name: d for d in devices}


# -- real samples ------------------------------------------------------------------------------------------

def test_ensp_routers_and_hosts() -> None:
    devices = by_name(read_project("ensp", SAMPLES / "ensp" / "multi_hop_static.topo"))
    assert devices["AR1"] == SimDevice("AR1", "AR2220", "127.0.0.1", 2000, "huawei_vrp")
    assert devices["AR2"].port == 2001
    assert devices["PC1"].skip and devices["PC1"].port is None
    assert devices["Server1"].skip


def test_ensp_generic_router_and_switches() -> None:
    devices = by_name(read_project("ensp", SAMPLES / "ensp" / "router_and_switches.topo"))
    assert {n: (d.kind, d.port, d.platform) for n, d in devices.items()} == {
        "R1": ("Router", 2000, "huawei_vrp"), "R3": ("Router", 2002, "huawei_vrp"),
        "S1": ("S5700", 2003, "huawei_vrp"), "S2": ("S5700", 2001, "huawei_vrp"),
        "S3": ("S5700", 2004, "huawei_vrp"), "S4": ("S5700", 2005, "huawei_vrp")}


def test_ensp_wlan_models_have_no_platform_and_stations_are_skipped() -> None:
    devices = by_name(read_project("ensp", SAMPLES / "ensp" / "wlan_ac_ap.topo"))
    assert devices["AC1"].platform is None and devices["AC1"].port == 2006
    assert devices["AP2"].platform is None and devices["AP2"].skip is None
    assert devices["S4"].platform == "huawei_vrp"
    assert devices["STA1"].skip and devices["STA2"].skip


def test_gns3_dynamips_routers_vpcs_and_builtin_switches() -> None:
    devices = by_name(read_project("gns3", SAMPLES / "gns3" / "dynamips_vpcs.gns3"))
    routers = {n: (d.host, d.port, d.platform) for n, d in devices.items() if d.skip is None}
    assert routers == {f"R{i}": ("127.0.0.1", port, "cisco_ios")
                       for i, port in zip(range(1, 8), (5000, 5004, 5005, 5006, 5007, 5008, 5009), strict=True)}
    assert "VPCS" in (devices["PC1"].skip or "")
    assert "built-in ethernet switch" in (devices["Switch1"].skip or "")


def test_gns3_remote_compute_host_vnc_and_unknown_images() -> None:
    devices = by_name(read_project("gns3", SAMPLES / "gns3" / "remote_compute.gns3"))
    vios = devices["CiscoIOSv15.9(3)M6-1"]
    assert (vios.host, vios.port, vios.platform) == ("172.16.174.72", 5028, "cisco_ios")
    assert devices["kali-1"].skip == "its console is 'vnc', not telnet"
    assert devices["FortiGate6.4.5-1"].platform is None and devices["FortiGate6.4.5-1"].skip is None
    assert devices["DNS-1"].platform is None and devices["DNS-1"].port == 5031


def test_gns3_vm_compute_has_no_host() -> None:
    devices = by_name(read_project("gns3", SAMPLES / "gns3" / "local_and_vm.gns3"))
    assert (devices["R1"].host, devices["R1"].port) == ("127.0.0.1", 5000)
    assert (devices["Server1"].host, devices["Server1"].port, devices["Server1"].platform) == (None, 5000, "cisco_ios")


def test_eve_ports_follow_pod_and_node_id() -> None:
    devices = read_project("eve", SAMPLES / "eve" / "routing_iol_vpcs.unl", eve_host="192.0.2.10", eve_pod=2)
    named = by_name(devices)
    assert named["Router1"] == SimDevice("Router1", "iol i86bi_LinuxL3-AdvEnterpriseK9-M2_157_3_May_2018.bin",
                                         "192.0.2.10", 32768 + 128 * 2 + 1, "cisco_ios")
    assert named["Switch6"].port == 32768 + 256 + 6
    assert named["VPC7"].skip and named["VPC8"].skip
    stp = by_name(read_project("eve", SAMPLES / "eve" / "stp_viosl2.unl", eve_host="eve.example", eve_pod=0))
    assert {n: d.port for n, d in stp.items()} == {"SW5": 32769, "SW2": 32770, "SW3": 32771, "SW4": 32772,
                                                   "SW1": 32773}
    assert {d.platform for d in stp.values()} == {"cisco_ios"}


def test_eve_port_formula() -> None:
    assert eve_console_port(1, 0) == 32769
    assert eve_console_port(127, 255) == 65535


# -- matching ----------------------------------------------------------------------------------------------

def make_lab(tmp_path: Path, nodes: dict[str, str | None], checked: list[str] | None = None) -> Path:
    """A lab whose topology has ``nodes`` (name → platform label or None) and an interface check on each
    node of ``checked`` (default: every node)."""
    topology = {"name": "t", "topology": {"nodes": {
        name: {"kind": "generic_box" if platform is None else platform,
               "labels": {} if platform is None else {"labgrader.platform": platform}}
        for name, platform in nodes.items()}}}
    (tmp_path / "topo.clab.yml").write_text(yaml.safe_dump(topology))
    checks = [{"type": "interface", "node": n, "interface": "eth1", "oper": "up"}
              for n in (list(nodes) if checked is None else checked)]
    lab = {"id": "t", "title": "t", "topology": "topo.clab.yml",
           "objectives": [{"id": "o", "title": "o", "points": 1, "checks": checks}]}
    (tmp_path / "lab.yaml").write_text(yaml.safe_dump(lab))
    return tmp_path


def dev(name: str, port: int, platform: str | None = "huawei_vrp", **kw: object) -> SimDevice:
    return SimDevice(name, "AR2220", kw.pop("host", "127.0.0.1"), port, platform, **kw)  # type: ignore[arg-type]


def test_name_key_ignores_case_and_separators() -> None:
    assert name_key("AR-1") == name_key("ar_1") == name_key("Ar 1") == name_key("ar1") == "ar1"
    assert name_key("R1") != name_key("R11")


def test_names_match_without_case_or_separators(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "huawei_vrp", "ar-2": "huawei_vrp"}))
    result = match(loaded, [dev("R1", 2000), dev("AR_2", 2001), dev("LSW1", 2002)], "x.topo")
    assert {(e.node, e.device.name, e.port) for e in result.entries} == {("r1", "R1", 2000), ("ar-2", "AR_2", 2001)}
    assert any("'LSW1'" in note and "not a node of the lab" in note for note in result.notes)


def test_missing_and_extra_in_one_line_with_did_you_mean(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "huawei_vrp", "r2": "huawei_vrp", "r3": "huawei_vrp"}))
    with pytest.raises(LabFileError) as info:
        match(loaded, [dev("R1", 2000), dev("Router2", 2001), dev("SW9", 2002)], "x.topo")
    assert info.value.problems == [
        "x.topo: the lab's nodes r2 (did you mean 'Router2'?), r3 are not in the simulator's project; it has "
        "'Router2', 'SW9', which the lab does not; rename devices in the simulator to the lab's names or give "
        "--map SIMNAME=LABNODE"]


def test_did_you_mean_prefers_a_device_of_the_same_kind(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "huawei_vrp", "r2": "huawei_vrp"}))
    devices = read_project("ensp", SAMPLES / "ensp" / "router_and_switches.topo")
    with pytest.raises(LabFileError) as info:
        match(loaded, devices, "x.topo")
    assert info.value.problems[0].startswith("x.topo: the lab's node r2 (did you mean 'R3'?) is not in the "
                                             "simulator's project; it has 'R3', 'S1', 'S2', 'S3', 'S4', which")


def test_map_renames_a_device(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "huawei_vrp", "r2": "huawei_vrp"}))
    result = match(loaded, [dev("R1", 2000), dev("Router2", 2001)], "x.topo", parse_maps(("Router2=r2",)))
    assert {(e.node, e.port) for e in result.entries} == {("r1", 2000), ("r2", 2001)}


@pytest.mark.parametrize(("pair", "message"), [
    ("Routr2=r2", "--map Routr2=r2: no device 'Routr2' in x.topo (did you mean 'Router2'?)"),
    ("Router2=rr2", "--map Router2=rr2: the lab has no node 'rr2' (did you mean 'r2'?)"),
])
def test_map_to_unknown_names(tmp_path: Path, pair: str, message: str) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "huawei_vrp", "r2": "huawei_vrp"}))
    with pytest.raises(LabFileError) as info:
        match(loaded, [dev("R1", 2000), dev("Router2", 2001)], "x.topo", parse_maps((pair,)))
    assert info.value.problems == [message]


def test_bad_map_syntax() -> None:
    with pytest.raises(LabFileError, match="expected SIMNAME=LABNODE"):
        parse_maps(("R1",))


def test_two_devices_matching_one_node_is_ambiguous(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "huawei_vrp"}))
    with pytest.raises(LabFileError, match="'R-1', 'r_1' all match 'r1'"):
        match(loaded, [dev("R-1", 2000), dev("r_1", 2001)], "x.topo")


def test_unchecked_node_may_be_missing(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "huawei_vrp", "pc9": "linux"}, checked=["r1"]))
    result = match(loaded, [dev("R1", 2000)], "x.topo")
    assert [e.node for e in result.entries] == ["r1"]
    assert any("'pc9'" in note and "no check reads it" in note for note in result.notes)


def test_checked_node_that_is_a_skipped_pc_is_an_error(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "huawei_vrp", "pc1": "linux"}))
    pc = SimDevice("PC1", "PC", skip="an eNSP host (PC, client or server) has no CLI labgrader grades")
    with pytest.raises(LabFileError) as info:
        match(loaded, [dev("R1", 2000), pc], "x.topo")
    assert info.value.problems == ["lab node 'pc1' ('PC1', PC): cannot be graded: an eNSP host (PC, client or "
                                   "server) has no CLI labgrader grades"]


def test_platform_disagreement_is_said(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "huawei_vrpv8"}))
    result = match(loaded, [dev("R1", 2000, "huawei_vrp")], "x.topo")
    assert [e.node for e in result.entries] == ["r1"]
    assert any("the lab says huawei_vrpv8 but the simulator's device is huawei_vrp" in n for n in result.notes)


def test_unknown_device_platform_takes_the_labs(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "cisco_ios"}))
    result = match(loaded, [dev("R1", 5000, None)], "p.gns3")
    assert [e.node for e in result.entries] == ["r1"]
    assert any("the lab's cisco_ios is used" in n for n in result.notes)


def test_platform_unknown_on_both_sides_is_an_error(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": None}))
    with pytest.raises(LabFileError, match=r"r1.*cannot tell its platform"):
        match(loaded, [dev("R1", 5000, None)], "p.gns3")


def test_unknown_host_needs_host_option(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "cisco_ios"}))
    device = dev("R1", 5000, "cisco_ios", host=None)
    with pytest.raises(LabFileError, match="give --host ADDRESS"):
        match(loaded, [device], "p.gns3")
    result = match(loaded, [device], "p.gns3", host="192.0.2.7")
    assert (result.entries[0].host, result.entries[0].port) == ("192.0.2.7", 5000)


def test_same_console_twice_is_refused(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"r1": "cisco_ios", "r2": "cisco_ios"}))
    with pytest.raises(LabFileError, match=r"same console 192\.0\.2\.7:5000"):
        match(loaded, [dev("R1", 5000, "cisco_ios"), dev("R2", 5000, "cisco_ios", host=None)], "p.gns3",
              host="192.0.2.7")


def test_gns3_vm_nodes_need_the_vms_address(tmp_path: Path) -> None:
    make_lab(tmp_path, {"server1": "cisco_ios", "client1": "cisco_ios"})
    gns3 = SAMPLES / "gns3" / "local_and_vm.gns3"
    code, _, err = run("inventory", tmp_path, "--from-gns3", gns3)
    assert code == 2 and "'server1' ('Server1'" in err and "give --host ADDRESS" in err
    code, out, err = run("inventory", tmp_path, "--from-gns3", gns3, "--host", "192.0.2.9")
    assert code == 0, err
    assert yaml.safe_load(out)["nodes"] == {"client1": {"host": "192.0.2.9", "port": 5001},
                                            "server1": {"host": "192.0.2.9", "port": 5000}}


def test_gns3_local_and_vm_nodes_on_one_host_collide(tmp_path: Path) -> None:
    make_lab(tmp_path, {"r1": "cisco_ios", "server1": "cisco_ios"})
    code, _, err = run("inventory", tmp_path, "--from-gns3", SAMPLES / "gns3" / "local_and_vm.gns3",
                       "--host", "192.0.2.9")
    assert code == 2 and "lab nodes 'r1' and 'server1' have the same console 192.0.2.9:5000" in err


def test_linux_node_gets_a_telnet_device_type(tmp_path: Path) -> None:
    loaded = load_lab(make_lab(tmp_path, {"h1": "linux"}))
    result = match(loaded, [SimDevice("H1", "docker alpine", "127.0.0.1", 5005, None)], "p.gns3")
    assert result.entries[0].device_type == "generic_telnet"


# -- the command -------------------------------------------------------------------------------------------

def test_command_writes_an_inventory_that_loads(tmp_path: Path) -> None:
    out = tmp_path / "inventory.yaml"
    code, _, err = run("inventory", ENSP_LAB, "--from-ensp", SAMPLES / "ensp" / "multi_hop_static.topo",
                       "--out", out, "--username", "admin", "--password-env", "ENSP_PASSWORD")
    assert code == 0, err
    inventory = load_inventory(out)
    assert sorted(inventory.nodes) == ["ar1", "ar2"]
    conn = inventory.resolve("ar2", {"ENSP_PASSWORD": "s3cret"})
    assert (conn.transport, conn.host, conn.port, conn.device_type, conn.username) == (
        "telnet", "127.0.0.1", 2001, None, "admin")
    assert conn.password is not None and conn.password.get_secret_value() == "s3cret"
    assert "s3cret" not in out.read_text()
    assert "note: lab node 'pc1' ('PC1', PC) skipped" in err


def test_command_refuses_to_replace_a_file_that_is_not_an_inventory(tmp_path: Path) -> None:
    out = tmp_path / "notes.yaml"
    out.write_text("my notes: keep me\n")
    topo = SAMPLES / "ensp" / "multi_hop_static.topo"
    code, _, err = run("inventory", ENSP_LAB, "--from-ensp", topo, "--out", out)
    assert code == 2 and "exists and is not a labgrader inventory: give --force" in err
    assert out.read_text() == "my notes: keep me\n"
    code, _, err = run("inventory", ENSP_LAB, "--from-ensp", topo, "--out", out, "--force")
    assert code == 0, err
    assert sorted(load_inventory(out).nodes) == ["ar1", "ar2"]
    code, _, err = run("inventory", ENSP_LAB, "--from-ensp", topo, "--out", out)  # an inventory now: replaced
    assert code == 0, err


@pytest.mark.parametrize(("args", "message"), [
    ((), "give exactly one of --from-ensp FILE, --from-gns3 FILE or --from-eve FILE"),
    (("--from-eve", SAMPLES / "eve" / "stp_viosl2.unl"), "give --eve-host ADDRESS"),
    (("--from-ensp", SAMPLES / "ensp" / "multi_hop_static.topo", "--password-env", "A-B"),
     "not an environment variable name"),
    (("--from-ensp", SAMPLES / "ensp" / "multi_hop_static.topo", "--host", "bad host!"), "not an address"),
])
def test_command_usage_errors_are_one_line(args: tuple[object, ...], message: str) -> None:
    code, _, err = run("inventory", ENSP_LAB, *args)
    assert code == 2
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_eve_command_with_pod(tmp_path: Path) -> None:
    make_lab(tmp_path, {"sw1": "cisco_ios", "sw2": "cisco_ios"})
    code, out, err = run("inventory", tmp_path, "--from-eve", SAMPLES / "eve" / "stp_viosl2.unl",
                         "--eve-host", "eve.example", "--eve-pod", "3")
    assert code == 0, err
    assert yaml.safe_load(out)["nodes"] == {"sw1": {"host": "eve.example", "port": 32768 + 384 + 5},
                                            "sw2": {"host": "eve.example", "port": 32768 + 384 + 2}}


# -- hostile files -----------------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE topo [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>
<topo><devices><dev name="&c;" model="AR2220" com_port="2000"/></devices></topo>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE lab [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<lab name="x"><topology><nodes><node id="1" name="&secret;" type="iol"/></nodes></topology></lab>"""


@pytest.mark.parametrize(("kind", "text"), [("ensp", BILLION_LAUGHS), ("eve", EXTERNAL)])
def test_xml_with_a_dtd_or_entities_is_refused(tmp_path: Path, kind: str, text: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(text)
    with pytest.raises(LabFileError) as info:
        read_project(kind, path, eve_host="192.0.2.1")  # type: ignore[arg-type]
    (line,) = info.value.problems
    assert line.startswith(f"{path}: refused: the XML has a ") and "\n" not in line


def test_xml_entities_without_a_dtd_are_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "x.topo"
    path.write_text('<topo><devices><dev name="&undeclared;" model="AR2220" com_port="2000"/></devices></topo>')
    with pytest.raises(LabFileError, match=r"not an eNSP topology \(.topo\): XML error: undefined entity"):
        read_project("ensp", path)


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.gns3"
    with path.open("wb") as handle:
        handle.truncate(8 * 1024 * 1024 + 1)
    code, _, err = run("inventory", ENSP_LAB, "--from-gns3", path)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"error: {path}: refused: 8388609 bytes")


def test_deeply_nested_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.gns3"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(LabFileError, match="nested more than 64 levels"):
        read_project("gns3", path)


@pytest.mark.parametrize(("text", "message"), [
    ("{", "not a GNS3 project (.gns3): JSON error"),
    ('{"topology": {"nodes": 3}}', "no topology.nodes list"),
    ('{"topology": {"nodes": [{"name": "R1", "node_type": "dynamips", "console": "x", "console_type": "telnet"}]}}',
     "node 'R1': console port 'x' is not a port number"),
    ('{"topology": {"nodes": [{"name": "R1", "node_type": "qemu", "console": 5000, "console_type": "telnet", '
     '"console_host": "$(reboot)"}]}}', "'$(reboot)' is not an address or host name"),
])
def test_malformed_gns3_projects(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.gns3"
    path.write_text(text)
    with pytest.raises(LabFileError) as info:
        read_project("gns3", path)
    (line,) = info.value.problems
    assert message in line and line.startswith(str(path))


def test_wildcard_console_host_means_loopback(tmp_path: Path) -> None:
    path = tmp_path / "p.gns3"
    path.write_text('{"topology": {"nodes": [{"name": "R1", "node_type": "iou", "console": 5000, '
                    '"console_type": "telnet", "console_host": "::"}, {"name": "R2", "node_type": "iou", '
                    '"console": 5001, "console_type": "telnet", "console_host": "0.0.0.0"}]}}')
    assert {d.host for d in read_project("gns3", path)} == {"127.0.0.1"}


@pytest.mark.parametrize(("dev_xml", "message"), [
    ('<dev name="AR1" model="AR2220" com_port="99999"/>', "<dev name='AR1'>: console port '99999' is not"),
    ('<dev name="" model="AR2220" com_port="2000"/>', "<dev> number 1 (model 'AR2220') has no name"),
])
def test_malformed_ensp_devices(tmp_path: Path, dev_xml: str, message: str) -> None:
    path = tmp_path / "x.topo"
    path.write_text(f'<?xml version="1.0" encoding="UNICODE" ?><topo><devices>{dev_xml}</devices></topo>')
    with pytest.raises(LabFileError) as info:
        read_project("ensp", path)
    assert message in info.value.problems[0]


def test_utf16_and_gbk_topologies_are_read(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="UNICODE" ?><topo><devices>' \
           '<dev name="AR1" model="AR2220" com_port="2000"/><dev name="路由器2" model="AR2220" com_port="2001"/>' \
           '</devices></topo>'
    for codec in ("utf-16", "gbk"):
        path = tmp_path / f"{codec}.topo"
        path.write_bytes(text.encode(codec))
        assert [d.name for d in read_project("ensp", path)] == ["AR1", "路由器2"]


def test_device_names_cannot_inject_yaml(tmp_path: Path) -> None:
    make_lab(tmp_path, {"ar1": "huawei_vrp"})
    topo = tmp_path / "evil.topo"
    topo.write_text('<topo><devices><dev name="AR1&#10;nodes: {evil: {host: 192.0.2.66}}&#x202e;" '
                    'model="AR2220" com_port="2000"/></devices></topo>')
    code, out, err = run("inventory", tmp_path, "--from-ensp", topo, "--map",
                         "AR1\nnodes: {evil: {host: 192.0.2.66}}\u202e=ar1")
    assert code == 0, err
    assert yaml.safe_load(out)["nodes"] == {"ar1": {"host": "127.0.0.1", "port": 2000}}
    assert "\u202e" not in out and "\u202e" not in err


def test_control_characters_are_not_xml(tmp_path: Path) -> None:
    topo = tmp_path / "evil.topo"
    topo.write_text('<topo><devices><dev name="AR1&#27;[31m" model="AR2220" com_port="2000"/></devices></topo>')
    with pytest.raises(LabFileError, match="XML error: reference to invalid character number"):
        read_project("ensp", topo)
