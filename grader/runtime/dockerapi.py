"""One Docker client for the runtime, with errors turned into ``DeployError``."""

from __future__ import annotations

import functools

import docker
from docker import DockerClient

from grader.errors import DeployError


@functools.cache
def client() -> DockerClient:
    """The Docker engine named by the environment (``DOCKER_HOST``, else the local socket)."""
    try:
        # threads share this client: deploying a class runs dozens of calls at once (the default pool is 10)
        engine = docker.from_env(timeout=120, max_pool_size=64)
        engine.ping()
    except Exception as exc:  # the SDK raises several unrelated types here
        raise DeployError(f"Docker is not reachable: {exc}") from None
    return engine
