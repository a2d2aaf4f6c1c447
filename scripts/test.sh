#!/usr/bin/env bash
# Runs the whole test suite (sets up .venv first). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
export SOTAY_KDF_PROFILE=test
# This machine's PostgreSQL (trust auth) for the server's production path.
export SOTAY_TEST_PG_URL=${SOTAY_TEST_PG_URL-postgresql+psycopg://postgres@127.0.0.1:5432/test}
exec .venv/bin/python -m pytest "$@"
