"""A student's variant on real FRR routers: deployed with the student's own values, recorded into a bundle,
graded with the course's values (full marks, no consistency warning); a classmate's values fail it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.classwork.course import load_course
from grader.classwork.submission import grade_bundle, submit
from grader.configs import lab_configs
from grader.engine.session import LiveOptions, grade_live
from grader.loader import LoadedLab, load_lab
from grader.model.inventory import Inventory
from grader.runtime import deploy as runtime

pytestmark = pytest.mark.docker

ROOT = Path(__file__).resolve().parents[2]
OSPF = ROOT / "labs" / "hcia-ospf-single-area"
COURSE = ROOT / "examples" / "demo-class" / "course.yaml"
PASSWORD = "variant-pass-31"


@pytest.fixture(scope="module")
def loaded() -> LoadedLab:
    return load_lab(OSPF)


@pytest.fixture(scope="module")
def variant(device_images: dict, run_id: str, loaded: LoadedLab) -> Iterator[runtime.Deployment]:
    mine = load_course(COURSE).variables_of(loaded, "s007")
    deployment = runtime.deploy(f"{run_id}v", loaded.topology, lab_configs(loaded, "solution", mine),
                                ssh_password=PASSWORD)
    yield deployment
    runtime.destroy(deployment.lab_id)


def test_a_students_variant_live_bundled_and_graded(variant: runtime.Deployment, loaded: LoadedLab,
                                                    tmp_path: Path) -> None:
    course = load_course(COURSE)
    mine = course.variables_of(loaded, "s007")
    data = variant.inventory().model_dump()
    data["defaults"]["password"] = PASSWORD
    inventory = Inventory.model_validate(data)
    live = grade_live(loaded, inventory, mine, options=LiveOptions(max_wait=60)).report  # converged, then record
    assert live.score == 100, [o.message for o in live.objectives if o.outcome.value != "pass"]
    done = submit(loaded, inventory, student="s007", variables=mine, out=tmp_path / "s007.zip", source="live")
    assert done.recording.problems == ()
    assignment = course.assignment(loaded)
    graded = grade_bundle(loaded, done.bundle, mine, student="s007", assignment=assignment)
    assert graded.report.score == 100 and graded.report.warnings == []
    other = course.variables_of(loaded, "s008")
    as_s008 = grade_bundle(loaded, done.bundle, other, student="s008", assignment=assignment)
    assert as_s008.report.score < 100
    assert as_s008.report.warnings[-1] == "the capture was taken with the variables of student 's007'"
