"""The library and the search results as tables; a result's snippet with the matches marked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import Any

from app.services.documents import DocumentView, SearchHit
from ui.qt import QtCore
from ui.widgets.list_model import Column, ListTableModel

DOC_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1
HTML_ROLE = QtCore.Qt.ItemDataRole.UserRole + 2
HIGHLIGHT = "background-color:#ffe066; font-weight:bold;"


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class DocumentsModel(ListTableModel[DocumentView]):
    """The library (filtered and ordered by the service)."""

    columns: Sequence[Column[DocumentView]] = (
        Column("Số hiệu", lambda d: d.number),
        Column("Loại", lambda d: d.type_label),
        Column(
            "Tiêu đề",
            lambda d: d.title if d.has_text else f"⚠ {d.title}",
            # The source too: its column gives way on a narrow page (see the section).
            tooltip=lambda d: f"{d.title}\nNguồn: {d.source_label}",
        ),
        Column("Cơ quan ban hành", lambda d: d.issuer),
        Column("Ngày", lambda d: _date(d.issued_on)),
        Column("Nguồn", lambda d: d.source_label),
    )
    text_as_tooltip = True  # long titles are elided to two lines; the whole one on hover

    def role_data(self, d: DocumentView, column: int, role: int) -> Any:
        if role == DOC_ID_ROLE:
            return d.id
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:
            tip = f"{d.title}\nTệp: {d.filename}"
            if not d.has_text:
                tip += "\nChưa có nội dung chữ (bản quét hoặc có mật khẩu)."
            return tip
        return None


class SearchModel(ListTableModel[SearchHit]):
    """Search results, best first, with the matches highlighted in the snippet."""

    columns: Sequence[Column[SearchHit]] = (
        Column("Tài liệu tìm thấy", lambda h: f"{h.title}\n{h.snippet_marked.plain}"),
        Column("Số hiệu", lambda h: h.number),
        Column("Ngày", lambda h: _date(h.issued_on)),
    )

    def role_data(self, h: SearchHit, column: int, role: int) -> Any:
        if role == DOC_ID_ROLE:
            return h.id
        if role == HTML_ROLE and column == 0:
            return result_html(h)
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:
            return f"Tệp: {h.filename}"
        return None


def marked_html(parts: Sequence[tuple[str, bool]]) -> str:
    return "".join(
        f"<span style='{HIGHLIGHT}'>{escape(t)}</span>" if hl else escape(t) for t, hl in parts
    )


def result_html(hit: SearchHit) -> str:
    title = marked_html(hit.title_marked.parts) if hit.title_marked.parts else escape(hit.title)
    details = " · ".join(p for p in (hit.type_label, hit.issuer, hit.filename) if p)
    return (
        f"<div><b>{title}</b></div>"
        f"<div>{marked_html(hit.snippet_marked.parts)}</div>"
        f"<div style='color:#555'>{escape(details)}</div>"
    )
