# Builds Sổ tay Chi bộ for Windows office PCs: the venv, the tests, the one-folder program.
#
#   powershell -ExecutionPolicy Bypass -File scripts\windows\build.ps1 [-SkipTests]
#
# Result: dist\SoTayChiBo\ with SoTayChiBo.exe (the window, no console) and sotay.exe
# (the command line) side by side; zip that folder or wrap it in an installer.
#
# NOT RUN YET: this script was written on Linux, where it cannot run; nobody has run it on
# Windows. Everything it calls (pip, pytest, PyInstaller with build.spec, the build test)
# runs on Linux too (scripts/check_build.sh) and in CI (.github/workflows/windows.yml).
# Saved as UTF-8 with a BOM so Windows PowerShell 5.1 reads the Vietnamese text right.
# Needs: Python 3.11 or 3.12 (64-bit) from python.org, on PATH as `py` or `python`.
[CmdletBinding()]
param(
    [switch]$SkipTests
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root

function Invoke-Checked {
    param([string]$What, [scriptblock]$Command)
    Write-Host "== $What" -ForegroundColor Cyan
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "${What}: thất bại (mã $LASTEXITCODE)" }
}

# Output of Python in UTF-8 whatever the console code page (the program does this itself;
# pip and pytest output too).
$env:PYTHONUTF8 = "1"
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8

if (Get-Command py -ErrorAction SilentlyContinue) {
    $Base = "py"; $BaseArgs = @("-3.11")
} else {
    $Base = "python"; $BaseArgs = @()
}
if (-not (Test-Path ".venv\Scripts\python.exe")) {
    Invoke-Checked "tạo môi trường .venv" { & $Base @BaseArgs -m venv .venv }
}
$Py = Join-Path $Root ".venv\Scripts\python.exe"
Invoke-Checked "cập nhật pip" { & $Py -m pip install -q --upgrade pip }
Invoke-Checked "cài .[dev]" { & $Py -m pip install -q -e ".[dev]" }

if (-not $SkipTests) {
    $env:QT_QPA_PLATFORM = "offscreen"
    $env:SOTAY_KDF_PROFILE = "test"
    # The core, the documents and the simulated-Windows tests; on Windows the simulated
    # parts meet the real thing (fsync, msvcrt, code pages).
    Invoke-Checked "kiểm thử" {
        & $Py -m pytest -q -p no:cacheprovider tests/app tests/reports tests/test_wheel.py
    }
    Remove-Item Env:\SOTAY_KDF_PROFILE
}

Invoke-Checked "đóng gói (PyInstaller, build.spec)" {
    & $Py -m PyInstaller build.spec --noconfirm --log-level WARN
}

if (-not $SkipTests) {
    $env:SOTAY_TEST_BUILD = "1"
    $env:SOTAY_BUILD_DIR = Join-Path $Root "dist"
    Invoke-Checked "kiểm thử bản đóng gói" {
        & $Py -m pytest -q -p no:cacheprovider tests/e2e/test_build.py
    }
}

$Size = (Get-ChildItem -Recurse dist\SoTayChiBo | Measure-Object -Sum Length).Sum / 1MB
Write-Host ("Xong: dist\SoTayChiBo ({0:N0} MB). Chạy SoTayChiBo.exe để mở chương trình." -f $Size) -ForegroundColor Green
