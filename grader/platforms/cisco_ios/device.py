"""The device facts of cisco_ios: model and software version."""

from __future__ import annotations

import re
from typing import Any

from grader.checks.device import DeviceVersion
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.vendor_common import require_match

Rows = list[dict[str, Any]]

# "IOS (tm) C2600 Software (C2600-IPBASE-M), Version 12.3(6f), ..." / "Cisco IOS Software, IOSv Software
# (VIOS-ADVENTERPRISEK9-M), Version 15.8(3)M2, ..." / "Cisco IOS Software [Fuji], ... (CAT9K_IOSXE), Version 16.9.3"
_IOS = re.compile(r"^(?:Cisco )?IOS\b(?! XE Software).*?,\s+Version\s+([^,\s]+)", re.MULTILINE)
_IMAGE = re.compile(r"\(([^()\s]+)\),\s+Version\s")
_XE = re.compile(r"^Cisco IOS XE Software, Version\s+(\S+)", re.MULTILINE)
# "cisco WS-C2960-24TT-L (PowerPC405) processor ...", "Cisco IOSv (revision 1.0) with ..."
_MODEL = re.compile(r"^[Cc]isco\s+(\S+)\s+\([^)]*\)\s+(?:processor|with)\b", re.MULTILINE)


def version(rows: Rows, text: str, request: FactRequest) -> DeviceVersion:
    """``show version`` (free text, read by regex): ``IOS 15.2(4)M3 (C2960-LANBASEK9-M)``, or ``IOS-XE 16.09.03
    / 16.9.3 (...)`` when an IOS XE line is printed (either spelling matches); the model from the ``cisco <model>
    (<cpu>) processor`` line."""
    ios = require_match(_IOS.pattern, text, "IOS version line")
    xe = _XE.search(text)
    found = _IMAGE.search(ios.group(0))
    image = f" ({found.group(1)})" if found else ""
    if xe:
        number = xe.group(1) + (f" / {ios.group(1)}" if ios.group(1) != xe.group(1) else "")
        software = f"IOS-XE {number}{image}"
    else:
        software = f"IOS {ios.group(1)}{image}"
    model = _MODEL.search(text)
    return DeviceVersion(software=software, model=model.group(1) if model else None)


FACTS: dict[str, FactSpec] = {
    # not parsed by TextFSM: show version is free text, and only two of its lines matter
    "version": FactSpec("show version", version, parsed=False),
}
