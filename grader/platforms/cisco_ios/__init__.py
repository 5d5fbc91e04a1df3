"""Cisco IOS / IOS-XE: show commands parsed by the project's cisco_ios templates (routed in our index)."""

from __future__ import annotations

from grader.platforms.base import Dialog, Enable, Platform, SessionProfile, collect_facts

# IOS prompts: R1> (user), R1# (privileged), R1(config)#, R1(config-if)#, R1(config-router)#.
SESSION = SessionProfile(
    dialect="ios",
    ssh_device_type="cisco_ios",
    telnet_device_type="cisco_ios_telnet",
    prompt=r"[\w.:/-]+(?:\([\w.:/-]+\))?[>#]",
    config_prompt=r"[\w.:/-]+\(config[\w.:/-]*\)#",
    leave_config=("end",),
    paging_off=("terminal length 0",),
    more_prompts=(r" ?--More-- ?",),
    error_markers=(
        "% Invalid input",
        "% Incomplete command",
        "% Ambiguous command",
        "% Unknown command",
        "% Unrecognized host",
    ),
    enable=Enable(user_prompt=r"[\w.:/-]+>"),
    dialogs=(
        Dialog(r"Press RETURN to get started", "\n", "console banner"),
        Dialog(r"initial configuration dialog\? \[yes/no\]:", "no\n", "setup dialog"),
    ),
)

PLATFORM = Platform(
    name="cisco_ios",
    template_platform="cisco_ios",
    facts=collect_facts(__name__),
    session=SESSION,
    unsupported={
        # services and management
        "telnet_server": "IOS has no Telnet server switch: `transport input` on the VTY lines decides (check vty)",
    },
    containerlab_kinds=("cisco_iol", "cisco_csr1000v", "vr-csr", "cisco_c8000v", "vr-c8000v"),
)
