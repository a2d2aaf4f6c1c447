"""`pip install .` prints PDFs: the wheel carries the fonts, the demo texts and the
migrations as package data, and the program finds them from the installed copy.

Builds the wheel from a copy of the sources (the tree's build/ is PyInstaller's), opens it,
then runs reports and the migrations from the wheel's extracted contents in a fresh
interpreter (the dependencies come from this venv; the project's own code only from the
wheel). Also checks the Windows version resource text build.spec embeds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "cli", "ui", "sync", "reports", "server", "protocol")
FONTS = (
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
    "LiberationSans-Regular.ttf",
    "LiberationSans-Bold.ttf",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("wheel", reason="the wheel package builds the wheel (pip install wheel)")
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            str(src),
            "-w",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (built,) = out.glob("sotay_chibo-*.whl")
    return built


def test_wheel_carries_fonts_demo_texts_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for font in FONTS:
        assert f"app/resources/fonts/{font}" in names
    assert "app/resources/fonts/LICENSE.txt" in names
    assert any(n.startswith("app/resources/demo/") and n.endswith(".txt") for n in names)
    assert "app/storage/migrations/env.py" in names
    assert "app/storage/alembic.ini" in names or any(
        n.startswith("app/storage/migrations/versions/") and n.endswith(".py") for n in names
    )
    versions = [n for n in names if n.startswith("app/storage/migrations/versions/")]
    source_versions = list((ROOT / "app/storage/migrations/versions").glob("*.py"))
    assert len(versions) == len(source_versions)
    assert not [n for n in names if n.startswith("resources/")]  # nothing outside a package


PRINT_FROM_WHEEL = r"""
import sys
from pathlib import Path
site = Path(sys.argv[1])
import app.resources, reports.fonts
assert Path(app.resources.__file__).is_relative_to(site), app.resources.__file__
from importlib.resources import files
fonts = files("app.resources").joinpath("fonts")
assert fonts.joinpath("LiberationSerif-Regular.ttf").is_file()
import datetime
from reports.recovery_sheet import recovery_key_pdf
pdf = recovery_key_pdf(branch_name="Chi bộ Kiểm tra Gói cài", committee="Đảng bộ thử",
                       recovery_key="ABCD-EFGH-IJKL-MNOP", book_id="x",
                       created=datetime.date(2025, 1, 2))
assert pdf.startswith(b"%PDF") and len(pdf) > 10_000, len(pdf)
from app.storage import migrate
assert Path(migrate.MIGRATIONS_DIR).is_relative_to(site)
print("HEAD", migrate.head_revision())
print("PDF", len(pdf))
"""


def test_installed_wheel_prints_a_pdf_and_finds_its_migrations(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    # -P (Python ≥3.11): the current folder is not put on sys.path, so only the wheel's code
    # is the project's; the cwd is a folder with no sources anyway.
    result = subprocess.run(
        [sys.executable, "-P", "-c", PRINT_FROM_WHEEL, str(site)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "PDF " in result.stdout
    assert "HEAD " in result.stdout


def test_windows_version_resource_text(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import version_info
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    version = version_info.project_version()
    text = version_info.version_text(
        version, description="Sổ tay Chi bộ", internal_name="SoTayChiBo"
    )
    # PyInstaller evaluates this text; evaluate it the same way with recording stand-ins.
    seen: dict[str, object] = {}

    def record(kind: str):  # type: ignore[no-untyped-def]
        def make(
            *args: object, **kwargs: object
        ) -> tuple[str, tuple[object, ...], dict[str, object]]:
            if kind == "StringStruct":
                seen[str(args[0])] = args[1]
            return kind, args, kwargs

        return make

    names = (
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    )
    info = eval(text, {n: record(n) for n in names})
    assert info[0] == "VSVersionInfo"
    assert seen["CompanyName"] == "Sổ tay Chi bộ"
    assert seen["ProductName"] == "Sổ tay Chi bộ"
    assert seen["ProductVersion"] == version
    assert info[2]["ffi"][2]["filevers"][:3] == version_info.version_tuple(version)[:3]
    assert (ROOT / "packaging" / "windows" / "SoTayChiBo.ico").stat().st_size > 1000
