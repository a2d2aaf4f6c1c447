"""Dialogs of Đảng viên, Tài liệu, Học tập, Ý kiến and Hỗ trợ fit an office screen in large
text; lists show enough rows; long messages summarise; no early red errors; no member chosen
for the secretary."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.book import Book
from app.services import documents, members
from app.services.documents import ImportOutcome
from app.services.members import MemberInput
from tests.app.document_files import make_scanned_pdf
from ui.documents.importing import IMPORTABLE, import_report
from ui.documents.reading_view import ReadingView
from ui.feedback.feedback_dialog import FeedbackDialog
from ui.members.edit_dialog import MemberDialog
from ui.members.section import MembersSection
from ui.messages import Messages
from ui.qt import QtWidgets
from ui.study.campaign_dialog import CampaignDialog
from ui.style import apply_text_size
from ui.support.dialog import NO_MEMBER, SupportDialog
from ui.widgets.fit import available_rect
from ui.widgets.section import AppContext

# 1024×768 less a 40 px taskbar, less a window frame (title bar and borders).
SMALL_W, SMALL_H = 1024 - 8, 768 - 40 - 32


@pytest.fixture
def large_text(qapp: QtWidgets.QApplication) -> Iterator[None]:
    apply_text_size(qapp, large=True)
    yield
    apply_text_size(qapp, large=False)


def _names(book: Book, n: int) -> None:
    letters = "ABCDEGHIKLMNOPQRSTUVXY"
    for i in range(n):
        members.create(
            book, data=MemberInput(full_name=f"Nguyễn Văn {letters[i % 22]}{letters[i // 22]}")
        )


def _check_fits(qtbot: Any, dialog: QtWidgets.QDialog) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    least = dialog.minimumSizeHint()
    assert least.width() <= SMALL_W and least.height() <= SMALL_H, least
    frame = dialog.frameGeometry()
    assert available_rect(dialog).contains(frame), (frame, available_rect(dialog))
    dialog.close()


@pytest.mark.usefixtures("large_text")
def test_dialogs_fit_a_small_screen_in_large_text(
    qtbot: Any, ctx: AppContext, book: Book, tmp_path: Path
) -> None:
    _names(book, 3)
    outcome = documents.import_bytes(book, data=make_scanned_pdf(pages=1), filename="ban-quet.pdf")
    doc_id = outcome.document.id if outcome.document else ""
    for dialog in (
        MemberDialog(ctx),
        CampaignDialog(ctx),
        FeedbackDialog(ctx),
        SupportDialog(ctx),
        ReadingView(ctx, doc_id),
    ):
        _check_fits(qtbot, dialog)


def test_scanned_pdf_shows_its_explanation_not_a_blank_box(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    outcome = documents.import_bytes(book, data=make_scanned_pdf(pages=1), filename="ban-quet.pdf")
    assert outcome.document is not None
    view = ReadingView(ctx, outcome.document.id)
    qtbot.addWidget(view)
    view.show()
    assert view.notice.isVisible() and "bản quét" in view.notice.text()
    assert not view.text.isVisible()


def test_member_list_shows_15_rows_and_8_in_large_text(
    qtbot: Any, qapp: QtWidgets.QApplication, ctx: AppContext, book: Book
) -> None:
    _names(book, 44)
    for large, want in ((False, 15), (True, 8)):
        apply_text_size(qapp, large=large)
        try:
            section = MembersSection(ctx)
            qtbot.addWidget(section)
            # The page inside a 1366×768 main window: less the navigation and the bars.
            section.resize(1366 - 280, 650)  # as measured in the real window
            section.show()
            section.refresh(None)
            qtbot.waitExposed(section)
            view, header = section.table, section.table.verticalHeader()
            rows = sum(
                1
                for r in range(section.model.rowCount())
                if header.sectionViewportPosition(r) >= 0
                and header.sectionViewportPosition(r) + header.sectionSize(r)
                <= view.viewport().height()
            )
            assert rows >= want, (large, rows)
        finally:
            apply_text_size(qapp, large=False)


def _visible_rows(view: QtWidgets.QTableView) -> int:
    header = view.verticalHeader()
    return sum(
        1
        for r in range(view.model().rowCount())
        if header.sectionViewportPosition(r) >= 0
        and header.sectionViewportPosition(r) + header.sectionSize(r) <= view.viewport().height()
    )


# The page's size inside the main window on a 1366×768 screen, measured on a real X screen
# (normal, large text).
PAGE = {False: (1086, 650), True: (1064, 634)}


@pytest.mark.parametrize("large", [False, True])
def test_study_grid_library_and_support_board_show_enough_rows(
    qtbot: Any, qapp: QtWidgets.QApplication, ctx: AppContext, book: Book, large: bool
) -> None:
    from app.services import study
    from ui.documents.section import DocumentsSection
    from ui.feedback.section import FeedbackSection
    from ui.study.section import StudySection

    _names(book, 44)
    study.create_campaign(
        book,
        data=study.CampaignInput(
            title="Học tập Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ",
            resolutions="Nghị quyết 57-NQ/TW\nNghị quyết 66-NQ/TW\nNghị quyết 68-NQ/TW",
        ),
    )
    for i in range(20):
        title = (
            f"KẾ HOẠCH số {i}-KH/ĐU về việc tổ chức học tập, quán triệt, tuyên truyền và triển "
            "khai thực hiện các nghị quyết, chỉ thị, kết luận của Trung ương Đảng khóa XIII"
        )
        documents.import_bytes(book, data=f"{title}\n\nNội dung.".encode(), filename=f"kh-{i}.txt")
    want = 8 if large else 15
    apply_text_size(qapp, large=large)
    try:
        study_page = StudySection(ctx)
        library = DocumentsSection(ctx)
        feedback_page = FeedbackSection(ctx)
        for page in (study_page, library, feedback_page):
            qtbot.addWidget(page)
            page.resize(*PAGE[large])
            page.show()
            page.refresh(None)
            qtbot.waitExposed(page)
        feedback_page.tabs.setCurrentWidget(feedback_page.support_page)
        qtbot.wait(10)
        counts = {
            "study": _visible_rows(study_page.grid),
            "library": _visible_rows(library.view),
            "board": _visible_rows(feedback_page.support_page.board_view),
        }
        # No page is wider than the screen leaves it: no sideways scrolling at 1024 wide.
        widths = {
            p.title: p.minimumSizeHint().width() for p in (study_page, library, feedback_page)
        }
    finally:
        apply_text_size(qapp, large=False)
    assert all(n >= want for n in counts.values()), counts
    assert all(w <= 1024 - 280 for w in widths.values()), widths


def test_switching_large_text_on_makes_the_rows_taller(
    qtbot: Any, qapp: QtWidgets.QApplication, ctx: AppContext, book: Book
) -> None:
    from ui.documents.section import DocumentsSection
    from ui.feedback.section import FeedbackSection
    from ui.study.section import StudySection

    study_page, library = StudySection(ctx), DocumentsSection(ctx)
    feedback_page, register = FeedbackSection(ctx), MembersSection(ctx)
    for page in (study_page, library, feedback_page, register):
        qtbot.addWidget(page)
        page.show()
    views = [
        study_page.grid,
        library.view,
        feedback_page.view,
        feedback_page.support_page.board_view,
        register.table,
    ]
    before = [v.verticalHeader().defaultSectionSize() for v in views]
    try:
        study_page.hide()  # a page not on screen follows too
        apply_text_size(qapp, large=True)  # while the pages are open, as from the menu
        qtbot.wait(20)
        register.refresh(None)
        after = [v.verticalHeader().defaultSectionSize() for v in views]
    finally:
        apply_text_size(qapp, large=False)
    assert all(a > b * 1.2 for a, b in zip(after, before, strict=True)), (before, after)


def test_empty_register_says_to_import_the_list(qtbot: Any, ctx: AppContext) -> None:
    section = MembersSection(ctx)
    qtbot.addWidget(section)
    section.show()
    section.refresh(None)
    assert section.empty_box.isVisible()
    assert "nhập danh sách" in section.empty_hint.text()
    assert section.empty_import_button.isVisible()


def test_new_member_form_shows_no_red_before_typing(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    dialog = MemberDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert all(label.isHidden() for label in dialog.messages.values())
    assert dialog.summary.property("role") != "error"
    dialog.phone.setText("12345")
    dialog._on_leave("phone")  # the secretary leaves the field
    assert "12345" in dialog.message_for("phone")
    assert dialog.message_for("full_name") == ""  # not yet touched
    dialog.save()  # Lưu: every problem is shown, nothing saved
    assert dialog.message_for("full_name") != ""
    assert dialog.saved is None


def test_pickers_start_with_nobody_chosen(qtbot: Any, ctx: AppContext, book: Book) -> None:
    _names(book, 3)
    feedback_dialog = FeedbackDialog(ctx)
    qtbot.addWidget(feedback_dialog)
    assert feedback_dialog.member.combo.currentText() == NO_MEMBER
    assert feedback_dialog.member.member_id() is None
    feedback_dialog.content.setPlainText("Đề nghị sửa đèn đường.")
    feedback_dialog.save()
    assert feedback_dialog.saved is None and "chọn đảng viên" in feedback_dialog.error.text()
    support_dialog = SupportDialog(ctx)
    qtbot.addWidget(support_dialog)
    assert support_dialog.picker.member_id() is None
    support_dialog._add_picked()
    assert not support_dialog.rows and "chọn" in support_dialog.error.text()


def test_forty_duplicates_give_a_one_screen_summary() -> None:
    outcomes = [
        ImportOutcome(f"tai-lieu-{i:02}.pdf", "duplicate", f"tai-lieu-{i:02}.pdf: trùng nội dung")
        for i in range(40)
    ]
    summary, details = import_report(outcomes)
    assert summary.count("\n") <= 4
    assert "Đã nhập 0/40 tệp." in summary and "Bỏ qua 40 tài liệu đã có" in summary
    assert details.count("tai-lieu-") == 40
    messages = Messages()
    messages.auto_answer = True
    messages.info("Nhập tài liệu", summary, details=details)
    kind, title, text, more = messages.boxes[-1]
    assert (kind, title) == ("info", "Nhập tài liệu")
    assert text == summary and more == details
    # A long text given without details is cut into a summary and details all the same.
    messages.info("Dài", "\n".join(f"dòng {i}" for i in range(60)))
    assert messages.boxes[-1][2].count("\n") < 12 and "dòng 59" in (messages.boxes[-1][3] or "")


def test_office_files_are_picked_up_for_a_clear_message() -> None:
    assert {".doc", ".xls", ".ods"} <= IMPORTABLE
