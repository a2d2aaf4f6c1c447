"""The Ý kiến section: taking down, forwarding, answering and printing members' feedback,
and the support tab (onboarding board, support sessions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.services import feedback, members
from tests.app.test_feedback_kit import make_branch, pdf_text
from ui.feedback.section import AnswerDialog, FeedbackDialog, FeedbackSection
from ui.qt import QtWidgets
from ui.support.dialog import SupportDialog
from ui.widgets.section import AppContext

ACCEPTED = QtWidgets.QDialog.DialogCode.Accepted


def _section(qtbot: Any, ctx: AppContext) -> FeedbackSection:
    section = FeedbackSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    return section


def test_take_down_forward_answer_and_print(
    qtbot: Any, ctx: AppContext, tmp_path: Path, qtmodeltester: Any
) -> None:
    make_branch(ctx.book)
    section = _section(qtbot, ctx)
    assert section.model.rowCount() == 0

    def first_try(dialog: QtWidgets.QDialog) -> int:
        assert isinstance(dialog, FeedbackDialog)
        dialog.member.search.setText("tam")  # no tones typed
        assert dialog.member.member_name().startswith("Lê Văn Tám")
        dialog.save()  # nothing written yet: the content is empty
        assert "Chưa ghi nội dung" in dialog.error.text()
        dialog.kind.setCurrentIndex(dialog.kind.findData("phan_anh"))
        dialog.channel.setCurrentIndex(dialog.channel.findData("dien_thoai"))
        dialog.content.setPlainText("Đèn đường hẻm 5 bị hỏng.")
        dialog.save()
        return dialog.result()

    section.open_dialog = first_try
    section.add_feedback()
    assert section.model.rowCount() == 1
    qtmodeltester.check(section.model)
    model = section.model
    assert [model.data(model.index(0, c)) for c in (1, 2, 4, 5)] == [
        "Lê Văn Tám",
        "Phản ánh",
        "Điện thoại",
        "Đã tiếp nhận",
    ]
    assert section.selected() is not None
    assert "Đèn đường hẻm 5 bị hỏng." in section.detail.text()

    section.forward()  # the message wrapper answers "yes"
    assert model.data(model.index(0, 5)) == "Đã chuyển cấp ủy cấp trên"
    assert not section.forward_button.isEnabled()

    def answer(dialog: QtWidgets.QDialog) -> int:
        assert isinstance(dialog, AnswerDialog)
        dialog.text.setPlainText("Phường đã thay bóng đèn ngày 20.")
        dialog.save()
        return dialog.result()

    section.open_dialog = answer
    section.answer()
    # The default filter keeps what was just answered in view, to print its answer.
    assert section.model.rowCount() == 1
    assert section.filter.currentIndex() == 1
    section.filter.setCurrentIndex(2)  # only what waits: the answered one leaves the list
    assert section.model.rowCount() == 0
    section.filter.setCurrentIndex(0)  # Tất cả
    assert section.select(feedback.list_feedback(ctx.book)[0].id)
    assert "Trả lời của Đảng ủy phường Quy Nhơn" in section.detail.text()
    assert section.print_button.isEnabled()
    out = section.print_answer(tmp_path / "tra-loi.pdf")
    assert out is not None
    text = pdf_text(out.read_bytes())
    assert "TRẢ LỜI Ý KIẾN ĐẢNG VIÊN" in text
    assert "Phường đã thay bóng đèn ngày 20." in text
    assert ctx.message.shown[-1][1] == "Đã in"


def test_remove_asks_for_a_reason(qtbot: Any, ctx: AppContext) -> None:
    branch = make_branch(ctx.book)
    feedback.add(
        ctx.book,
        data=feedback.FeedbackInput(
            member_id=branch.id("Võ Thị Sáu"), kind="gop_y", content="Ý kiến"
        ),
    )
    section = _section(qtbot, ctx)
    section.view.selectRow(0)
    section.ask_text = lambda _t, _l: "Ghi nhầm"
    section.remove()
    assert section.model.rowCount() == 0
    assert feedback.count(ctx.book) == 0


def test_support_tab_records_a_session_and_the_board_moves(
    qtbot: Any, ctx: AppContext, qtmodeltester: Any
) -> None:
    branch = make_branch(ctx.book)
    section = _section(qtbot, ctx)
    page = section.support_page
    section.tabs.setCurrentWidget(page)
    assert "2/7" in page.summary.text()
    qtmodeltester.check(page.board_model)
    names = [
        page.board_model.data(page.board_model.index(r, 0))
        for r in range(page.board_model.rowCount())
    ]
    assert "Lê Văn Tám" in names and "Trần Văn Bình" not in names

    def record(dialog: SupportDialog) -> int:
        dialog.save()  # no place yet
        assert "Chưa ghi địa điểm" in dialog.error.text()
        dialog.place.setText("Nhà văn hóa khu phố 3")
        dialog.helpers.setPlainText("Đoàn viên Lê Minh")
        dialog.picker.search.setText("hoa")
        dialog._add_picked()
        dialog.picker.search.setText("tam")
        dialog._add_picked()
        hoa, tam = dialog.rows
        hoa.checks["phe_duyet"].setChecked(True)
        tam.checks["doc_tai_lieu"].setChecked(True)
        tam.document.setText("Nghị quyết 57-NQ/TW")
        tam.feedback_content.setText("Đề nghị in tài liệu chữ to.")
        assert tam.checks["ghi_y_kien"].isChecked()
        dialog.save()
        return dialog.result()

    page.open_dialog = record
    dialog = page.record_session()
    assert dialog.result() == ACCEPTED
    assert "3/7" in page.summary.text()
    qtmodeltester.check(page.sessions_model)
    assert page.sessions_model.rowCount() == 1
    done = page.sessions_model.data(page.sessions_model.index(0, 4))
    assert "Phê duyệt tài khoản" in done and "Nghị quyết 57-NQ/TW" in done
    assert members.get(ctx.book, member_id=branch.id("Nguyễn Thị Hòa")).app_account == "da_duyet"
    (fb,) = feedback.list_feedback(ctx.book)
    assert fb.channel_label == "Buổi hỗ trợ"
    # The feedback list picked it up too.
    assert section.model.rowCount() == 1

    # Editing the session keeps what was recorded.
    page.sessions_view.selectRow(0)

    def edit(dialog: SupportDialog) -> int:
        assert len(dialog.rows) == 2
        assert dialog.rows[0].checks["phe_duyet"].isChecked()
        dialog.held_on.set_date(dialog.held_on.required_date() - dt.timedelta(days=1))
        dialog.save()
        return dialog.result()

    page.open_dialog = edit
    page.edit_session()
    assert feedback.count(ctx.book) == 1
    assert page.sessions_model.data(page.sessions_model.index(0, 0)) == (
        f"{dt.date.today() - dt.timedelta(days=1):%d/%m/%Y}"
    )
