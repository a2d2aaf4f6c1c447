"""Dialogs open with the caret in the first field the secretary fills, and the password
screens name the computer's password store in plain Vietnamese (never a Python class)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.book import Book
from app.settings import Settings
from app.storage import keys
from ui.book import first_start, unlock_dialog
from ui.book.first_start import FirstStartWizard
from ui.book.unlock_dialog import UnlockDialog
from ui.messages import Messages
from ui.qt import QtCore, QtWidgets
from ui.tasks import TaskRunner
from ui.tour import Tour
from ui.widgets.fit import ScrollingDialog
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


# -- every ScrollingDialog of the tour opens with the caret in its first field ---------------

# The input fields a secretary types or chooses in (a list counts: Khôi phục opens in its list).
_INPUTS = (
    QtWidgets.QLineEdit,
    QtWidgets.QAbstractSpinBox,
    QtWidgets.QComboBox,
    QtWidgets.QTextEdit,
    QtWidgets.QPlainTextEdit,
    QtWidgets.QAbstractButton,
    QtWidgets.QAbstractItemView,
)
# ScrollingDialogs the tour opens (ui/tour.py, ui/dues/tour.py) when it was written: the walk
# below must have reached each of them (a walk that opened nothing would pass trivially).
_TOUR_SCROLLING_DIALOGS = {
    "attendance-rules",
    "dues-pay-months",
    "dues-pay-dvcqg",
    "dues-setting",
    "dues-cancel",
    "dues-rules",
    "dues-report-period",
    "dues-import",
    "settings",
    "restore",
}
# Dialogs of the tour with their own scroll area (no ScrollingDialog), and the field each
# opens in: the date of a meeting (the proposed date is what is checked first), the first
# section's content of the minutes (not the optional number above it), a campaign's title.
_OWN_SCROLL_DIALOGS = {
    "meeting-new": "date",
    "meeting-edit": "date",
    "minutes-open-meeting": "section_content",
    "minutes": "section_content",
    "study-campaign-new": "title_edit",
}


def first_input(dialog: ScrollingDialog) -> QtWidgets.QWidget | None:
    """The first field of the form in the dialog's tab order ("Chọn tệp…" counts: it is what
    Nhập từ Excel asks first; the OK and Cancel buttons below the form do not)."""
    widget = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog:
        if (
            isinstance(widget, _INPUTS)
            and dialog.body.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None


def _field(widget: QtWidgets.QWidget | None) -> str:
    """A widget named for a failure message: its class and what the user reads on it."""
    if widget is None:
        return "nothing"
    text = ""
    for attribute in ("placeholderText", "text", "currentText"):
        value = getattr(widget, attribute, None)
        if callable(value) and (text := str(value())):
            break
    return f"{type(widget).__name__} {widget.objectName()} {text!r}".strip()


class _Window(QtWidgets.QWidget):
    """What the tour needs of the main window: the context and a parent per section."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.sections: dict[str, QtWidgets.QWidget] = {}

    def show_section(self, key: str) -> QtWidgets.QWidget:
        return self.sections.setdefault(key, QtWidgets.QWidget(self))


class _FocusWalk(Tour):
    """The tour's own walk through the dialogs (so a dialog added to the tour is checked
    too), each one shown as the user opens it; no pictures."""

    def __init__(self, qtbot: Any, out_dir: Path) -> None:  # no timers, no controller
        self.qtbot = qtbot
        self.out_dir = out_dir
        self.focus: dict[str, tuple[bool, str, str]] = {}  # name → (right, has it, first)

    def settle(self, ms: int = 150, limit_s: float = 20.0) -> None:
        self.qtbot.wait(20)

    def shoot(self, name: str, widget: QtWidgets.QWidget) -> None:
        pass

    def import_pages(self, ctx: Any, parent: QtWidgets.QWidget) -> None:
        pass  # the import wizard is no ScrollingDialog

    def dialog(self, name: str, build: Callable[[], QtWidgets.QWidget | None]) -> None:
        dialog = build()
        if dialog is None:
            return
        try:
            if isinstance(dialog, ScrollingDialog):
                # A dialog may choose its field (Cổng DVCQG: the transaction code, the month
                # being this one); else the first field of the form.
                chosen = dialog.focusWidget()
                focus = _focus_after_opening(self.qtbot, dialog)
                first = chosen if isinstance(chosen, _INPUTS) else first_input(dialog)
                right = (
                    first is not None
                    and focus is not None
                    and (focus is first or first.isAncestorOf(focus))
                )
                self.focus[name] = (right, _field(focus), _field(first))
            elif name in _OWN_SCROLL_DIALOGS:
                field = getattr(dialog, _OWN_SCROLL_DIALOGS[name])
                focus = _focus_after_opening(self.qtbot, dialog)
                right = focus is not None and (focus is field or field.isAncestorOf(focus))
                self.focus[name] = (right, _field(focus), _field(field))
        finally:
            dialog.hide()
            dialog.deleteLater()


def test_every_scrolling_dialog_of_the_tour_opens_in_its_first_field(
    qtbot: Any, tmp_path: Path, messages: Messages
) -> None:
    from app.demo import create_demo_book

    demo = create_demo_book(tmp_path / "mau", count=6)
    try:
        ctx = AppContext(
            book=demo, runner=TaskRunner(synchronous=True), settings=Settings(), message=messages
        )
        window = _Window(ctx)
        qtbot.addWidget(window)
        walk = _FocusWalk(qtbot, tmp_path / "tour")
        walk.demo_dialogs(window)
        assert set(walk.focus) >= _TOUR_SCROLLING_DIALOGS | set(_OWN_SCROLL_DIALOGS), sorted(
            walk.focus
        )
        wrong = {
            name: (has, first) for name, (right, has, first) in walk.focus.items() if not right
        }
        assert not wrong, wrong
    finally:
        demo.close()


def test_editing_a_campaign_opens_in_its_title(qtbot: Any, ctx: AppContext) -> None:
    from app.services import study
    from app.services.study import CampaignInput
    from ui.study.campaign_dialog import CampaignDialog

    campaign = study.create_campaign(
        ctx.book, data=CampaignInput(title="Học tập Nghị quyết 57", resolutions="57-NQ/TW")
    )
    dialog = CampaignDialog(ctx, campaign)
    assert _focus_after_opening(qtbot, dialog) is dialog.title_edit
    qtbot.keyClick(dialog.focusWidget(), QtCore.Qt.Key.Key_End)  # the title opens selected
    qtbot.keyClicks(dialog.focusWidget(), " 2027")
    assert dialog.title_edit.text() == "Học tập Nghị quyết 57 2027"
