"""Transports move text between the grader and devices: replay (captures) and netmiko (SSH, telnet)."""

from grader.transport.base import Transport

__all__ = ["Transport"]
