"""The shared "PDF made" step: save dialogs open in Documents, the offer opens or prints."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from app.settings import Settings
from ui.messages import Messages
from ui.qt import QtCore, QtWidgets
from ui.widgets import file_dialogs, pdf_output


def test_save_dialog_starts_in_documents_and_adds_the_extension(
    qapp: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # No PDF saved yet on this computer (ui/widgets/file_dialogs.py remembers the last folder).
    monkeypatch.setattr(qapp, "sotay_controller", None, raising=False)
    monkeypatch.setattr(file_dialogs, "_session", Settings())
    docs = tmp_path / "Tài liệu"
    docs.mkdir()
    monkeypatch.setattr(
        QtCore.QStandardPaths, "writableLocation", staticmethod(lambda _loc: str(docs))
    )
    seen: list[str] = []

    def fake_dialog(_parent: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        seen.append(start)
        return str(docs / "bien-ban"), ""

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    path = pdf_output.ask_pdf_path(None, "In biên bản", "bien-ban-2026-12-05.pdf")
    assert seen == [str(docs / "bien-ban-2026-12-05.pdf")]
    assert path == str(docs / "bien-ban.pdf")


def test_print_uses_the_windows_print_verb(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(pdf_output.sys, "platform", "win32")
    monkeypatch.setattr(
        os, "startfile", lambda p, verb="open": calls.append((p, verb)), raising=False
    )
    assert pdf_output.print_file(r"C:\Users\bt\Documents\bao-cao.pdf")
    assert calls == [(r"C:\Users\bt\Documents\bao-cao.pdf", "print")]


def test_offer_in_tests_is_recorded_not_shown(qapp: object) -> None:
    messages = Messages()
    messages.auto_answer = True
    assert pdf_output.offer_pdf(None, messages, "/tmp/x.pdf", title="Đã in") is None
    assert messages.shown[-1][0] == "info" and "/tmp/x.pdf" in messages.shown[-1][2]
