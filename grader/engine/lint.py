"""Static validation of a lab: what ``labgrader lint`` reports, each problem as ``file:line: path: message``."""

from __future__ import annotations

from pathlib import Path

from grader.configs import CONFIG_SETS, lab_configs, read_expected, variants
from grader.engine.plan import build_plan
from grader.errors import GraderError, LabFileError
from grader.loader import LoadedLab, load_lab
from grader.parsing import compile_template, find_template
from grader.platforms import get_platform
from grader.templating import render_text, templated_strings
from grader.yamlsource import dotted


def lint_lab(path: Path) -> list[str]:
    """Every problem found in the lab at ``path`` (empty list: the lab is fine)."""
    try:
        loaded = load_lab(path)
    except LabFileError as exc:
        return exc.problems
    problems: list[str] = []
    problems += _support_problems(loaded)
    problems += _config_problems(loaded)
    problems += _expectation_problems(loaded)
    problems += _text_problems(loaded)
    return problems


def _support_problems(loaded: LoadedLab) -> list[str]:
    problems: list[str] = []
    order = {o.id: n for n, o in enumerate(loaded.lab.objectives)}
    for resolved in loaded.resolve():
        where = ("objectives", order[resolved.objective.id], "checks", resolved.index)
        plan = build_plan([resolved], loaded.topology)
        location = f"{loaded.source.where(where)}: objectives[{where[1]}].checks[{where[3]}]"
        for request, reason in plan.unsupported.items():
            problems.append(f"{location}: check {resolved.check.name!r} is not supported on node "
                            f"{request.node!r}: {reason}")
        for request, command in plan.request_commands.items():
            platform = get_platform(loaded.topology.nodes[request.node].platform)
            if not platform.spec(request.kind).parsed:
                continue
            try:
                compile_template(find_template(platform.template_platform, command))
            except GraderError as exc:
                problems.append(f"{location}: {exc}")
    return problems


def _config_problems(loaded: LoadedLab) -> list[str]:
    """Every config set and variant must render and name only nodes of the topology; variants must say
    which objectives they fail."""
    problems: list[str] = []
    sources = [name for name in CONFIG_SETS if (loaded.directory / "configs" / name).is_dir()]
    try:
        sources += [variant.name for variant in variants(loaded)]
    except LabFileError as exc:
        problems += exc.problems
    for source in sources:
        try:
            lab_configs(loaded, source)
        except LabFileError as exc:
            problems += exc.problems
    return problems


def _expectation_problems(loaded: LoadedLab) -> list[str]:
    """``expected.yaml`` of recorded submissions may only name objectives of the lab."""
    problems: list[str] = []
    ids = {o.id for o in loaded.lab.objectives}
    for expected in sorted(loaded.directory.glob("submissions/*/expected.yaml")):
        try:
            read_expected(expected, ids)
        except LabFileError as exc:
            problems += exc.problems
    return problems


def _text_problems(loaded: LoadedLab) -> list[str]:
    """The instructions and every other string of the lab file holding ``{{`` or ``{%`` (titles, feedback...)
    must render with the default variables (a student reads them rendered). Check parameters are rendered by
    ``resolve``; variable defaults are values, not templates."""
    problems: list[str] = []
    try:
        loaded.render_instructions()
    except LabFileError as exc:
        problems += exc.problems
    values = loaded.variables()
    for path, text in templated_strings(loaded.source.data):
        checks = path[:1] == ("objectives",) and path[2:3] == ("checks",)
        if checks or path[:1] in (("instructions",), ("variables",)):
            continue
        try:
            render_text(text, values, loaded.source.name, loaded.source.text_line(path), key=dotted(path))
        except LabFileError as exc:
            problems += exc.problems
    return problems
