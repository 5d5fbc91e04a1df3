"""JSON report (``GradeReport.model_dump(mode="json")``) and the JSON Schema it is published with.

Regenerate the committed schema after changing ``grader.model.report``::

    python -m grader.reporters.json_report
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.model.report import REPORT_SCHEMA_VERSION, GradeReport
from grader.reporters.registry import PLAIN, RenderOptions, report_format

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "report.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@report_format('json', summary='the GradeReport as JSON (schema grader/schemas/report.schema.json)', suffix='.json')
def render(report: GradeReport, options: RenderOptions = PLAIN) -> str:
    """The report as JSON, keys in the order the model declares them."""
    return json.dumps(report.model_dump(mode="json"), indent=2, allow_nan=False) + "\n"


def report_schema() -> dict[str, Any]:
    """The JSON Schema of a report, identified by its schema version."""
    generated = GradeReport.model_json_schema()
    generated.pop("title", None)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:labgrader:schema:report:{REPORT_SCHEMA_VERSION}",
        "title": f"labgrader grade report, schema version {REPORT_SCHEMA_VERSION}",
        **generated,
    }


def schema_text() -> str:
    """The schema exactly as committed in ``grader/schemas/report.schema.json``."""
    return json.dumps(report_schema(), indent=2) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
