"""Render the Kubernetes manifests of a class: one clabernetes ``Topology`` per student, built from the lab's own
containerlab topology file, and what the grading Job needs (roster, inventories, passwords).

    python examples/kubernetes/render_class.py LAB --roster roster.csv --registry REGISTRY/labgrader \\
        --namespace net101 --shards 4 --out manifests/

Writes into ``--out``:

* ``namespace.yaml``            the class's namespace;
* ``student-<id>.yaml``         per student: a ConfigMap with each node's configuration and the login (files the
                                launcher binds into the node), the Topology, and a NetworkPolicy that lets only
                                the same lab, the grader and SSH reach the lab's pods;
* ``passwords-secret.yaml``     the students' passwords (``PW_<ID>`` keys) for the grader; keep it private;
* ``grader-class.yaml``         ConfigMap: ``roster.csv`` (student,name,submission) and one inventory per student
                                naming the in-cluster Service of each node (``<topology>-<node>.<ns>.svc``) and
                                its password variable (never the password);
* ``batch-job.yaml``            an Indexed Job: shard K of N runs ``labgrader batch --shard K/N``;
* ``merge-job.yaml``            the Job that merges the shards into one batch folder;
* ``batch-pvc.yaml``            the volume the shards write to.

Each node of the topology file is kept as it is (kind, labels, links), with what labgrader's own ``deploy`` gives
a container added in containerlab's words: the image from ``--registry`` (the tag of the recipe as built here),
``env`` LABGRADER_INTERFACES, ``binds`` for the configuration and the login, forwarding ``sysctls`` on routers,
and SSH as the only exposed port. Passwords come from the class's local store when the class was deployed here
(``labgrader class up``), else are made; ``--placeholder-passwords`` writes ``CHANGE-ME`` values (for examples).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from grader.cli.classroom import read_roster  # noqa: E402
from grader.configs import lab_configs  # noqa: E402
from grader.loader import LoadedLab, load_lab  # noqa: E402
from grader.platforms import get_platform  # noqa: E402
from grader.runtime.classroom import Student, deployment_id  # noqa: E402
from grader.runtime.classstore import new_password  # noqa: E402
from grader.runtime.links import interfaces_by_node  # noqa: E402

API = "clabernetes.containerlab.dev/v1alpha1"
ROUTER_RECIPE = "frr"
USER = "student"
GRADER_IMAGE = "labgrader/grader"
GRADER_LABEL = {"app.kubernetes.io/name": "labgrader-grader"}


def password_key(student: str) -> str:
    """The Secret key (and environment variable) holding a student's password: ``PW_`` + the id in capitals."""
    return "PW_" + re.sub(r"[^A-Z0-9]", "_", student.upper())


def image_tags() -> dict[str, str]:
    """recipe → ``<recipe>:<hash12>``, the tag ``labgrader images build`` gives it from the recipes here."""
    from grader.runtime.images import RECIPES, current_tag

    return {recipe: current_tag(recipe).split("/", 1)[1] for recipe in RECIPES}


def containerlab_definition(loaded: LoadedLab, name: str, registry: str, tags: dict[str, str]) -> str:
    """The lab's topology file with each node made deployable by containerlab in a clabernetes launcher."""
    data = yaml.safe_load(loaded.topology_path.read_text(encoding="utf-8"))
    data["name"] = name
    interfaces = interfaces_by_node(loaded.topology.links)
    nodes = data["topology"]["nodes"]
    for node, spec in nodes.items():
        recipe = get_platform(loaded.topology.nodes[node].platform).container_recipe
        if recipe is None:
            raise SystemExit(f"node {node}: platform {loaded.topology.nodes[node].platform} has no container image")
        spec["image"] = f"{registry.rstrip('/')}/{tags[recipe]}"
        spec["env"] = {**spec.get("env", {}), "LABGRADER_INTERFACES": " ".join(interfaces.get(node, []))}
        spec["binds"] = [*spec.get("binds", []), f"{node}.cfg:/etc/labgrader/config:ro",
                         "credentials:/etc/labgrader/credentials:ro"]
        spec["ports"] = ["22:22/tcp"]
        if recipe == ROUTER_RECIPE:
            spec["sysctls"] = {**spec.get("sysctls", {}), "net.ipv4.ip_forward": 1,
                               "net.ipv6.conf.all.forwarding": 1}
    data["topology"].pop("kinds", None)  # every node now names its own image
    return yaml.safe_dump(data, sort_keys=False)


def student_documents(loaded: LoadedLab, student: Student, namespace: str, registry: str, tags: dict[str, str],
                      config: str, password: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
    name = deployment_id(loaded.lab.id, student.id).lower()
    files = f"{name}-files"
    configs = lab_configs(loaded, config, variables)
    labels = {"app.kubernetes.io/part-of": "labgrader-class", "labgrader/lab": loaded.lab.id}
    config_map = {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": files, "namespace": namespace, "labels": labels},
        "data": {**{f"{node}.cfg": text for node, text in configs.items()}, "credentials": f"{USER}\n{password}\n"},
    }
    topology = {
        "apiVersion": API, "kind": "Topology",
        "metadata": {"name": name, "namespace": namespace, "labels": labels,
                     "annotations": {"labgrader/student": student.id, "labgrader/name": student.name}},
        "spec": {
            "naming": "prefixed",
            "expose": {"exposeType": "LoadBalancer", "disableAutoExpose": True},
            "deployment": {"filesFromConfigMap": {
                node: [{"filePath": f"{node}.cfg", "configMapName": files, "configMapPath": f"{node}.cfg",
                        "mode": "read"},
                       {"filePath": "credentials", "configMapName": files, "configMapPath": "credentials",
                        "mode": "read"}]
                for node in sorted(loaded.topology.nodes)}},
            "definition": {"containerlab": containerlab_definition(loaded, name, registry, tags)},
        },
    }
    same_lab = {"podSelector": {"matchLabels": {"clabernetes/topologyOwner": name}}}
    policy = {
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": f"{name}-isolation", "namespace": namespace, "labels": labels},
        "spec": {
            "podSelector": {"matchLabels": {"clabernetes/topologyOwner": name}},
            "policyTypes": ["Ingress"],
            "ingress": [
                {"from": [same_lab]},  # the lab's own fabric (tunnels between its nodes)
                {"ports": [{"protocol": "TCP", "port": 22}]},  # SSH: students (LoadBalancer) and the grader
            ],
        },
    }
    return [config_map, topology, policy]


def inventory(loaded: LoadedLab, student: Student, namespace: str) -> dict[str, Any]:
    name = deployment_id(loaded.lab.id, student.id).lower()
    return {"defaults": {"transport": "ssh", "username": USER, "password_env": password_key(student.id)},
            "nodes": {node: {"host": f"{name}-{node}.{namespace}.svc.cluster.local", "port": 22}
                      for node in sorted(loaded.topology.nodes)}}


def grader_documents(loaded: LoadedLab, students: list[Student], namespace: str, passwords: dict[str, str],
                     shards: int, grader_image: str) -> dict[str, list[dict[str, Any]]]:
    lab_path = f"/labs/{loaded.directory.name}"
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["student", "name", "submission"])
    writer.writerows([s.id, s.name, f"inventory-{s.id}.yaml"] for s in students)
    roster = rows.getvalue()
    data = {"roster.csv": roster, **{f"inventory-{s.id}.yaml": yaml.safe_dump(inventory(loaded, s, namespace),
                                                                                sort_keys=False) for s in students}}
    meta = {"namespace": namespace, "labels": {"app.kubernetes.io/part-of": "labgrader-class"}}
    secret = {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
              "metadata": {"name": "labgrader-class-passwords", **meta},
              "stringData": {password_key(s.id): passwords[s.id] for s in students}}
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "labgrader-class", **meta},
                  "data": data}
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "labgrader-batch", **meta},
           "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}}}
    volumes = [{"name": "class", "configMap": {"name": "labgrader-class"}},
               {"name": "out", "persistentVolumeClaim": {"claimName": "labgrader-batch"}}]
    mounts = [{"name": "class", "mountPath": "/class", "readOnly": True}, {"name": "out", "mountPath": "/out"}]
    security = {"runAsNonRoot": True, "runAsUser": 1000, "allowPrivilegeEscalation": False,
                "capabilities": {"drop": ["ALL"]}}
    # exit status 1 says that some students' labs could not be graded (their journal entries say why): the
    # shard is done; a retry would only find them in its journal
    shard_command = (f'k=$((JOB_COMPLETION_INDEX + 1)); labgrader batch {lab_path} --roster /class/roster.csv '
                     f'--out "/out/shard-$k" --shard "$k/{shards}" --executor threads --workers 8; '
                     'code=$?; [ "$code" -le 1 ] || exit "$code"')
    batch_job = {
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "labgrader-batch", **meta},
        "spec": {
            "completionMode": "Indexed", "completions": shards, "parallelism": shards, "backoffLimitPerIndex": 2,
            "template": {
                "metadata": {"labels": GRADER_LABEL},
                "spec": {
                    "restartPolicy": "Never",
                    "securityContext": {"fsGroup": 1000},
                    "containers": [{
                        "name": "grade", "image": grader_image, "command": ["sh", "-c", shard_command],
                        "envFrom": [{"secretRef": {"name": "labgrader-class-passwords"}}],
                        "volumeMounts": mounts, "securityContext": security,
                        "resources": {"requests": {"cpu": "500m", "memory": "512Mi"},
                                      "limits": {"memory": "1Gi"}},
                    }],
                    "volumes": volumes,
                },
            },
        },
    }
    merge_job = {
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "labgrader-merge", **meta},
        "spec": {"backoffLimit": 1, "template": {"metadata": {"labels": GRADER_LABEL}, "spec": {
            "restartPolicy": "Never", "securityContext": {"fsGroup": 1000},
            "containers": [{"name": "merge", "image": grader_image,
                            "command": ["sh", "-c", "exec labgrader merge /out/shard-* --out /out/class"],
                            "volumeMounts": mounts, "securityContext": security}],
            "volumes": volumes}}},
    }
    return {"passwords-secret.yaml": [secret], "grader-class.yaml": [config_map], "batch-pvc.yaml": [pvc],
            "batch-job.yaml": [batch_job], "merge-job.yaml": [merge_job]}


def render(loaded: LoadedLab, students: list[Student], *, namespace: str, registry: str, shards: int,
           passwords: dict[str, str], config: str = "initial", grader_image: str | None = None,
           tags: dict[str, str] | None = None,
           variables_for: Any = None) -> dict[str, list[dict[str, Any]]]:
    """file name → the documents it holds."""
    tags = tags or image_tags()
    grader_image = grader_image or f"{registry.rstrip('/')}/grader:latest"
    files: dict[str, list[dict[str, Any]]] = {"namespace.yaml": [{
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": namespace, "labels": {"app.kubernetes.io/part-of": "labgrader-class"}}}]}
    for student in students:
        variables = variables_for(student) if variables_for else {}
        files[f"student-{student.id}.yaml"] = student_documents(loaded, student, namespace, registry, tags, config,
                                                                passwords[student.id], variables)
    files.update(grader_documents(loaded, students, namespace, passwords, shards, grader_image))
    return files


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (configurations, the containerlab definition) as literal blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value and not any(c.isspace() and c not in " \n" for c in value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(documents: list[dict[str, Any]]) -> str:
    return "".join("---\n" + yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
                   for doc in documents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lab", type=Path)
    parser.add_argument("--roster", type=Path, required=True)
    parser.add_argument("--registry", required=True, help="where the images were pushed, e.g. reg.example/labgrader")
    parser.add_argument("--namespace", default="labgrader-class")
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--config", default="initial")
    parser.add_argument("--grader-image", default=None)
    parser.add_argument("--placeholder-passwords", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    loaded = load_lab(args.lab)
    students = read_roster(args.roster)
    if args.placeholder_passwords:
        passwords = {s.id: "CHANGE-ME" for s in students}
    else:
        from grader.live import state_dir
        from grader.runtime.classstore import ClassStore

        known = ClassStore(state_dir(), loaded.lab.id).passwords()
        passwords = {s.id: known.get(s.id) or new_password() for s in students}
    args.out.mkdir(parents=True, exist_ok=True)
    for name, documents in render(loaded, students, namespace=args.namespace, registry=args.registry,
                                  shards=args.shards, passwords=passwords, config=args.config,
                                  grader_image=args.grader_image).items():
        path = args.out / name
        path.write_text(dump(documents), encoding="utf-8")
        if name in ("passwords-secret.yaml",) or name.startswith("student-"):
            path.chmod(0o600)
        print(path)


if __name__ == "__main__":
    main()
