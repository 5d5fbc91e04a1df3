"""From a student's eNSP project to a grade, over telnet: `labgrader inventory --from-ensp` on a real .topo
(its com_port values rewritten to the ports of scripted VRP devices served on 127.0.0.1), then
`labgrader grade --inventory` against those consoles. The devices answer with recorded VRP output."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from grader.cli import main
from grader.transport.fake import FakeDevice
from grader.transport.fake_servers import serving

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "tests" / "data" / "ensp_lab"
TOPO = ROOT / "tests" / "data" / "simulators" / "ensp" / "multi_hop_static.topo"
FIXTURES = ROOT / "tests" / "fixtures" / "huawei_vrp"

# the capture-like table each console answers from (recorded outputs of the fixtures)
OUTPUTS = {
    "AR1": {"display ip interface brief": FIXTURES / "display_ip_interface_brief" / "router_admin_down.raw",
            "display version": FIXTURES / "display_version" / "ar610_vrp5.raw"},
    "AR2": {"display ip routing-table": FIXTURES / "display_ip_routing-table" / "vrp8_ospf_ecmp.raw"},
}


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_ensp_project_to_grade_over_telnet(tmp_path: Path) -> None:
    devices = {name: FakeDevice(name, style="vrp", console_login=False, username=None, password=None,
                                outputs={cmd: path.read_text() for cmd, path in table.items()})
               for name, table in OUTPUTS.items()}
    with serving({name: (device, "telnet") for name, device in devices.items()}) as servers:
        text = TOPO.read_text()
        for name, original in (("AR1", 2000), ("AR2", 2001)):
            assert text.count(f'com_port="{original}"') == 1
            text = text.replace(f'com_port="{original}"', f'com_port="{servers[name].port}"')
        topo = tmp_path / "student.topo"
        topo.write_text(text)
        inventory = tmp_path / "inventory.yaml"

        code, _, err = run("inventory", LAB, "--from-ensp", topo, "--out", inventory)
        assert code == 0, err
        nodes = yaml.safe_load(inventory.read_text())["nodes"]
        assert nodes == {"ar1": {"host": "127.0.0.1", "port": servers["AR1"].port},
                         "ar2": {"host": "127.0.0.1", "port": servers["AR2"].port}}

        code, out, err = run("grade", LAB, "--inventory", inventory, "--format", "json", "--no-wait")
    assert code == 1, err  # one objective is meant to fail
    report = json.loads(out)
    outcomes = {o["id"]: o["outcome"] for o in report["objectives"]}
    assert outcomes == {"ar1-uplink": "pass", "ar1-trunk": "pass", "ar2-ospf": "pass", "ar2-static": "fail"}
    assert report["score"] == 30 and report["max_score"] == 40
    assert "display ip interface brief" in devices["AR1"].received
    assert "display ip routing-table" in devices["AR2"].received
    assert "display ip routing-table" not in devices["AR1"].received
    assert not any(device.saved for device in devices.values())
