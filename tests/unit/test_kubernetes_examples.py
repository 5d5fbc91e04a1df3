"""The Kubernetes manifests of docs/scale-out.md, checked offline: core objects against the Kubernetes JSON
schemas (kubernetes-validate, strict: an unknown key fails), clabernetes Topologies against the part of its CRD
they use (tests/unit/data), and everything against labgrader itself: the containerlab definition is the lab's
topology, every bind has its file, every inventory names every node and a password variable the Secret holds."""

from __future__ import annotations

import base64
import copy
import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from grader.cli.classroom import read_roster
from grader.loader import load_lab
from grader.model.inventory import Inventory
from grader.model.topology import Topology

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "kubernetes"
sys.path.insert(0, str(EXAMPLES))

import access_from_cluster  # noqa: E402
import render_class  # noqa: E402

K8S_VERSION = "1.30"
TOPOLOGY_SCHEMA = json.loads((Path(__file__).parent / "data" / "clabernetes-topology.schema.json").read_text())
LAB = load_lab(ROOT / "labs" / "hcia-static-routing")
TAGS = {"frr": "frr:0123456789ab", "host": "host:ba9876543210"}


def shipped() -> dict[str, list[dict[str, Any]]]:
    """Every manifest under examples/kubernetes (the class rendered for two students, and any other)."""
    return {str(path.relative_to(EXAMPLES)): [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
            for path in sorted(EXAMPLES.rglob("*.yaml"))}


def rendered() -> dict[str, list[dict[str, Any]]]:
    students = read_roster(EXAMPLES / "roster.csv")
    passwords = {s.id: f"pw-{s.id}" for s in students}
    files = render_class.render(LAB, students, namespace="net101", registry="reg.example/labgrader/", shards=3,
                                passwords=passwords, tags=TAGS)
    return {name: list(yaml.safe_load_all(render_class.dump(docs))) for name, docs in files.items()}


SETS = {"shipped": shipped, "rendered": rendered}


def validate(document: dict[str, Any]) -> None:
    if document["kind"] == "Topology":
        jsonschema.validate(document, TOPOLOGY_SCHEMA)
    else:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)


def documents(files: dict[str, list[dict[str, Any]]], kind: str) -> list[dict[str, Any]]:
    return [doc for docs in files.values() for doc in docs if doc["kind"] == kind]


@pytest.mark.parametrize("which", SETS)
def test_every_manifest_is_valid(which: str) -> None:
    files = SETS[which]()
    kinds = sorted(doc["kind"] for docs in files.values() for doc in docs)
    assert {"Topology", "ConfigMap", "NetworkPolicy", "Secret", "Job", "PersistentVolumeClaim",
            "Namespace"} <= set(kinds)
    for docs in files.values():
        for document in docs:
            validate(document)


@pytest.mark.parametrize("which", SETS)
def test_each_topology_is_the_labs_topology_with_its_files(which: str) -> None:
    files = SETS[which]()
    maps = {doc["metadata"]["name"]: doc for doc in documents(files, "ConfigMap")}
    topologies = documents(files, "Topology")
    assert len(topologies) == 2
    for topology in topologies:
        definition = yaml.safe_load(topology["spec"]["definition"]["containerlab"])
        parsed = Topology.model_validate(definition)
        assert definition["name"] == topology["metadata"]["name"]
        assert set(parsed.nodes) == set(LAB.topology.nodes)
        assert [link.endpoints for link in parsed.links] == [link.endpoints for link in LAB.topology.links]
        mounted = topology["spec"]["deployment"]["filesFromConfigMap"]
        for node, spec in definition["topology"]["nodes"].items():
            assert spec["labels"]["labgrader.platform"] == LAB.topology.nodes[node].platform
            assert spec["ports"] == ["22:22/tcp"]
            sources = {bind.split(":")[0] for bind in spec["binds"]}
            files_of_node = {entry["filePath"]: entry for entry in mounted[node]}
            assert sources == set(files_of_node) == {f"{node}.cfg", "credentials"}
            for entry in files_of_node.values():
                assert entry["configMapPath"] in maps[entry["configMapName"]]["data"]
            router = LAB.topology.nodes[node].platform == "frr"
            assert ("sysctls" in spec) == router
        credentials = maps[mounted["r1"][1]["configMapName"]]["data"]["credentials"].splitlines()
        assert credentials[0] == "student" and credentials[1]


def test_rendered_images_and_names_follow_the_registry_and_roster() -> None:
    files = rendered()
    topology = documents(files, "Topology")[0]
    nodes = yaml.safe_load(topology["spec"]["definition"]["containerlab"])["topology"]["nodes"]
    assert nodes["r1"]["image"] == "reg.example/labgrader/frr:0123456789ab"
    assert nodes["pc1"]["image"] == "reg.example/labgrader/host:ba9876543210"
    assert nodes["r2"]["env"]["LABGRADER_INTERFACES"] == "eth1 eth2"
    assert topology["metadata"]["annotations"] == {"labgrader/student": "s001", "labgrader/name": "Ada Lovelace"}
    job = documents(files, "Job")[0]
    assert (job["spec"]["completions"], job["spec"]["parallelism"]) == (3, 3)
    assert '--shard "$k/3"' in job["spec"]["template"]["spec"]["containers"][0]["command"][2]


@pytest.mark.parametrize("which", SETS)
def test_grader_inventories_reach_every_node_with_a_password_the_secret_holds(which: str) -> None:
    files = SETS[which]()
    grader = next(doc for doc in documents(files, "ConfigMap") if doc["metadata"]["name"] == "labgrader-class")
    secret = documents(files, "Secret")[0]["stringData"]
    rows = list(csv.DictReader(io.StringIO(grader["data"]["roster.csv"])))
    assert [(r["student"], r["name"]) for r in rows] == [("s001", "Ada Lovelace"), ("s002", "Turing, Alan")]
    for row in rows:
        inventory = Inventory.model_validate(yaml.safe_load(grader["data"][row["submission"]]))
        assert set(inventory.nodes) == set(LAB.topology.nodes)
        resolved = inventory.resolve("r1", environ=secret)
        assert resolved.password is not None and resolved.password.get_secret_value() == secret[
            render_class.password_key(row["student"])]
        assert resolved.host == f"hcia-static-routing-{row['student']}-r1.net101.svc.cluster.local"
        assert resolved.password.get_secret_value() not in grader["data"][row["submission"]]


def test_the_validators_are_not_vacuous() -> None:
    files = rendered()
    topology = copy.deepcopy(documents(files, "Topology")[0])
    topology["spec"]["expose"]["exposeTpye"] = "LoadBalancer"
    with pytest.raises(jsonschema.ValidationError):
        validate(topology)
    job = copy.deepcopy(documents(files, "Job")[0])
    job["spec"]["template"]["spec"]["containers"][0]["envFrom"][0]["secretRefs"] = {"name": "x"}
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(job)
    policy = copy.deepcopy(documents(files, "NetworkPolicy")[0])
    policy["spec"]["ingress"][1]["ports"][0]["port"] = [22]
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(policy)


@pytest.mark.skipif(not os.environ.get("CLABERNETES_CRD"), reason="set CLABERNETES_CRD to a clabernetes "
                    "topologies CRD file to validate against the whole of it")
def test_topologies_against_the_whole_crd() -> None:
    crd = yaml.safe_load(Path(os.environ["CLABERNETES_CRD"]).read_text())
    schema = next(v for v in crd["spec"]["versions"] if v["name"] == "v1alpha1")["schema"]["openAPIV3Schema"]
    for which in SETS.values():
        for topology in documents(which(), "Topology"):
            jsonschema.validate(topology, schema)


def test_access_sheet_from_the_cluster_status() -> None:
    files = rendered()
    items = []
    for index, topology in enumerate(documents(files, "Topology")):
        item = copy.deepcopy(topology)
        address = "" if index else "203.0.113."
        item["status"] = {"exposedPorts": {node: {"loadBalancerAddress": f"{address}{n}" if address else "",
                                                  "tcpPorts": [22], "udpPorts": []}
                                           for n, node in enumerate(sorted(LAB.topology.nodes), start=10)}}
        jsonschema.validate(item, TOPOLOGY_SCHEMA)
        items.append(item)
    secret = {"data": {render_class.password_key(s): base64.b64encode(f"pw-{s}".encode()).decode()
                       for s in ("s001", "s002")}}
    entries = access_from_cluster.entries({"items": items}, secret)
    assert [(e.student, e.state) for e in entries] == [("s001", "ready"), ("s002", "pending")]
    first = entries[0]
    assert first.password == "pw-s001" and first.ports["r1"] == 22
    assert first.host_of("pc1") == "203.0.113.10" and first.host_of("r1") == "203.0.113.12"
    from grader.runtime.access_sheet import sheet_csv, sheet_text

    assert "ssh -p 22 student@203.0.113.12" in sheet_text("lab", entries)
    assert "203.0.113.12:22" in sheet_csv(entries)
