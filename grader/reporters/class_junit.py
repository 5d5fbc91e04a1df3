"""JUnit XML for the class: ``<testsuites>`` holding one ``<testsuite>`` per student (named by the student id,
one ``<testcase>`` per objective, as the ``junit`` format writes it for one report). A student without a
report (refused, or not graded) gets a suite with one ``submission`` testcase in error, saying why."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.model.class_results import ClassResults
from grader.model.classwork import JournalEntry
from grader.reporters import junit
from grader.reporters.class_stats import one_line, rows
from grader.reporters.junit import _clean as xml_text
from grader.reporters.registry import PLAIN, RenderOptions, report_format

COUNTS = ("tests", "failures", "errors", "skipped")


def _properties(entry: JournalEntry) -> list[tuple[str, str]]:
    pairs = [("student", entry.student), ("student.name", entry.name), ("status", entry.status)]
    return pairs + ([("reason", one_line(entry.reason))] if entry.reason else [])


def _without_report(entry: JournalEntry, lab: str) -> ET.Element:
    suite = ET.Element("testsuite", {
        "name": xml_text(entry.student), "tests": "1", "failures": "0", "errors": "1", "skipped": "0",
        "time": f"{max(entry.seconds, 0):.3f}", "timestamp": entry.finished.isoformat(timespec="seconds"),
    })
    ET.SubElement(suite, "properties")
    case = ET.SubElement(suite, "testcase", {"classname": xml_text(lab), "name": "submission", "time": "0.000"})
    message = f"{entry.status}: {one_line(entry.reason or 'no report')}"
    ET.SubElement(case, "error", {"message": xml_text(message)})
    return suite


@report_format("junit-class", reads="class", suffix=".xml",
               summary="JUnit XML: a testsuite per student, a testcase per objective")
def render(results: ClassResults, options: RenderOptions = PLAIN) -> str:
    """The class as one JUnit XML document (UTF-8 declaration included)."""
    lab = results.batch.lab
    root = ET.Element("testsuites", {"name": xml_text(lab)})
    totals = dict.fromkeys(COUNTS, 0)
    seconds = 0.0
    for entry, report in rows(results):
        suite = _without_report(entry, lab) if report is None else ET.fromstring(junit.render(report))
        suite.set("name", xml_text(entry.student))
        properties = suite.find("properties")
        if properties is None:
            properties = ET.Element("properties")
            suite.insert(0, properties)
        for n, (name, value) in enumerate(_properties(entry)):
            properties.insert(n, ET.Element("property", {"name": name, "value": xml_text(value)}))
        for key in COUNTS:
            totals[key] += int(suite.get(key, "0"))
        seconds += float(suite.get("time", "0"))
        root.append(suite)
    root.attrib.update({key: str(value) for key, value in totals.items()})
    root.set("time", f"{seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
