"""'Ghi nhớ trên máy này' says why it is off, in the words of app.storage.keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring

from app.book import Book
from app.storage.keys import PLAINTEXT_KEYRING_MESSAGE, backend_label
from ui.book import first_start, unlock_dialog
from ui.book.first_start import FirstStartWizard
from ui.book.unlock_dialog import UnlockDialog
from ui.messages import Messages
from ui.tasks import TaskRunner

# The note as the program words it for a plaintext file store (keyrings.alt).
PLAINTEXT = PLAINTEXT_KEYRING_MESSAGE.format(name=backend_label(PlaintextKeyring()))


def test_unlock_dialog_names_a_refused_plaintext_keyring(
    qtbot: object, book: Book, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book.close()
    monkeypatch.setattr(unlock_dialog, "keyring_refusal", lambda: PLAINTEXT)
    dialog = UnlockDialog(data_dir, TaskRunner(synchronous=True))
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert not dialog.remember.isEnabled()
    assert dialog.remember_note is not None
    # Plain words, never a Python class name.
    assert "một tệp thường" in dialog.remember_note.text()
    assert "Keyring" not in dialog.remember_note.text() and "keyrings" not in PLAINTEXT
    assert "không mã hóa" in dialog.remember.toolTip()


def test_unlock_dialog_without_refusal_offers_remembering(
    qtbot: object, book: Book, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book.close()
    monkeypatch.setattr(unlock_dialog, "keyring_refusal", lambda: None)
    dialog = UnlockDialog(data_dir, TaskRunner(synchronous=True))
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.remember.isEnabled()
    assert dialog.remember_note is None


def test_first_start_names_a_refused_plaintext_keyring(
    qtbot: object, tmp_path: Path, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_start, "keyring_refusal", lambda: PLAINTEXT)
    wizard = FirstStartWizard(tmp_path / "moi", TaskRunner(synchronous=True), messages)
    qtbot.addWidget(wizard)  # type: ignore[attr-defined]
    assert not wizard.remember.isEnabled()
    assert wizard.remember_note is not None
    assert wizard.remember_note.text() == PLAINTEXT
