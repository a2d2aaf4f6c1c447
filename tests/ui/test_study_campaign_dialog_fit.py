"""Study campaign dialog on a small screen: the library's documents are listed one a line,
a long title cut with "…" (whole in its tooltip), and the list never scrolls sideways."""

from __future__ import annotations

from typing import Any

from app.book import Book
from app.services import documents
from ui.qt import QtCore, QtGui, QtWidgets
from ui.study.campaign_dialog import CampaignDialog
from ui.style import apply_text_size
from ui.widgets.section import AppContext

LONG = (
    "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi "
    "số quốc gia trong giai đoạn mới"
)


def _add(book: Book, number: str, title: str) -> str:
    outcome = documents.import_bytes(
        book,
        data=f"{title}\n\nNội dung.".encode(),
        filename=f"{number.replace('/', '-')}.txt",
        fields=documents.DocumentFields(number=number, title=title),
    )
    assert outcome.document is not None
    return outcome.document.label


def _tooltip_at(view: QtWidgets.QListWidget, item: QtWidgets.QListWidgetItem) -> str:
    QtWidgets.QToolTip.hideText()
    pos = view.visualItemRect(item).center()
    pos.setX(min(pos.x(), view.viewport().width() // 2))
    event = QtGui.QHelpEvent(QtCore.QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QtWidgets.QApplication.sendEvent(view.viewport(), event)
    return QtWidgets.QToolTip.text()


def test_long_document_titles_do_not_scroll_sideways_at_1024_in_large_text(
    qtbot: Any, qapp: QtWidgets.QApplication, ctx: AppContext, book: Book
) -> None:
    long_label = _add(book, "57-NQ/TW", LONG)
    short_label = _add(book, "01-KH/CB", "Kế hoạch năm")
    apply_text_size(qapp, large=True)
    try:
        dialog = CampaignDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.show()
        # The client area of a maximal dialog on 1024×768 less a taskbar and a title bar.
        dialog.setMaximumSize(16777215, 16777215)
        dialog.resize(1024 - 8, 768 - 40 - 32)
        qtbot.wait(50)
        view = dialog.docs
        labels = [view.item(i).text() for i in range(view.count())]
        assert sorted(labels) == sorted([long_label, short_label])
        # The long title is wider than the list: it would have needed a sideways bar.
        metrics = view.fontMetrics()
        assert metrics.horizontalAdvance(long_label) > view.viewport().width()
        bar = view.horizontalScrollBar()
        assert not bar.isVisible() and bar.maximum() == 0
        # Each row is one line high (cut, not wrapped) and its whole label is the tooltip.
        for i in range(view.count()):
            item = view.item(i)
            assert view.visualItemRect(item).height() < 2 * metrics.lineSpacing()
            assert _tooltip_at(view, item) == item.text()
        # Nor does the dialog's form scroll sideways.
        area = dialog.findChild(QtWidgets.QScrollArea)
        assert area is not None and area.horizontalScrollBar().maximum() == 0
    finally:
        apply_text_size(qapp, large=False)
