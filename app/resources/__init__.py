"""The program's data files (fonts, demo texts), shipped inside this package.

They are package data, so a `pip install .` carries them (the wheel's app/resources/…) and
the PyInstaller build bundles them at the same place (build.spec). Code asks for a path
with resource_path("fonts", "LiberationSans-Regular.ttf"): reportlab and Qt need real files.
"""

from __future__ import annotations

from pathlib import Path

# Beside this file, in the source tree, in an installed wheel and in the frozen build
# (PyInstaller keeps the package's folder under sys._MEIPASS).
_HERE = Path(__file__).resolve().parent


def resources_dir() -> Path:
    return _HERE


def resource_path(*parts: str) -> Path:
    return _HERE.joinpath(*parts)
