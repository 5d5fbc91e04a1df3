"""Packaging shim: maps the top-level ``templates/`` folder into the package as ``grader.templates``.

Everything else lives in setup.cfg.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["grader", "grader.*"]), "grader.templates"],
    package_dir={"grader.templates": "templates"},
    package_data={"grader.templates": ["textfsm/*"], "grader": ["schemas/*.json", "runtime/recipes/*/*"]},
)
