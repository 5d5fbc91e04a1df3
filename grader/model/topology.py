"""Topology: a containerlab-format file (``*.clab.yml``) read as typed models.

Only the parts labgrader needs are modelled; any other containerlab key is kept and ignored, so the same
file can be handed to containerlab. A node's grading platform is the node label ``labgrader.platform``
(containerlab passes labels through untouched), else the one the platform registry gives its kind; the loader
checks the name against the registry (``grader.platforms``) and binds it, as this module knows no platforms.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

PLATFORM_LABEL = "labgrader.platform"


class Node(BaseModel):
    """One device of the topology."""

    model_config = ConfigDict(extra="allow")

    name: str = ""
    kind: str | None = None  # none: a node that is never deployed (graded from captures or inventories only)
    image: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    _kind_platform: str | None = PrivateAttr(default=None)

    @field_validator("labels", mode="before")
    @classmethod
    def _labels_as_strings(cls, value: object) -> object:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        return value

    @property
    def platform(self) -> str:
        """The grading platform: the ``labgrader.platform`` label, else the one bound for the node's kind."""
        return self.labels.get(PLATFORM_LABEL) or self._kind_platform or "linux"

    def bind_kind_platform(self, platform: str) -> None:
        """Record the platform the registry gives this node's kind (used when no label names one)."""
        self._kind_platform = platform


class Endpoint(BaseModel):
    """``node:interface`` as containerlab writes it."""

    node: str
    interface: str

    @classmethod
    def parse(cls, text: str) -> Endpoint:
        node, sep, interface = text.partition(":")
        if not sep or not node or not interface:
            raise ValueError(f"endpoint {text!r} is not of the form 'node:interface'")
        return cls(node=node, interface=interface)

    def __str__(self) -> str:
        return f"{self.node}:{self.interface}"


class Link(BaseModel):
    """A point-to-point link between two endpoints."""

    model_config = ConfigDict(extra="allow")

    endpoints: tuple[Endpoint, Endpoint]

    @field_validator("endpoints", mode="before")
    @classmethod
    def _parse_endpoints(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            if len(value) != 2:
                raise ValueError(f"a link has exactly 2 endpoints, got {len(value)}")
            return tuple(Endpoint.parse(v) if isinstance(v, str) else v for v in value)
        return value


class TopologyBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    nodes: dict[str, Node]
    links: list[Link] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> TopologyBody:
        for name, node in self.nodes.items():
            node.name = name
        seen: set[str] = set()
        for link in self.links:
            for end in link.endpoints:
                if end.node not in self.nodes:
                    raise ValueError(f"link endpoint {end}: no node named {end.node!r}")
                if str(end) in seen:
                    raise ValueError(f"link endpoint {end} is used twice")
                seen.add(str(end))
        return self


class Topology(BaseModel):
    """A containerlab topology file."""

    model_config = ConfigDict(extra="allow")

    name: str
    topology: TopologyBody

    @property
    def nodes(self) -> dict[str, Node]:
        return self.topology.nodes

    @property
    def links(self) -> list[Link]:
        return self.topology.links
