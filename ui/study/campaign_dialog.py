"""Create or edit a study campaign."""

from __future__ import annotations

import datetime as dt

from app.errors import KnownError, ValidationError
from app.services import documents, study
from app.services.study import CampaignInput, CampaignView
from ui.qt import QtCore, QtWidgets
from ui.style import error_label, set_role
from ui.widgets.date_edit import DateEdit, TimeEdit
from ui.widgets.fit_on_show import fit_on_show, scrolling_body
from ui.widgets.section import AppContext


class CampaignDialog(QtWidgets.QDialog):
    """Create or edit a campaign: title, the resolutions studied, dates, place, presenter."""

    def __init__(
        self,
        ctx: AppContext,
        campaign: CampaignView | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.campaign = campaign
        self.result_campaign: CampaignView | None = None
        self.setWindowTitle("Sửa đợt học tập" if campaign else "Tạo đợt học tập nghị quyết")
        # Wider in large text (clamped to the screen), so the form does not scroll sideways.
        fit_on_show(self, max(820, self.fontMetrics().averageCharWidth() * 92), 680)
        layout = QtWidgets.QVBoxLayout(self)
        body = scrolling_body(layout)
        form = QtWidgets.QFormLayout(body)
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.title_edit = QtWidgets.QLineEdit()
        self.title_edit.setPlaceholderText("ví dụ: Học tập, quán triệt Nghị quyết số 57-NQ/TW")
        form.addRow("Tên đợt học tập:", self.title_edit)
        self.docs = QtWidgets.QListWidget()
        self.docs.setMinimumHeight(self.fontMetrics().height() * 6)
        # A long title is cut with "…" at the list's width (whole in its tooltip): the list
        # never scrolls sideways, even 1024 wide in large text.
        self.docs.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.docs.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        chosen = set(campaign.document_ids) if campaign else set()
        for d in documents.list_documents(ctx.book, limit=2000):
            item = QtWidgets.QListWidgetItem(d.label)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, d.id)
            item.setToolTip(d.label)
            item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                QtCore.Qt.CheckState.Checked if d.id in chosen else QtCore.Qt.CheckState.Unchecked
            )
            self.docs.addItem(item)
        form.addRow("Tài liệu trong thư viện:", self.docs)
        self.resolutions = QtWidgets.QPlainTextEdit()
        self.resolutions.setPlaceholderText(
            "Các nghị quyết học tập, mỗi dòng một văn bản (để trống: lấy từ tài liệu đã chọn)"
        )
        self.resolutions.setMinimumHeight(self.fontMetrics().height() * 3)
        form.addRow("Nghị quyết:", self.resolutions)
        self.starts_on = DateEdit(optional=True)
        self.ends_on = DateEdit(optional=True, follow=self.starts_on)
        period = QtWidgets.QHBoxLayout()
        period.addWidget(self.starts_on)
        period.addWidget(QtWidgets.QLabel("đến"))
        period.addWidget(self.ends_on)
        period.addStretch(1)
        form.addRow("Thời gian từ:", period)
        self.session_at = QtWidgets.QWidget()  # the session's date and time, typed
        session_row = QtWidgets.QHBoxLayout(self.session_at)
        session_row.setContentsMargins(0, 0, 0, 0)
        self.session_date = DateEdit(follow=self.starts_on)
        self.session_time = TimeEdit()
        session_row.addWidget(self.session_date)
        session_row.addWidget(QtWidgets.QLabel("lúc"))
        session_row.addWidget(self.session_time)
        self.has_session = QtWidgets.QCheckBox("Đã định ngày giờ buổi học tập")
        session = QtWidgets.QHBoxLayout()
        session.addWidget(self.has_session)
        session.addWidget(self.session_at)
        session.addStretch(1)
        form.addRow("Buổi học tập:", session)
        self.place = QtWidgets.QLineEdit()
        form.addRow("Địa điểm:", self.place)
        self.presenter = QtWidgets.QLineEdit()
        form.addRow("Báo cáo viên:", self.presenter)
        self.due = DateEdit(optional=True, follow=self.ends_on)
        form.addRow("Hạn nộp thu hoạch:", self.due)
        self.notes = QtWidgets.QPlainTextEdit()
        self.notes.setMinimumHeight(self.fontMetrics().height() * 2)
        form.addRow("Ghi chú:", self.notes)
        self.error = error_label()
        layout.addWidget(self.error)
        if campaign is None:
            hint = QtWidgets.QLabel(
                "Mọi đảng viên đang sinh hoạt (trừ người được miễn sinh hoạt) được đưa vào danh "
                "sách học tập."
            )
            hint.setWordWrap(True)
            set_role(hint, "hint")
            layout.addWidget(hint)
        buttons = QtWidgets.QDialogButtonBox()
        buttons.addButton("Lưu", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.session_date.set_date(dt.date.today())
        self.session_time.set_time(dt.time(8, 0))
        self.session_at.setEnabled(False)
        self.has_session.toggled.connect(self.session_at.setEnabled)
        if campaign is not None:
            self.title_edit.setText(campaign.title)
            self.resolutions.setPlainText(campaign.resolutions)
            self._set_date(self.starts_on, campaign.starts_on)
            self._set_date(self.ends_on, campaign.ends_on)
            self._set_date(self.due, campaign.submission_due)
            if campaign.session_at is not None:
                self.has_session.setChecked(True)
                self.session_date.set_date(campaign.session_at.date())
                self.session_time.set_time(campaign.session_at.time())
            self.place.setText(campaign.place)
            self.presenter.setText(campaign.presenter)
            self.notes.setPlainText(campaign.notes)
        self.title_edit.setFocus()

    @staticmethod
    def _set_date(edit: DateEdit, value: dt.date | None) -> None:
        edit.set_date(value)

    @staticmethod
    def _date(edit: DateEdit, label: str) -> dt.date | None:
        """The typed date (None when left empty); a typing mistake stops the save."""
        if not edit.is_acceptable(label):
            raise ValidationError(edit.problem())
        return edit.date()

    def data(self) -> CampaignInput:
        ids = [
            str(self.docs.item(i).data(QtCore.Qt.ItemDataRole.UserRole))
            for i in range(self.docs.count())
            if self.docs.item(i).checkState() == QtCore.Qt.CheckState.Checked
        ]
        session: dt.datetime | None = None
        if self.has_session.isChecked():
            day = self._date(self.session_date, "Ngày học tập")
            if not self.session_time.is_acceptable("Giờ học tập"):
                raise ValidationError(self.session_time.problem())
            session = dt.datetime.combine(day or dt.date.today(), self.session_time.required_time())
        return CampaignInput(
            title=self.title_edit.text(),
            resolutions=self.resolutions.toPlainText(),
            document_ids=ids,
            starts_on=self._date(self.starts_on, "Ngày bắt đầu"),
            ends_on=self._date(self.ends_on, "Ngày kết thúc"),
            session_at=session,
            place=self.place.text(),
            presenter=self.presenter.text(),
            submission_due=self._date(self.due, "Hạn nộp thu hoạch"),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        try:
            if self.campaign is None:
                self.result_campaign = study.create_campaign(self.ctx.book, data=self.data())
            else:
                self.result_campaign = study.update_campaign(
                    self.ctx.book, campaign_id=self.campaign.id, data=self.data()
                )
        except KnownError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
