#!/usr/bin/env bash
# Builds the one-folder app with PyInstaller (build.spec: the windowed SoTayChiBo and the
# console sotay side by side) and tests the result: both programs start in UTF-8 mode with
# every keyring backend bundled by name, the build is trimmed, every command group works
# against the built program, and the windowed program opens a book to Tổng quan.
# The same steps on Windows: scripts/windows/build.ps1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -rf build/SoTayChiBo dist/SoTayChiBo
.venv/bin/pyinstaller build.spec --noconfirm --log-level WARN
export QT_QPA_PLATFORM=offscreen
out=$(env -u PYTHONPATH dist/SoTayChiBo/sotay selftest)
echo "$out"
echo "$out" | grep -q '"created_and_unlocked": true'
echo "$out" | grep -q '"integrity": true'
echo "$out" | grep -q '"window_title": "Sổ tay Chi bộ — Chi bộ Tự kiểm tra"'
SOTAY_TEST_BUILD=1 SOTAY_BUILD_DIR="$PWD/dist" .venv/bin/python -m pytest -q -p no:cacheprovider \
  tests/e2e/test_build.py
size=$(du -sm dist/SoTayChiBo | cut -f1)
files=$(find dist/SoTayChiBo -type f | wc -l)
echo "Bản đóng gói chạy tốt: dist/SoTayChiBo, ${size} MB, ${files} tệp."
