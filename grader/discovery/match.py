"""Match a simulator's devices to a lab's topology nodes and make the inventory.

Names are compared as the student typed them, then ignoring case and separators (``AR-1``, ``ar_1`` and
``AR1`` are the same); ``--map SIM=LAB`` renames explicitly. A lab node that a check needs and that no
device matches is an error, reported once with every missing node, every unmatched device and a
did-you-mean for each; everything else that needs a word (skipped devices, platform disagreements, nodes no
check uses) is a note. The inventory says only how to reach each node: telnet, host, port; the lab's
platform gives the netmiko device type, so none is written unless the platform has no telnet driver.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from grader.discovery.base import SimDevice, shown
from grader.errors import LabFileError
from grader.loader import LoadedLab
from grader.model.topology import PLATFORM_LABEL

GENERIC_TELNET = "generic_telnet"


@dataclass(frozen=True)
class Entry:
    """One inventory node: where its console is, and what it was in the simulator."""

    node: str
    device: SimDevice
    host: str
    port: int
    device_type: str | None = None


@dataclass
class Matching:
    entries: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def name_key(name: str) -> str:
    """``AR-1`` → ``ar1``: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", name.casefold())


def parse_maps(pairs: tuple[str, ...]) -> dict[str, str]:
    """``--map SIM=LAB`` pairs as {simulator name: lab node}."""
    maps: dict[str, str] = {}
    for pair in pairs:
        sim, sep, lab = pair.partition("=")
        if not sep or not sim.strip() or not lab.strip():
            raise LabFileError([f"--map {pair!r}: expected SIMNAME=LABNODE"])
        if sim.strip() in maps:
            raise LabFileError([f"--map: {sim.strip()!r} is mapped twice"])
        maps[sim.strip()] = lab.strip()
    return maps


def needed_nodes(loaded: LoadedLab) -> set[str]:
    """The topology nodes some check of the lab reads (with the lab's default variables)."""
    return {resolved.params.node for resolved in loaded.resolve()}


def match(loaded: LoadedLab, devices: list[SimDevice], source: str, maps: dict[str, str] | None = None,
          host: str | None = None) -> Matching:
    """The inventory entries for ``loaded``'s nodes from ``devices`` (read from ``source``).
    ``host`` replaces every console address. Raises ``LabFileError`` (one line) when a needed node is
    missing, a name is ambiguous or a platform cannot be told."""
    topology = loaded.topology.nodes
    maps = maps or {}
    result = Matching()
    chosen = _assign(topology, devices, source, maps)
    needed = needed_nodes(loaded)
    usable = [d for d in devices if d.skip is None]
    matched_devices = {id(device) for device in chosen.values()}
    missing = [node for node in topology if node not in chosen]
    extra = [d for d in usable if id(d) not in matched_devices]
    problems = _missing_problems(missing, needed, extra, devices, source)
    if problems:
        raise LabFileError([problems])
    for node in missing:
        result.notes.append(f"lab node {node!r} is not in {source}; no check reads it, so it is left out")
    for device in devices:
        if device.skip is not None and id(device) not in matched_devices:
            result.notes.append(f"{shown(device.name)!r} ({shown(device.kind)}) skipped: {device.skip}")
    for device in extra:
        result.notes.append(f"{shown(device.name)!r} ({shown(device.kind)}) is not a node of the lab: left out")
    errors: list[str] = []
    for node, device in chosen.items():
        entry, notes = _entry(loaded, node, device, source, host, node in needed)
        result.notes.extend(notes)
        if isinstance(entry, str):
            errors.append(entry)
        elif entry is not None:
            result.entries.append(entry)
    if errors:
        raise LabFileError(errors)
    _check_unique_consoles(result.entries, source)
    return result


def _assign(topology: dict[str, object], devices: list[SimDevice], source: str,
            maps: dict[str, str]) -> dict[str, SimDevice]:
    """lab node → device: explicit maps first, then exact names, then names without case and separators."""
    by_name = {d.name: d for d in devices}
    chosen: dict[str, SimDevice] = {}
    for sim, lab in maps.items():
        device = by_name.get(sim) or _unique([d for d in devices if name_key(d.name) == name_key(sim)], sim, source)
        if device is None:
            raise LabFileError([f"--map {sim}={lab}: no device {sim!r} in {source}"
                                f"{_hint(sim, [d.name for d in devices])}"])
        if lab not in topology:
            raise LabFileError([f"--map {sim}={lab}: the lab has no node {lab!r}{_hint(lab, list(topology))}"])
        if lab in chosen:
            raise LabFileError([f"--map: two devices are mapped to lab node {lab!r}"])
        chosen[lab] = device
    taken = {id(d) for d in chosen.values()}
    for exact in (True, False):
        for node in topology:
            if node in chosen:
                continue
            candidates = [d for d in devices if id(d) not in taken and d.name not in maps
                          and (d.name == node if exact else name_key(d.name) == name_key(node))]
            device = _unique(candidates, node, source)
            if device is not None:
                chosen[node] = device
                taken.add(id(device))
    return chosen


def _unique(candidates: list[SimDevice], name: str, source: str) -> SimDevice | None:
    if len(candidates) > 1:
        names = ", ".join(repr(shown(d.name)) for d in candidates)
        raise LabFileError([f"{source}: {names} all match {name!r}: rename one in the simulator or give "
                            f"--map SIMNAME={name}"])
    return candidates[0] if candidates else None


def _hint(word: str, choices: list[str]) -> str:
    """A did-you-mean among ``choices``, compared without case and separators: a close spelling, or a name
    of the same kind (first letter) or number (``r2`` → ``Router2``), the first letter weighing most."""
    key = name_key(word)

    def score(choice: str) -> float:
        other = name_key(choice)
        return (difflib.SequenceMatcher(None, key, other).ratio() + 0.3 * (other[:1] == key[:1])
                + 0.2 * (_number(other) == _number(key) != ""))

    best = max(choices, key=score, default=None)
    return f" (did you mean {shown(best)!r}?)" if best is not None and score(best) >= 0.6 else ""


def _number(name: str) -> str:
    found = re.search(r"\d+$", name_key(name))
    return found.group() if found else ""


def _missing_problems(missing: list[str], needed: set[str], extra: list[SimDevice], devices: list[SimDevice],
                      source: str) -> str:
    """One line for every needed lab node without a device, or '' when there is none."""
    absent = [node for node in missing if node in needed]
    if not absent:
        return ""
    skipped = {name_key(d.name): d for d in devices if d.skip is not None}
    parts = []
    for node in absent:
        if name_key(node) in skipped:
            device = skipped[name_key(node)]
            parts.append(f"{node} ({shown(device.name)!r} cannot be graded: {device.skip})")
        else:
            parts.append(node + _hint(node, [d.name for d in extra]))
    line = f"{source}: the lab's node{'s' if len(absent) > 1 else ''} {', '.join(parts)} " \
           f"{'are' if len(absent) > 1 else 'is'} not in the simulator's project"
    if extra:
        names = sorted((shown(d.name) for d in extra), key=name_key)
        line += f"; it has {', '.join(repr(n) for n in names)}, which the lab does not"
    return line + "; rename devices in the simulator to the lab's names or give --map SIMNAME=LABNODE"


def _entry(loaded: LoadedLab, node: str, device: SimDevice, source: str, host: str | None,
           needed: bool) -> tuple[Entry | str | None, list[str]]:
    """The entry for ``node``, or an error line, or None (left out, with a note)."""
    from grader.platforms import PLATFORM_NAMES, get_platform, platform_for_kind

    notes: list[str] = []
    label = f"lab node {node!r} ({shown(device.name)!r}, {shown(device.kind)})"
    if device.skip is not None:
        if needed:
            return f"{label}: cannot be graded: {device.skip}", notes
        return None, [f"{label} skipped: {device.skip}"]
    topo_node = loaded.topology.nodes[node]
    stated = topo_node.labels.get(PLATFORM_LABEL) or platform_for_kind(topo_node.kind)
    lab_platform = stated if stated in PLATFORM_NAMES else None
    if device.platform is None and lab_platform is None:
        return (f"{label}: cannot tell its platform: {source} does not say and the lab's topology gives none "
                f"(give the node a '{PLATFORM_LABEL}' label)"), notes
    if device.platform is None:
        notes.append(f"{label}: the simulator does not say its platform; the lab's {lab_platform} is used")
    elif lab_platform is None:
        notes.append(f"{label}: the simulator says {device.platform} but the lab's topology names no platform "
                     f"(it is graded as {topo_node.platform}): give the node a '{PLATFORM_LABEL}' label")
    elif lab_platform != device.platform:
        notes.append(f"{label}: the lab says {lab_platform} but the simulator's device is {device.platform}; "
                     f"grading uses the lab's platform")
    address = host or device.host
    if address is None:
        return (f"{label}: {source} does not say where its console is (a GNS3 VM or remote compute): "
                f"give --host ADDRESS"), notes
    platform = get_platform(topo_node.platform)
    device_type = None
    if platform.session.telnet_device_type is None:
        device_type = GENERIC_TELNET
        notes.append(f"{label}: platform {platform.name} names no telnet driver: device_type {GENERIC_TELNET} "
                     f"written")
    assert device.port is not None  # a device that is not skipped has a console port
    return Entry(node, device, address, device.port, device_type), notes


def _check_unique_consoles(entries: list[Entry], source: str) -> None:
    seen: dict[tuple[str, int], str] = {}
    for entry in entries:
        where = (entry.host, entry.port)
        if where in seen:
            raise LabFileError([f"{source}: lab nodes {seen[where]!r} and {entry.node!r} have the same console "
                                f"{entry.host}:{entry.port} (different GNS3 computes? give --host, or fix the "
                                f"project)"])
        seen[where] = entry.node
