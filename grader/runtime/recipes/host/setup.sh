#!/bin/sh
# A PC: bash login, iproute2 and ping.
set -eu
echo /bin/bash > /etc/labgrader/login-shell
: > /etc/labgrader/login-groups
