"""The YAML reader refuses hostile input with one line, fast: every case below once hung, crashed or was
silently accepted by ``yaml.safe_load``. Then fuzzing: random YAML-ish text never gets past it any other way,
and whatever it accepts is exactly what PyYAML's SafeLoader reads."""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from grader import yamlsource
from grader.errors import LabFileError
from grader.yamlsource import MAX_DEPTH, MAX_NODES, load_yaml, parse_yaml

FAST = 3.0  # seconds: every refusal below takes milliseconds; a hang would take forever


def _one_problem(call: Callable[[], Any]) -> str:
    started = time.monotonic()
    with pytest.raises(LabFileError) as caught:
        call()
    assert time.monotonic() - started < FAST
    assert len(caught.value.problems) == 1, caught.value.problems
    problem = caught.value.problems[0]
    assert problem.isprintable(), problem  # one line, no control characters, no lone surrogates
    return problem


def refused(text: str, origin: str = "t.yaml") -> str:
    return _one_problem(lambda: parse_yaml(text, origin))


# -- alias expansion and nesting ---------------------------------------------------------------------------

LAUGHS = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip("abcde", "bcdef", strict=True)])


def test_billion_laughs_is_refused_where_it_crosses_the_bound() -> None:
    assert refused(LAUGHS) == f"t.yaml:6: too many nodes once aliases are expanded (> {MAX_NODES})"


def test_fewer_laughs_are_fine_and_expand() -> None:
    data = parse_yaml("\n".join(LAUGHS.splitlines()[:3]), "t.yaml").data
    assert data["c"][8][8] == ["x"] * 9


def test_merge_keys_are_allowed_and_count_towards_the_bound() -> None:
    data = parse_yaml("base: &b {x: 1, y: 2}\nnode: {<<: *b, y: 3}\n", "t.yaml").data
    assert data["node"] == {"x": 1, "y": 3}
    keys = ", ".join(f"k{i}: {i}" for i in range(2_000))  # 4 001 nodes, merged 26 times
    text = f"base: &b {{{keys}}}\nbomb: {{<<: [{', '.join(['*b'] * 26)}]}}\n"
    assert refused(text) == f"t.yaml:2: too many nodes once aliases are expanded (> {MAX_NODES})"


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    assert refused("a: &a [1, *a]\n") == "t.yaml:1: alias *a refers to a collection that contains it " \
                                         "(endless once expanded)"
    assert refused("a: &a {b: {c: *a}}\n").startswith("t.yaml:1: alias *a refers to a collection")


@pytest.mark.parametrize("text", ["[" * 10_000 + "]" * 10_000, "- " * 10_000 + "x", "{a: " * 10_000 + "}" * 10_000],
                         ids=["flow-sequences", "block-sequences", "flow-mappings"])
def test_ten_thousand_levels_are_refused_at_the_bound_without_recursing(text: str) -> None:
    assert refused(text) == f"t.yaml:1: nested deeper than {MAX_DEPTH} levels (counting through aliases)"


def test_block_mappings_nested_past_the_bound_name_the_line() -> None:
    text = "".join(" " * depth + f"k{depth}:\n" for depth in range(100)) + " " * 100 + "end\n"
    assert refused(text) == f"t.yaml:{MAX_DEPTH + 1}: nested deeper than {MAX_DEPTH} levels (counting through aliases)"
    assert parse_yaml("".join(" " * d + f"k{d}:\n" for d in range(MAX_DEPTH)), "t.yaml").data


def test_nesting_through_an_alias_counts_the_aliased_depth() -> None:
    deep = "[" * 40 + "]" * 40
    assert parse_yaml(f"a: &a {deep}\nb: {'[' * 20}*a{']' * 20}\n", "t.yaml").data
    problem = refused(f"a: &a {deep}\nb: {'[' * 30}*a{']' * 30}\n")
    assert problem == f"t.yaml:2: nested deeper than {MAX_DEPTH} levels (counting through aliases)"


def test_a_recursion_error_anywhere_is_still_one_line() -> None:
    text = "[" * 40 + "]" * 40
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(_stack()) + 60)  # too shallow for 40 levels of PyYAML's composer
    try:
        problem = refused(text)
    finally:
        sys.setrecursionlimit(limit)
    assert problem == "t.yaml: invalid YAML: nested too deeply"


def _stack() -> list[Any]:
    frame, frames = sys._getframe(), []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames


# -- keys ---------------------------------------------------------------------------------------------------

LAB = """\
id: lab
title: T
topology: t.clab.yml
objectives:
  - id: a
    title: A
    points: 1
  - id: b
    title: B
    points: 1
  - title: C
    id: c
    points: 1
    id: d
"""


def test_duplicate_keys_name_both_lines() -> None:
    assert refused(LAB, "lab.yaml") == "lab.yaml:14: objectives[2].id: duplicate key 'id' (first at line 12)"
    assert refused("a: 1\nb: 2\na: 3\n") == "t.yaml:3: a: duplicate key 'a' (first at line 1)"
    assert refused("{x: 1, y: {z: 1, z: 2}}") == "t.yaml:1: y.z: duplicate key 'z' (first at line 1)"


def test_duplicate_keys_are_compared_as_values() -> None:
    assert refused("1: a\n0x1: b\n") == "t.yaml:2: 0x1: duplicate key 1 (first at line 1)"
    assert refused("true: a\nTrue: b\n") == "t.yaml:2: True: duplicate key True (first at line 1)"
    assert parse_yaml("1: a\n'1': b\n", "t.yaml").data == {1: "a", "1": "b"}


def test_a_duplicate_key_with_a_line_break_stays_on_one_line() -> None:
    assert refused('"a\\nb": 1\n"a\\nb": 2\n') == "t.yaml:2: a\\nb: duplicate key 'a\\nb' (first at line 1)"


def test_keys_must_be_scalars() -> None:
    assert refused("? [a, b]\n: c\n") == "t.yaml:1: (top): a key must be a scalar (text or a number), not a sequence"
    assert refused("m:\n  {a: 1}: 2\n") == "t.yaml:2: m: a key must be a scalar (text or a number), not a mapping"


# -- values, tags, characters --------------------------------------------------------------------------------

def test_a_lone_surrogate_is_refused_in_values_and_keys() -> None:
    assert refused('id: x\ntitle: "\\udc80 lab"\n') == \
        "t.yaml:2: title: lone surrogate \\udc80 in a string (not valid Unicode)"
    assert refused('"\\ud800": 1\n') == "t.yaml:1: (top): lone surrogate \\ud800 in a string (not valid Unicode)"


def test_a_raw_surrogate_in_text_is_refused_by_the_reader() -> None:
    # what a non-UTF-8 command-line argument becomes (surrogateescape)
    assert refused("a: \udcff", "--var a") == \
        "--var a:1: invalid YAML: unacceptable character \\udcff (special characters are not allowed)"


def test_only_safe_types() -> None:
    assert refused("x: !!python/object/apply:os.system [ls]\n") == (
        "t.yaml:1: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'")
    assert refused("x: !foo 1\n") == "t.yaml:1: invalid YAML: could not determine a constructor for the tag '!foo'"


def test_values_python_cannot_build_are_refused_with_their_line() -> None:
    assert refused("a: 1\nd: 2024-13-45\n") == "t.yaml:2: invalid YAML: cannot read value: month must be in 1..12"
    assert refused("n: " + "1" * 5000).startswith("t.yaml:1: invalid YAML: cannot read value: Exceeds the limit")


def test_control_characters_are_refused_with_their_line() -> None:
    assert refused("a: 1\nb: \x00\n") == \
        "t.yaml:2: invalid YAML: unacceptable character \\x00 (special characters are not allowed)"


@pytest.mark.parametrize(("text", "expected"), [
    ("a: [1, 2\nb: 3\n", "t.yaml:2: invalid YAML: while parsing a flow sequence at line 1, expected ',' or ']', "
                         "but got ':'"),
    ("a: 1\n---\nb: 2\n", "t.yaml:2: invalid YAML: expected a single document in the stream at line 1, "
                          "but found another document"),
    ("a: *x\n", "t.yaml:1: invalid YAML: found undefined alias 'x'"),
    ("a: &x 1\nb: &x 2\n", "t.yaml:2: invalid YAML: found duplicate anchor 'x'; first occurrence at line 1, "
                           "second occurrence"),
    ("a:\n\tb: 1\n", "t.yaml:2: invalid YAML: while scanning for the next token, found character '\\t' that "
                     "cannot start any token"),
])
def test_other_yaml_errors(text: str, expected: str) -> None:
    assert refused(text) == expected


def test_parse_yaml_names_its_origin_and_reads_a_value() -> None:
    assert parse_yaml("10", "--var lan_b").data == 10
    assert parse_yaml("", "--var lan_b").data is None
    assert refused("[1, 2", "--var lan_b").startswith("--var lan_b:1: invalid YAML: ")
    with pytest.raises(LabFileError, match=r"^--var v: longer than 10 characters$"):
        parse_yaml("x" * 11, "--var v", max_bytes=10)


# -- files --------------------------------------------------------------------------------------------------

def test_a_file_with_a_bom_reads(tmp_path: Path) -> None:
    path = tmp_path / "lab.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\nb: caf\xc3\xa9\n")
    source = load_yaml(path)
    assert source.data == {"a": 1, "b": "café"}
    assert source.where(("b",)) == f"{path}:2"


def test_a_file_that_is_not_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "lab.yaml"
    path.write_bytes(b"a: 1\nb: \xff\n")
    assert _one_problem(lambda: load_yaml(path)) == f"{path}: not UTF-8 (byte 8)"
    path.write_bytes(b"\xef\xbb\xbfa: \xc3\n")
    assert _one_problem(lambda: load_yaml(path)) == f"{path}: not UTF-8 (byte 6)"


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    assert _one_problem(lambda: load_yaml(tmp_path)) == f"{tmp_path}: is a directory, not a file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_before_reading(tmp_path: Path) -> None:
    assert _one_problem(lambda: load_yaml("/dev/zero")) == "/dev/zero: is a character device, not a file"
    link = tmp_path / "capture.yaml"
    link.symlink_to("/dev/zero")
    assert _one_problem(lambda: load_yaml(link)) == f"{link}: is a character device, not a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_without_a_writer_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "manifest.yaml"
    os.mkfifo(fifo)
    assert _one_problem(lambda: load_yaml(fifo)) == f"{fifo}: is a named pipe (FIFO), not a file"


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert _one_problem(lambda: load_yaml(path)) == f"{path}: is a socket, not a file"
    finally:
        server.close()


def test_size_and_absence(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: 12345678\n")
    assert _one_problem(lambda: load_yaml(path, max_bytes=10)) == f"{path}: larger than 10 bytes (12)"
    assert load_yaml(path, max_bytes=12).data == {"a": 12345678}
    missing = tmp_path / "missing.yaml"
    assert _one_problem(lambda: load_yaml(missing)) == f"{missing}: file not found"


def test_a_path_with_a_line_break_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a\nb.yaml"
    path.write_text("a: 1\na: 2\n")
    assert _one_problem(lambda: load_yaml(path)) == f"{tmp_path}/a\\nb.yaml:2: a: duplicate key 'a' (first at line 1)"


def test_read_text_file_grows_no_further_than_max_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that grows after stat (a log being written) is read up to max_bytes + 1 and refused."""
    path = tmp_path / "out.txt"
    path.write_text("x" * 50)
    real_stat = os.stat
    small = lambda p: os.stat_result((real_stat(p).st_mode, 0, 0, 0, 0, 0, 5, 0, 0, 0))  # noqa: E731
    monkeypatch.setattr(yamlsource.os, "stat", small)  # stat saw 5 bytes; 50 are there when it is read
    assert _one_problem(lambda: yamlsource.read_text_file(path, max_bytes=10)) == f"{path}: larger than 10 bytes"


# -- lines --------------------------------------------------------------------------------------------------

def test_lines_of_key_paths() -> None:
    source = parse_yaml(LAB.replace("    id: d\n", ""), "lab.yaml")
    assert source.where(("objectives", 1, "title")) == "lab.yaml:9"
    assert source.line_of(("objectives", 2, "id")) == 12
    assert source.line_of(("objectives", 2, "nope", 3)) == 11  # deepest known prefix: the item
    assert source.line_of(("nowhere",)) == 1


def test_text_line_is_where_a_block_scalar_starts() -> None:
    source = parse_yaml("id: x\ninstructions: |\n  one\n  two\ntitle: T\n", "lab.yaml")
    assert source.text_line(("instructions",)) == 3
    assert source.text_line(("title",)) == 5


# -- fuzzing -------------------------------------------------------------------------------------------------
# The default profile runs 250 examples per test (about 3 s here); HYPOTHESIS_PROFILE=long runs 20 000.
# The first long run found two faults, both fixed: parse_yaml stripped a leading BOM itself, so "\ufeff\ufeff"
# read as null where PyYAML reads "\ufeff" (the differential check below); and one deadline overrun on 1 535
# nested "[" that did not reproduce (0.14 s alone, on a loaded machine). The next long run, 20 000 texts +
# 20 000 documents + 20 000 arbitrary strings + all 108 alias bombs (about 5 min), found nothing.

FRAGMENTS = [
    "a", "b", "key", "id", ": ", ":", "- ", "-", "? ", ", ", "[", "]", "{", "}", "\n", "\n  ", "\n    ", "  ", "\t",
    "&a ", "&b ", "*a", "*b", "<<: ", "<<: *a", "!!str ", "!!int ", "!!set ", "!!omap ", "!!binary ", "!!python/none ",
    "!foo ", "!<tag:yaml.org,2002:str> ", "%YAML 1.1\n", "---\n", "...\n", "# c\n", "|\n", ">-\n", "'q'", "''",
    '"d"', '"\\udc80"', '"\\x00"', '"\\u2028"', '"\\U0001F600"', "\\", "'", '"', "~", "null", "true", "yes", "0x1F",
    "1_000", "1e999", ".nan", "-.inf", "2024-13-45", "2024-02-29T25:00:00", "1:2:3", "9" * 50, "é", "\u00a0", "\ufeff",
    "\x85", "\u2028", "\x00", "\x07", "\udcff", "=", "@", "`", "%", "|", ">",
]

fragments = st.sampled_from(FRAGMENTS)
nests = st.builds(lambda piece, count: piece * count, st.sampled_from(["[", "{a: ", "- ", "&x [", "*x, ", "  "]),
                  st.integers(1, 3000))
yaml_texts = st.lists(st.one_of(fragments, fragments, fragments, nests, st.text(max_size=8)), max_size=50).map("".join)


HUGE_INT = "9" * 4400  # over Python's 4300-digit limit for int(str)
SCALARS = ["a", "b", "x y", "1", "0x1", "1.0", "true", "True", "~", "''", "'q'", '"\\udc80"', '"x\\ny"', '"\\x07"',
           "2024-13-45", "2024-02-29", "!!str 1", "!!int x", "!!binary aGk=", "1e999", ".nan", "é", "!foo x", HUGE_INT,
           "*a", "*b", "*c"]
KEYS = st.sampled_from(["a", "b", "id", "1", "0x1", "1.0", "true", "True", "<<", "? [x]", "? {k: v}", '"\\ud800"',
                        '"a\\nb"', "~", "''"])


def _sequence(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _mapping(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"


# Structurally plausible documents: flow collections with anchors, aliases, tags, merge keys and repeated keys.
trees = st.recursive(
    st.sampled_from(SCALARS),
    lambda children: st.tuples(
        st.sampled_from(["", "", "", "&a ", "&b ", "&c ", "!!set ", "!!omap ", "!!seq "]),
        st.one_of(st.lists(children, max_size=6).map(_sequence), st.lists(st.tuples(KEYS, children), max_size=6)
                  .map(_mapping))).map("".join),
    max_leaves=40)
documents = st.lists(st.tuples(KEYS, trees), min_size=1, max_size=6).map(
    lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs))


@st.composite
def alias_bombs(draw: st.DrawFn) -> tuple[str, int]:
    """Levels of anchored sequences, each holding ``width`` aliases of the one before; and the node count."""
    width, depth = draw(st.integers(1, 12)), draw(st.integers(1, 9))
    lines = [f"l0: &l0 [{', '.join(['x'] * width)}]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, depth)]
    sizes = [1 + width]
    for _ in range(1, depth):
        sizes.append(1 + width * sizes[-1])
    return "\n".join(lines), 1 + sum(1 + size for size in sizes)


def _accepts_like_pyyaml_or_refuses_in_one_line(text: str) -> None:
    try:
        ours = parse_yaml(text, "fuzz.yaml").data
    except LabFileError as exc:
        assert len(exc.problems) == 1
        assert exc.problems[0].startswith("fuzz.yaml") and exc.problems[0].isprintable(), exc.problems
        event(f"refused: {_kind(exc.problems[0])}")
        return
    event("accepted")
    # what we accept is bounded, so PyYAML can read it too, and must read the same thing
    assert repr(ours) == repr(yaml.load(text, Loader=yaml.SafeLoader))


def _kind(problem: str) -> str:
    kinds = ("invalid YAML", "duplicate key", "too many nodes", "nested deeper", "lone surrogate", "must be a scalar",
             "refers to a collection")
    return next((kind for kind in kinds if kind in problem), problem)


@given(yaml_texts)
def test_fuzz_yaml_text(text: str) -> None:
    _accepts_like_pyyaml_or_refuses_in_one_line(text)


@given(documents)
def test_fuzz_yaml_documents(text: str) -> None:
    _accepts_like_pyyaml_or_refuses_in_one_line(text)


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("[]{}:,-&*!|>'\"#%@` \n\t"), max_size=200))
def test_fuzz_arbitrary_text(text: str) -> None:
    _accepts_like_pyyaml_or_refuses_in_one_line(text)


@given(alias_bombs())
def test_fuzz_alias_expansion_is_counted_exactly(bomb: tuple[str, int]) -> None:
    text, nodes = bomb
    if nodes > MAX_NODES:
        assert refused(text).endswith(f"too many nodes once aliases are expanded (> {MAX_NODES})")
    else:
        assert len(parse_yaml(text, "t.yaml").data) == text.count("\n") + 1
