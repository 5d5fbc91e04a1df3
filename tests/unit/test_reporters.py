"""Reporters read one GradeReport and write one format; each output is checked against its format's rules."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from grader.model.report import (
    CheckResult,
    Evidence,
    GradeReport,
    LabInfo,
    NodeStatus,
    ObjectiveResult,
    Outcome,
)
from grader.reporters import (
    format_names,
    gradescope,
    html,
    json_report,
    junit,
    markdown,
    render,
    student_view,
    terminal,
)

JUNIT_XSD = Path(__file__).parent / "data" / "junit.xsd"
STARTED = datetime(2025, 3, 4, 10, 0, 0, tzinfo=UTC)
HIDDEN_SECRETS = ("OSPF MD5 authentication", "secret-md5-auth", "md5 key 7", "authentication mode", "use key 7")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _report(objectives: list[ObjectiveResult], nodes: list[NodeStatus] | None = None) -> GradeReport:
    score = sum(o.score for o in objectives)
    max_score = sum(o.points for o in objectives)
    counts = {o.value: sum(obj.outcome is o for obj in objectives) for o in Outcome}
    return GradeReport(
        tool_version="0.1.0",
        lab=LabInfo(id="ospf-basics", title="OSPF basics & friends", track="routing", level="intro"),
        variables={"seed": 7},
        source="capture:labs/ospf-basics/submissions/alice",
        started=STARTED,
        finished=STARTED + timedelta(seconds=42.4),
        score=score,
        max_score=max_score,
        percentage=round(100 * score / max_score, 1),
        passed=all(o.outcome is Outcome.PASS for o in objectives),
        counts=counts,
        nodes=nodes or [NodeStatus(node="r1", platform="frr", commands=3)],
        objectives=objectives,
    )


def all_pass_report() -> GradeReport:
    return _report([
        ObjectiveResult(id="addressing", title="Interfaces addressed", points=2, score=2, outcome=Outcome.PASS,
                        message="all 4 addresses present"),
        ObjectiveResult(id="ospf-up", title="OSPF neighbours", points=3, score=3, outcome=Outcome.PASS,
                        message="r1 sees r2 FULL"),
    ])


NEIGHBOUR_ROWS = [
    {"neighbor_id": f"10.0.0.{i}", "state": "INIT" if i == 2 else "FULL", "interface": f"eth{i}"}
    for i in range(1, 7)
]


def mixed_report() -> GradeReport:
    """Every outcome, two hidden objectives, evidence rows and a device excerpt with control characters."""
    ospf_check = CheckResult(
        type="ospf_neighbor", node="r1", outcome=Outcome.FAIL,
        message="r1: expected neighbour 10.0.0.2 FULL on eth2, saw INIT",
        expected="FULL", observed="INIT",
        evidence=[Evidence(node="r1", command="show ip ospf neighbor", rows=NEIGHBOUR_ROWS)],
    )
    bgp_check = CheckResult(
        type="bgp_session", node="r3", outcome=Outcome.ERROR,
        message="r3: could not read 'show bgp summary': timeout",
        evidence=[Evidence(node="r3", command="show bgp summary",
                           excerpt="\x1b[31m% timeout\x1b[0m\nnext-hop <none> [/] [bold]x\x00y")],
    )
    hidden_check = CheckResult(
        type="config_line", node="r2", outcome=Outcome.FAIL, message="r2: expected md5 key 7, saw none",
        evidence=[Evidence(node="r2", command="show running-config",
                           excerpt="interface eth1\n ip ospf authentication mode")],
    )
    return _report(
        [
            ObjectiveResult(id="addressing", title="Interfaces addressed", points=2, score=2,
                            outcome=Outcome.PASS, message="all 4 addresses present",
                            checks=[CheckResult(type="interface_ip", node="r1", outcome=Outcome.PASS,
                                                message="r1 eth1 has 10.0.0.1/24")]),
            ObjectiveResult(id="ospf-adjacency", title="OSPF | area 0 adjacency", points=3, score=0,
                            outcome=Outcome.FAIL, message=ospf_check.message, waited_s=12.5,
                            feedback="Compare hello | dead timers on both ends of eth2",
                            checks=[ospf_check]),
            ObjectiveResult(id="bgp-session", title="BGP session r3-r4", points=3, score=0,
                            outcome=Outcome.ERROR, message=bgp_check.message, checks=[bgp_check]),
            ObjectiveResult(id="isis", title="IS-IS level 2", points=1, score=0, outcome=Outcome.SKIP,
                            message="skipped: requires ospf-adjacency and secret-md5-auth",
                            requires=["ospf-adjacency", "secret-md5-auth"]),
            ObjectiveResult(id="secret-md5-auth", title="OSPF MD5 authentication", points=2, score=0,
                            outcome=Outcome.FAIL, message=hidden_check.message, hidden=True,
                            feedback="use key 7 on eth1", checks=[hidden_check]),
            ObjectiveResult(id="lo-advertised", title="Loopback advertised", points=1, score=1,
                            outcome=Outcome.PASS, message="10.255.0.1/32 in r4's table", hidden=True),
        ],
        nodes=[NodeStatus(node="r1", platform="frr", commands=3),
               NodeStatus(node="r3", platform="cisco_ios", commands=0, error="timeout after 30 s")],
    )


@pytest.fixture
def all_pass() -> GradeReport:
    return all_pass_report()


@pytest.fixture
def mixed() -> GradeReport:
    return mixed_report()


# --- dispatch and the student view ----------------------------------------------------------------------


def test_unknown_format_names_the_known_ones(mixed: GradeReport) -> None:
    with pytest.raises(ValueError, match="pdf") as err:
        render(mixed, "pdf")
    assert all(fmt in str(err.value) for fmt in format_names())


@pytest.mark.parametrize("fmt", format_names())
def test_dispatch_matches_module(mixed: GradeReport, fmt: str) -> None:
    module = {"terminal": terminal, "json": json_report, "junit": junit, "gradescope": gradescope,
              "markdown": markdown, "html": html}[fmt]
    assert render(mixed, fmt) == module.render(mixed)
    assert ("\x1b[" in render(mixed, fmt, color=True)) is (fmt == "terminal")  # colour is for terminals only


@pytest.mark.parametrize("fmt", format_names())
def test_student_view_hides_hidden_details_everywhere(mixed: GradeReport, fmt: str) -> None:
    shown = render(mixed, fmt)
    hidden = render(mixed, fmt, show_hidden=False)
    assert "OSPF MD5 authentication" in shown
    for secret in HIDDEN_SECRETS:
        assert secret not in hidden, secret
    assert "hidden objective" in hidden
    assert "OSPF | area 0 adjacency" in shown.replace("\\|", "|")


def test_student_view_keeps_score_and_rewrites_requires(mixed: GradeReport) -> None:
    view = student_view(mixed)
    assert (view.score, view.max_score, view.percentage) == (mixed.score, mixed.max_score, mixed.percentage)
    assert [o.id for o in view.objectives] == [
        "addressing", "ospf-adjacency", "bgp-session", "isis", "hidden-1", "hidden-2"]
    assert view.objectives[3].requires == ["ospf-adjacency", "hidden-1"]
    assert [(o.outcome, o.score, o.points, o.checks, o.feedback) for o in view.objectives[4:]] == [
        (Outcome.FAIL, 0, 2, [], None), (Outcome.PASS, 1, 1, [], None)]
    assert view.objectives[3].message == "skipped: requires ospf-adjacency and hidden-1"
    assert mixed.objectives[4].title == "OSPF MD5 authentication"  # the original is untouched


def test_student_view_without_hidden_objectives_is_the_report(all_pass: GradeReport) -> None:
    assert student_view(all_pass) == all_pass


# --- terminal --------------------------------------------------------------------------------------------


def test_terminal_plain_has_no_escape_codes_and_colour_has(mixed: GradeReport) -> None:
    plain = terminal.render(mixed)
    coloured = terminal.render(mixed, color=True)
    assert "\x1b" not in plain  # the device's own escape sequences are dropped too
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured).split() == plain.split()
    assert max(len(line) for line in plain.splitlines()) <= terminal.WIDTH


def test_terminal_header_table_details_summary(mixed: GradeReport) -> None:
    out = terminal.render(mixed)
    head = out.split("What did not pass")[0]
    details = out.split("What did not pass")[1]
    assert "OSPF basics & friends" in head and "capture:labs/ospf-basics/submissions/alice" in head
    assert "score: 3/12 (25.0%)" in head and "NOT PASSED" in head
    assert "12.5 s" in head  # waited_s column
    assert re.search(r"ospf-adjacency .*FAIL +0/3", head)
    assert "node r3 (cisco_ios) could not be read: timeout after 30 s" in head
    # details: every non-PASS objective, none of the passing ones, with evidence
    assert all(i in details for i in ("ospf-adjacency", "bgp-session", "isis", "secret-md5-auth"))
    assert "addressing" not in details and "lo-advertised" not in details
    assert "r1# show ip ospf neighbor" in details
    assert "10.0.0.5" in details and "10.0.0.6" not in details and "… 1 more row" in details
    assert "hint: Compare hello | dead timers" in details
    assert "[/] [bold]x" in details  # device text is not read as rich markup
    assert out.rstrip().splitlines()[-1].startswith("6 objectives: 2 PASS, 2 FAIL, 1 ERROR, 1 SKIP")


def test_terminal_all_pass_has_no_details(all_pass: GradeReport) -> None:
    out = terminal.render(all_pass)
    assert "What did not pass" not in out and "PASSED" in out and "Waited" not in out
    assert "2 objectives: 2 PASS, 0 FAIL, 0 ERROR, 0 SKIP" in out


# --- JSON and its schema ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_schema() -> dict:
    return json.loads(json_report.SCHEMA_PATH.read_text(encoding="utf-8"))


def test_committed_schema_is_generated_one(report_schema: dict) -> None:
    assert report_schema == json_report.report_schema(), "run: python -m grader.reporters.json_report"
    assert report_schema["$id"].endswith(GradeReport.model_fields["schema_version"].default)


def test_json_round_trips_in_model_order(mixed: GradeReport) -> None:
    out = json_report.render(mixed)
    data = json.loads(out)
    assert list(data) == list(GradeReport.model_fields)
    assert list(data["objectives"][0]) == list(ObjectiveResult.model_fields)
    assert GradeReport.model_validate_json(out) == mixed
    assert data["objectives"][1]["outcome"] == "fail"
    assert out.startswith('{\n  "schema_version": "1.1",')


@pytest.mark.parametrize("show_hidden", [True, False])
def test_json_validates_against_schema(mixed: GradeReport, report_schema: dict, show_hidden: bool) -> None:
    data = json.loads(render(mixed, "json", show_hidden=show_hidden))
    jsonschema.Draft202012Validator.check_schema(report_schema)
    jsonschema.validate(data, report_schema, cls=jsonschema.Draft202012Validator)


def test_schema_rejects_a_broken_report(mixed: GradeReport, report_schema: dict) -> None:
    data = json.loads(json_report.render(mixed))
    data["objectives"][0]["outcome"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_schema, cls=jsonschema.Draft202012Validator)
    del data["lab"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_schema, cls=jsonschema.Draft202012Validator)


# --- JUnit XML -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def junit_xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(JUNIT_XSD)


@pytest.mark.parametrize("name", ["all_pass", "mixed"])
@pytest.mark.parametrize("show_hidden", [True, False])
def test_junit_is_valid(request: pytest.FixtureRequest, junit_xsd: xmlschema.XMLSchema, name: str,
                        show_hidden: bool) -> None:
    report = request.getfixturevalue(name)
    out = render(report, "junit", show_hidden=show_hidden)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    junit_xsd.validate(out)


def test_junit_xsd_is_not_vacuous(junit_xsd: xmlschema.XMLSchema) -> None:
    assert junit_xsd.is_valid('<testsuite name="x" tests="1"><testcase name="a"/></testsuite>')
    assert not junit_xsd.is_valid('<testsuite name="x" tests="1"><testcase/></testsuite>')
    assert not junit_xsd.is_valid('<testsuite name="x" tests="-1"/>')
    assert not junit_xsd.is_valid('<testsuite name="x" tests="1"><testcase name="a"><oops/></testcase></testsuite>')


def test_junit_counts_and_elements(mixed: GradeReport) -> None:
    suite = ET.fromstring(junit.render(mixed))
    assert suite.tag == "testsuite"
    assert {k: suite.get(k) for k in ("name", "tests", "failures", "errors", "skipped", "time")} == {
        "name": "ospf-basics", "tests": "6", "failures": "2", "errors": "1", "skipped": "1", "time": "42.400"}
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases][:2] == ["addressing: Interfaces addressed",
                                                   "ospf-adjacency: OSPF | area 0 adjacency"]
    assert {c.get("classname") for c in cases} == {"ospf-basics"}
    assert [[child.tag for child in c] for c in cases] == [[], ["failure"], ["error"], ["skipped"], ["failure"], []]
    failure = cases[1].find("failure")
    assert failure is not None and "\n" not in failure.get("message", "")
    assert "r1# show ip ospf neighbor" in (failure.text or "")
    assert cases[1].get("time") == "12.500"
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert (props["score"], props["max_score"]) == ("3", "12")


def test_junit_strips_characters_xml_cannot_carry(mixed: GradeReport) -> None:
    out = junit.render(mixed)
    assert "\x00" not in out and "\x1b" not in out
    error = ET.fromstring(out).find("testcase/error")
    assert error is not None and "next-hop <none> [/] [bold]x\ufffdy" in (error.text or "")


# --- Gradescope ------------------------------------------------------------------------------------------

# Fields of results.json in Gradescope's "Autograder Specifications", with the JSON types they take.
GS_TOP = {"score": (int, float), "execution_time": (int, float), "output": str, "output_format": str,
          "test_output_format": str, "test_name_format": str, "visibility": str, "stdout_visibility": str,
          "extra_data": dict, "tests": list, "leaderboard": list}
GS_TEST = {"score": (int, float), "max_score": (int, float), "status": str, "name": str, "name_format": str,
           "number": str, "output": str, "output_format": str, "tags": list, "visibility": str,
           "extra_data": dict}
GS_VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def _check_gradescope_types(data: dict) -> None:
    for key, value in data.items():
        assert key in GS_TOP, key
        assert isinstance(value, GS_TOP[key]) and not isinstance(value, bool), key
    for test in data["tests"]:
        for key, value in test.items():
            assert key in GS_TEST, key
            assert isinstance(value, GS_TEST[key]) and not isinstance(value, bool), key
        assert test["status"] in {"passed", "failed"}
        assert test["visibility"] in GS_VISIBILITY
    assert data["visibility"] in GS_VISIBILITY and data["stdout_visibility"] in GS_VISIBILITY


@pytest.mark.parametrize("show_hidden", [True, False])
def test_gradescope_documented_fields_only(mixed: GradeReport, show_hidden: bool) -> None:
    data = json.loads(render(mixed, "gradescope", show_hidden=show_hidden))
    _check_gradescope_types(data)
    assert set(data) == {"score", "execution_time", "output", "output_format", "visibility", "stdout_visibility",
                         "tests"}
    assert data["output_format"] == "simple_format"
    assert all(set(t) == {"name", "number", "score", "max_score", "status", "output", "output_format", "visibility"}
               and t["output_format"] == "text" for t in data["tests"])


def test_gradescope_scores_statuses_visibility(mixed: GradeReport) -> None:
    data = json.loads(gradescope.render(mixed))
    tests = data["tests"]
    assert data["score"] == sum(t["score"] for t in tests) == 3
    assert data["execution_time"] == 42
    assert [t["number"] for t in tests] == ["1", "2", "3", "4", "5", "6"]
    assert [t["status"] for t in tests] == ["passed", "failed", "failed", "failed", "failed", "passed"]
    assert [t["visibility"] for t in tests] == ["visible"] * 4 + ["hidden"] * 2
    assert [t["max_score"] for t in tests] == [2, 3, 3, 1, 2, 1]
    assert tests[2]["output"].startswith("Could not be graded: r3: could not read")
    assert tests[3]["output"].startswith("Not graded (skipped): ")
    assert "Hint: Compare hello | dead timers" in tests[1]["output"]
    assert "r1# show ip ospf neighbor" in tests[1]["output"]


def test_gradescope_top_level_output_names_no_hidden_objective(mixed: GradeReport) -> None:
    output = json.loads(gradescope.render(mixed))["output"]
    assert not any(secret in output for secret in HIDDEN_SECRETS)
    assert "OSPF basics &amp; friends: 3/12 points (25.0%)" in output  # rendered as HTML by Gradescope
    assert "2 PASS, 2 FAIL, 1 ERROR, 1 SKIP" in output


# --- Markdown --------------------------------------------------------------------------------------------

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _table_rows(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("| ")]


def test_markdown_table_is_safe_for_pipes(mixed: GradeReport) -> None:
    rows = _table_rows(markdown.render(mixed))
    assert len(rows) == 2 + len(mixed.objectives)  # header, rule, one per objective
    assert all(len(UNESCAPED_PIPE.findall(row)) == 6 for row in rows)
    assert r"OSPF \| area 0 adjacency" in rows[3]
    assert "**FAIL**" in rows[3] and "0/3" in rows[3]


def test_markdown_heading_score_and_fixes(mixed: GradeReport) -> None:
    out = markdown.render(mixed)
    assert out.startswith("# OSPF basics \\& friends\n")
    assert "**Score: 3/12 (25.0%)** — not passed · 2 PASS, 2 FAIL, 1 ERROR, 1 SKIP" in out
    fixes = out.split("## What to fix")[1]
    assert [m for m in re.findall(r"^- \*\*([^*]+)\*\*", fixes, re.M)] == [
        "ospf-adjacency", "bgp-session", "secret-md5-auth"]
    assert r"*Hint:* Compare hello \| dead timers" in fixes
    assert "**r3** (cisco\\_ios): timeout after 30 s" in out


def test_markdown_escapes_markup_in_device_text(mixed: GradeReport) -> None:
    report = mixed.model_copy(update={"objectives": [mixed.objectives[0].model_copy(
        update={"message": "route <none> via *eth0* [x](y)", "outcome": Outcome.FAIL})]})
    row = _table_rows(markdown.render(report))[2]
    assert r"route \<none\> via \*eth0\* \[x\](y)" in row


def test_markdown_all_pass(all_pass: GradeReport) -> None:
    out = markdown.render(all_pass)
    assert "Nothing failed." in out and "— passed ·" in out


# --- hostile text ---------------------------------------------------------------------------------------------

HOSTILE = "Lab\x1b]0;pwned\x07 \u202etxt.exe\u202c \x1b[31mred\x1b[0m \x00\x7f \udc80 end"


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "junit", "gradescope", "json", "html"])
def test_control_characters_bidi_and_surrogates_never_reach_the_output(mixed: GradeReport, fmt: str) -> None:
    objectives = [o.model_copy(update={"title": HOSTILE, "message": HOSTILE,
                                       "checks": [c.model_copy(update={"message": HOSTILE}) for c in o.checks]})
                  for o in mixed.objectives]
    hostile = mixed.model_copy(update={"lab": mixed.lab.model_copy(update={"title": HOSTILE}),
                                       "source": HOSTILE, "warnings": [HOSTILE], "objectives": objectives})
    out = render(hostile, fmt)
    text = out.decode() if isinstance(out, bytes) else out
    text.encode("utf-8")  # no lone surrogate: this would raise
    for bad in ("\x1b", "\x07", "\u202e", "\u202c", "\x00", "\x7f"):
        assert bad not in text, (fmt, repr(bad))
    if fmt in ("json", "gradescope"):
        json.loads(text)  # valid JSON, NaN/Infinity never allowed
        assert "\\u001b" not in text or fmt == "json"
    assert "end" in text and "red" in text


# --- html -------------------------------------------------------------------------------------------------


def test_html_is_one_self_contained_page(mixed: GradeReport) -> None:
    page = render(mixed.model_copy(update={"student": "s001", "warnings": ["r2 reports r1 as Full at 10.0.12.9"]}),
                  "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for fetches in ("<script", "<link", "<img", "src=", "href=", "url(", "@import"):
        assert fetches not in page, fetches
    assert "0/3" in page and "OSPF | area 0 adjacency" in page  # score and objectives
    assert "Hint: Compare hello | dead timers on both ends of eth2" in page
    assert "<td>10.0.0.2</td><td>INIT</td><td>eth2</td>" in page  # evidence rows
    assert "… 1 more rows" in page  # six rows, five shown
    assert "r2 reports r1 as Full at 10.0.12.9" in page and "student s001" in page
    assert "timeout after 30 s" in page  # the node that could not be read


def test_html_escapes_markup_from_devices(mixed: GradeReport) -> None:
    evil = mixed.model_copy(update={"warnings": ['<script>alert("x")</script>'],
                                    "lab": mixed.lab.model_copy(update={"title": "<b>lab</b>"})})
    page = render(evil, "html")
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<b>lab</b>" not in page and "&lt;b&gt;lab&lt;/b&gt;" in page
    assert "[bold]x" in page and "\x00" not in page  # excerpts are shown as text


# --- self-check -----------------------------------------------------------------------------------------


def test_self_check_names_no_hidden_objective(mixed: GradeReport) -> None:
    from grader.reporters.selfcheck import render_self_check

    text = render_self_check(mixed.model_copy(update={"student": "s001"}))
    for secret in (*HIDDEN_SECRETS, "lo-advertised", "Loopback advertised", "10.255.0.1/32"):
        assert secret not in text, secret
    assert "2 hidden objectives (3 points) are graded by your instructor and not shown here" in text
    assert "visible objectives: 2/9 points, 1 of 4 passed" in text
    assert "hint: Compare hello | dead timers on both ends of eth2" in text
    assert "r1: expected neighbour 10.0.0.2 FULL on eth2, saw INIT" in text
    assert "skipped: requires ospf-adjacency and hidden-1" in text
    assert "self-check for s001" in text and "\x1b" not in text
