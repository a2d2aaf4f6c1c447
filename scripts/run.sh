#!/usr/bin/env bash
# Starts Sổ tay Chi bộ. With no book yet in the data folder it opens a demo branch.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/sotay gui --demo-if-empty "$@"   # the real book when there is one, else a demo branch
