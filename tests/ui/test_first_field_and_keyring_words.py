"""Dialogs open with the caret in the first field the secretary fills, and the password
screens name the computer's password store in plain Vietnamese (never a Python class)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.book import Book
from app.storage import keys
from ui.book import first_start, unlock_dialog
from ui.book.first_start import FirstStartWizard
from ui.book.unlock_dialog import UnlockDialog
from ui.messages import Messages
from ui.qt import QtWidgets
from ui.tasks import TaskRunner
from ui.widgets.section import AppContext


def _focus_after_opening(qtbot: Any, dialog: QtWidgets.QWidget) -> QtWidgets.QWidget | None:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.wait(50)
    return dialog.focusWidget()


def test_add_member_opens_with_the_caret_in_the_name(qtbot: Any, ctx: AppContext) -> None:
    from ui.members.edit_dialog import MemberDialog

    dialog = MemberDialog(ctx)
    assert _focus_after_opening(qtbot, dialog) is dialog.name
    qtbot.keyClicks(dialog.focusWidget(), "Pham Quoc Viet")
    assert dialog.name.text() == "Pham Quoc Viet"


def test_settings_opens_in_the_branch_name(qtbot: Any, ctx: AppContext) -> None:
    from ui.book.settings_dialog import SettingsDialog

    dialog = SettingsDialog(ctx)
    assert _focus_after_opening(qtbot, dialog) is dialog.name


def test_restore_opens_in_the_list_of_backups(
    qtbot: Any, book: Book, data_dir: Path, messages: Messages
) -> None:
    from ui.book.restore_dialog import RestoreDialog

    dialog = RestoreDialog(data_dir, TaskRunner(synchronous=True), messages)
    assert _focus_after_opening(qtbot, dialog) is dialog.list


def test_unlock_opens_in_the_password(qtbot: Any, book: Book, data_dir: Path) -> None:
    book.close()
    dialog = UnlockDialog(data_dir, TaskRunner(synchronous=True))
    assert _focus_after_opening(qtbot, dialog) is dialog.password


class PlaintextKeyring:  # stands in for keyrings.alt.file.PlaintextKeyring
    priority = 1


PlaintextKeyring.__module__ = "keyrings.alt.file"


@pytest.mark.parametrize(
    ("module", "name", "label"),
    [
        ("keyring.backends.Windows", "WinVaultKeyring", "Trình quản lý thông tin đăng nhập"),
        ("keyring.backends.macOS", "Keyring", "macOS"),
        ("keyring.backends.SecretService", "Keyring", "Secret Service"),
        ("keyrings.alt.file", "PlaintextKeyring", "một tệp thường"),
        ("some.other", "Thing", "không rõ loại"),
    ],
)
def test_each_password_store_has_a_plain_name(module: str, name: str, label: str) -> None:
    backend = type(name, (), {"__module__": module})()
    assert label in keys.backend_label(backend)
    assert "." not in keys.backend_label(backend)


def test_a_plaintext_store_is_refused_in_plain_words(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    monkeypatch.setattr(keyring, "get_keyring", lambda: PlaintextKeyring())
    refusal = keys.keyring_refusal()
    assert refusal is not None
    assert refusal.startswith("Máy này không có nơi cất mật khẩu an toàn")
    assert "một tệp thường" in refusal
    assert "keyrings" not in refusal and "Plaintext" not in refusal


def _note_fits(note: QtWidgets.QLabel | None) -> None:
    assert note is not None and note.isVisible()
    assert note.height() >= note.heightForWidth(note.width())


def test_the_keyring_note_is_never_cut_in_large_text(
    qtbot: Any,
    qapp: QtWidgets.QApplication,
    book: Book,
    data_dir: Path,
    messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.style import apply_text_size

    refusal = keys.PLAINTEXT_KEYRING_MESSAGE.format(name="một tệp thường")
    monkeypatch.setattr(unlock_dialog, "keyring_refusal", lambda: refusal)
    monkeypatch.setattr(first_start, "keyring_refusal", lambda: refusal)
    book.close()
    apply_text_size(qapp, large=True)
    try:
        dialog = UnlockDialog(data_dir, TaskRunner(synchronous=True))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.wait(20)
        _note_fits(dialog.remember_note)

        wizard = FirstStartWizard(data_dir.parent / "moi", TaskRunner(synchronous=True), messages)
        qtbot.addWidget(wizard)
        wizard.stack.setCurrentIndex(wizard.PAGE_PASSWORD)
        wizard.show()
        qtbot.waitExposed(wizard)
        qtbot.wait(20)
        _note_fits(wizard.remember_note)
    finally:
        apply_text_size(qapp, large=False)
