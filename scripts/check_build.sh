#!/usr/bin/env bash
# Builds the one-folder app with PyInstaller and proves it starts offscreen, creates and
# unlocks a book, renders a PDF with the bundled fonts and finds its keyring backends.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -rf build/SoTayChiBo dist/SoTayChiBo
.venv/bin/pyinstaller build.spec --noconfirm --log-level WARN
export QT_QPA_PLATFORM=offscreen
out=$(env -u PYTHONPATH dist/SoTayChiBo/SoTayChiBo selftest)
echo "$out"
echo "$out" | grep -q '"created_and_unlocked": true'
echo "$out" | grep -q '"integrity": true'
echo "$out" | grep -q '"window_title": "Sổ tay Chi bộ — Chi bộ Tự kiểm tra"'
echo "Bản đóng gói chạy tốt."
