"""The Jinja sandbox for lab variables: what renders, and every hostile template refused with one line, fast.
Then fuzzing: random Jinja-ish text either renders within the bounds or is refused with one line."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from grader.engine.lint import lint_lab
from grader.errors import LabFileError
from grader.templating import (
    MAX_INT_DIGITS,
    MAX_OUTPUT,
    MAX_RANGE,
    MAX_SIZE,
    MAX_STEPS,
    MAX_TAG_TEXT,
    MAX_TAGS,
    MAX_WORK,
    render_text,
    render_value,
    templated_strings,
)
from grader.yamlsource import PathKey

ROOT = Path(__file__).resolve().parents[2]
FAST = 3.0  # seconds; the renderer stops itself after 2 s of CPU time at the latest
VARIABLES = {"lan_a": 1, "name": "r1", "items": ["a", "b"], "big": "x" * 50_000}


def _one_problem(call: Callable[[], Any]) -> str:
    started = time.monotonic()
    with pytest.raises(LabFileError) as caught:
        call()
    assert time.monotonic() - started < FAST
    assert len(caught.value.problems) == 1, caught.value.problems
    problem = caught.value.problems[0]
    assert problem.isprintable(), problem
    return problem


def refused(text: str, line: int = 1) -> str:
    """The message after ``f.cfg:<line>: variable error: ``."""
    problem = _one_problem(lambda: render_text(text, VARIABLES, "f.cfg", line))
    prefix, sep, message = problem.partition(" variable error: ")
    assert sep and prefix.startswith("f.cfg:"), problem
    return message


# -- what renders ---------------------------------------------------------------------------------------------

def test_variables_filters_loops_and_macros_render() -> None:
    text = ("{% macro port(n) %}eth{{ n }}{% endmacro %}"
            "{% for i in range(2) %}{{ port(i) }} {% endfor %}{{ name|upper }} 192.168.{{ lan_a + 1 }}.0 "
            "{{ items|join(',') }} {{ '%03d'|format(7) }} {{ '{:>4}'.format(name) }} {{ 2 ** 10 }} {{ 'ab' * 2 }}"
            "{# a comment #}")
    assert render_text(text, VARIABLES, "f.cfg") == "eth0 eth1 R1 192.168.2.0 a,b 007   r1 1024 abab"


def test_namespace_and_big_but_bounded_values_render() -> None:
    assert render_text("{% set ns = namespace(n=0) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% endfor %}"
                       "{{ ns.n }}", {}, "f") == "10"
    assert len(render_text("{{ 'a' * 100000 }}", {}, "f")) == MAX_SIZE
    assert len(render_text("{{ range(10000)|list|length }}", {}, "f")) == 5
    assert render_text("{{ 10**10**10 }}", {}, "f") == str(10**100)  # Jinja's ** is left-associative


def test_render_value_renders_only_template_strings_inside_lists_and_dicts() -> None:
    value = {"a": "{{ lan_a }}", "b": ["{{ lan_a + 1 }}", 3, "plain {# not rendered"],
             "c": {"d": "{% if 1 %}y{% endif %}"}}
    assert render_value(value, VARIABLES, "x") == {"a": "1", "b": ["2", 3, "plain {# not rendered"], "c": {"d": "y"}}
    assert list(templated_strings(value)) == [(("a",), "{{ lan_a }}"), (("b", 0), "{{ lan_a + 1 }}"),
                                              (("c", "d"), "{% if 1 %}y{% endif %}")]


def test_render_value_names_the_failing_string() -> None:
    seen: list[PathKey] = []

    def origin_of(path: PathKey) -> str:
        seen.append(path)
        return f"lab.yaml:7: objectives[0].checks[0].{'.'.join(map(str, path))}"

    value = {"node": "r1", "targets": ["{{ lan_a }}", "{{ nope }}"]}
    assert _one_problem(lambda: render_value(value, VARIABLES, origin_of)) == \
        "lab.yaml:7: objectives[0].checks[0].targets.1: variable error: 'nope' is undefined"
    assert seen == [("targets", 1)]
    assert _one_problem(lambda: render_value("{{ 1/0 }}", {}, "lab.yaml:3: title")) == \
        "lab.yaml:3: title: variable error: ZeroDivisionError: division by zero"


def test_errors_carry_the_template_line_offset_by_where_the_text_starts() -> None:
    problem = _one_problem(lambda: render_text("a\nb\n{{ nope }}\n", {}, "lab.yaml", 20, key="instructions"))
    assert problem == "lab.yaml:22: instructions: variable error: 'nope' is undefined"
    assert _one_problem(lambda: render_text("one\n{% if %}", {}, "r1.cfg")) == \
        "r1.cfg:2: variable error: Expected an expression, got 'end of statement block'"


# -- hostile templates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
    ("{{ range(10**9)|list }}", f"range() of more than {MAX_RANGE} items"),
    ("{{ 'a'*10**9 }}", f"a repeated string or list would be longer than {MAX_SIZE} characters/items"),
    ("{{ [big] * 3 }}", f"a repeated string or list would be longer than {MAX_SIZE} characters/items"),
    ("{{ 10**(10**10) }}", f"a power of more than {MAX_INT_DIGITS} digits"),
    ("{{ 9**9**9**9**9 }}", f"a power of more than {MAX_INT_DIGITS} digits"),
    ("{{ (10**999) * (10**999) }}", f"a product of more than {MAX_INT_DIGITS} digits"),
    ("{{ big + big + big }}", f"a concatenation would be longer than {MAX_SIZE} characters/items"),
    ("{{ big ~ big ~ big }}", f"a ~ concatenation would be longer than {MAX_SIZE} characters/items"),
    ("{{ '\\udc80' }}", "the result holds a lone surrogate \\udc80 (not valid Unicode)"),
    ("{{ nope }}", "'nope' is undefined"),
    ("{{ name.nope.deeper }}", "'str object' has no attribute 'nope'"),
    ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe."),
    ("{{ items.append(1) }}", "access to attribute 'append' of 'list' object is unsafe."),
    ("{{ 1 + 'a' }}", "TypeError: unsupported operand type(s) for +: 'int' and 'str'"),
    ("{{ lipsum(10**9) }}", "'lipsum' is undefined"),
    ("{% include 'x' %}", "TypeError: no loader for this environment specified"),
    ("{% for x in [1] recursive %}{{ loop([1, 1]) }}{% endfor %}", "recursive for-loops are not allowed"),
    ("{% macro f() %}{{ f() }}{{ f() }}{% endmacro %}{{ f() }}",
     "nested too deeply, or a macro calls itself without end"),
    ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
     f"more than {MAX_STEPS} steps (loop passes, calls, filters, operators)"),
    ("{% for i in range(10000) %}{{ big }}{% endfor %}", f"output longer than {MAX_OUTPUT} characters"),
    ("{% for i in range(10000) %}" + "x" * 1000 + "{% endfor %}", f"output longer than {MAX_OUTPUT} characters"),
    ("{% macro m() %}" + "y" * 50_000 + "{% endmacro %}{% for i in range(1000) %}{% set v = m() %}{% endfor %}",
     f"handles more than {MAX_WORK} characters/items in all"),
    ("{% set s = 'a' * 100000 %}{% set t = [s, s, s, s, s, s, s, s, s, s] %}"
     "{% set u = [t, t, t, t, t, t, t, t, t, t] %}{{ u|string }}",
     f"the string filter's input is longer than {MAX_OUTPUT} characters/items"),
    ("{{ 'x'|center(10**9) }}", f"the center filter's result would be longer than {MAX_SIZE} characters/items"),
    ("{{ 'ab'|indent(10**6) }}", f"the indent filter's result would be longer than {MAX_SIZE} characters/items"),
    # slice is one of Jinja's async-variant filters, called with a hidden eval context first
    ("{{ [1]|slice(2 ** 1000)|list }}", f"the slice filter's result would be longer than {MAX_SIZE} characters/items"),
    ("{{ [1]|batch(10**9, 'x')|list }}", f"the batch filter's result would be longer than {MAX_SIZE} characters/items"),
    ("{{ big|replace('x', big) }}", f"str.replace() would be longer than {MAX_SIZE} characters/items"),
    ("{{ big|wordwrap(1, wrapstring='x' * 1000) }}",
     f"the wordwrap filter's result would be longer than {MAX_SIZE} characters/items"),
    ("{{ 'x'.ljust(10**9) }}", f"str.ljust() would be longer than {MAX_SIZE} characters/items"),
    ("{{ 'a\\tb'.expandtabs(10**9) }}", f"str.expandtabs() would be longer than {MAX_SIZE} characters/items"),
    ("{{ '%999999999d' % 1 }}", f"a formatted string would be longer than {MAX_SIZE} characters/items"),
    ("{{ '%*d' % (10**9, 1) }}", "a '*' width in a % format is not allowed"),
    ("{{ ('{0}' * 10).format(big) }}", f"a formatted string would be longer than {MAX_SIZE} characters/items"),
    ("{{ ('%(a)s' * 10) % {'a': big} }}", f"a formatted string would be longer than {MAX_SIZE} characters/items"),
    ("{{ '{:>999999999}'.format(1) }}", f"a formatted string would be longer than {MAX_SIZE} characters/items"),
    ("{{ '{:{w}}'.format(1, w=10**9) }}", "a nested field in a format spec is not allowed"),
    ("{{ '%999999999s'|format(1) }}", f"a formatted string would be longer than {MAX_SIZE} characters/items"),
    ("{{ 'ab'.translate({97: big}) }}", "str.translate() is not allowed"),
    ("{{ big|tojson(indent=100000) }}", "tojson indent over 16"),
    ("{{ " + "(" * 500 + "1" + ")" * 500 + " }}", "nested too deeply, or a macro calls itself without end"),
    ("{{ x }}" * (MAX_TAGS + 1), f"a template with more than {MAX_TAGS} tags or {MAX_TAG_TEXT} characters in tags"),
    ("{{ [" + "1, " * 20_000 + "] }}",
     f"a template with more than {MAX_TAGS} tags or {MAX_TAG_TEXT} characters in tags"),
])
def test_hostile_template_is_one_line_and_fast(text: str, message: str) -> None:
    assert refused(text) == message


def test_float_overflow_is_one_line() -> None:
    assert refused("{{ 2.0 ** 10000 }}").startswith("OverflowError: ")


def test_any_exception_from_a_value_is_one_line() -> None:
    class Hostile:
        def __str__(self) -> str:
            raise MemoryError

    class Recursive:
        def __str__(self) -> str:
            return str(self)

    assert _one_problem(lambda: render_text("{{ v }}", {"v": Hostile()}, "f")) == "f:1: variable error: out of memory"
    assert _one_problem(lambda: render_text("{{ v }}", {"v": Recursive()}, "f")) == \
        "f:1: variable error: nested too deeply, or a macro calls itself without end"


# -- lint renders every templated string of a lab -------------------------------------------------------------

def test_lint_renders_instructions_and_feedback_with_the_defaults(tmp_path: Path) -> None:
    lab = tmp_path / "labs" / "x"
    shutil.copytree(ROOT / "labs" / "hcia-static-routing", lab)
    (tmp_path / "topologies").symlink_to(ROOT / "topologies")
    text = (lab / "lab.yaml").read_text()
    assert lint_lab(lab) == []
    text = text.replace("  3. Configure static routes", "  3. Configure {{ 1/0 }} static routes", 1)
    text = text.replace("ip route 192.168.{{ lan_b }}.0/24 10.0.12.2`", "ip route 192.168.{{ lan_q }}.0/24`", 1)
    (lab / "lab.yaml").write_text(text)
    lines = text.splitlines()
    instructions = next(n for n, line in enumerate(lines, 1) if "{{ 1/0 }}" in line)
    feedback = next(n for n, line in enumerate(lines, 1) if "lan_q" in line)
    assert lint_lab(lab) == [
        f"{lab / 'lab.yaml'}:{instructions}: instructions: variable error: ZeroDivisionError: division by zero",
        f"{lab / 'lab.yaml'}:{feedback}: objectives[2].feedback.fail: variable error: 'lan_q' is undefined",
    ]


# -- fuzzing -------------------------------------------------------------------------------------------------
# The default profile runs 250 examples per test (about 6 s here); HYPOTHESIS_PROFILE=long runs 20 000.
# The first long run was killed by the kernel at 23 GB: Jinja's async-variant filters (list, slice, sum, map...)
# are called with a hidden eval context first, so the guard bound their arguments one place off and
# `slice(2 ** 1000)` went unchecked; the guard now skips that argument (see the slice case above). A rerun
# under `ulimit -v 3000000` asserting that no refusal is a MemoryError: 20 000 Jinja-ish texts and 20 000
# typed statements passed; 0.2 % of the statements stopped at the 2 s CPU limit, mostly on `slice(100000)`,
# which built 100 000 lists before its size was checked. With slice and batch checked first, a last long run
# (about 9 min) passed with 0.05 % (10 statements) at the CPU limit; the rest rendered, met a named bound, or
# a plain Jinja error (TypeError, ZeroDivisionError, undefined name...).

TEXT_FRAGMENTS = [
    "{{", "}}", "{%", "%}", "{#", "#}", " ", "\n", "x", "a", "lan_a", "name", "items", "big", "nope", "loop.index",
    "1", "0", "-1", "10**9", "9" * 30, "1.5", "1e308", "'a'", "'\\udc80'", "'%s'", "'{:>9}'", "'{}'", "[", "]", "(",
    ")", ",", ":", "+", "-", "*", "**", "/", "//", "%", "~", "|", ".", "==", " if ", " else ", " and ", " not ", " in ",
    "for x in ", "endfor", "if ", "endif", "set v = ", "macro m() ", "endmacro", "m()", "call m() ", "endcall",
    "filter upper ", "endfilter", "raw", "endraw", " recursive", "range(", "namespace(", "cycler(", "dict(", "lipsum(",
    "|list", "|join", "|string", "|center(", "|batch(", "|slice(", "|indent(", "|wordwrap(", "|replace(", "|format(",
    "|tojson", "|sum", "|map('upper')", "|int", "|first", ".ljust(", ".format(", ".join(", ".__class__", ".append(",
    "include 'x' ", "import 'x' as y ", "extends 'x' ", "\x00", "\udcff", "é",
]

def _apply(template: str, *parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map(lambda values: template.format(*values))


NUMBERS = st.sampled_from(["0", "1", "2", "-3", "7", "10", "1000", "100000", "10**5", "2.5", "lan_a", "items|length"])
STRINGS = st.sampled_from(["'a'", "'ab'", "''", "'%s'", "'{}'", "'a\\tb'", "'\\udc80'", "name", "big"])
LISTS = st.sampled_from(["[]", "[1, 2]", "items", "range(3)|list", "['a', 'b']"])


def _typed(depth: int) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str], st.SearchStrategy[str]]:
    """Numbers, strings and lists nested ``depth`` operations deep: typed, so that most expressions get past
    Jinja's type checks and reach the bounds."""
    if depth == 0:
        return NUMBERS, STRINGS, LISTS
    n, s, li = _typed(depth - 1)
    numbers = NUMBERS | st.one_of(
        _apply("({} {} {})", n, st.sampled_from(["+", "-", "*", "**", "//", "%", "/"]), n),
        _apply("({})|length", s), _apply("({})|sum", li), _apply("({})|int", s)).map(str)
    strings = STRINGS | st.one_of(
        _apply("({} {} {})", s, st.sampled_from(["+", "~"]), s), _apply("({} * {})", s, n), _apply("({} ~ {})", s, n),
        _apply("({}).{}({})", s, st.sampled_from(["ljust", "center", "zfill", "expandtabs"]), n),
        _apply("({}).replace({}, {})", s, s, s), _apply("({}).join({})", s, li), _apply("({}).format({})", s, n),
        _apply("({} % {})", s, n),
        _apply("({})|{}({})", s, st.sampled_from(["center", "indent", "truncate", "wordwrap"]), n),
        _apply("({})|replace({}, {})", s, s, s), _apply("({})|join({})", li, s), _apply("({})|format({})", s, n),
        _apply("({})|{}", n | li, st.sampled_from(["string", "tojson", "pprint"]))).map(str)
    lists = LISTS | st.one_of(
        st.lists(n | s, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        _apply("({} + {})", li, li), _apply("({} * {})", li, n), _apply("range({})|list", n),
        _apply("({}).split()", s), _apply("({})|batch({})|list", li, n), _apply("({})|slice({})|list", li, n),
        _apply("({})|map('string')|list", li), _apply("({})|list", s)).map(str)
    return numbers, strings, lists


numbers, strings, lists = _typed(3)
expressions = st.deferred(lambda: st.one_of(numbers, strings, lists))  # deferred: a short repr

statements = st.recursive(
    expressions.map(lambda e: "{{ " + e + " }}") | st.sampled_from(["text", "\n", "line\n"]),
    lambda inner: st.one_of(
        st.tuples(expressions, st.lists(inner, max_size=3)).map(
            lambda t: "{% for x in " + t[0] + " %}" + "".join(t[1]) + "{{ x }}{% endfor %}"),
        st.tuples(expressions, st.lists(inner, max_size=3)).map(
            lambda t: "{% if " + t[0] + " %}" + "".join(t[1]) + "{% endif %}"),
        st.tuples(expressions, st.lists(inner, max_size=3)).map(
            lambda t: "{% set v = " + t[0] + " %}" + "".join(t[1]) + "{{ v }}"),
        st.lists(inner, max_size=3).map(
            lambda body: "{% macro m() %}" + "".join(body) + "{% endmacro %}{{ m() }}{{ m() }}"),
    ),
    max_leaves=8)


def _renders_within_bounds_or_refuses_in_one_line(text: str) -> None:
    try:
        result = render_text(text, VARIABLES, "fuzz.cfg", 5)
    except LabFileError as exc:
        assert len(exc.problems) == 1
        problem = exc.problems[0]
        assert problem.startswith("fuzz.cfg:") and " variable error: " in problem and problem.isprintable(), problem
        assert "out of memory" not in problem, problem  # a MemoryError: some bound let a value grow unchecked
        event("refused: " + problem.partition(" variable error: ")[2].split(":")[0][:40])
        return
    event("rendered")
    assert isinstance(result, str) and len(result) <= MAX_OUTPUT
    result.encode("utf-8")  # raises on a lone surrogate


@given(st.lists(st.sampled_from(TEXT_FRAGMENTS) | st.text(max_size=4), max_size=40).map("".join))
def test_fuzz_jinja_text(text: str) -> None:
    _renders_within_bounds_or_refuses_in_one_line(text)


@given(st.lists(statements, min_size=1, max_size=4).map("".join))
def test_fuzz_jinja_statements(text: str) -> None:
    _renders_within_bounds_or_refuses_in_one_line(text)
