"""The one module through which Qt is imported (so a binding change touches one file)."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtNetwork, QtWidgets

Signal = QtCore.Signal
Slot = QtCore.Slot

__all__ = ["QtCore", "QtGui", "QtNetwork", "QtWidgets", "Signal", "Slot"]
