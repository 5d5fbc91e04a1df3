"""The student side needs `pip install labgrader` only: `submit` and `check` run where `import docker` fails.

A student's devices (scripted FRR routers and Linux PCs behind real SSH servers on 127.0.0.1) answer with a
recorded solution; the commands run in a child Python whose import system refuses the Docker SDK (a
``sitecustomize`` on PYTHONPATH), as on a laptop without the ``lab`` extra.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from grader.transport.capture import read_capture
from grader.transport.fake import FakeDevice
from grader.transport.fake_servers import serving

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-static-routing"
STYLE = {"frr": "vtysh", "linux": "bash"}
BLOCKER = '''
import sys

class NoDocker:
    """Refuse the Docker SDK, as on a machine where it is not installed."""

    def find_spec(self, name, path=None, target=None):
        if name == "docker" or name.startswith("docker."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoDocker())
'''


def run(args: list[str], blocker: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(blocker), "LABGRADER_COURSE": ""}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_submit_and_check_without_docker(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCKER)
    probe = run(["-c", "import docker"], blocker, tmp_path)
    assert probe.returncode != 0 and "No module named 'docker'" in probe.stderr  # the blocker works

    recorded = read_capture(LAB / "submissions" / "solution")
    devices = {node: (FakeDevice(node.upper(), style=STYLE[e.platform],  # type: ignore[arg-type]
                                 outputs={c: o.text for c, o in e.outputs.items()}), "ssh")
               for node, e in recorded.evidence.items()}
    (tmp_path / "my-vars.yaml").write_text("lan_a: 1\nlan_b: 3\n")  # what the instructor handed out
    with serving(devices) as servers:
        inventory = {"defaults": {"username": "student", "password": "secret", "timeout": 5},
                     "nodes": {node: {"host": s.host, "port": s.port} for node, s in servers.items()}}
        (tmp_path / "devices.yaml").write_text(yaml.safe_dump(inventory))
        submitted = run(["-m", "grader", "submit", str(LAB), "--student", "s001", "--vars", "my-vars.yaml",
                         "--inventory", "devices.yaml", "--out", "s001.zip"], blocker, tmp_path)
        live = run(["-m", "grader", "check", str(LAB), "--student", "s001", "--vars", "my-vars.yaml",
                    "--inventory", "devices.yaml", "--no-wait"], blocker, tmp_path)
    assert submitted.returncode == 0, submitted.stderr
    assert "recorded 11 commands from 5 nodes into s001.zip" in submitted.stdout
    with zipfile.ZipFile(tmp_path / "s001.zip") as archive:
        assert "bundle.json" in archive.namelist() and "capture/r1/show_ip_route.txt" in archive.namelist()
    assert live.returncode == 0, live.stdout + live.stderr
    checked = run(["-m", "grader", "check", str(LAB), "--bundle", "s001.zip", "--vars", "my-vars.yaml"], blocker,
                  tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "self-check for s001" in checked.stdout and "visible objectives: 100/100 points" in checked.stdout
    needs_docker = run(["-m", "grader", "status"], blocker, tmp_path)
    assert needs_docker.returncode == 3
    assert needs_docker.stderr.strip() == "error: this command needs Docker support: pip install 'labgrader[lab]'"


STUDENT_SIDE_FREE_OF = {"docker", "fcntl", "termios", "pwd", "grp", "resource", "pty", "tty"}


def test_no_module_outside_the_runtime_imports_docker_or_posix_only_modules() -> None:
    """Only grader/runtime (labs on containers, instructors' and Linux machines) may import the Docker SDK or
    modules that Windows lacks; the rest imports it lazily or not at all."""
    offenders = []
    for path in sorted((ROOT / "grader").rglob("*.py")):
        if "runtime" in path.relative_to(ROOT / "grader").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                          if n.split(".")[0] in STUDENT_SIDE_FREE_OF]
    assert offenders == []
