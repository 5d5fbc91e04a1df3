"""The registries are the one list of check types, fact kinds, platforms and report formats; everything that
lists them is derived, and drift fails here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.checks import CHECK_TYPES, FACT_KINDS
from grader.docs import LAB_FORMAT, check_table, with_check_table
from grader.errors import UnsupportedError
from grader.loader import load_topology
from grader.model.report import GradeReport
from grader.platforms import PLATFORM_NAMES, all_platforms, get_platform, platform_for_kind
from grader.reporters import FORMATS, format_names, render
from grader.reporters.registry import report_format

ROOT = Path(__file__).resolve().parents[2]


def test_every_check_reads_registered_kinds_only() -> None:
    for check in CHECK_TYPES.values():
        assert check.fact_kinds and all(kind in FACT_KINDS for kind in check.fact_kinds), check.name


@pytest.mark.parametrize("platform", all_platforms(), ids=lambda p: p.name)
def test_platform_tables_name_registered_kinds(platform) -> None:
    assert set(platform.facts) <= set(FACT_KINDS), set(platform.facts) - set(FACT_KINDS)
    assert set(platform.unsupported) <= set(FACT_KINDS), set(platform.unsupported) - set(FACT_KINDS)
    assert not set(platform.facts) & set(platform.unsupported)
    for kind in FACT_KINDS:  # what a lab author reads when a platform lacks a fact: one line, with a reason
        if not platform.supports(kind):
            with pytest.raises(UnsupportedError, match=rf"^platform '{platform.name}' cannot provide fact "
                                                       rf"'{kind}': \S"):
                platform.spec(kind)


def test_platform_names_come_from_the_registry(tmp_path: Path) -> None:
    assert [p.name for p in all_platforms()] == list(PLATFORM_NAMES)
    assert platform_for_kind("cisco_iol") == "cisco_ios" and platform_for_kind("nokia_srlinux") is None
    topology = tmp_path / "t.clab.yml"
    topology.write_text("name: t\ntopology:\n  nodes:\n    r1: {kind: linux, labels: {labgrader.platform: frrr}}\n")
    with pytest.raises(Exception, match=r"t.clab.yml:4: .*unknown platform 'frrr' \(did you mean 'frr'\?\)"):
        load_topology(topology)
    topology.write_text("name: t\ntopology:\n  nodes:\n    r1: {kind: cisco_iol}\n    h1: {kind: linux}\n")
    nodes = load_topology(topology).nodes
    assert (nodes["r1"].platform, nodes["h1"].platform) == ("cisco_ios", "linux")


def test_session_profiles_are_typed_and_the_transport_names_no_platform() -> None:
    source = (ROOT / "grader" / "transport" / "netmiko_cli.py").read_text() + \
        (ROOT / "grader" / "transport" / "cli.py").read_text()
    for name in PLATFORM_NAMES:
        assert f'"{name}"' not in source and f"'{name}'" not in source, name
    for platform in all_platforms():
        assert platform.session.prompt and (platform.session.ssh_device_type or platform.session.telnet_device_type)


def test_lab_format_check_table_is_generated() -> None:
    document = LAB_FORMAT.read_text(encoding="utf-8")
    assert with_check_table(document) == document, "regenerate: python -m grader.docs"
    for name in CHECK_TYPES:
        assert f"| `{name}` |" in check_table()


def test_lab_schema_offers_every_registered_check() -> None:
    schema = json.loads((ROOT / "grader" / "schemas" / "lab.schema.json").read_text())
    offered = {d["properties"]["type"]["const"] for n, d in schema["$defs"].items() if n.endswith("Check")}
    assert offered == set(CHECK_TYPES)


def test_report_formats_declare_what_they_read_and_write() -> None:
    assert set(format_names()) == {"terminal", "json", "junit", "gradescope", "markdown", "html"}
    assert all(f.reads in ("report", "class") and f.writes in ("text", "bytes") for f in FORMATS.values())
    with pytest.raises(ValueError, match="registered twice"):
        report_format("json", summary="again", suffix=".json")(lambda report, options: "")


def test_report_identity_and_old_reports_still_load() -> None:
    old = json.loads(render(_report(), "json"))
    old["schema_version"] = "1.0"
    del old["student"], old["submission"]
    loaded = GradeReport.model_validate(old)
    assert loaded.student is None and loaded.submission is None
    named = _report().model_copy(update={"student": "s042", "submission": "bundle-7.zip"})
    data = json.loads(render(named, "json"))
    assert (data["schema_version"], data["student"], data["submission"]) == ("1.1", "s042", "bundle-7.zip")


def _report() -> GradeReport:
    from grader.engine.session import grade_capture
    from grader.loader import load_lab

    lab = ROOT / "labs" / "hcia-static-routing"
    return grade_capture(load_lab(lab), lab / "submissions" / "solution").report


def test_vrpv8_is_the_vrp_table_with_its_own_ssh_driver() -> None:
    assert get_platform("huawei_vrpv8").session.ssh_device_type == "huawei_vrpv8"
    assert get_platform("huawei_vrp").session.ssh_device_type == "huawei"


@pytest.mark.parametrize("platform", all_platforms(), ids=lambda p: p.name)
def test_every_parsed_fact_uses_a_template_of_ours(platform) -> None:
    """ntc-templates' templates may drop lines silently; every command a platform parses goes to one of our
    exact templates (which end every state with `^. -> Error`)."""
    from grader.errors import GraderError
    from grader.model.facts import FactRequest
    from grader.parsing import find_template, project_template_dir

    checked = 0
    for kind, spec in platform.facts.items():
        if not spec.parsed:
            continue
        try:
            command = spec.command_for(FactRequest.make("r1", kind))
        except (GraderError, KeyError):
            continue  # needs arguments
        template = find_template(platform.template_platform, command)
        assert template.parent == project_template_dir(), (kind, command, template)
        assert "^. -> Error" in template.read_text(), template.name
        checked += 1
    assert checked >= 1
