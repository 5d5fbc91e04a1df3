"""Inventory: how to reach each node of a lab (host, port, device type, credentials).

::

    defaults:
      username: student
      password_env: LABGRADER_PASSWORD   # read from the environment at connect time
      transport: ssh                     # ssh | telnet
    nodes:
      r1: {host: 127.0.0.1, port: 32768}
      r2: {host: 127.0.0.1, port: 32769, password: secret}

A node's value overrides the defaults. ``device_type`` defaults from the node's platform and transport.
Credentials are ``SecretStr``: they never print, and ``public_dump`` leaves them out.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from grader.errors import LabFileError

PASSWORD_ENV = "LABGRADER_PASSWORD"  # where deployed labs' inventories read their password from
DEFAULT_PASSWORD = "labgrader"  # the throw-away password of locally deployed labs unless the variable is set


class Connection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    transport: Literal["ssh", "telnet"] | None = None
    device_type: str | None = None
    username: str | None = None
    username_env: str | None = None
    password: SecretStr | None = None
    password_env: str | None = None
    secret: SecretStr | None = None  # enable / super password
    timeout: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_source(self) -> Connection:
        if self.password is not None and self.password_env:
            raise ValueError("give either password or password_env, not both")
        if self.username is not None and self.username_env:
            raise ValueError("give either username or username_env, not both")
        return self


class ResolvedConnection(BaseModel):
    """A node's connection with defaults applied and environment variables read."""

    node: str
    host: str
    port: int
    transport: Literal["ssh", "telnet"]
    device_type: str | None
    username: str | None
    password: SecretStr | None
    secret: SecretStr | None
    timeout: float


class Inventory(BaseModel):
    model_config = ConfigDict(extra="forbid")

    defaults: Connection = Field(default_factory=Connection)
    nodes: dict[str, Connection]

    def resolve(self, node: str, environ: dict[str, str] | None = None) -> ResolvedConnection:
        """Merge defaults and node values; read ``*_env`` variables. ``LabFileError`` if something is missing."""
        env = os.environ if environ is None else environ
        if node not in self.nodes:
            raise LabFileError([f"inventory: no entry for node {node!r}"])
        merged: dict[str, Any] = self.defaults.model_dump(exclude_none=True)
        merged.update(self.nodes[node].model_dump(exclude_none=True))
        for key in ("username", "password"):
            var = merged.pop(f"{key}_env", None)
            if var is not None and key not in self.nodes[node].model_fields_set:
                if var not in env:
                    raise LabFileError([f"inventory: node {node!r}: environment variable {var} is not set"])
                merged[key] = env[var]
        transport = merged.get("transport", "ssh")
        if "host" not in merged:
            raise LabFileError([f"inventory: node {node!r} has no host"])
        return ResolvedConnection(
            node=node,
            host=merged["host"],
            port=merged.get("port", 22 if transport == "ssh" else 23),
            transport=transport,
            device_type=merged.get("device_type"),
            username=merged.get("username"),
            password=merged.get("password"),
            secret=merged.get("secret"),
            timeout=merged.get("timeout", 10.0),
        )
