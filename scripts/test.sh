#!/usr/bin/env bash
# The whole test suite: lint, unit and integration tests, live tests on FRR containers, and every lab
# proven live (solution scores full marks, initial config fails everything, variants fail as listed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cleanup() { .venv/bin/labgrader down --all >/dev/null 2>&1 || true; }
trap cleanup EXIT

printf '\033[1m== %s\033[0m\n' "ruff"
.venv/bin/ruff check .
printf '\033[1m== %s\033[0m\n' "labgrader lint labs/*"
.venv/bin/labgrader lint labs/*
printf '\033[1m== %s\033[0m\n' "labgrader validate labs/* --live --or-recorded"
.venv/bin/labgrader validate labs/* --live --or-recorded
printf '\033[1m== %s\033[0m\n' "pytest"
CI="${CI:-}" .venv/bin/pytest -q
