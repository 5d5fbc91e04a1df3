"""Per-student variants: pools, the keyed assignment (distinct, stable, secret-dependent), the course file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from grader.classwork.course import load_course
from grader.classwork.submission import variables_for
from grader.classwork.variants import KeyedPermutation, assign
from grader.errors import LabFileError
from grader.loader import load_lab
from grader.model.lab import Lab, Variable

ROOT = Path(__file__).resolve().parents[2]
EBGP = ROOT / "labs" / "hcip-ebgp"
CLASS = [f"s{n:03d}" for n in range(1, 41)]
SECRET = b"a-course-secret-of-some-length"


def pool(**spec: object) -> object:
    return Variable.model_validate({"pool": spec}).pool


def lab_with(variables: dict[str, object]) -> Lab:
    return Lab.model_validate({"id": "t", "title": "t", "topology": "x", "variables": variables,
                               "objectives": [{"id": "o", "title": "o", "points": 1,
                                               "checks": [{"type": "hostname", "node": "r1", "hostname": "x"}]}]})


# --- pools ---------------------------------------------------------------------------------------------------

def test_integer_pool_steps_over_exclusions() -> None:
    p = pool(type="integer", min=10, max=20, exclude=[12, 13, 20, 99])
    assert p.size == 8
    assert [p.value(i) for i in range(p.size)] == [10, 11, 14, 15, 16, 17, 18, 19]
    with pytest.raises(IndexError):
        p.value(8)


def test_subnet_pool_carves_the_block_and_skips_excluded_blocks() -> None:
    p = pool(type="subnet", within="10.0.0.0/16", prefix=24, exclude=["10.0.12.0/23", "192.168.0.0/16"])
    assert p.size == 254
    values = [p.value(i) for i in range(p.size)]
    assert values[:3] == ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
    assert "10.0.12.0/24" not in values and "10.0.13.0/24" not in values and values[-1] == "10.0.255.0/24"
    v6 = pool(type="subnet", within="2001:db8::/48", prefix=64)
    assert v6.size == 65536 and v6.value(65535) == "2001:db8:0:ffff::/64"


@pytest.mark.parametrize(("spec", "value"), [
    ({"type": "vlan"}, 2), ({"type": "asn"}, 64512), ({"type": "ospf_process"}, 1),
    ({"type": "ospf_area", "min": 5}, "0.0.0.5"), ({"type": "ospf_area", "format": "integer"}, 1),
    ({"type": "hostname", "pattern": "R1-{n}", "min": 100}, "R1-100"),
    ({"type": "choice", "values": ["red", "green"]}, "red"),
])
def test_each_pool_type_gives_typed_values(spec: dict[str, object], value: object) -> None:
    assert pool(**spec).value(0) == value


@pytest.mark.parametrize(("spec", "fragment"), [
    ({"type": "vlan", "max": 4095}, "<= 4094"),
    ({"type": "integer", "min": 5, "max": 4}, "min <= max"),
    ({"type": "integer", "min": 1, "max": 2, "exclude": [1, 2]}, "empty"),
    ({"type": "subnet", "within": "10.0.0.1/16", "prefix": 24}, "not a network address"),
    ({"type": "subnet", "within": "10.0.0.0/16", "prefix": 8}, "between /16 and /32"),
    ({"type": "hostname", "pattern": "R1"}, "{n} exactly once"),
    ({"type": "hostname", "pattern": "1-{n}"}, "not a valid host name"),
    ({"type": "choice", "values": ["a", "a"]}, "distinct"),
    ({"type": "dice"}, "does not match any of the expected tags"),
])
def test_bad_pools_are_refused(spec: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValidationError, match=None) as info:
        pool(**spec)
    assert fragment in str(info.value)


def test_group_problems_name_the_variable(tmp_path: Path) -> None:
    lab = lab_with({"a": {"pool": {"type": "integer", "min": 1, "max": 9, "group": "g"}},
                    "b": {"pool": {"type": "integer", "min": 1, "max": 8, "group": "g"}},
                    "c": {"pool": {"type": "choice", "values": ["x"], "group": "h"}},
                    "d": {"pool": {"type": "choice", "values": ["x"], "group": "h"}}})
    problems = dict(lab.reference_problems())
    assert problems[("variables", "b", "pool")] == ("variable 'b' is in pool group 'g' with 'a' but declares "
                                                    "another pool")
    assert problems[("variables", "c", "pool")] == "pool group 'h' has 2 variables but only 1 values"


def test_a_bad_pool_in_a_lab_file_is_a_file_line_error(tmp_path: Path) -> None:
    text = (ROOT / "labs" / "hcia-static-routing" / "lab.yaml").read_text()
    text = text.replace("pool: {type: integer, min: 1, max: 254, group: lans}   #",
                        "pool: {type: integer, min: 1, max: 254, grup: lans}   #")
    (tmp_path / "lab.yaml").write_text(text.replace("../../topologies", str(ROOT / "topologies")))
    with pytest.raises(LabFileError) as info:
        load_lab(tmp_path)
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if "grup" in ln)
    assert f"lab.yaml:{line}: variables.lan_a.pool" in info.value.problems[0]


def test_keyed_permutation_is_a_permutation() -> None:
    for size in (1, 2, 3, 17, 254, 1000):
        permute = KeyedPermutation(b"key", size)
        assert sorted(permute(i) for i in range(size)) == list(range(size))
    assert [KeyedPermutation(b"key", 254)(i) for i in range(10)] != list(range(10))


# --- the assignment ------------------------------------------------------------------------------------------

def test_forty_students_all_differ_where_the_pools_allow() -> None:
    lab = load_lab(EBGP).lab
    values = assign(lab, SECRET, CLASS).values
    assert sorted(values) == CLASS
    lans = [(v["lan_a"], v["lan_b"]) for v in values.values()]
    ases = [(v["as_r1"], v["as_r2"], v["as_r3"]) for v in values.values()]
    assert all(a != b for a, b in lans)  # one group: a student's two LANs differ
    every_lan = [x for pair in lans for x in pair]
    assert len(set(every_lan)) == len(every_lan) == 80  # no LAN number is used twice in the class
    every_as = [x for triple in ases for x in triple]
    assert len(set(every_as)) == len(every_as) == 120
    assert all(1 <= x <= 254 for x in every_lan) and all(64512 <= x <= 65534 for x in every_as)


def test_stable_across_runs_and_roster_order_but_not_across_secrets() -> None:
    lab = load_lab(EBGP).lab
    first = assign(lab, SECRET, CLASS).values
    assert assign(lab, SECRET, list(reversed(CLASS))).values == first
    other = assign(lab, b"another-course-secret-entirely", CLASS).values
    assert sum(other[s] != first[s] for s in CLASS) >= 38
    renamed = lab.model_copy(update={"id": "hcip-ebgp-2"})
    assert assign(renamed, SECRET, CLASS).values != first  # the lab id is part of the key


def test_a_pool_smaller_than_the_class_repeats_only_after_every_value_is_used() -> None:
    lab = lab_with({"colour": {"pool": {"type": "choice", "values": ["red", "green", "blue"]}}})
    values = [v["colour"] for v in assign(lab, SECRET, CLASS[:7]).values.values()]
    assert sorted(values.count(v) for v in {"red", "green", "blue"}) == [2, 2, 3]


def test_a_late_student_moves_few_classmates() -> None:
    lab = load_lab(EBGP).lab
    before = assign(lab, SECRET, CLASS).values
    after = assign(lab, SECRET, [*CLASS, "s041"]).values
    moved = [s for s in CLASS if before[s] != after[s]]
    assert len(moved) <= 4, moved


# --- the course file -----------------------------------------------------------------------------------------

def course_folder(tmp_path: Path, spec: str) -> Path:
    (tmp_path / "roster.csv").write_text("student,name\n" + "".join(f"{s},Student {s}\n" for s in CLASS))
    (tmp_path / "course.yaml").write_text(spec)
    return tmp_path / "course.yaml"


def test_course_secret_from_a_file_or_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_lab(EBGP)
    by_file = course_folder(tmp_path, "secret_file: course.secret\nroster: roster.csv\n")
    (tmp_path / "course.secret").write_text(SECRET.decode() + "\n")
    monkeypatch.setenv("NET101_SECRET", SECRET.decode())
    by_env = tmp_path / "env.yaml"
    by_env.write_text("secret_env: NET101_SECRET\nroster: roster.csv\n")
    from_file = load_course(by_file).variables_of(loaded, "s007")
    assert from_file == load_course(by_env).variables_of(loaded, "s007") == assign(loaded.lab, SECRET, CLASS).of("s007")


def test_a_missing_secret_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NET101_SECRET", raising=False)
    path = course_folder(tmp_path, "secret_env: NET101_SECRET\nroster: roster.csv\n")
    with pytest.raises(LabFileError) as info:
        load_course(path).variables_of(load_lab(EBGP), "s001")
    assert str(info.value) == (f"{path}: the course secret is not set: set the environment variable NET101_SECRET "
                               "(named by secret_env)")
    path.write_text("secret_file: nowhere.secret\nroster: roster.csv\n")
    with pytest.raises(LabFileError, match=r"cannot be read from .*nowhere.secret \(secret_file\): file not found"):
        load_course(path).secret()
    (tmp_path / "short.secret").write_text("abc")
    path.write_text("secret_file: short.secret\nroster: roster.csv\n")
    with pytest.raises(LabFileError, match="shorter than 16 characters"):
        load_course(path).secret()


@pytest.mark.parametrize(("spec", "fragment"), [
    ("roster: r.csv\n", "give exactly one of secret_env or secret_file"),
    ("secret_env: X\nsecret_file: y\nroster: r.csv\n", "give exactly one"),
    ("secret_env: X\n", "roster: required key is missing"),
    ("secret_env: X\nroster: r.csv\nsecert: 1\n", "unknown key 'secert'"),
])
def test_course_file_errors_name_file_and_line(tmp_path: Path, spec: str, fragment: str) -> None:
    path = tmp_path / "course.yaml"
    path.write_text(spec)
    with pytest.raises(LabFileError) as info:
        load_course(path)
    assert str(info.value).startswith(f"{path}:") and fragment in str(info.value)


def test_whose_variables_apply(tmp_path: Path) -> None:
    loaded = load_lab(EBGP)
    path = course_folder(tmp_path, "secret_file: s.secret\nroster: roster.csv\n")
    (tmp_path / "s.secret").write_text(SECRET.decode())
    course = load_course(path)
    assert variables_for(loaded, "s001", course, {}) == assign(loaded.lab, SECRET, CLASS).of("s001")
    with pytest.raises(LabFileError, match="the course decides each student's variables"):
        variables_for(loaded, "s001", course, {"lan_a": 5})
    with pytest.raises(LabFileError, match="no student 'x999' in the course roster"):
        variables_for(loaded, "x999", course, {})
    with pytest.raises(LabFileError, match="give --vars FILE"):
        variables_for(loaded, "s001", None, {})
    assert variables_for(loaded, "s001", None, {"lan_a": 5}) == {"lan_a": 5}  # the student's own file
    assert variables_for(loaded, None, None, {}) == {}


def test_subnet_variables_feed_checks_through_the_address_filters(tmp_path: Path) -> None:
    (tmp_path / "lab.yaml").write_text(f"""
id: subnets
title: Subnets of their own
topology: {ROOT / "topologies" / "hcia-three-routers.clab.yml"}
variables:
  lan: {{default: 10.1.0.0/24, pool: {{type: subnet, within: 10.0.0.0/16, prefix: 24}}}}
instructions: "Address eth2 of R1 as {{{{ lan | address(1) }}}} (mask {{{{ lan | netmask }}}})."
objectives:
  - id: lan
    title: LAN addressed
    points: 1
    checks:
      - {{type: interface, node: r1, interface: eth2, ipv4: "{{{{ lan | address(1) }}}}"}}
      - {{type: route, node: r3, prefix: "{{{{ lan }}}}"}}
""")
    loaded = load_lab(tmp_path)
    mine = assign(loaded.lab, SECRET, CLASS).of("s001")["lan"]
    checks = loaded.resolve({"lan": mine})
    host = mine.replace(".0/24", ".1/24")
    assert str(checks[0].params.ipv4) == host and str(checks[1].params.prefix) == mine
    assert loaded.render_instructions({"lan": mine}) == f"Address eth2 of R1 as {host} (mask 255.255.255.0)."
    with pytest.raises(LabFileError, match=r"'nonsense' is not a network like 10\.0\.37\.0/24"):
        loaded.resolve({"lan": "nonsense"})
