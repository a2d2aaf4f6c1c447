"""Messages.choose, a question with a few answers (one button each), and the PDF offer built
on it: the real box as the user sees and answers it, and tests answering it by key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ui.messages import Messages
from ui.qt import QtCore, QtWidgets
from ui.widgets import pdf_output

LEAVE = [("save", "Lưu"), ("discard", "Không lưu"), ("stay", "Ở lại sửa tiếp")]


def _when_the_box_opens(act: Callable[[QtWidgets.QMessageBox], None], seen: list[Any]) -> None:
    """Once the next modal box opens: note what it shows, then `act` on it (always closing)."""

    def run() -> None:
        box = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(box, QtWidgets.QMessageBox):
            QtCore.QTimer.singleShot(10, run)  # not open yet
            return
        seen.append(
            (
                box.windowTitle(),
                box.text(),
                box.informativeText(),
                sorted(b.text() for b in box.buttons()),
                box.defaultButton().text() if box.defaultButton() else None,
                box.icon(),
            )
        )
        act(box)
        if box.isVisible():
            box.done(0)

    QtCore.QTimer.singleShot(0, run)


def _click(label: str) -> Callable[[QtWidgets.QMessageBox], None]:
    def act(box: QtWidgets.QMessageBox) -> None:
        next(b for b in box.buttons() if b.text() == label).click()

    return act


def _key(qtbot: Any, key: QtCore.Qt.Key) -> Callable[[QtWidgets.QMessageBox], None]:
    return lambda box: qtbot.keyClick(box, key)


def _ask_to_leave(messages: Messages) -> str:
    return messages.choose(
        "Báo cáo chưa lưu",
        "Báo cáo tháng 11/2026 có thay đổi chưa lưu.",
        LEAVE,
        default="save",
        escape="stay",
        kind="warning",
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("discard", "discard"), ("stay", "stay"), ("save", "save"), (True, "stay"), (False, "stay")],
)
def test_tests_answer_by_key_and_a_yes_no_answer_gives_the_escape(
    qapp: object, answer: bool | str, expected: str
) -> None:
    messages = Messages()
    messages.auto_answer = answer
    assert _ask_to_leave(messages) == expected
    assert messages.shown == [
        ("warning", "Báo cáo chưa lưu", "Báo cáo tháng 11/2026 có thay đổi chưa lưu.")
    ]
    assert messages.offered == [("Lưu", "Không lưu", "Ở lại sửa tiếp")]


def test_default_and_escape_must_be_options(qapp: object) -> None:
    messages = Messages()
    messages.auto_answer = "save"
    with pytest.raises(ValueError, match="escape 'close'"):
        messages.choose("T", "x", LEAVE, default="save", escape="close")


@pytest.mark.parametrize(
    ("act", "expected"),
    [("Không lưu", "discard"), ("Ở lại sửa tiếp", "stay"), ("Lưu", "save")],
)
def test_the_real_box_returns_the_button_clicked(qapp: object, act: str, expected: str) -> None:
    messages = Messages()
    seen: list[Any] = []
    _when_the_box_opens(_click(act), seen)
    assert _ask_to_leave(messages) == expected
    assert seen == [
        (
            "Báo cáo chưa lưu",
            "Báo cáo tháng 11/2026 có thay đổi chưa lưu.",
            "",
            ["Không lưu", "Lưu", "Ở lại sửa tiếp"],
            "Lưu",
            QtWidgets.QMessageBox.Icon.Warning,
        )
    ]


def test_enter_gives_the_default_and_esc_the_escape(qapp: object, qtbot: Any) -> None:
    messages = Messages()
    seen: list[Any] = []
    _when_the_box_opens(_key(qtbot, QtCore.Qt.Key.Key_Escape), seen)
    assert _ask_to_leave(messages) == "stay"
    _when_the_box_opens(_key(qtbot, QtCore.Qt.Key.Key_Return), seen)
    assert _ask_to_leave(messages) == "save"
    assert len(seen) == 2


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    calls: list[tuple[str, str]] = []

    def fake(name: str) -> Callable[[str], bool]:
        def run(path: str) -> bool:
            calls.append((name, path))
            return True

        return run

    for name in ("open_file", "print_file", "open_folder"):
        monkeypatch.setattr(pdf_output, name, fake(name))
    return calls


def test_the_pdf_offer_shows_its_four_buttons_and_does_what_was_clicked(
    qapp: object, opened: list[tuple[str, str]]
) -> None:
    messages = Messages()
    seen: list[Any] = []
    _when_the_box_opens(_click("In"), seen)
    assert pdf_output.offer_pdf(None, messages, "/tmp/bien-ban.pdf", title="Đã in") == "print"
    assert opened == [("print_file", "/tmp/bien-ban.pdf")]
    assert seen == [
        (
            "Đã in",
            "Đã ghi tệp PDF: /tmp/bien-ban.pdf",
            "Đồng chí muốn mở tệp để xem, in ngay, hay mở thư mục chứa tệp?",
            ["In", "Mở thư mục", "Mở tệp", "Đóng"],
            "Mở tệp",
            QtWidgets.QMessageBox.Icon.Information,
        )
    ]
    _when_the_box_opens(_click("Đóng"), seen)
    assert pdf_output.offer_pdf(None, messages, "/tmp/bien-ban.pdf", title="Đã in") is None
    assert opened == [("print_file", "/tmp/bien-ban.pdf")]


@pytest.mark.parametrize(
    ("answer", "done", "called"),
    [
        ("open", "open", [("open_file", "/tmp/ds.pdf")]),
        ("print", "print", [("print_file", "/tmp/ds.pdf")]),
        ("folder", "folder", [("open_folder", "/tmp/ds.pdf")]),
        ("close", None, []),
        (True, None, []),  # tests that do not pick an answer open nothing
    ],
)
def test_tests_answer_the_pdf_offer_by_key(
    qapp: object,
    opened: list[tuple[str, str]],
    answer: bool | str,
    done: str | None,
    called: list[tuple[str, str]],
) -> None:
    messages = Messages()
    messages.auto_answer = answer
    assert pdf_output.offer_pdf(None, messages, "/tmp/ds.pdf", title="Đã tạo danh sách") == done
    assert opened == called
    assert messages.shown[0][:2] == ("info", "Đã tạo danh sách")
    assert "Đã ghi tệp PDF: /tmp/ds.pdf" in messages.shown[0][2]
    assert messages.offered == [("Mở tệp", "In", "Mở thư mục", "Đóng")]


def test_a_pdf_that_cannot_be_opened_says_where_it_is(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_output, "open_folder", lambda _p: False)
    messages = Messages()
    messages.auto_answer = "folder"
    assert pdf_output.offer_pdf(None, messages, "/tmp/ds.pdf", title="Đã in") == "folder"
    assert messages.shown[-1] == (
        "warning",
        "Đã in",
        "Không mở được tệp trên máy này. Tệp vẫn nằm ở: /tmp/ds.pdf",
    )
