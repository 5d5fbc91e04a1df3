#!/usr/bin/env bash
# The main job on the bundled example: deploy the static routing lab on FRR containers, apply the reference
# solution, grade it live over SSH, print the report, tear the lab down.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
lab=labs/hcia-static-routing
trap '.venv/bin/labgrader down "$lab" >/dev/null 2>&1 || true' EXIT
.venv/bin/labgrader up "$lab" --config solution
.venv/bin/labgrader grade "$lab" --live || true
