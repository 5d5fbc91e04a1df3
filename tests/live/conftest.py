"""Shared fixtures of the live tests: a Docker engine and the labgrader device images.

A test marked ``docker`` is skipped when no Docker engine answers, except under ``CI=true`` where a missing
engine is a failure (CI must start one). The images are built once per session when missing (about a minute).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from grader.runtime.images import ImageInfo


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


if importlib.util.find_spec("docker") is None and not _in_ci():
    collect_ignore_glob = ["test_*.py"]  # the Docker SDK comes with labgrader[lab]; CI installs it


def _docker_problem() -> str | None:
    from grader.errors import DeployError
    from grader.runtime.dockerapi import client

    try:
        client()
    except DeployError as exc:
        return str(exc)
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("docker") is None:
        return
    problem = _docker_problem()
    if problem is None:
        return
    if _in_ci():
        pytest.fail(f"CI=true but {problem}", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="session")
def device_images() -> Iterator[dict[str, ImageInfo]]:
    """The current labgrader images, built if missing: recipe name → image."""
    from grader.runtime.images import build_images

    built = build_images()
    yield {info.name: info for info in built}


@pytest.fixture(scope="session")
def run_id() -> str:
    """A short id that keeps the labs of concurrent test runs apart."""
    return f"t{os.getpid()}"
