"""JSON Schema of the lab file, generated from the models so editors can validate and complete lab files.

In the schema every check is one of the check types, each with ``type`` fixed and its own parameters, so an
editor offers exactly the parameters of the type being written. Regenerate with
``python -m grader.lab_schema > grader/schemas/lab.schema.json`` (a test fails when it drifts).
"""

from __future__ import annotations

import json
from typing import Any, Literal, Union

from pydantic import ConfigDict, Field, create_model

from grader.checks import CHECK_TYPES
from grader.model.lab import Lab

SCHEMA_ID = "urn:labgrader:schema:lab:1"


def lab_json_schema() -> dict[str, Any]:
    variants = []
    for name, check in CHECK_TYPES.items():
        model = create_model(  # type: ignore[call-overload]
            f"{check.Params.__name__.removesuffix('Params')}Check",
            __base__=check.Params,
            __config__=None,
            type=(Literal[name], Field(description=check.summary)),
        )
        model.model_config = ConfigDict(extra="forbid", title=f"{name} check")
        variants.append(model)
    check_union = Union[tuple(variants)]  # noqa: UP007 - built at run time
    objective = create_model("ObjectiveSchema", __base__=Lab.model_fields["objectives"].annotation.__args__[0],
                             checks=(list[check_union], Field(min_length=1)))
    lab = create_model("LabSchema", __base__=Lab, objectives=(list[objective], Field(min_length=1)))
    schema = lab.model_json_schema(by_alias=True)
    for name, definition in schema["$defs"].items():
        if name.endswith("Check"):
            _allow_templates(definition)
    # ``name: value`` is short for ``name: {default: value}``
    schema["properties"]["variables"]["additionalProperties"] = {
        "anyOf": [{"$ref": "#/$defs/Variable"}, {"not": {"type": "object"}}]}
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
              "title": "labgrader lab file", **{k: v for k, v in schema.items() if k != "title"}}
    return schema


# A check parameter may be a Jinja template of the lab variables, whatever its type once rendered.
TEMPLATE = {"type": "string", "pattern": "\\{\\{.*\\}\\}", "description": "a Jinja template of lab variables"}
_KEEP = {"title", "description", "default"}


def _allow_templates(definition: dict[str, Any]) -> None:
    for key, prop in definition.get("properties", {}).items():
        if key == "type" or prop.get("type") == "string":
            continue
        inner = {k: v for k, v in prop.items() if k not in _KEEP}
        definition["properties"][key] = {**{k: v for k, v in prop.items() if k in _KEEP},
                                         "anyOf": [inner, TEMPLATE]}


def render() -> str:
    return json.dumps(lab_json_schema(), indent=2, sort_keys=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
