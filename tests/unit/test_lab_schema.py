"""The published lab-file JSON Schema: current with the models, accepts the bundled labs, rejects typos."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from grader.lab_schema import lab_json_schema, render

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "grader" / "schemas" / "lab.schema.json"


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text() == render(), "regenerate: python -m grader.lab_schema > " + str(SCHEMA_FILE)


@pytest.mark.parametrize("lab", sorted(ROOT.glob("labs/*/lab.yaml")), ids=lambda p: p.parent.name)
def test_bundled_labs_validate(lab: Path) -> None:
    jsonschema.validate(yaml.safe_load(lab.read_text()), lab_json_schema())


@pytest.mark.parametrize("name", ["misspelt_param", "unknown_check_type", "misspelt_objective_key",
                                  "negative_points"])
def test_broken_labs_fail_the_schema(name: str) -> None:
    data = yaml.safe_load((ROOT / "tests" / "data" / "broken_labs" / f"{name}.yaml").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text()))


@pytest.mark.parametrize("ipv6", ["2001:db8::1/64", ["fe80::1", "2001:db8::1/64"]])
def test_interface_ipv6_is_one_address_or_a_list(ipv6: object) -> None:
    """The model takes a single address as a list of one: the schema must not flag it in an editor."""
    lab = {"id": "x", "title": "x", "topology": "t.yml", "objectives": [{
        "id": "o", "title": "o", "points": 1,
        "checks": [{"type": "interface", "node": "r1", "interface": "eth1", "ipv6": ipv6}]}]}
    jsonschema.validate(lab, json.loads(SCHEMA_FILE.read_text()))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**lab, "objectives": [{**lab["objectives"][0], "checks": [
            {"type": "interface", "node": "r1", "interface": "eth1", "ipv6": 64}]}]},
            json.loads(SCHEMA_FILE.read_text()))
