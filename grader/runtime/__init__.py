"""Device images and lab deployment on Docker (no registry needed).

- ``images``: ``build_images``, ``list_images``, ``image_for`` — FRR router and Linux host images built with
  mmdebstrap from the host's own Debian package sources, tagged ``labgrader/<recipe>:<hash12>`` + ``:latest``.
- ``deploy``: ``deploy``, ``apply_configs``, ``destroy``, ``Deployment`` — one container ``lg-<lab>-<node>``
  per node, veth links named as in the topology, SSH published on 127.0.0.1.
- ``state``: ``running_labs``, ``lab_status`` — what is deployed, read from Docker labels only.

SSH credentials: ``deploy(..., ssh_user=, ssh_password=)`` (default ``student`` / ``labgrader``) are given to
each container at start, in a file its entrypoint reads and deletes; they are not baked into the images nor
visible in ``docker inspect``. Routers log in to ``vtysh``, hosts to ``bash``. A container started by hand
takes ``LABGRADER_SSH_USER`` / ``LABGRADER_SSH_PASSWORD`` from its environment instead.

Names are imported lazily so that ``import grader.runtime`` does not load the Docker SDK. The function
``deploy`` is ``grader.runtime.deploy.deploy`` (its module has the same name, so it is not re-exported).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ImageInfo": "images", "build_images": "images", "list_images": "images", "image_for": "images",
    "Deployment": "deploy", "DeployedNode": "deploy", "apply_configs": "deploy",
    "destroy": "deploy", "LabStatus": "state", "NodeStatus": "state", "running_labs": "state",
    "lab_status": "state",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"grader.runtime.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'grader.runtime' has no attribute {name!r}")
