"""Typed values of check parameters that end up inside a device command: an address or a name, never text
that could extend the command (``1.1.1.1; rm -rf /``), whatever a lab variable holds."""

from __future__ import annotations

import re
from ipaddress import ip_address
from typing import Annotated

from pydantic import AfterValidator

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")
_INTERFACE = re.compile(r"^[A-Za-z][A-Za-z0-9./:-]{0,63}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")


def _address_or_hostname(value: str) -> str:
    text = value.strip()
    try:
        return str(ip_address(text))
    except ValueError:
        pass
    if _HOSTNAME.match(text) and not text.replace(".", "").isdigit():
        return text
    raise ValueError(f"{value!r} is neither an IP address nor a host name (letters, digits, '-' and '.')")


def _address_or_interface(value: str) -> str:
    text = value.strip()
    try:
        return str(ip_address(text))
    except ValueError:
        pass
    if _INTERFACE.match(text):
        return text
    raise ValueError(f"{value!r} is neither an IP address nor an interface name")


def _plain_name(value: str) -> str:
    if _NAME.match(value):
        return value
    raise ValueError(f"{value!r} is not a name of letters, digits, '_', '.' and '-' (at most 63)")


HostTarget = Annotated[str, AfterValidator(_address_or_hostname)]
SourceName = Annotated[str, AfterValidator(_address_or_interface)]
PlainName = Annotated[str, AfterValidator(_plain_name)]  # a VRF / VPN instance, a pool, an ACL name, ...
