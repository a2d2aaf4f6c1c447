"""Qt's own dialogs, buttons and menus speak Vietnamese; the locale is Vietnamese."""

from __future__ import annotations

import sys

import pytest

from ui.qt import QtCore, QtWidgets
from ui.translations import install_vietnamese, qt_text


@pytest.fixture
def vi(qapp: QtWidgets.QApplication) -> QtWidgets.QApplication:
    install_vietnamese(qapp)
    return qapp


def _texts(widget: QtWidgets.QWidget, kind: type[QtWidgets.QWidget]) -> list[str]:
    return [w.text() for w in widget.findChildren(kind)]  # type: ignore[attr-defined]


def test_message_box_standard_buttons_are_vietnamese(vi: QtWidgets.QApplication) -> None:
    b = QtWidgets.QMessageBox.StandardButton
    box = QtWidgets.QMessageBox()
    box.setStandardButtons(b.Ok | b.Cancel | b.Yes | b.No | b.Save | b.Discard | b.Close)
    texts = {box.button(k).text().replace("&", "") for k in (b.Ok, b.Cancel, b.Yes, b.No)}
    assert texts == {"Đồng ý", "Hủy", "Có", "Không"}
    assert box.button(b.Save).text() == "Lưu"
    assert box.button(b.Close).text() == "Đóng"
    assert box.button(b.Discard).text() == "Bỏ thay đổi"
    box.setDetailedText("chi tiết")
    box.show()
    vi.processEvents()
    assert "Xem chi tiết…" in [button.text() for button in box.buttons()]
    box.close()


def test_dialog_button_box_is_vietnamese(vi: QtWidgets.QApplication) -> None:
    s = QtWidgets.QDialogButtonBox.StandardButton
    buttons = QtWidgets.QDialogButtonBox(s.Ok | s.Cancel)
    assert buttons.button(s.Ok).text() == "Đồng ý"
    assert buttons.button(s.Cancel).text() == "Hủy"


def test_line_edit_and_text_edit_context_menus_are_vietnamese(vi: QtWidgets.QApplication) -> None:
    line = QtWidgets.QLineEdit()
    menu = line.createStandardContextMenu()
    labels = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    assert labels == ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"]
    text = QtWidgets.QPlainTextEdit()
    text_menu = text.createStandardContextMenu()
    assert "Dán" in [a.text().split("\t")[0].replace("&", "") for a in text_menu.actions()]


def test_wizard_buttons_are_vietnamese(vi: QtWidgets.QApplication) -> None:
    wizard = QtWidgets.QWizard()
    w = QtWidgets.QWizard.WizardButton
    assert wizard.buttonText(w.BackButton) == "< &Quay lại"
    assert wizard.buttonText(w.NextButton) == "&Tiếp >"
    assert wizard.buttonText(w.FinishButton) == "&Hoàn tất"
    assert wizard.buttonText(w.CancelButton) == "Hủy"


def test_qt_file_dialog_labels_are_vietnamese(vi: QtWidgets.QApplication, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bien-ban.pdf").write_bytes(b"%PDF-1.4\n")
    dialog = QtWidgets.QFileDialog(None, "Lưu", str(tmp_path), "Tệp PDF (*.pdf)")
    dialog.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
    dialog.show()
    vi.processEvents()
    labels = " ".join(_texts(dialog, QtWidgets.QLabel))
    assert "Tìm trong:" in labels.replace("&", "")
    assert "Tên tệp:" in labels.replace("&", "")
    assert "Loại tệp:" in labels.replace("&", "")
    buttons = [t.replace("&", "") for t in _texts(dialog, QtWidgets.QPushButton)]
    assert "Lưu" in buttons and "Hủy" in buttons
    tree = dialog.findChild(QtWidgets.QTreeView)
    assert tree is not None
    model = tree.model()
    headers = [
        model.headerData(i, QtCore.Qt.Orientation.Horizontal) for i in range(model.columnCount())
    ]
    assert headers == ["Tên", "Cỡ", "Loại", "Ngày sửa"]
    tips = [b.toolTip() for b in dialog.findChildren(QtWidgets.QToolButton) if b.toolTip()]
    assert "Quay lại" in tips and "Tạo thư mục mới" in tips
    dialog.close()


def test_file_dialogs_are_native_only_on_windows(vi: QtWidgets.QApplication) -> None:
    non_native = vi.testAttribute(QtCore.Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    assert non_native is (sys.platform != "win32")


def test_locale_is_vietnamese(vi: QtWidgets.QApplication) -> None:
    locale = QtCore.QLocale()
    assert locale.language() == QtCore.QLocale.Language.Vietnamese
    assert locale.monthName(11) == "tháng 11"
    assert locale.dayName(7) == "Chủ Nhật"
    assert locale.toString(1234.5, "f", 1) == "1.234,5"
    calendar = QtWidgets.QCalendarWidget()
    assert calendar.firstDayOfWeek() == QtCore.Qt.DayOfWeek.Monday


def test_shortcut_names_stay_as_on_the_keyboard() -> None:
    assert qt_text("QShortcut", "Delete") is None
    assert qt_text("QLineEdit", "Delete") == "Xóa"
    assert qt_text("SomeoneElse", "OK") is None


def test_periods_are_shown_month_first() -> None:
    from ui.sync.labels import shown_value

    assert shown_value("period", "2026-11", "report") == "11/2026"
    assert shown_value("period", "2026-Q4", "report") == "Q4/2026"
    assert shown_value("held_on", "2026-11-05") == "05/11/2026"
