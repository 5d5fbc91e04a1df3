"""The students' access sheet of a class deployed with ``render_class.py``: each node's LoadBalancer address and
SSH port as clabernetes reports them in the Topology status, with each student's password.

    kubectl get topologies -n net101 -l labgrader/lab=hcia-static-routing -o json > topologies.json
    kubectl get secret -n net101 labgrader-class-passwords -o json > passwords.json   # keep it private
    python examples/kubernetes/access_from_cluster.py topologies.json passwords.json --out sheet/

Writes ``access.csv``, ``access.txt`` and ``access.html`` (mode 0600), as ``labgrader class up`` does. A lab whose
status has no address yet (the LoadBalancer is pending) is listed as ``pending``.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_class import USER, password_key  # noqa: E402

from grader.runtime.access_sheet import write_sheets  # noqa: E402
from grader.runtime.classroom import AccessEntry  # noqa: E402


def entries(topologies: dict[str, Any], secret: dict[str, Any]) -> list[AccessEntry]:
    """One access entry per Topology made by ``render_class.py`` (``labgrader/student`` annotation)."""
    passwords = {key: base64.b64decode(value).decode() for key, value in (secret.get("data") or {}).items()}
    found = []
    for item in topologies.get("items", []):
        annotations = item.get("metadata", {}).get("annotations") or {}
        student = annotations.get("labgrader/student")
        if not student:
            continue
        exposed = (item.get("status") or {}).get("exposedPorts") or {}
        ports = {node: 22 for node, info in exposed.items() if 22 in info.get("tcpPorts", [])}
        hosts = {node: exposed[node].get("loadBalancerAddress", "") for node in ports}
        ready = bool(ports) and all(hosts.values())
        # each node has an address of its own (one LoadBalancer Service per node)
        found.append(AccessEntry(student, annotations.get("labgrader/name", ""), "(per node)", USER,
                                 ports if ready else {}, "ready" if ready else "pending",
                                 password=passwords.get(password_key(student), ""),
                                 node_hosts=hosts if ready else {}))
    return sorted(found, key=lambda e: e.student)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topologies", type=Path)
    parser.add_argument("secret", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--title", default="Lab access")
    args = parser.parse_args()
    topologies = json.loads(args.topologies.read_text())
    found = entries(topologies, json.loads(args.secret.read_text()))
    labs = {(i.get("metadata", {}).get("labels") or {}).get("labgrader/lab", "") for i in topologies.get("items", [])}
    for path in write_sheets(args.out, ", ".join(sorted(labs - {""})), args.title, found):
        print(path)


if __name__ == "__main__":
    main()
