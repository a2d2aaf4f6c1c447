"""A report's life: drafted from the book, edited, submitted, changed after submission with
a reason (a new revision, the submitted text kept), or deleted while still a draft.

Drafts and edits stay on this computer (audited only); `submit` is the one write that goes
to the sync outbox, so the server holds each submitted version in turn.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from app.errors import ConflictError, ValidationError
from app.models import Report, new_id, utcnow
from app.services import changes
from app.services.upward_reports import drafting
from app.services.upward_reports.gathering import gather
from app.services.upward_reports.numbering import assign
from app.services.upward_reports.periods import check_kind, parse_period, period_label
from app.services.upward_reports.views import (
    ENTITY,
    ReportSection,
    ReportView,
    find_row,
    get,
    get_row,
    load_json,
    report_name_lower,
    row_fields,
    sections_from,
    sections_json,
    view,
)
from app.text import clean

if TYPE_CHECKING:
    from app.book import Book

MAX_BODY = 50_000


@dataclass(frozen=True)
class ReportEdit:
    """What the secretary may change in a report."""

    subtitle: str
    issued_on: dt.date
    sections: Sequence[ReportSection]
    recipients: Sequence[str]
    signer_name: str


@dataclass(frozen=True)
class DraftResult:
    report: ReportView
    created: bool  # False: a report for this kind and period existed and is returned as is
    notices: tuple[str, ...]


def draft(book: Book, *, kind: str, period: str, today: dt.date | None = None) -> DraftResult:
    """Draft the report for a kind and period from the book's data.

    If a report for that kind and period exists it is returned unchanged (the secretary's
    edits are never overwritten; `redraft` refreshes the figures on request). A period with
    no data still gives a draft to fill, with a notice saying so."""
    today = today or dt.date.today()
    kind = check_kind(kind)
    canonical, start, end = parse_period(kind, period)
    if start > today:
        raise ValidationError(
            f"Kỳ báo cáo {period_label(kind, start, end)} chưa bắt đầu; chưa soạn báo cáo được.",
            field="period",
        )
    with book.read_session() as s:
        existing = find_row(s, kind, canonical)
        if existing is not None:
            v = view(existing)
            return DraftResult(
                v,
                False,
                (f"Đã có {report_name_lower(existing)} ({v.state_label.lower()}); mở bản đã có.",),
            )
    d = gather(book, kind, start, end, today)
    notices = drafting.report_notices(d)
    sections = drafting.draft_sections(d)
    info = book.branch()
    with book.session() as s:
        row = Report(
            id=new_id(),
            version=0,  # never sent; the first submission is version 1
            kind=kind,
            period=canonical,
            period_start=start,
            period_end=end,
            subtitle=drafting.default_subtitle(kind, start, end),
            number="",
            number_year=None,
            number_seq=None,
            issued_on=today,
            sections_json=sections_json(sections),
            recipients="\n".join(drafting.default_recipients(kind, info.committee)),
            signer_name=info.secretary_name,
            figures_json=json.dumps(drafting.report_figures(d, notices), ensure_ascii=False),
            state="draft",
            revision=1,
            amend_reason="",
            submitted_at=None,
            history_json="[]",
        )
        changes.create(
            s,
            row,
            actor=book.actor,
            entity=ENTITY,
            summary=f"Soạn {report_name_lower(row)} từ số liệu trong sổ",
            changes={},
            sync=False,  # drafts stay here; submit() sends the report up
        )
        s.flush()
        return DraftResult(view(row), True, tuple(notices))


def _clean_body(text: str) -> str:
    """NFC lines with spaces collapsed; runs of blank lines kept as one (paragraph breaks)."""
    out: list[str] = []
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = clean(line)
        if line or (out and out[-1]):
            out.append(line)
    body = "\n".join(out).strip()
    if len(body) > MAX_BODY:
        raise ValidationError(
            "Nội dung một mục của báo cáo quá dài; hãy viết gọn lại.", field="sections"
        )
    return body


def _check_edit(data: ReportEdit) -> ReportEdit:
    subtitle = clean(data.subtitle)
    if not subtitle:
        raise ValidationError("Chưa ghi trích yếu (nội dung) của báo cáo.", field="subtitle")
    sections = tuple(
        ReportSection(clean(sec.title), _clean_body(sec.body), sec.table) for sec in data.sections
    )
    if not any(sec.body or sec.table for sec in sections):
        raise ValidationError("Báo cáo chưa có nội dung nào.", field="sections")
    recipients = tuple(r for r in (clean(x) for x in data.recipients) if r)
    return ReportEdit(subtitle, data.issued_on, sections, recipients, clean(data.signer_name))


def _snapshot(row: Report) -> dict[str, Any]:
    return {
        "revision": row.revision,
        "number": row.number,
        "issued_on": row.issued_on.isoformat(),
        "subtitle": row.subtitle,
        "sections": load_json(row.sections_json, []),
        "recipients": row.recipients,
        "signer_name": row.signer_name,
        "submitted_at": row.submitted_at.isoformat(timespec="seconds")
        if row.submitted_at
        else None,
    }


def _apply_edit(
    s: Session,
    row: Report,
    data: ReportEdit,
    *,
    actor: str,
    reason: str,
    what: str,
    figures_json: str | None = None,
) -> ReportView:
    before = row_fields(row)
    reason = clean(reason)
    if data.issued_on < row.period_start:
        raise ValidationError(
            f"Ngày ban hành ({data.issued_on:%d/%m/%Y}) trước kỳ báo cáo.", field="issued_on"
        )
    new = {
        "subtitle": data.subtitle,
        "issued_on": data.issued_on,
        "sections_json": sections_json(data.sections),
        "recipients": "\n".join(data.recipients),
        "signer_name": data.signer_name,
    }
    differs = any(changes.diff({k: getattr(row, k)}, {k: v}) for k, v in new.items()) or (
        figures_json is not None and figures_json != row.figures_json
    )
    if not differs:
        return view(row)
    submitted = row.state == "submitted"
    if submitted:
        if not reason:
            raise ValidationError(
                "Báo cáo này đã gửi cấp trên; muốn sửa phải ghi lý do. Bản đã gửi được giữ "
                "lại, bản sửa là phiên bản mới và cần gửi lại.",
                field="reason",
            )
        history = load_json(row.history_json, [])
        snap = _snapshot(row)
        snap["replaced_at"] = utcnow().isoformat(timespec="seconds")
        snap["replaced_reason"] = reason
        history.append(snap)
        row.history_json = json.dumps(history, ensure_ascii=False)
        row.revision += 1
        row.amend_reason = reason
        row.state = "amended"
    for key, value in new.items():
        setattr(row, key, value)
    if figures_json is not None:
        row.figures_json = figures_json
    # The version moves only on a submission: an edit stays here until submitted again.
    row.updated_at = utcnow()
    changes.audit_only(
        s,
        actor=actor,
        entity=ENTITY,
        entity_id=row.id,
        action="amend" if submitted or row.state == "amended" else "update",
        summary=(
            f"Sửa {report_name_lower(row)} sau khi đã gửi (phiên bản {row.revision})"
            if submitted
            else f"{what} {report_name_lower(row)}"
        ),
        changes=changes.diff(before, row_fields(row)),
        reason=reason,
    )
    return view(row)


def update(book: Book, *, report_id: str, data: ReportEdit, reason: str = "") -> ReportView:
    """Save the secretary's edits. A submitted report needs a reason: the submitted text is
    kept, and the edit becomes a new revision to submit again."""
    data = _check_edit(data)
    with book.session() as s:
        row = get_row(s, report_id)
        return _apply_edit(s, row, data, actor=book.actor, reason=reason, what="Sửa")


def redraft(
    book: Book, *, report_id: str, reason: str = "", today: dt.date | None = None
) -> ReportView:
    """Draft the sections again from the data as it is now (replacing the text; the UI asks
    first). On a submitted report this is an edit with a reason, like `update`."""
    today = today or dt.date.today()
    current = get(book, report_id=report_id)
    d = gather(book, current.kind, current.period_start, current.period_end, today)
    notices = drafting.report_notices(d)
    data = ReportEdit(
        subtitle=current.subtitle,
        issued_on=current.issued_on,
        sections=drafting.draft_sections(d),
        recipients=current.recipients,
        signer_name=current.signer_name,
    )
    with book.session() as s:
        row = get_row(s, report_id)
        return _apply_edit(
            s,
            row,
            _check_edit(data),
            actor=book.actor,
            reason=reason,
            what="Cập nhật số liệu",
            figures_json=json.dumps(drafting.report_figures(d, notices), ensure_ascii=False),
        )


def submit(book: Book, *, report_id: str) -> ReportView:
    """Send the report up: numbered if it is not yet, state submitted, and the whole report
    written to the sync outbox (it leaves with the next sync)."""
    with book.session() as s:
        row = get_row(s, report_id)
        if row.state == "submitted":
            raise ConflictError(
                "Báo cáo này đã được gửi. Nếu cần sửa, hãy sửa kèm lý do rồi gửi lại."
            )
        if not any(sec.body or sec.table for sec in sections_from(row.sections_json)):
            raise ValidationError("Báo cáo chưa có nội dung; chưa gửi được.", field="sections")
        assign(s, row, None, book.actor)
        before = row_fields(row)
        row.state = "submitted"
        row.submitted_at = utcnow()
        times = f" (phiên bản {row.revision})" if row.revision > 1 else ""
        changes.update(
            s,
            row,
            actor=book.actor,
            entity=ENTITY,
            summary=f"Gửi {report_name_lower(row)} lên cấp trên{times}",
            delta=changes.diff(before, row_fields(row)),
            reason=row.amend_reason if row.revision > 1 else "",
        )
        return view(row)


def remove(book: Book, *, report_id: str, reason: str = "") -> None:
    """Delete a draft that was never submitted (a submitted report stays: edit it with a
    reason instead). The draft was never sent, so nothing goes to the server."""
    with book.session() as s:
        row = get_row(s, report_id)
        if row.version > 0 or row.state != "draft":
            raise ConflictError(
                "Báo cáo đã gửi cấp trên nên không xóa được; nếu có sai sót, hãy sửa kèm lý do "
                "và gửi lại."
            )
        row.deleted_at = utcnow()
        changes.audit_only(
            s,
            actor=book.actor,
            entity=ENTITY,
            entity_id=row.id,
            action="delete",
            summary=f"Xóa bản nháp {report_name_lower(row)}",
            reason=clean(reason),
        )
