"""Interface names and protocol states in one canonical spelling, shared by platforms and checks.

Platforms store interface names as the device spells them in long form (``GigabitEthernet0/0/1``);
comparisons go through ``interface_key`` so ``GE0/0/1``, ``ge0/0/1`` and ``GigabitEthernet0/0/1`` are equal.
"""

from __future__ import annotations

import re

from netutils.interface import canonical_interface_name

# Huawei abbreviations netutils reads otherwise: display vlan prints XGE0/0/1 for XGigabitEthernet0/0/1 (netutils
# would make TenGigabitEthernet0/0/1 of it, a name no VRP device prints).
_HUAWEI_SHORT = re.compile(r"^(xge)(?=\d)", re.IGNORECASE)
# A VLAN's layer 3 interface: Vlanif10 (Huawei), Vlan10 / Vl10 (Cisco), Vlan-interface10 (H3C style).
_VLAN_INTERFACE = re.compile(r"^(?:vlanif|vlan-interface|vlan|vl)\s*(\d+)$", re.IGNORECASE)


def canonical_interface(name: str) -> str:
    """Long form of a vendor interface name (``Gi0/1`` → ``GigabitEthernet0/1``); others unchanged."""
    name = name.strip()
    if _HUAWEI_SHORT.match(name):
        return _HUAWEI_SHORT.sub("XGigabitEthernet", name)
    long_name = canonical_interface_name(name)
    if long_name == name and name[:1].islower():
        # netutils' abbreviations are case-sensitive; students type ``ge0/0/1`` too.
        capitalised = canonical_interface_name(name[:1].upper() + name[1:])
        if capitalised != name[:1].upper() + name[1:]:
            long_name = capitalised
    return long_name


def interface_key(name: str) -> str:
    """Comparison key: canonical and case-folded (``LoopBack0`` = ``Loopback0`` = ``lo0``). A VLAN interface has
    one key whatever the spelling: ``Vlanif10`` = ``vlanif10`` = ``Vlan-interface10`` = ``Vlan10`` = ``Vl10``."""
    vlan = _VLAN_INTERFACE.match(name.strip())
    if vlan:
        return f"vlan{int(vlan.group(1))}"
    return canonical_interface(name).casefold()


def same_interface(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and interface_key(a) == interface_key(b)


_OSPF_STATES = {
    "full": "Full", "2way": "2-Way", "2-way": "2-Way", "init": "Init", "down": "Down", "attempt": "Attempt",
    "exstart": "ExStart", "exchange": "Exchange", "loading": "Loading", "deleted": "Deleted",
}


def ospf_state(text: str) -> str:
    """``FULL/DR``, ``Full/-``, ``Full`` → ``Full``; ``2-Way/DROther`` → ``2-Way``."""
    head = re.split(r"[/\s]", text.strip(), maxsplit=1)[0]
    return _OSPF_STATES.get(head.casefold(), head)


_BGP_STATES = {s.casefold(): s for s in ("Established", "Idle", "Active", "Connect", "OpenSent", "OpenConfirm")}


def bgp_state(text: str) -> tuple[str, int | None]:
    """A summary's State/PfxRcd column → (state, prefixes received). A number means Established."""
    value = text.strip()
    if value.isdigit():
        return "Established", int(value)
    head = value.split("(")[0].strip()  # "Idle (Admin)" → "Idle"
    return _BGP_STATES.get(head.casefold(), head), None


def area_dotted(area: str) -> str:
    """OSPF area as dotted quad: ``0`` → ``0.0.0.0``, ``0.0.0.1`` unchanged."""
    text = area.strip()
    if text.isdigit():
        number = int(text)
        return ".".join(str((number >> shift) & 0xFF) for shift in (24, 16, 8, 0))
    return text


OSPF_STATES = tuple(dict.fromkeys(_OSPF_STATES.values()))
BGP_STATES = tuple(_BGP_STATES.values())


def ospf_state_param(value: str) -> str:
    """A state a lab may expect of an OSPF neighbour, in its canonical spelling; ``ValueError`` otherwise."""
    state = _OSPF_STATES.get(value.strip().casefold())
    if state is None:
        raise ValueError(f"unknown OSPF state {value!r}; one of {', '.join(OSPF_STATES)}")
    return state


def bgp_state_param(value: str) -> str:
    """A BGP session state a lab may expect, canonical; ``ValueError`` otherwise."""
    state = _BGP_STATES.get(value.strip().casefold())
    if state is None:
        raise ValueError(f"unknown BGP state {value!r}; one of {', '.join(BGP_STATES)}")
    return state


def area_param(value: str | int) -> str:
    """An OSPF area as a lab writes it (``0``, ``10``, ``0.0.0.1``), in dotted form; ``ValueError`` otherwise."""
    text = str(value).strip()
    if text.isdigit() and int(text) <= 0xFFFFFFFF:
        return area_dotted(text)
    parts = text.split(".")
    if len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts):
        return ".".join(str(int(p)) for p in parts)
    raise ValueError(f"area {value!r} is not a number 0-4294967295 or a dotted quad")
