"""The PyInstaller build: two programs in one folder, trimmed, and every command group works.

Runs when SOTAY_TEST_BUILD=1 (CI sets it; the build takes a few minutes). With
SOTAY_BUILD_DIR=<folder holding SoTayChiBo/> an existing build is tested instead of making
one (scripts/check_build.sh builds, then runs this file that way).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.smoke_commands import JSON_COMMANDS

ROOT = Path(__file__).resolve().parents[2]
WIN = sys.platform == "win32"
EXE = ".exe" if WIN else ""
PASSWORD = "mat-khau-ban-dong-goi"

pytestmark = pytest.mark.skipif(
    os.environ.get("SOTAY_TEST_BUILD") != "1", reason="set SOTAY_TEST_BUILD=1 to build the app"
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("SOTAY_BUILD_DIR")
    if given:
        return Path(given) / "SoTayChiBo"
    tmp = tmp_path_factory.mktemp("build")
    pyinstaller = ROOT / ".venv" / ("Scripts" if WIN else "bin") / f"pyinstaller{EXE}"
    subprocess.run(
        [
            str(pyinstaller),
            "build.spec",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(tmp / "dist"),
            "--workpath",
            str(tmp / "build"),
        ],
        cwd=ROOT,
        check=True,
        timeout=1500,
    )
    return tmp / "dist" / "SoTayChiBo"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "SOTAY_KDF_PROFILE", "PYTHONIOENCODING", "PYTHONUTF8")
    }
    env.update(QT_QPA_PLATFORM="offscreen", SOTAY_DATA_DIR=str(tmp_path / "data"), **extra)
    return env


def test_two_programs_share_one_folder_in_utf8_mode_with_every_keyring_backend(
    folder: Path, tmp_path: Path
) -> None:
    gui, cli = folder / f"SoTayChiBo{EXE}", folder / f"sotay{EXE}"
    assert gui.is_file() and cli.is_file()
    # A windowed program on Windows has no stdout to report on (sys.stdout is None there).
    for program in (cli,) if WIN else (cli, gui):
        out = subprocess.run(
            [str(program), "--build-info"], capture_output=True, env=_env(tmp_path), timeout=120
        )
        assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
        info = json.loads(out.stdout.decode("utf-8"))
        assert info["frozen"] is True
        assert info["utf8_mode"] == 1  # OPTIONS X utf8 in build.spec
        # By name: a Windows build without Credential Manager must not pass.
        for backend in ("Windows", "macOS", "SecretService", "chainer", "fail"):
            assert info["keyring_backends_bundled"][f"keyring.backends.{backend}"], backend


def test_build_is_trimmed(folder: Path) -> None:
    # Links (SoTayChiBo → sotay on Linux, library aliases) take no room of their own.
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    inside = folder / "_internal"
    names = {p.name.lower() for p in inside.iterdir()}
    for dead in (
        "psycopg",
        "psycopg_binary",
        "psycopg_binary.libs",
        "fastapi",
        "uvicorn",
        "server",
        "starlette",
        "pytest",
        "_pytest",
    ):
        assert dead not in names, dead
    translations = inside / "PySide6" / "Qt" / "translations"
    if translations.exists():
        assert {p.name.split("_")[0] for p in translations.iterdir()} <= {"qtbase", "qt"}
        assert all("_vi" in p.name for p in translations.iterdir())
    plugins = inside / "PySide6" / "Qt" / "plugins"
    if plugins.exists():
        groups = {p.name for p in plugins.iterdir()}
        assert "platforms" in groups and "imageformats" in groups
        assert not groups & {
            "tls",
            "networkinformation",
            "platformthemes",
            "generic",
            "egldeviceintegrations",
            "wayland-shell-integration",
        }
    assert (inside / "app" / "resources" / "fonts" / "LiberationSerif-Regular.ttf").is_file()
    assert (inside / "app" / "storage" / "migrations" / "env.py").is_file()
    if not WIN:
        assert size_mb <= 180, f"{size_mb:.0f} MB in {len(files)} files"


def test_frozen_app_creates_and_unlocks_a_book(folder: Path, tmp_path: Path) -> None:
    exe = folder / f"sotay{EXE}"
    out = subprocess.run(
        [str(exe), "selftest"], capture_output=True, env=_env(tmp_path), cwd=tmp_path, timeout=300
    )
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
    report = json.loads(out.stdout.decode("utf-8"))
    assert report["created_and_unlocked"] is True
    assert report["integrity"] is True
    assert report["schema"]  # migrations were bundled and applied
    assert report["pdf_bytes"] > 10_000  # fonts bundled
    assert any("fail.Keyring" in b or "chainer" in b for b in report["keyring_backends"])
    assert report["window_title"] == "Sổ tay Chi bộ — Chi bộ Tự kiểm tra"


def test_every_command_group_against_the_built_program(folder: Path, tmp_path: Path) -> None:
    """The smoke test: each command group, under a Windows code page, output read as UTF-8."""
    exe = str(folder / f"sotay{EXE}")
    env = _env(tmp_path, SOTAY_PASSWORD=PASSWORD, PYTHONIOENCODING="cp1258")

    def run(*args: str, ok: bool = True) -> str:
        out = subprocess.run([exe, *args], capture_output=True, env=env, cwd=tmp_path, timeout=180)
        if ok:
            assert out.returncode == 0, (args, out.stderr.decode("utf-8", "replace"))
        return out.stdout.decode("utf-8")

    init = run(
        "init",
        "--branch",
        "Chi bộ Đóng gói",
        "--committee",
        "Đảng bộ thử",
        "--recovery-pdf",
        str(tmp_path / "ma-khoi-phuc.pdf"),
    )
    assert "Mã khôi phục:" in init
    assert (tmp_path / "ma-khoi-phuc.pdf").read_bytes().startswith(b"%PDF")
    run("check")
    added = json.loads(
        run(
            "members",
            "add",
            "--name",
            "Trần Văn Bình",
            "--birth",
            "1950-01-02",
            "--admitted",
            "1975-04-30",
            "--json",
        )
    )
    assert added
    assert "Trần Văn Bình" in run("members", "list", "--json")
    run("members", "pdf", "-o", str(tmp_path / "danh-sach.pdf"))
    assert (tmp_path / "danh-sach.pdf").stat().st_size > 10_000
    meeting = json.loads(
        run(
            "meetings",
            "create",
            "--kind",
            "thuong_ky",
            "--at",
            "2025-03-05 14:00",
            "--place",
            "Nhà văn hóa",
            "--json",
        )
    )
    assert meeting
    for args in JSON_COMMANDS:
        json.loads(run(*args))
    assert "điểm danh" in run("attendance", "--help")
    run("backup", "-o", str(tmp_path / "sao-luu.sotaybak"))
    assert (tmp_path / "sao-luu.sotaybak").stat().st_size > 10_000
    assert "Sổ tay Chi bộ" in run("--help")


def test_windowed_program_opens_the_book(folder: Path, tmp_path: Path) -> None:
    """SoTayChiBo (the windowed program) with no arguments: unlock dialog → main window →
    Tổng quan, the password typed through the dialog (ui/startup_probe.py)."""
    env = _env(tmp_path, SOTAY_PASSWORD=PASSWORD)
    made = subprocess.run(
        [
            str(folder / f"sotay{EXE}"),
            "init",
            "--branch",
            "Chi bộ Cửa sổ",
            "--committee",
            "Đảng bộ thử",
        ],
        capture_output=True,
        env=env,
        timeout=180,
    )
    assert made.returncode == 0, made.stderr.decode("utf-8", "replace")
    env.pop("SOTAY_PASSWORD")
    env.update(SOTAY_STARTUP_PROBE="1", SOTAY_STARTUP_PROBE_PASSWORD=PASSWORD)
    # On Windows the windowed program has no stdout for the marks: `sotay` (no command)
    # takes the same path there.
    program = folder / (f"sotay{EXE}" if WIN else "SoTayChiBo")
    out = subprocess.run([str(program)], capture_output=True, env=env, timeout=180)
    marks = [
        line.split()[1] for line in out.stdout.decode().splitlines() if line.startswith("PROBE")
    ]
    assert marks == ["dialog", "submitted", "window", "overview"], out.stderr.decode()[-2000:]
