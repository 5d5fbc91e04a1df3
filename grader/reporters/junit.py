"""JUnit XML report: one ``<testsuite>`` for the lab, one ``<testcase>`` per objective."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.model.report import GradeReport, ObjectiveResult, Outcome
from grader.reporters.registry import PLAIN, RenderOptions, report_format
from grader.reporters.text import detail_lines, duration_s, is_redacted, num, one_line, outcome_counts, title_of

# Characters XML 1.0 cannot carry (device output may hold escape sequences or NULs).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ELEMENT = {Outcome.FAIL: "failure", Outcome.ERROR: "error", Outcome.SKIP: "skipped"}


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _details(obj: ObjectiveResult) -> str:
    if is_redacted(obj):
        return ""
    lines = [f"hint: {obj.feedback.strip()}"] if obj.feedback else []
    lines += detail_lines(obj)
    return _clean("\n".join(lines))


def _testcase(suite: ET.Element, lab_id: str, obj: ObjectiveResult) -> None:
    case = ET.SubElement(suite, "testcase", {
        "classname": _clean(lab_id),
        "name": _clean(f"{obj.id}: {title_of(obj)}"),
        "time": f"{obj.waited_s or 0:.3f}",
    })
    tag = _ELEMENT.get(obj.outcome)
    if tag is None:
        return
    message = one_line(obj.message) or f"{obj.outcome} ({num(obj.score)}/{num(obj.points)} points)"
    child = ET.SubElement(case, tag, {"message": _clean(message)})
    child.text = _details(obj) or None


@report_format('junit', summary='JUnit XML: a testsuite for the lab, a testcase per objective', suffix='.xml')
def render(report: GradeReport, options: RenderOptions = PLAIN) -> str:
    """The report as a JUnit XML document (UTF-8 declaration included)."""
    counts = outcome_counts(report)
    suite = ET.Element("testsuite", {
        "name": _clean(report.lab.id),
        "tests": str(len(report.objectives)),
        "failures": str(counts[Outcome.FAIL]),
        "errors": str(counts[Outcome.ERROR]),
        "skipped": str(counts[Outcome.SKIP]),
        "time": f"{duration_s(report):.3f}",
        "timestamp": report.started.isoformat(timespec="seconds"),
    })
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("lab.title", report.lab.title),
        ("source", report.source),
        ("score", num(report.score)),
        ("max_score", num(report.max_score)),
        ("percentage", f"{report.percentage:.1f}"),
        ("tool_version", report.tool_version),
        ("schema_version", report.schema_version),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": _clean(value)})
    for n, warning in enumerate(report.warnings, start=1):
        ET.SubElement(properties, "property", {"name": f"warning.{n}", "value": _clean(warning)})
    for obj in report.objectives:
        _testcase(suite, report.lab.id, obj)
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
