"""The lab file (``labs/<id>/lab.yaml``) as typed models.

A check is written flat in YAML (``type`` beside its parameters); here it is kept as ``CheckSpec`` with its raw
parameters, and each check type validates them (``grader.checks``), so a misspelt parameter is an error.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from grader.model.pools import Pool

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


class Variable(BaseModel):
    """A lab variable: a default value students/instructors may override, and optionally the ``pool`` each
    student's own value is drawn from (per-student variants, ``grader.classwork.variants``)."""

    model_config = ConfigDict(extra="forbid")

    default: Any = None
    description: str | None = None
    pool: Pool | None = Field(default=None, description="where each student's value comes from (variants)")


class Feedback(BaseModel):
    """What a student reads after grading: ``pass`` when the objective passed, ``fail`` (a hint) otherwise."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    pass_: str | None = Field(default=None, alias="pass")
    fail: str | None = None


class CheckSpec(BaseModel):
    """One check: its type and raw parameters (validated later by the check type)."""

    model_config = ConfigDict(extra="allow")

    type: str

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Objective(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    points: float = Field(gt=0, le=10_000, allow_inf_nan=False)
    checks: list[CheckSpec] = Field(min_length=1)
    feedback: Feedback = Field(default_factory=Feedback)
    hidden: bool = False
    requires: list[str] = Field(default_factory=list)
    wait: float = Field(default=0, ge=0, le=3600, allow_inf_nan=False,
                        description="live mode: seconds to keep re-checking before failing")
    partial: bool = Field(default=False, description="score the share of passing checks instead of all-or-nothing")


class Lab(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN, max_length=63)
    title: str = Field(min_length=1, max_length=200)
    track: str | None = None
    level: str | None = None
    topology: str = Field(description="path of the containerlab topology file, relative to the lab file")
    instructions: str = ""
    variables: dict[str, Variable] = Field(default_factory=dict)
    objectives: list[Objective] = Field(min_length=1)

    @field_validator("variables", mode="before")
    @classmethod
    def _short_variables(cls, value: object) -> object:
        """``name: value`` is short for ``name: {default: value}``."""
        if isinstance(value, dict):
            return {k: v if isinstance(v, dict) and set(v) <= {"default", "description", "pool"} else {"default": v}
                    for k, v in value.items()}
        return value

    @field_validator("variables")
    @classmethod
    def _variable_names(cls, value: dict[str, Variable]) -> dict[str, Variable]:
        for name in value:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ValueError(f"variable name {name!r} is not a valid identifier")
        return value

    def reference_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Cross-references the schema cannot express: (key path, message) for each problem."""
        problems: list[tuple[tuple[str | int, ...], str]] = []
        order: dict[str, int] = {}
        for index, objective in enumerate(self.objectives):
            if objective.id in order:
                problems.append((("objectives", index, "id"), f"duplicate objective id {objective.id!r}"))
            order.setdefault(objective.id, index)
        for index, objective in enumerate(self.objectives):
            for r_index, required in enumerate(objective.requires):
                path = ("objectives", index, "requires", r_index)
                if required not in order:
                    problems.append((path, f"requires unknown objective {required!r}"))
                elif order[required] >= index:
                    problems.append((path, f"requires {required!r}, which must come before this objective"))
        problems += self._pool_problems()
        return problems

    def pool_groups(self) -> dict[str, list[str]]:
        """Pool group → its variables, in the order the lab declares them (a lone variable is its own group)."""
        groups: dict[str, list[str]] = {}
        for name, variable in self.variables.items():
            if variable.pool is not None:
                groups.setdefault(variable.pool.group or name, []).append(name)
        return groups

    def _pool_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        for group, names in self.pool_groups().items():
            first = self.variables[names[0]].pool
            assert first is not None
            for name in names[1:]:
                pool = self.variables[name].pool
                if pool is not None and pool.definition() != first.definition():
                    problems.append((("variables", name, "pool"), f"variable {name!r} is in pool group {group!r} "
                                     f"with {names[0]!r} but declares another pool"))
            if len(names) > first.size:
                problems.append((("variables", names[0], "pool"), f"pool group {group!r} has {len(names)} "
                                 f"variables but only {first.size} values"))
        return problems

    @property
    def max_score(self) -> float:
        return sum(o.points for o in self.objectives)

    def defaults(self) -> dict[str, Any]:
        return {name: var.default for name, var in self.variables.items()}
