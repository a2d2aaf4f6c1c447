"""The Đảng phí part of `sotay gui --tour`: every dialog of the section, and the sheet as
opened from a meeting's roll call."""

from __future__ import annotations

import datetime as dt
from typing import Any


def dues_dialogs(tour: Any, ctx: Any, window: Any, meeting: Any) -> None:
    """The dues section's dialogs, and the sheet opened from a roll call."""
    from app.services import dues
    from ui.dues import dialogs as d
    from ui.dues.sheet import DuesSheetDialog

    section = window.show_section("dues")
    month = f"{dt.date.today():%Y-%m}"
    rows = dues.month_sheet(ctx.book, month=month).rows
    if rows:
        r = rows[0]
        tour.dialog(
            "dues-pay-months",
            lambda: d.PayDialog(ctx, member_id=r.member_id, full_name=r.full_name,
                                month=month, due=r.due, parent=section),
        )  # fmt: skip
        tour.dialog(
            "dues-pay-dvcqg",
            lambda: d.PayDialog(ctx, member_id=r.member_id, full_name=r.full_name,
                                month=month, channel="dvcqg", parent=section),
        )  # fmt: skip
        tour.dialog(
            "dues-setting",
            lambda: d.SettingDialog(ctx, member_id=r.member_id, full_name=r.full_name,
                                    month=month, parent=section),
        )  # fmt: skip
        tour.dialog(
            "dues-cancel",
            lambda: d.ReasonDialog(ctx, title="Hủy ghi nhận đảng phí",
                                   text=f"Hủy khoản tháng này của đồng chí {r.full_name}?",
                                   ok="Hủy ghi nhận", action=lambda _r: None, parent=section),
        )  # fmt: skip
    tour.dialog("dues-rules", lambda: d.RulesDialog(ctx, parent=section))
    tour.dialog(
        "dues-report-period",
        lambda: d.PrintChoiceDialog(title="Báo cáo thu, nộp đảng phí",
                                    text="Báo cáo số đảng phí đã thu, chi bộ giữ lại và "
                                         "phải nộp lên cấp trên:",
                                    month=month, period=True, parent=section),
    )  # fmt: skip
    tour.dialog("dues-import", lambda: d.ImportDialog(ctx, parent=section))
    if meeting is not None:
        when = f"{meeting.starts_at:%Y-%m}"
        tour.dialog("dues-from-roll-call", lambda: DuesSheetDialog(ctx, when, parent=section))
