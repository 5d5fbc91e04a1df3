"""Huawei VRP (AR/S series, eNSP): display commands parsed by the project's huawei_vrp templates.

ntc-templates' index matches commands by prefix and sends ``display ip routing-table``, ``display ip interface
brief`` and ``display ospf peer`` to ``huawei_vrp_dir``; our anchored index routes every command used here.
"""

from __future__ import annotations

from grader.platforms.base import Dialog, Platform, SessionProfile, collect_facts

# VRP prompts: <R1> (user view), [R1] (system view), [R1-GigabitEthernet0/0/1], [R1-ospf-1-area-0.0.0.0];
# VRP8 adds [~R1] (candidate configuration) and [*R1] (uncommitted changes).
SESSION = SessionProfile(
    dialect="vrp",
    ssh_device_type="huawei",
    telnet_device_type="huawei_telnet",
    prompt=r"<[\w.-]+>|\[[~*]?[\w.-]+(?:-[^\]\n]+)?\]",
    config_prompt=r"\[[~*]?[\w.-]+(?:-[^\]\n]+)?\]",
    leave_config=("return",),
    paging_off=("screen-length 0 temporary",),
    more_prompts=(r"[ \t]*-{2,4} More -{2,4}[ \t]*",),
    # "Error: Unrecognized command found at '^' position." follows the caret line. A bare "^" marker would be
    # wrong: the legend of display ip interface brief starts with "^down: standby".
    error_markers=("Error:",),
    dialogs=(
        # first login on VRP: "The password needs to be changed. Change now? [Y/N]:" -- never change it
        Dialog(r"(?i)change (?:the password )?now\? ?\[Y/N\]:?", "N\n", "password change"),
        # "There are security risks in the configuration file ... save ... [Y/N]": never save
        Dialog(r"(?is)security\s+risks\s+in\s+the\s+configuration\s+file.*?\[Y/N\]:?", "N\n", "security risks"),
        # VRP8 leaving a view with uncommitted changes: cancel, the student's candidate stays as it is
        Dialog(r"(?i)commit them before exiting\? ?\[Y\(yes\)/N\(no\)/C\(cancel\)\]:?", "C\n", "uncommitted"),
    ),
)

PLATFORM = Platform(
    name="huawei_vrp",
    template_platform="huawei_vrp",
    facts=collect_facts(__name__),
    session=SESSION,
    unsupported={
        # services and management
        "hsrp_groups": "HSRP is Cisco's protocol; Huawei routers run VRRP (check vrrp)",
        "nat_translations": "display nat session all is not parsed yet (no template)",
    },
    containerlab_kinds=("huawei_vrp", "vr-huawei_vrp"),
)
