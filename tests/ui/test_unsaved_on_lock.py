"""Locking (or switching books) never throws away a report typed on screen: Ctrl+L asks,
"Ở lại" keeps the book open, and a lock for inactivity keeps the typed text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.book import Book, open_book
from app.services import upward_reports
from tests.app.test_feedback_kit import make_branch
from tests.conftest import TEST_PASSWORD
from ui.main import Controller
from ui.main_window import MainWindow
from ui.messages import Messages
from ui.qt import QtWidgets
from ui.reports.section import ReportsSection


def _with_typed_report(c: Controller, text: str) -> tuple[ReportsSection, str]:
    window = c.window
    assert isinstance(window, MainWindow)
    section = window.show_section("reports")
    assert isinstance(section, ReportsSection)
    section.draft()
    assert section.report is not None
    section.editors[-1].body.setPlainText(text)
    assert section.has_unsaved_changes()
    return section, section.report.id


def test_lock_asks_about_a_typed_report_and_staying_keeps_the_book_open(
    qapp: QtWidgets.QApplication, book: Book, data_dir: Path, messages: Messages
) -> None:
    make_branch(book)
    c = Controller(qapp, data_dir, synchronous=True, messages=messages)
    c.open_main(book)
    try:
        section, _report_id = _with_typed_report(c, "Kiến nghị sửa đường tổ 4.")
        messages.auto_answer = "stay"  # "Ở lại sửa tiếp"
        c.lock()
        assert messages.shown[-1][:2] == ("warning", "Báo cáo chưa lưu")
        assert c.book is book and c.window is not None
        assert section.editors[-1].body.toPlainText() == "Kiến nghị sửa đường tổ 4."
    finally:
        c.shutdown()


def test_lock_with_a_typed_report_saves_it_when_the_secretary_says_so(
    qapp: QtWidgets.QApplication, book: Book, data_dir: Path, messages: Messages
) -> None:
    make_branch(book)
    messages.auto_answer = "save"  # "Lưu"
    c = Controller(qapp, data_dir, synchronous=True, messages=messages)
    c._after_lock = lambda: None  # type: ignore[method-assign]
    c.open_main(book)
    try:
        _section, report_id = _with_typed_report(c, "Kiến nghị sửa đường tổ 4.")
        c.lock()
        assert c.book is None
        assert any(m[:2] == ("warning", "Báo cáo chưa lưu") for m in messages.shown)
        reopened = open_book(data_dir, password=TEST_PASSWORD)
        try:
            stored = upward_reports.get(reopened, report_id=report_id)
            assert stored.sections[-1].body == "Kiến nghị sửa đường tổ 4."
        finally:
            reopened.close()
    finally:
        c.shutdown()


def test_lock_for_inactivity_keeps_the_typed_report(
    qapp: QtWidgets.QApplication, book: Book, data_dir: Path, messages: Messages, qtbot: Any
) -> None:
    make_branch(book)
    c = Controller(qapp, data_dir, synchronous=True, messages=messages)
    c._after_lock = lambda: None  # type: ignore[method-assign]
    c.open_main(book)
    try:
        _section, report_id = _with_typed_report(c, "Đề nghị tổ chức tập huấn.")
        c.lock_idle()
        assert c.book is None
        assert not any(m[1] == "Báo cáo chưa lưu" for m in messages.shown)  # nobody to answer
        reopened = open_book(data_dir, password=TEST_PASSWORD)
        try:
            stored = upward_reports.get(reopened, report_id=report_id)
            assert stored.sections[-1].body == "Đề nghị tổ chức tập huấn."
        finally:
            reopened.close()
    finally:
        c.shutdown()
