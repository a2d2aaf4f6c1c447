"""How the sync view names kinds, fields and values of a synced row."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from app.models.document import DOCUMENT_TYPES
from app.models.feedback import FEEDBACK_CHANNELS, FEEDBACK_KINDS, FEEDBACK_STATES
from app.models.meeting import MEETING_STATES
from app.models.member import ACCOUNT_STATES
from app.models.report import REPORT_KINDS, REPORT_STATES
from app.models.study import CAMPAIGN_STATES
from app.services.members import FIELD_LABELS as MEMBER_LABELS
from app.services.upward_reports import period_text
from app.vocab import Entity, MeetingKind, MemberStatus

KIND_LABELS = {"conflict": "Xung đột", "rejected": "Bị từ chối", "pull": "Chưa nhận được"}
HIDDEN_FIELDS = frozenset({"id", "name_search", "name_sort", "version", "created_at", "updated_at"})
FIELD_LABELS: dict[str, str] = {
    **MEMBER_LABELS,
    "topic": "Chủ đề",
    "starts_at": "Bắt đầu",
    "ends_at": "Kết thúc",
    "place": "Địa điểm",
    "state": "Trạng thái",
    "title": "Trích yếu",
    "number": "Số hiệu",
    "deleted_at": "Đã xóa lúc",
    "minutes_json": "Biên bản",
    "kind": "Loại",
    "member_id": "Mã đảng viên",
    "meeting_id": "Mã cuộc họp",
    "document_id": "Mã tài liệu",
    # documents
    "doc_type": "Loại văn bản",
    "issuer": "Cơ quan ban hành",
    "issued_on": "Ngày ban hành",
    "summary": "Tóm tắt",
    "tags": "Từ khóa",
    "filename": "Tệp",
    "text_content": "Nội dung văn bản",
    # feedback
    "content": "Nội dung ý kiến",
    "received_on": "Ngày nhận",
    "channel": "Hình thức tiếp nhận",
    "handling_note": "Ghi chú xử lý",
    "forwarded_on": "Ngày chuyển cấp trên",
    "answer": "Nội dung trả lời",
    "answered_on": "Ngày trả lời",
    "answered_by": "Người trả lời",
    "recorded_by": "Người ghi",
    "support_session_id": "Buổi hỗ trợ",
    # support sessions
    "held_on": "Ngày hỗ trợ",
    "helpers": "Người hỗ trợ",
    "attendees_json": "Đảng viên được hỗ trợ",
    # reports
    "period": "Kỳ báo cáo",
    "subtitle": "Tiêu đề",
    "sections_json": "Nội dung báo cáo",
    "recipients": "Nơi nhận",
    "signer_name": "Người ký",
    "figures_json": "Số liệu",
    "revision": "Lần sửa",
    "amend_reason": "Lý do sửa",
    "submitted_at": "Gửi cấp trên lúc",
    "history_json": "Các bản đã gửi trước",
    # absence requests, study
    "reason": "Lý do",
    "resolutions": "Nghị quyết học tập",
    "presenter": "Báo cáo viên",
    "grade": "Xếp loại",
    "score": "Điểm",
}
VALUE_LABELS: dict[str, dict[str, str]] = {
    "status": {**MemberStatus.labels(), **MEETING_STATES},
    "app_account": ACCOUNT_STATES,
    "state": MEETING_STATES,
    "doc_type": DOCUMENT_TYPES,
}
# Values whose meaning depends on the entity (a feedback's state is not a meeting's).
ENTITY_VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    Entity.MEETING: {"kind": MeetingKind.labels(), "state": MEETING_STATES},
    Entity.FEEDBACK: {
        "kind": FEEDBACK_KINDS,
        "channel": FEEDBACK_CHANNELS,
        "state": FEEDBACK_STATES,
    },
    Entity.REPORT: {"kind": REPORT_KINDS, "state": REPORT_STATES},
    Entity.STUDY_CAMPAIGN: {"state": CAMPAIGN_STATES},
}


def when_text(value: dt.datetime | None) -> str:
    if value is None:
        return "chưa có"
    local = value.replace(tzinfo=dt.UTC).astimezone()
    return f"{local:%H:%M ngày %d/%m/%Y}"


def last_sync_text(value: dt.datetime | None, *, label: str) -> str:
    """ "<label>: 14:05 05/12/2026", or that there has been no sync yet (status lines)."""
    if value is None:
        return "Chưa đồng bộ lần nào"
    local = value.replace(tzinfo=dt.UTC).astimezone()
    return f"{label}: {local:%H:%M %d/%m/%Y}"


def shown_value(key: str, value: Any, entity: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    text = str(value)
    by_entity = ENTITY_VALUE_LABELS.get(entity, {})
    if key in by_entity:
        return by_entity[key].get(text, text)
    if key in VALUE_LABELS:
        return VALUE_LABELS[key].get(text, text)
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2]|Q[1-4])", text):  # a period: "2026-11" → "11/2026"
        return period_text(text)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return f"{dt.date.fromisoformat(text):%d/%m/%Y}"
        except ValueError:
            return text
    return text if len(text) <= 120 else text[:117] + "…"
