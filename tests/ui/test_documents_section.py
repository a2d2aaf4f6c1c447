"""The library on screen: import by dialog or drop, confirm fields, search with highlights,
filters, the large-text reading view."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.book import Book
from app.services import documents
from tests.app.document_files import PARTY_PLAN, make_pdf, make_scanned_pdf, seed_text, write
from ui.documents.document_dialog import DocumentFieldsDialog
from ui.documents.model import DOC_ID_ROLE, HTML_ROLE
from ui.documents.reading_view import ReadingView
from ui.documents.section import DocumentsSection
from ui.qt import QtCore, QtGui, QtWidgets
from ui.widgets.section import AppContext


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "tai-lieu"
    write(folder / "ke-hoach-05.pdf", make_pdf([PARTY_PLAN]))
    write(folder / "an-quang-ocr.txt", seed_text("seed000_ocr_head.txt").encode())
    write(folder / "tho-xuan.txt", seed_text("seed001_head.txt").encode())
    write(folder / "ban-quet.pdf", make_scanned_pdf(pages=1))
    write(folder / "ghi-chu.jpg", b"\xff\xd8\xff\xe0 not imported")  # not a document type
    return folder


@pytest.fixture
def section(qtbot: object, ctx: AppContext) -> DocumentsSection:
    widget = DocumentsSection(ctx)
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.resize(1100, 700)
    widget.show()
    widget.on_shown()
    return widget


def _drop(section: DocumentsSection, paths: list[Path]) -> None:
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QtCore.QPointF(section.rect().center())
    enter = QtGui.QDragEnterEvent(
        pos.toPoint(), QtCore.Qt.DropAction.CopyAction, mime, QtCore.Qt.MouseButton.LeftButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    section.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QtGui.QDropEvent(
        pos, QtCore.Qt.DropAction.CopyAction, mime, QtCore.Qt.MouseButton.LeftButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    section.dropEvent(drop)


def test_empty_library_says_how_to_start(section: DocumentsSection, qtmodeltester: object) -> None:
    qtmodeltester.check(section.model)  # type: ignore[attr-defined]
    assert "chưa có tài liệu" in section.empty_label.text()
    assert not section.read_button.isEnabled()


@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_drop_a_folder_imports_with_progress_then_asks_to_confirm(
    section: DocumentsSection, ctx: AppContext, folder: Path, qtmodeltester: object
) -> None:
    progress: list[int] = []
    section.progress.valueChanged.connect(progress.append)
    _drop(section, [folder])
    assert progress[-1] == 4 and max(progress) == 4  # the .jpg is left out of a folder
    kind, title, text = ctx.message.shown[-1]  # type: ignore[attr-defined]
    assert (kind, title) == ("info", "Nhập tài liệu")
    assert "Đã nhập 4/4 tệp." in text
    assert "ban-quet.pdf: Không đọc được chữ" in text
    assert section.model.rowCount() == 4
    qtmodeltester.check(section.model)  # type: ignore[attr-defined]
    assert section.count_label.text() == "4 tài liệu"
    titles = [section.model.index(r, 2).data() for r in range(4)]
    assert "⚠ ban-quet" in titles  # no text: marked in the list

    dialog = section.fields_dialog
    assert isinstance(dialog, DocumentFieldsDialog) and dialog.isVisible()
    assert dialog.counter.text().startswith("Tài liệu 1/4")


def test_confirm_dialog_corrects_fields_and_refuses_a_bad_date(
    qtbot: object, section: DocumentsSection, ctx: AppContext, folder: Path
) -> None:
    section.import_paths([folder / "ban-quet.pdf"])
    dialog = section.fields_dialog
    assert isinstance(dialog, DocumentFieldsDialog)
    assert (
        "chưa có nội dung chữ" in dialog.note.text() or "Không đọc được chữ" in dialog.note.text()
    )
    dialog.number.setText("12-CT/TW")
    dialog.doc_type.setCurrentIndex(dialog.doc_type.findData("CT"))
    dialog.issued_on.setText("31/02/2025")
    dialog.title_edit.setPlainText("CHỈ THỊ về hỗ trợ đảng viên cao tuổi")
    assert not dialog.save_current()
    assert "không đúng dạng" in dialog.error.text()
    dialog.issued_on.setText("01/12/2025")
    dialog.summary.setPlainText("Hỗ trợ đảng viên cao tuổi dùng điện thoại thông minh.")
    assert dialog.save_current()
    assert not dialog.isVisible()
    row = next(
        r for r in range(section.model.rowCount()) if section.model.index(r, 0).data() == "12-CT/TW"
    )
    assert section.model.index(row, 1).data() == "Chỉ thị"
    assert section.model.index(row, 4).data() == "01/12/2025"
    doc_id = section.model.index(row, 0).data(DOC_ID_ROLE)
    assert documents.get(ctx.book, document_id=doc_id).summary.startswith(
        "Hỗ trợ đảng viên cao tuổi"
    )


def test_search_without_marks_shows_highlighted_snippets(
    qtbot: object, section: DocumentsSection, folder: Path, qtmodeltester: object
) -> None:
    section.import_paths([folder])
    assert section.fields_dialog is not None
    section.fields_dialog.reject()
    section.search_box.setText("339-QD/TW")
    qtbot.waitUntil(lambda: section.stack.currentWidget() is section.results_view, timeout=3000)  # type: ignore[attr-defined]
    qtmodeltester.check(section.results)  # type: ignore[attr-defined]
    assert section.results.rowCount() == 3
    assert section.count_label.text() == "Tìm thấy 3 tài liệu"
    htmls = [section.results.index(r, 0).data(HTML_ROLE) for r in range(3)]
    assert any("font-weight:bold;'>339-QĐ/TW</span>" in h for h in htmls)
    assert any(">339- QD/TW</span>" in h for h in htmls)  # the OCR'd copy is found too

    section.search_box.setText("dang vien cao tuoi")
    section.run_search()
    assert section.results.rowCount() == 1
    assert ">đảng viên cao tuổi</span>" in section.results.index(0, 0).data(HTML_ROLE)
    section.results_view.selectRow(0)
    assert section.read_button.isEnabled()

    section.search_box.setText("khong co chu nay dau")
    section.run_search()
    assert section.results.rowCount() == 0
    assert "Không tìm thấy" in section.empty_label.text()
    section.search_box.clear()
    section.run_search()
    assert section.stack.currentWidget() is section.view


def test_filters_by_type_and_year(section: DocumentsSection, folder: Path) -> None:
    section.import_paths([folder / "ke-hoach-05.pdf", folder / "ban-quet.pdf"])
    assert section.fields_dialog is not None
    section.fields_dialog.reject()
    index = section.type_filter.findData("KH")
    assert section.type_filter.itemText(index) == "Kế hoạch (1)"
    section.type_filter.setCurrentIndex(index)
    assert section.model.rowCount() == 1
    assert section.count_label.text() == "1 / 2 tài liệu"
    section.type_filter.setCurrentIndex(0)
    section.year_filter.setCurrentIndex(section.year_filter.findData(2025))
    assert [section.model.index(r, 0).data() for r in range(section.model.rowCount())] == [
        "05-KH/CB"
    ]


def test_duplicate_and_bad_files_are_reported_and_nothing_else_is_lost(
    section: DocumentsSection, ctx: AppContext, folder: Path, tmp_path: Path
) -> None:
    section.import_paths([folder / "ke-hoach-05.pdf"])
    assert section.fields_dialog is not None
    section.fields_dialog.reject()
    bad = write(tmp_path / "hong.docx", b"PK\x03\x04broken")
    section.import_paths([folder / "ke-hoach-05.pdf", bad, folder / "tho-xuan.txt"])
    text = ctx.message.shown[-1][2]  # type: ignore[attr-defined]
    assert "Đã nhập 1/3 tệp." in text
    assert "trùng nội dung" in text
    assert "hong.docx" in text and "bị hỏng" in text
    assert section.model.rowCount() == 2


def test_reading_view_is_large_and_zooms(
    qtbot: object, ctx: AppContext, book: Book, folder: Path
) -> None:
    outcome = documents.import_file(book, path=folder / "ke-hoach-05.pdf")
    assert outcome.document is not None
    view = ReadingView(ctx, outcome.document.id)
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.show()
    base = QtWidgets.QApplication.font().pointSizeF()
    assert view.point_size >= base * 1.9
    assert "KẾ HOẠCH học tập" in view.heading.text()
    shown = view.text.toPlainText()
    assert shown.startswith("Thực hiện Kế hoạch số 18-KH/ĐU")  # header lines left out
    # hard-wrapped lines are joined into one paragraph
    assert "về triển khai ứng dụng Sổ tay đảng viên điện tử, chi bộ" in shown
    before = view.point_size
    view.larger.click()
    assert view.point_size > before
    for _ in range(20):
        view.larger.click()
    assert not view.larger.isEnabled()
    assert not view.summary_box.isEnabled()  # no summary yet


def test_nothing_importable_names_every_format_that_works(
    section: DocumentsSection, ctx: AppContext, folder: Path
) -> None:
    pictures = folder / "anh"
    pictures.mkdir()
    write(pictures / "ghi-chu.jpg", b"\xff\xd8\xff\xe0 not imported")
    section.import_paths([pictures])  # a folder with nothing the library reads
    kind, title, text = ctx.message.shown[-1]  # type: ignore[attr-defined]
    assert (kind, title) == ("warning", "Không có tệp để nhập")
    assert "OpenDocument (.odt), RTF (.rtf)" in text and "(.xlsx, .xls, .ods)" in text


def test_saving_a_file_without_a_suffix_offers_its_type(
    section: DocumentsSection, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A document from the server may be named without a suffix: the save dialog's filter
    and the name come from its type (the MIME table's keys have no dot)."""
    documents.import_bytes(ctx.book, data=make_pdf([PARTY_PLAN]), filename="Ke hoach cua Dang uy")
    section.refresh()
    section.view.selectRow(0)
    filters: list[str] = []

    def fake_dialog(_parent: object, _title: str, _start: str, filt: str) -> tuple[str, str]:
        filters.append(filt)
        return "", ""

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    section.export_selected()
    assert filters == ["*.pdf"]
